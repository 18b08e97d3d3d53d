"""The Chinese catalog: every message the code marks has a Chinese translation with the same
placeholders, the compiled catalog is the one the .po gives, and nothing marked is hidden
where the extractor cannot see it. So nothing falls back to English silently."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, ntr, parse_language, tr

ROOT = Path(__file__).resolve().parent.parent
PO = LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"tr": (2,), "ntr": (2, 3), "said": (1,)}  # as `make messages` extracts them


def chinese() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file)


def marked_in_code() -> set[str]:
    """Every message id marked with tr()/ntr() in bot/ and handlers/ (singular forms)."""
    found = set()
    for folder in ("bot", "handlers"):
        method_map = [("**.py", "python")]
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder, method_map, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def forms(message: Message) -> list[str]:
    if isinstance(message.string, str):
        return [message.string]
    return list(message.string or ())


def test_every_marked_message_is_in_the_catalog_with_a_translation() -> None:
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in chinese()
        if m.id and all(forms(m)) and not m.fuzzy
    }
    missing = marked_in_code() - translated
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:10]}"


def test_each_translation_has_the_english_placeholders() -> None:
    for message in chinese():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        for english in ids:
            for text in forms(message):
                counted = {"n"} if len(ids) > 1 else set()  # a plural's count may go unsaid
                assert placeholders(text) - counted == placeholders(english) - counted, text


def test_the_compiled_catalog_is_the_po_file() -> None:
    """`make messages` compiles the .mo; a .po edited without compiling is caught here."""

    def key(value: object) -> object:
        return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    with MO.open("rb") as file:
        compiled = {key(m.id): key(m.string) for m in read_mo(file) if m.id}
    written = {key(m.id): key(m.string) for m in chinese() if m.id and not m.fuzzy}
    assert compiled == written


def test_no_marked_message_hides_inside_an_f_string() -> None:
    """The extractor does not look inside f-strings: a tr() there would never be translated."""
    hidden = re.compile(r"""\bf(["']).*?\{n?tr\(""")
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                assert not hidden.search(line), f"{path}:{number}: {line.strip()}"


def test_messages_take_their_placeholders_after_translation() -> None:
    assert tr("zh", "{number} t", number="3,188") == "3,188 吨"
    assert tr("en", "{number} t", number="3,188") == "3,188 t"
    assert (
        ntr(
            "en",
            "{n} of {total} months has a figure",
            "{n} of {total} months have a figure",
            2,
            total=6,
        )
        == "2 of 6 months have a figure"
    )
    assert (
        ntr(
            "zh",
            "{n} of {total} months has a figure",
            "{n} of {total} months have a figure",
            2,
            total=6,
        )
        == "6 个月中有 2 个月有数据"
    )


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("zh", "zh"),
        ("ZH-hans", "zh"),
        ("中文", "zh"),
        ("cn", "zh"),
        ("zh_TW", "zh"),
        ("en", "en"),
        ("English", "en"),
        ("英文", "en"),
        ("fr", None),
        ("", None),
    ],
)
def test_a_language_is_named_as_people_write_it(word: str, language: str | None) -> None:
    assert parse_language(word) == language
