"""The editor's notes in Chinese: ``2025-06.zh.md`` beside ``2025-06.md``, read with it, checked
to translate it bullet for bullet, part of the data version (a changed Chinese note reloads like
an English one, and a restart does not take a snapshot kept from before it), and shown in the
Chinese summary; without one, the Chinese summary says so in Chinese."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.data.cache import SnapshotCache
from bot.data.dataset import CUSTOMS_SERIES, DataFileError
from bot.data.notes import load_note, load_notes, note_language
from bot.datastore import DataStore, folder_version
from bot.i18n import Language
from bot.lookup import Lookup
from bot.reading.periods import Period
from bot.render.summary import summary
from bot.render.telegram_html import to_plain
from bot.summaries import SummaryAnswer
from tests.conftest import DATA_DIR, TODAY

JUNE = Period.month(2025, 6)
ENGLISH = "## Why it matters\n- One.\n- Two.\n\n## What's next\n- Three.\n"
CHINESE = "# 编辑说明\n\n## 为何重要\n- 一。\n- 二。\n\n## 后续看点\n- 三。\n"


def test_the_june_note_has_its_chinese_text() -> None:
    notes = load_notes(DATA_DIR / "notes")
    note = notes[JUNE]
    assert note.zh is not None and note.zh.month == JUNE
    assert len(note.zh.why) == len(note.why) == 3 and len(note.zh.next) == len(note.next) == 3
    assert note.zh.why[0].startswith("永磁体用于电动汽车电机")
    assert note.written_in("en") is note and note.written_in("zh") is note.zh
    assert list(notes) == [JUNE]  # the Chinese file is the same month's note, not another


@pytest.mark.parametrize(
    ("name", "language"),
    [("2025-06.md", "en"), ("2025-06.zh.md", "zh"), ("2025-06.ZH.md", "en")],
)
def test_a_notes_language_is_in_its_name(name: str, language: str) -> None:
    assert note_language(Path(name)) == language


def test_a_chinese_note_may_use_the_english_headings(tmp_path: Path) -> None:
    (tmp_path / "2025-07.md").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "2025-07.zh.md").write_text(
        "## Why it matters\n- 一。\n- 二。\n## What’s next\n- 三。\n", encoding="utf-8"
    )
    note = load_notes(tmp_path)[Period.month(2025, 7)]
    assert note.zh is not None and note.zh.why == ("一。", "二。") and note.zh.next == ("三。",)


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        (
            {"2025-07.zh.md": CHINESE},
            "2025-07.zh.md: a Chinese note translates the English one, and 2025-07.md is not there",
        ),
        (
            {"2025-07.md": ENGLISH, "2025-07.zh.md": CHINESE.replace("- 二。\n", "")},
            "the Chinese note has 1 bullet\\(s\\) under 为何重要 and the English 2 under Why it",
        ),
        (
            {"2025-07.md": ENGLISH, "2025-07.zh.md": CHINESE + "- 四。\n"},
            "the Chinese note has 2 bullet\\(s\\) under 后续看点 and the English 1 under What's",
        ),
        (
            {"2025-07.md": ENGLISH, "2025-07.zh.md": "## 背景\n- 一。\n"},
            "line 1: unknown section '背景'",
        ),
        ({"2025-07.md": CHINESE}, "line 3: unknown section '为何重要'"),  # English file
        ({"2025-07.fr.md": ENGLISH}, "named YYYY-MM.md \\(its Chinese text YYYY-MM.zh.md\\)"),
        ({"2025-13.zh.md": CHINESE}, "2025-13"),
    ],
)
def test_a_bad_chinese_note_is_rejected_saying_why(
    tmp_path: Path, files: dict[str, str], problem: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        load_notes(tmp_path)


def test_one_chinese_file_reads_alone_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "2025-07.zh.md"
    path.write_text(CHINESE, encoding="utf-8")
    note = load_note(path)
    assert (note.month, note.why, note.next, note.zh) == (
        Period.month(2025, 7),
        ("一。", "二。"),
        ("三。",),
        None,
    )


# -- the data version -----------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def june_summary(store: DataStore, language: Language) -> str:
    answer = Lookup(store.current, lambda: TODAY).summary_for(JUNE)
    assert isinstance(answer, SummaryAnswer)
    return to_plain(summary(answer, language)[0])


def test_a_changed_chinese_note_is_a_new_data_version_and_reloads(folder: Path) -> None:
    store = DataStore(folder, settle_seconds=0)
    before = store.current.version
    english = june_summary(store, "en")
    note = folder / "notes" / "2025-06.zh.md"
    note.write_text(
        note.read_text(encoding="utf-8").replace("永磁体用于", "稀土永磁体用于"), encoding="utf-8"
    )
    assert folder_version(folder) != before
    assert store.reload() is None
    assert store.current.version != before
    zh = store.current.notes_of(CUSTOMS_SERIES)[JUNE].zh
    assert zh is not None and zh.why[0].startswith("稀土永磁体用于")
    assert "• 稀土永磁体用于电动汽车电机" in june_summary(store, "zh")
    assert june_summary(store, "en") == english  # the English summary is untouched

    note.unlink()  # the Chinese text withdrawn: the Chinese summary says there is none
    assert store.reload() is None
    assert "💡 本月编辑说明暂无中文版本。" in june_summary(store, "zh")
    assert june_summary(store, "en") == english


def test_a_bad_chinese_note_keeps_the_data_served(folder: Path) -> None:
    store = DataStore(folder, settle_seconds=0)
    served = store.current
    (folder / "notes" / "2025-06.zh.md").write_text("## 为何重要\n- 只有一条。\n", encoding="utf-8")
    error = store.reload()
    assert isinstance(error, DataFileError) and "translate each bullet" in str(error)
    assert store.current is served
    assert "• 永磁体用于电动汽车电机" in june_summary(store, "zh")


def test_a_restart_after_a_chinese_note_changed_does_not_take_the_kept_snapshot(
    folder: Path, tmp_path: Path
) -> None:
    cache = SnapshotCache(tmp_path / "cache")
    before = DataStore(folder, cache=cache).current
    assert before.notes_of(CUSTOMS_SERIES)[JUNE].zh is not None
    (folder / "notes" / "2025-06.zh.md").unlink()
    after = DataStore(folder, cache=cache).current
    assert after.version != before.version
    assert after.notes_of(CUSTOMS_SERIES)[JUNE].zh is None
