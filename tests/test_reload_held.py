"""A reload that would withdraw figures is held back: the bot keeps serving the previous data,
the release watcher neither announces nor pushes it, ``/reload`` shows it and
``/reload confirm`` applies it. Also: a bad file through ``/reload``, and a group mention
after characters whose lower case is longer. All through the real Application."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import LocalChat, replies
from bot.datastore import DataChanges
from bot.push.releases import check_releases
from bot.render.telegram_html import to_plain
from bot.scheduler import run_release_check
from bot.services import Services
from tests.conftest import DATA_DIR
from tests.test_data_trust import FakeClock, settled_copy, store_for, written

OPERATOR = 1001  # the console's default user
KEPT_LINES = 102  # a copy caught mid-write, cut at a line boundary
WITHDRAWN = 59  # figures the cut copy would withdraw, March 2026 among them
WITHDRAWN_SHORTER = 66  # the same, cut ten lines shorter
GROUP = {"chat_id": -100123, "chat_type": "supergroup"}


def cut_short(folder: Path, lines: int = KEPT_LINES) -> None:
    path = folder / "magnet_exports.csv"
    text = path.read_text(encoding="utf-8")
    written(path, "".join(text.splitlines(keepends=True)[:lines]))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return settled_copy(tmp_path)


@pytest.fixture
def operator(sqlite_services: Services, folder: Path) -> Services:
    settings = Settings(
        data_dir=folder,
        database_url=sqlite_services.settings.database_url,
        admin_user_ids=frozenset({OPERATOR}),
    )
    return replace(sqlite_services, settings=settings, data=store_for(folder, FakeClock()))


@pytest.mark.parametrize(
    ("lines", "withdrawn"), [(KEPT_LINES, WITHDRAWN), (KEPT_LINES - 10, WITHDRAWN_SHORTER)]
)
def test_the_counts_are_the_keys_only_the_lines_cut_off_had(lines: int, withdrawn: int) -> None:
    rows = list(csv.DictReader((DATA_DIR / "magnet_exports.csv").open(encoding="utf-8")))
    keys = [(r["period"], r["partner"], r["metric"]) for r in rows]
    kept = lines - 1  # the header is the first line
    assert len(set(keys[kept:]) - set(keys[:kept])) == withdrawn


def test_a_cut_copy_is_held_back_and_the_previous_data_kept(folder: Path) -> None:
    store = store_for(folder, FakeClock())
    before = store.current
    cut_short(folder)
    changes = store.reload_and_compare()
    assert isinstance(changes, DataChanges) and changes.held
    assert changes.withdrawn == WITHDRAWN
    assert store.current is before and store.pending is not None
    assert store.reload() is None and store.current is before  # held again, not applied


async def test_the_release_watcher_neither_announces_nor_pushes_a_held_reload(
    operator: Services, folder: Path
) -> None:
    async with LocalChat(operator) as chat:
        await chat.send("/subscribe")  # gets March 2026
        assert (await check_releases(operator.store, operator.lookup())).baseline
        before = operator.data.current
        cut_short(folder)
        report = await run_release_check(operator)
        assert report is not None and report.queued == 0
        assert not (report.announced or report.revised or report.backfilled)
        assert operator.data.current is before
        sent = await operator.store.messages(chat_id=OPERATOR)
        assert not [m for m in sent if m.kind.startswith("revision")]
        answer = replies(await chat.send("/exports US 2026-03"))[0]
        assert "406 t" in answer  # still served


async def test_reload_shows_a_held_reload_and_confirm_applies_it(
    operator: Services, folder: Path
) -> None:
    async with LocalChat(operator) as chat:
        before = operator.data.current.version
        cut_short(folder)
        held = to_plain(replies(await chat.send("/reload"))[0])
        assert "Reload held back" in held and f"withdraw {WITHDRAWN} figures" in held
        assert f"Still serving version {before}" in held and "/reload confirm" in held
        assert operator.data.current.version == before
        applied = to_plain(replies(await chat.send("/reload confirm"))[0])
        assert "Data reloaded" in applied and f"{WITHDRAWN} withdrawn" in applied
        assert operator.data.current.version != before and operator.data.pending is None
        assert "unchanged" in replies(await chat.send("/reload"))[0]


async def test_confirm_applies_only_the_data_the_operator_was_shown(
    operator: Services, folder: Path
) -> None:
    async with LocalChat(operator) as chat:
        before = operator.data.current.version
        cut_short(folder)
        assert "Reload held back" in replies(await chat.send("/reload"))[0]
        cut_short(folder, lines=KEPT_LINES - 10)  # the file changed again since
        again = to_plain(replies(await chat.send("/reload confirm"))[0])
        assert "Reload held back" in again and f"withdraw {WITHDRAWN_SHORTER} figures" in again
        assert operator.data.current.version == before
        assert "Data reloaded" in replies(await chat.send("/reload confirm"))[0]


def test_a_confirmation_reaches_the_other_processes(folder: Path) -> None:
    first, second = store_for(folder, FakeClock()), store_for(folder, FakeClock())
    cut_short(folder)
    assert first.reload() is None and second.reload() is None
    assert first.pending is not None and second.pending is not None
    applied = first.reload_and_compare(confirm=True)
    assert isinstance(applied, DataChanges) and not applied.held
    assert second.reload() is None
    assert second.current.version == first.current.version and second.pending is None


async def test_reload_reports_a_fifo_as_one_problem(operator: Services, folder: Path) -> None:
    import os

    async with LocalChat(operator) as chat:
        os.mkfifo(folder / "more.csv")
        report = replies(await chat.send("/reload"))[0]
        assert "Reload rejected" in report and "more.csv: not a regular file" in report
        assert "Still serving the previous data" in report


async def test_a_mention_after_characters_whose_lower_case_is_longer(chat: LocalChat) -> None:
    """Lower-cased, "İ" is two characters: the mention was cut four characters off."""
    answer = to_plain(replies(await chat.send("İİİİ @ExportWatchBot germany 2025-06", **GROUP))[0])
    assert "I did not understand “İİİİ”" in answer  # exactly the words around the mention
    assert "What I could read: Germany · June 2025" in answer
    plain = replies(await chat.send("@exportwatchbot germany 2025-06", **GROUP))
    assert len(plain) == 1 and "Germany, June 2025" in to_plain(plain[0])
    assert replies(await chat.send("@ExportWatchBotter germany 2025-06", **GROUP)) == []


async def test_an_operator_who_chose_chinese_is_answered_in_chinese(
    operator: Services, folder: Path
) -> None:
    """/lang zh in the operator's chat: /reload, /stats and the refusal are in Chinese."""
    async with LocalChat(operator) as chat:
        await chat.send("/lang zh")
        before = operator.data.current.version
        cut_short(folder)
        held = to_plain(replies(await chat.send("/reload"))[0])
        assert held.startswith("⏸ 重新加载已暂缓：数据文件夹的版本 ")
        assert f"仍在使用版本 {before}；不发布、不发送任何内容。" in held
        assert f"会撤回 {WITHDRAWN} 个数字" in held and "/reload confirm" in held
        applied = to_plain(replies(await chat.send("/reload confirm"))[0])
        assert applied.startswith("🔄 数据已重新加载：版本 ") and f"撤回 {WITHDRAWN} 个" in applied
        stats = to_plain(replies(await chat.send("/stats"))[0])
        assert stats.startswith("📊 推送\n订阅：") and "发件箱：" in stats
        other = {"id": 4242, "is_bot": False, "first_name": "不是运营者", "language_code": "zh"}
        refused = replies(await chat.send("/stats", chat_id=4242, user=other))
        assert refused == ["🔒 该命令仅供机器人运营者在私聊中使用。"]
