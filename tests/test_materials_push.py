"""Subscriptions and the monthly push for every material (issue 14): releases of several series
replayed to several chats through the real Application (one digest when released together, the
series' summary when alone), revision notices that name their series and reach the chats a
digest covered, a crash in the middle that sends nothing twice, and the schema upgrade that
keeps every earlier subscriber on rare-earth magnets. On SQLite, and on PostgreSQL too when
TEST_POSTGRES_URL is set."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES as MAGNETS
from bot.datastore import DataStore
from bot.push.releases import SUMMARY, check_releases
from bot.push.schema import DIGEST
from bot.push.storage import Store
from bot.records import SENT
from bot.services import Services
from tests.conftest import DATA_DIR

MAGNET_FILE, MINERALS_FILE = "magnet_exports.csv", "critical_minerals.csv"
#: The months held back, then published (the latest of each in the data).
TOGETHER = {"rare_earths": "2025-12", "gallium": "2025-12", "dysprosium": "2025-12"}
ALONE = {MAGNETS: "2026-03"}
#: Private chats and what each subscribes to.
ONLY_MAGNETS, TWO, EVERYTHING, ONE, OTHERS = 2001, 2002, 2003, 2004, 2005
SUBSCRIBE = {
    ONLY_MAGNETS: "/subscribe",
    TWO: "/subscribe gallium dysprosium",
    EVERYTHING: "/subscribe all",
    ONE: "/subscribe 镓",
    OTHERS: "/subscribe terbium magnets",
}


def _held(series: str, period: str, cut: dict[str, str]) -> bool:
    """A row of a month held back, or of a span of that year (which would contain it);
    ``*`` holds back every month of the series."""
    month = cut.get(series)
    if month is None:
        return False
    is_month = re.fullmatch(r"\d{4}-\d{2}", period) is not None
    if month == "*":
        return is_month
    return period == month or (period[:4] == month[:4] and not is_month)


def write_data(folder: Path, cut: dict[str, str]) -> None:
    """The real data files in ``folder`` without the months in ``cut`` (series → month)."""
    magnets = (DATA_DIR / MAGNET_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [magnets[0]] + [
        line for line in magnets[1:] if not _held(MAGNETS, line.split(",", 1)[0], cut)
    ]
    (folder / MAGNET_FILE).write_text("".join(kept), encoding="utf-8")
    minerals = (DATA_DIR / MINERALS_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [minerals[0]]
    for line in minerals[1:]:
        series, period, _ = line.split(",", 2)
        if not _held(series, period, cut):
            kept.append(line)
    (folder / MINERALS_FILE).write_text("".join(kept), encoding="utf-8")


def own_data(services: Services, tmp_path: Path, cut: dict[str, str]) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    write_data(folder, cut)
    services.data = DataStore(folder)
    return folder


async def publish(services: Services, folder: Path, cut: dict[str, str]) -> None:
    """The months not in ``cut`` any more appear; then the watcher looks and the outbox is
    sent."""
    write_data(folder, cut)
    assert services.data.reload() is None
    await check_releases(services.store, services.lookup(), services.lookup)
    assert services.delivery is not None
    await services.delivery.drain()


async def news(store: Store, chat: int, since: int) -> list[tuple[str, str, str]]:
    """(dataset, month, kind) of what a chat was sent after outbox row ``since``."""
    return [
        (m.dataset, m.month, m.kind)
        for m in await store.messages(chat_id=chat)
        if m.id > since and m.status == SENT
    ]


async def last_row(store: Store) -> int:
    return max((m.id for m in await store.messages()), default=0)


async def test_released_together_one_digest_released_alone_the_series_summary(
    services: Services, tmp_path: Path
) -> None:
    folder = own_data(services, tmp_path, TOGETHER | ALONE)
    store = services.store
    async with LocalChat(services) as chat:
        for chat_id, command in SUBSCRIBE.items():
            await chat.send(
                command, chat_id=chat_id, user={"id": chat_id, "is_bot": False, "first_name": "U"}
            )
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        before = await last_row(store)

        await publish(services, folder, ALONE)  # three series on the same check
        assert await news(store, ONLY_MAGNETS, before) == []
        assert await news(store, OTHERS, before) == []
        (two,) = await news(store, TWO, before)
        (everything,) = await news(store, EVERYTHING, before)
        assert two[0] == everything[0] == DIGEST and two[2] != everything[2]
        assert await news(store, ONE, before) == [("gallium", "2025-12", SUMMARY)]
        text = (await store.messages(chat_id=EVERYTHING))[-1].text
        order = [text.index(f"<b>{name}") for name in ("Rare earths", "Gallium", "Dysprosium")]
        assert order == sorted(order), "the blocks in listing order"
        assert "<b>Gallium (镓), December 2025</b>" in text and "10,809 kg" in text
        assert "/summary gallium 2025-12" in text and "/summary rare-earths 2025-12" in text
        assert len(text) <= 4096
        two_text = (await store.messages(chat_id=TWO))[-1].text
        assert "Dysprosium" in two_text and "Rare earths" not in two_text

        status = "\n".join(replies(await chat.send("/status", chat_id=TWO)))
        assert status.count("Last summary received: December 2025") == 2, "the digest counts"
        again = await check_releases(store, services.lookup(), services.lookup)
        assert again.queued == 0, "nothing twice"

        before = await last_row(store)
        await publish(services, folder, {})  # magnets alone
        for chat_id in (ONLY_MAGNETS, EVERYTHING, OTHERS):
            assert await news(store, chat_id, before) == [(MAGNETS, "2026-03", SUMMARY)]
        for chat_id in (TWO, ONE):
            assert await news(store, chat_id, before) == []


async def test_a_revision_names_its_series_and_reaches_the_chats_a_digest_covered(
    services: Services, tmp_path: Path
) -> None:
    folder = own_data(services, tmp_path, TOGETHER)
    store = services.store
    async with LocalChat(services) as chat:
        for chat_id in (TWO, ONE, ONLY_MAGNETS):
            await chat.send(SUBSCRIBE[chat_id], chat_id=chat_id)
        await check_releases(store, services.lookup(), services.lookup)
        await publish(services, folder, {})
        csv = folder / MINERALS_FILE
        csv.write_text(
            csv.read_text().replace(
                "gallium,2025-12,WORLD,kg,10809,", "gallium,2025-12,WORLD,kg,10900,"
            )
        )
        assert services.data.reload() is None
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.released == [("gallium", "2025-12", "revised")] and report.queued == 2
        assert services.delivery is not None
        await services.delivery.drain()
        heads = {  # each in the language its /subscribe was answered in
            TWO: ("✏️ <b>Revised, gallium</b>", "10,809 kg → 10,900 kg", "gallium"),
            ONE: ("✏️ <b>已修订：镓</b>", "10,809 千克 → 10,900 千克", "镓"),
        }
        for chat_id, (head, change, word) in heads.items():
            (notice,) = [
                m for m in await store.messages(chat_id=chat_id) if m.kind.startswith("revision")
            ]
            assert notice.dataset == "gallium" and notice.status == SENT
            assert notice.text.startswith(head)
            assert change in notice.text and not re.search(r"\d t\b", notice.text)
            assert f"/sources {word} WORLD 2025-12" in notice.text
        assert not [m for m in await store.messages(chat_id=ONLY_MAGNETS) if "revision" in m.kind]


class Crash(RuntimeError):
    pass


async def test_a_crash_in_the_middle_sends_nothing_twice(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = own_data(services, tmp_path, TOGETHER)
    async with LocalChat(services) as chat:
        for chat_id in (TWO, EVERYTHING, ONE):
            await chat.send(SUBSCRIBE[chat_id], chat_id=chat_id)
        await check_releases(services.store, services.lookup(), services.lookup)
        before = await last_row(services.store)
    write_data(folder, {})
    assert services.data.reload() is None

    # The first run dies while recording the releases: nothing of it is kept.
    import bot.push.series_store as series_store

    async def dies(*_args: object) -> None:
        raise Crash

    store = await Store.open(services.settings.database_url)
    with monkeypatch.context() as patched:
        patched.setattr(series_store, "queue_messages", dies)
        with pytest.raises(Crash):
            await check_releases(store, services.lookup(), services.lookup)
    assert await last_row(store) == before and await store.release_state("gallium") != {}
    assert "2025-12" not in await store.release_state("gallium")

    # The second run records and queues; it dies after sending one message and claiming more.
    report = await check_releases(store, services.lookup(), services.lookup)
    assert report.queued == 3 and report.digests == 2
    claimed = await store.claim_due(2)
    await store.mark_sent(claimed[0].id, 1, token=0)
    await store.close()

    # A third process: nothing is queued again; what was claimed and not marked is sent once
    # (its outcome is unknown), the rest once.
    store = await Store.open(services.settings.database_url)
    try:
        assert (await check_releases(store, services.lookup(), services.lookup)).queued == 0
        services.store = store
        async with LocalChat(services) as chat:
            assert services.delivery is not None
            assert await store.release_claims() == 1  # as a process on its own does at start
            await services.delivery.drain()
            sent = [c.params for c in chat.request.calls if c.method == "sendMessage"]
        got = {int(p["chat_id"]) for p in sent}
        assert got == {TWO, EVERYTHING, ONE} - {claimed[0].chat_id}
        assert len(sent) == len(got), "one message per chat"
        chats = await store.chats_sent("dysprosium", "2025-12", SUMMARY)
        assert {c for c, _ in chats} == {TWO, EVERYTHING}, "a digest counts as the summary"
    finally:
        services.store = store


async def test_the_upgrade_keeps_every_earlier_subscriber_on_magnets(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.subscribe(5, 0, "private", 5)
    await store.subscribe(-100_7, 3, "supergroup", 9)
    async with store.engine.begin() as conn:  # as schema 4 left it
        await conn.execute(text("DROP TABLE subscription_series"))
        await conn.execute(text("DROP TABLE digest_parts"))
        await conn.execute(text("UPDATE schema_version SET version = 4"))
    await store.close()
    store = await Store.open(database_url)
    try:
        assert await store.series_of(5, 0) == [MAGNETS]
        assert await store.series_of(-100_7, 3) == [MAGNETS]
        assert [s.chat_id for s in (await store.subscribers_by_series())[MAGNETS]] == [5, -100_7]
        assert not await store.subscribe(5, 0, "private", 5), "still subscribed to magnets"
    finally:
        await store.close()


async def test_a_series_first_month_is_news_not_its_history(
    services: Services, tmp_path: Path
) -> None:
    folder = own_data(services, tmp_path, {"terbium": "*"})
    store = services.store
    async with LocalChat(services) as chat:
        await chat.send("/subscribe terbium", chat_id=ONE)
        assert await store.messages(chat_id=ONE) == [], "no month of terbium yet"
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.released == [] and report.queued == 0
        write_data(folder, {})
        assert services.data.reload() is None
        report = await check_releases(store, services.lookup(), services.lookup)
        announced = [(s, m) for s, m, what in report.released if what == "announced"]
        assert announced == [("terbium", "2025-12")] and report.queued == 1
        assert len(report.backfilled) > 1, "the earlier months are recorded, not pushed"
        assert services.delivery is not None
        await services.delivery.drain()
        assert [(m.dataset, m.month) for m in await store.messages(chat_id=ONE)] == [
            ("terbium", "2025-12")
        ]
