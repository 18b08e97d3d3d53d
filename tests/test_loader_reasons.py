"""The loaders' reasons in the reader's language: every problem a data file, a series'
description, a note, a published change, an official file or the mapping table can have is
built from a bad file (``tests/loader_problems.py``, ``tests/official_problems.py``) and said
in English exactly as before (the log, the command line) and in Chinese with no English left
but the file's own names and values. A message the loaders can say that no case builds fails
:func:`test_every_problem_the_loaders_say_is_built_here`. Then ``/reload`` in a Chinese chat,
through the real Application."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console import LocalChat, replies
from bot.data.dataset import DataFileError
from bot.data.settle import StillChanging
from bot.i18n import Language, Said
from bot.i18n.formats import say
from bot.render.admin import reload_rejected
from bot.render.telegram_html import to_plain
from bot.services import Services
from tests.loader_problems import CASES as LOADER_CASES
from tests.loader_problems import HEADER, Case, Error
from tests.official_problems import CASES as OFFICIAL_CASES
from tests.test_data_trust import written
from tests.test_reload_held import folder, operator
from tests.text_problems import CASES as TEXT_CASES

ROOT = Path(__file__).resolve().parent.parent
__all__ = ["folder", "operator"]  # the reload tests' fixtures, used here by name
CASES = [*LOADER_CASES, *TEXT_CASES, *OFFICIAL_CASES]
#: Where the loaders say their problems.
LOADERS = (
    "bot/data/problems.py",
    "bot/data/dataset.py",
    "bot/data/table.py",
    "bot/data/series.py",
    "bot/data/settle.py",
    "bot/data/notes.py",
    "bot/data/ledger.py",
    "bot/data/partner_map.py",
    "bot/data/official_table.py",
    "bot/data/importers.py",
    "bot/data/translations.py",
    "bot/datastore.py",
)
#: The checks of a published change's row; the rest of ``changes.py`` says the rules that
#: choose a percentage (``tests/test_rules_said.py``).
CHANGE_CHECKS = ("bot/data/changes.py", "parse_change")
#: Notation a Chinese reason keeps as it is: formats, file names, the options of a command.
NOTATION = re.compile(
    r"YYYY(-MM)?(\.zh)?(\.md)?|-?(H1|Q1|YTDmm)|ISO|UTF-8|GBK|CSV|TOML|Excel|zip|FIFO|NUL|"
    r"http\(s\)|UN Comtrade\+|series/|\*\.(csv|toml)|true|false|'## '|'- '"
)


def said_in(path: str, within: str | None = None) -> set[str]:
    """The messages ``path`` says with ``said("…")`` (in the function ``within``, if given)."""
    tree: ast.AST = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    if within is not None:
        tree = next(
            node for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name == within
        )  # fmt: skip
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "said"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def messages(said: Said) -> Iterator[str]:
    """``said``'s message and those of every message in its values."""
    yield said.message
    for _, value in said.values:
        for part in value if isinstance(value, tuple) else (value,):
            if isinstance(part, Said):
                yield from messages(part)


def values_in(said: Said, language: Language = "zh") -> Iterator[str]:
    """Each value ``said`` names (its own and its messages'), as said in ``language``."""
    for _, value in said.values:
        for part in value if isinstance(value, tuple) else (value,):
            if isinstance(part, Said):
                yield from values_in(part, language)
            else:
                yield say(Said("{v}", v=part), language, escape=False)


def made(case: Case, folder: Path) -> tuple[Error, str]:
    """The error ``case`` builds in ``folder``, and its English with the folder filled in."""
    return case.make(folder), case.english.replace("{folder}", str(folder))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_each_problem_in_english_as_before_and_in_chinese(case: Case, tmp_path: Path) -> None:
    error, english = made(case, tmp_path)
    assert str(error) == english
    assert say(error.said, "en", escape=False) == english
    assert say(error.said, "zh", escape=False) == case.chinese.replace("{folder}", str(tmp_path))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_a_chinese_reason_keeps_no_english_but_the_files_own(case: Case, tmp_path: Path) -> None:
    """Take away the values (file names, lines, columns, what the file holds, a library's
    own words) and the notation of formats: no Latin letter is left."""
    error, _ = made(case, tmp_path)
    chinese = say(error.said, "zh", escape=False)
    for value in sorted(set(values_in(error.said)), key=len, reverse=True):
        chinese = chinese.replace(value, "")
    assert not re.search("[A-Za-z]", NOTATION.sub("", chinese)), chinese


def test_every_problem_the_loaders_say_is_built_here(tmp_path: Path) -> None:
    sayable = set().union(*(said_in(path) for path in LOADERS), said_in(*CHANGE_CHECKS))
    built: set[str] = set()
    for number, case in enumerate(CASES):
        folder = tmp_path / str(number)
        folder.mkdir()
        built |= set(messages(case.make(folder).said))
    assert len(CASES) >= 100
    assert sayable - built == set(), "no case builds these"
    assert built - sayable == set(), "messages the loaders no longer say"


def test_a_value_the_file_holds_is_escaped_in_telegram_html(tmp_path: Path) -> None:
    path = tmp_path / "bad<b>.csv"
    path.write_text(f"{HEADER}\n2025-06,US,tonnes,<i>&amp,reported,normal,T,,,\n")
    from bot.data.table import load_file

    with pytest.raises(DataFileError) as caught:
        load_file(path)
    for language in ("en", "zh"):
        reply = reload_rejected(caught.value, "v<1>", language)
        assert "<i>" not in reply and "bad&lt;b&gt;.csv" in reply and "&lt;i&gt;&amp;amp" in reply
        assert "'<i>&amp'" in to_plain(reply)


def test_a_folder_still_changing_is_said_in_chinese(tmp_path: Path) -> None:
    error = StillChanging(tmp_path / "magnets.csv", None, Said("changed while it was read"))
    assert to_plain(reload_rejected(error, "abc", "zh")) == (
        "⏳ 尚未重新加载：magnets.csv：读取期间发生了变化\n"
        "仍在使用之前的数据（版本 abc）。复制完成后请再次 /reload。"
    )


async def test_reload_in_a_chinese_chat_gives_the_reason_in_chinese(
    operator: Services, folder: Path
) -> None:
    before = operator.data.current.version
    written(folder / "more.csv", f"{HEADER}\n2025-06,US,tonnes,<b>n/a,reported,normal,T,,,\n")
    async with LocalChat(operator) as chat:
        english = replies(await chat.send("/reload"))[0]
        assert english == (
            "⚠️ <b>Reload rejected</b>: more.csv, line 2: value &#x27;&lt;b&gt;n/a&#x27; is not "
            f"a number\nStill serving the previous data (version <code>{before}</code>). Fix "
            "the file and /reload again."
        )
        await chat.send("/lang zh")
        chinese = to_plain(replies(await chat.send("/reload"))[0])
        assert chinese == (
            "⚠️ 重新加载被拒绝：more.csv，第2行：value 列的值 '<b>n/a' 不是数字\n"
            f"仍在使用之前的数据（版本 {before}）。请修正文件后再次 /reload。"
        )
        written(folder / "more.csv", f"{HEADER}\n2025-06,US,tonnes,12,reported,normal,T,ftp:x,,\n")
        chinese = to_plain(replies(await chat.send("/reload"))[0])
        assert "more.csv，第2行：source_url 列的值 'ftp:x' 不是 http(s) 地址\n" in chinese
    assert operator.data.current.version == before
