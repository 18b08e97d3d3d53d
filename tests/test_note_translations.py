"""The Chinese text of the notes and derivations the project wrote on its figures
(``data/translations/zh.csv``): every one in the data has it, none drops or changes a number,
none is left over, and Chinese answers show it while English ones stay as they were."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bot.data.changes import load_changes
from bot.data.dataset import DataFileError
from bot.data.table import load_folder
from bot.data.translations import (
    NO_TRANSLATIONS,
    Translations,
    load_translations,
    note_parts,
    translations_file,
    written_as_is,
)
from bot.datastore import Snapshot, folder_version
from bot.lookup import Lookup, MonthAnswer, SpanAnswer
from bot.render.answers import exports
from bot.render.figure_text import derivation_in, note_in, parts_in
from bot.render.format import figure_note
from bot.render.sources import sources
from bot.render.telegram_html import to_plain
from tests.conftest import DATA_DIR, TODAY

TRANSLATIONS = load_translations(DATA_DIR)


def _texts() -> tuple[set[str], set[str]]:
    """Every derivation and every note part in the data: the figures and published changes."""
    figures = load_folder(DATA_DIR)
    derivations = {f.derivation for f in figures if f.derivation}
    notes = [f.note for f in figures] + [c.note for c in load_changes(DATA_DIR)]
    return derivations, {part for note in notes for part in note_parts(note)}


DERIVATIONS, NOTE_PARTS = _texts()

# -- the numbers of a text, however each language writes them -------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b")
#: ``H1`` is 上半年 in Chinese: a half's digit is a word there.
_HALF = re.compile(r"\bH[12]\b")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(million|mln|billion|bn|亿|万)?")
SCALES = {"million": 10**6, "mln": 10**6, "billion": 10**9, "bn": 10**9, "亿": 10**8, "万": 10**4}


def numbers(text: str) -> list[Decimal]:
    """The numbers ``text`` states, in order of size: months by number (``June`` and ``6月``
    are 6), without thousands separators, with their scale (``$257.2 million`` and
    ``2.572亿美元`` are one number), unsigned (``-3%`` may read ``下降3%``)."""
    text = _HALF.sub("", _MONTH.sub(lambda m: str(MONTHS[m[1]]), text))
    text = _THOUSANDS.sub("", text)
    found = [
        (Decimal(m[1]) * SCALES.get(m[2] or "", 1)).normalize() for m in _NUMBER.finditer(text)
    ]
    return sorted(found)


def test_the_numbers_of_a_text_allow_each_language_s_way_of_writing_them() -> None:
    english = "353 t / (1-0.52) = ~735 t (June 2025 US volume down 52% YoY, SCMP)"
    chinese = "353 吨 / (1-0.52) = 约735 吨（2025年6月对美出口同比下降52%，南华早报）"
    assert numbers(english) == numbers(chinese)
    assert numbers("5,278 t x $48,729/t = ~$257.2 million") == numbers(
        "5,278 吨 x 48,729 美元/吨 = 约2.572亿美元"
    )
    assert numbers("22319 (H1) - 6357") == numbers("22319（上半年）- 6357")
    assert numbers("Jan-Oct 2024") == numbers("2024年1–10月")
    # a number dropped, changed or added is caught
    assert numbers(english) != numbers(chinese.replace("52%", "25%"))
    assert numbers(english) != numbers(chinese.replace("约735 吨", "约735.5 吨"))
    assert numbers(english) != numbers(chinese.replace("，南华早报", "，2025年南华早报"))
    assert numbers("58,152 t") != numbers("5,815 吨")


# -- the file covers the data, exactly and number for number --------------------------------


def test_every_derivation_and_note_part_in_the_data_has_chinese_text() -> None:
    missing = sorted(t for t in DERIVATIONS | NOTE_PARTS if TRANSLATIONS.of(t) is None)
    assert not missing, f"no Chinese text in {translations_file(DATA_DIR)}: {missing}"
    assert len(DERIVATIONS) > 50 and len(NOTE_PARTS) > 150  # the data is the data


@pytest.mark.parametrize(
    ("english", "chinese"), sorted(TRANSLATIONS.chinese.items()), ids=lambda text: text[:40]
)
def test_a_chinese_text_keeps_every_number_of_the_english(english: str, chinese: str) -> None:
    assert numbers(chinese) == numbers(english)


def test_a_chinese_text_is_chinese_or_a_name_kept_as_it_is() -> None:
    """A source's name (``rohstoff.net``, ``Tradium``) is kept; anything else is Chinese."""
    latin = {e: c for e, c in TRANSLATIONS.chinese.items() if not re.search(r"[\u4e00-\u9fff]", c)}
    assert all(english == chinese for english, chinese in latin.items()), latin
    assert all(re.fullmatch(r"[\w./]+", english) for english in latin), latin


def test_no_chinese_text_is_left_over_from_a_note_no_longer_in_the_data() -> None:
    unused = sorted(set(TRANSLATIONS.chinese) - DERIVATIONS - NOTE_PARTS)
    assert not unused, f"remove from {translations_file(DATA_DIR)}: {unused}"


def test_nothing_in_the_file_is_a_text_written_as_it_is() -> None:
    """Arithmetic alone and a part that only quotes a source need no entry."""
    assert not [english for english in TRANSLATIONS.chinese if written_as_is(english)]
    assert TRANSLATIONS.of("304 / 1.409") == "304 / 1.409"
    assert TRANSLATIONS.of("29389 x (1 - 0.60)") == "29389 x (1 - 0.60)"
    assert TRANSLATIONS.of('"down 52% YoY"') == '"down 52% YoY"'
    assert TRANSLATIONS.of('"353 tons (↑660% vs May)", "jumping from 46 tons in May"')
    assert TRANSLATIONS.of("Reuters; -8.2% y/y") is None  # a note is looked up part by part


# -- the texts in the reader's language ------------------------------------------------------


def test_a_note_is_said_part_by_part_and_joined_as_chinese_joins_clauses() -> None:
    note = '"down 52% YoY"; quoted in the derivation of the June 2024 US figure'
    assert note_in(note, TRANSLATIONS, "zh") == '"down 52% YoY"；用于推算2024年6月对美出口数字'
    assert note_in(note, TRANSLATIONS, "en") == note
    assert note_in("Reuters; +49% y/y", TRANSLATIONS, "zh") == "路透社；同比+49%"
    unknown = "Reuters; a part nobody translated"
    assert note_in(unknown, TRANSLATIONS, "zh") == "路透社；a part nobody translated"
    assert note_in(unknown, NO_TRANSLATIONS, "zh") == "Reuters；a part nobody translated"


def test_a_derivation_is_said_whole() -> None:
    derivation = "353 t / (1-0.52) = ~735 t (June 2025 US volume down 52% YoY, SCMP)"
    expected = "353 吨 / (1-0.52) = 约735 吨（2025年6月对美出口同比下降52%，南华早报）"
    assert derivation_in(derivation, TRANSLATIONS, "zh") == expected
    assert derivation_in(derivation, TRANSLATIONS, "en") == derivation
    assert derivation_in("an untranslated derivation", TRANSLATIONS, "zh") == (
        "an untranslated derivation"
    )


@pytest.mark.parametrize(
    ("note", "english", "chinese"),
    [
        (
            "APT only (GACC via Fastmarkets)",
            "APT only (GACC via Fastmarkets)",
            "仅仲钨酸铵（海关总署数据，经 Fastmarkets）",
        ),
        (
            "wrought gallium only (Reuters); re-sourced: figure confirmed on this page",
            "wrought gallium only (Reuters)",
            "仅锻轧镓（路透社）",
        ),
        (
            'lower bound; source says "200+"',
            'lower bound; source says "200+"',
            "下限值；来源称“200+”",
        ),
        ("approx.; cross-check Oct 15,570 x 0.47 = 7,318", "approx.", "近似值"),
        ("Reuters; total rare earths, NOT magnets; rawmaterials.net misprints 4,345.5", "", ""),
    ],
)
def test_the_parts_of_a_note_that_qualify_a_figure_are_chosen_in_english_and_said_in_chinese(
    note: str, english: str, chinese: str
) -> None:
    assert figure_note(note) == english
    assert figure_note(note, TRANSLATIONS, "en") == english
    assert figure_note(note, TRANSLATIONS, "zh") == chinese


def test_the_notes_an_importer_writes_are_catalog_messages() -> None:
    assert parts_in(["net weight estimated by UN Comtrade"], language="zh") == (
        "净重为联合国商品贸易统计数据库的估计值"
    )
    assert parts_in(["sum of rows by 贸易方式名称, 注册地名称"], language="zh") == (
        "按贸易方式名称、注册地名称分列的各行之和"
    )
    assert parts_in(["sum of rows by 贸易方式名称"], language="en") == "sum of rows by 贸易方式名称"


# -- the answers ----------------------------------------------------------------------------


def _lookup(snapshot: Snapshot, series: str = "85051110") -> Lookup:
    return Lookup(snapshot, lambda: TODAY, series)


def _plain(messages: list[str]) -> str:
    return "\n".join(to_plain(m) for m in messages)


def test_the_snapshot_carries_the_data_s_chinese_texts_to_its_answers(snapshot: Snapshot) -> None:
    assert snapshot.translations == TRANSLATIONS
    assert snapshot.translations.digest
    answer = _lookup(snapshot).exports("US 2025-06")
    assert isinstance(answer, MonthAnswer)
    assert answer.translations is snapshot.translations


def test_chinese_sources_show_the_chinese_derivation_and_notes(snapshot: Snapshot) -> None:
    text = _plain(sources(_lookup(snapshot).exports("US 2025-06"), language="zh"))
    assert "推算值：353 吨 / (1-0.52) = 约735 吨（2025年6月对美出口同比下降52%，南华早报）" in text
    assert '备注："down 52% YoY"；用于推算2024年6月对美出口数字' in text
    assert "备注：路透社，经 SBS Biz" in text
    assert "Reuters via SBS Biz" not in text
    assert "quoted in the derivation" not in text


def test_english_sources_show_the_notes_and_derivations_as_written(snapshot: Snapshot) -> None:
    text = _plain(sources(_lookup(snapshot).exports("US 2025-06")))
    assert (
        "June 2024: ≈735 t — derived: 353 t / (1-0.52) = ~735 t (June 2025 US volume down 52% "
        "YoY, SCMP)"
    ) in text.splitlines()
    assert 'Note: "down 52% YoY"; quoted in the derivation of the June 2024 US figure' in text
    assert "Note: Reuters via SBS Biz" in text


@pytest.mark.parametrize(
    ("series", "question"),
    [
        ("85051110", "US 2025-06"),
        ("85051110", "WORLD 2025-09"),
        ("85051110", "JP 2025-07"),
        ("85051110", "TH 2025-06"),
        ("85051110", "WORLD 2024-12"),
        ("gallium", "2024-08"),
        ("gallium", "2025-11"),
        ("germanium", "2025"),
        ("rare_earths", "2025-10"),
        ("tungsten", "2025-YTD11"),
        ("graphite", "2024-YTD02"),
    ],
)
def test_english_answers_are_the_same_with_or_without_the_chinese_texts(
    snapshot: Snapshot, series: str, question: str
) -> None:
    answer = _lookup(snapshot, series).exports(question)
    assert isinstance(answer, MonthAnswer | SpanAnswer)
    bare = replace(answer, translations=NO_TRANSLATIONS)
    assert sources(answer) == sources(bare)
    assert exports(answer) == exports(bare)
    assert sources(answer, language="zh") != sources(bare, language="zh")


def test_the_note_on_a_figure_in_exports(snapshot: Snapshot) -> None:
    answer = _lookup(snapshot, "tungsten").exports("2025-YTD11")
    chinese = "\n".join(to_plain(m) for m in exports(answer, "zh"))
    english = "\n".join(to_plain(m) for m in exports(answer, "en"))
    assert "关于此数字的说明：仅仲钨酸铵（海关总署数据，经 Fastmarkets）" in chinese
    assert "Note on this figure: APT only (GACC via Fastmarkets)" in english


# -- the file is data: loaded with it, checked, part of its version ----------------------------


def _data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("imports", ".*"))
    return folder


def test_a_folder_without_its_own_texts_uses_the_project_s(tmp_path: Path) -> None:
    folder = _data_copy(tmp_path)
    shutil.rmtree(folder / "translations")
    assert load_translations(folder) == TRANSLATIONS
    assert load_translations(folder).chinese == TRANSLATIONS.chinese


def test_a_changed_text_is_a_new_data_version(tmp_path: Path) -> None:
    folder = _data_copy(tmp_path)
    before = folder_version(folder)
    path = folder / "translations" / "zh.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Added,新增\n", encoding="utf-8")
    assert folder_version(folder) != before
    assert load_translations(folder).of("Added") == "新增"


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ("english,chinese\nReuters,路透社\nReuters,路透\n", "zh.csv, line 3: 'Reuters' has a"),
        ("english,chinese\nReuters,\n", "zh.csv, line 2: chinese is empty"),
        ("english,chinese\n,路透社\n", "zh.csv, line 2: english is empty"),
        ("english\nReuters\n", "zh.csv, line 1: missing column(s): chinese"),
        ("english,chinese\nReuters,路透社\nReuters,路透社\n", "zh.csv, line 3: exact duplicate"),
    ],
)
def test_a_bad_file_is_refused_with_its_line(tmp_path: Path, rows: str, problem: str) -> None:
    (tmp_path / "translations").mkdir()
    (tmp_path / "translations" / "zh.csv").write_text(rows, encoding="utf-8")
    with pytest.raises(DataFileError, match=re.escape(problem)):
        load_translations(tmp_path)


def test_no_file_no_texts(tmp_path: Path) -> None:
    (tmp_path / "translations").mkdir()
    assert load_translations(tmp_path) == Translations()
    assert load_translations(tmp_path).of("Reuters") is None
