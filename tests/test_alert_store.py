"""Alerts and watchlists in the database (schema 8, issue 16): added, refused beyond 20 a chat,
listed, deleted only by their own chat, read by series for the firing, paused and resumed with
the chat, moved with a group that becomes a supergroup, and the upgrade of a schema-7 database
in place; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import inspect, select, text

from bot.alerts import AlertRule, Comparison, Metric
from bot.push.schema import SCHEMA_VERSION, alerts, schema_version
from bot.push.storage import Store
from bot.records import ACTIVE, MAX_ALERTS, PAUSED, Alert, Saved, Watchlist

M = "85051110"
GROUP, SUPERGROUP = -555, -100_777
DOWN = AlertRule(M, "US", Metric.MOM, Comparison.BELOW, -25)
SHARE = AlertRule(M, "DE", Metric.SHARE, Comparison.ABOVE, 30)
GALLIUM = AlertRule("gallium", "WORLD", Metric.YOY, Comparison.BELOW, -50)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(database_url)
    try:
        yield opened
    finally:
        await opened.close()


def rules_of(found: list[Alert]) -> list[AlertRule]:
    return [alert.rule for alert in found]


async def test_an_alert_is_added_listed_and_kept_once(store: Store) -> None:
    saved, alert = await store.add_alert(5, 0, DOWN, 5)
    assert saved is Saved.ADDED and alert is not None
    assert (alert.chat_id, alert.thread_id, alert.rule, alert.set_by, alert.paused) == (
        5,
        0,
        DOWN,
        5,
        False,
    )
    again, same = await store.add_alert(5, 0, DOWN, 6)
    assert again is Saved.ALREADY and same == alert, "the one there, as it was set"
    await store.add_alert(5, 0, SHARE, 5)
    await store.add_alert(5, 7, GALLIUM, 5)  # in a forum topic
    assert rules_of(await store.alerts_of(5)) == [DOWN, SHARE, GALLIUM]
    assert rules_of(await store.alerts_of(5, 0)) == [DOWN, SHARE]
    assert rules_of(await store.alerts_of(5, 7)) == [GALLIUM]
    assert await store.alerts_of(6) == []
    assert await store.count_alerts(5) == 3


async def test_the_same_rule_in_another_topic_or_chat_is_another_alert(store: Store) -> None:
    assert (await store.add_alert(5, 0, DOWN, 5))[0] is Saved.ADDED
    assert (await store.add_alert(5, 7, DOWN, 5))[0] is Saved.ADDED
    assert (await store.add_alert(6, 0, DOWN, 6))[0] is Saved.ADDED


async def test_a_chat_has_at_most_twenty_alerts_its_topics_together(store: Store) -> None:
    assert MAX_ALERTS == 20
    for i in range(MAX_ALERTS):
        rule = AlertRule(M, "US", Metric.TONNES, Comparison.BELOW, 100 + i)
        saved, _ = await store.add_alert(GROUP, i % 2, rule, 11)
        assert saved is Saved.ADDED
    one_more = AlertRule(M, "US", Metric.TONNES, Comparison.BELOW, 99)
    assert await store.add_alert(GROUP, 0, one_more, 11) == (Saved.FULL, None)
    assert await store.add_alert(GROUP, 5, one_more, 11) == (Saved.FULL, None)
    assert await store.count_alerts(GROUP) == MAX_ALERTS
    assert (await store.add_alert(GROUP - 1, 0, one_more, 11))[0] is Saved.ADDED, "per chat"
    first = (await store.alerts_of(GROUP))[0]
    assert await store.delete_alert(GROUP, first.id) == first
    assert (await store.add_alert(GROUP, 0, one_more, 11))[0] is Saved.ADDED, "room again"


async def test_an_alert_is_deleted_only_by_its_own_chat(store: Store) -> None:
    _, mine = await store.add_alert(5, 0, DOWN, 5)
    assert mine is not None
    assert await store.delete_alert(6, mine.id) is None, "another chat's alert is left alone"
    assert rules_of(await store.alerts_of(5)) == [DOWN]
    assert await store.delete_alert(5, mine.id) == mine
    assert await store.delete_alert(5, mine.id) is None, "gone already"
    assert await store.alerts_of(5) == []


async def test_the_firing_reads_every_active_alert_of_a_series(store: Store) -> None:
    await store.add_alert(6, 0, DOWN, 6)
    await store.add_alert(5, 3, SHARE, 5)
    await store.add_alert(5, 0, DOWN, 5)
    await store.add_alert(5, 0, GALLIUM, 5)
    await store.add_alert(7, 0, DOWN, 7)
    await store.set_status(7, PAUSED, "the bot was removed or blocked")
    found = await store.alerts_for_series(M)
    assert [(a.chat_id, a.thread_id, a.rule) for a in found] == [
        (5, 0, DOWN),
        (5, 3, SHARE),
        (6, 0, DOWN),
    ]
    assert rules_of(await store.alerts_for_series("gallium")) == [GALLIUM]
    assert [a.chat_id for a in await store.alerts_for_series(M, paused=True)] == [5, 5, 6, 7]
    assert await store.alerts_for_series("germanium") == []


async def test_a_row_whose_key_is_no_rule_is_left_out(store: Store) -> None:
    await store.add_alert(5, 0, DOWN, 5)
    async with store.engine.begin() as conn:
        await conn.execute(
            alerts.insert().values(
                chat_id=5,
                thread_id=0,
                key=f"{M}:US:Zzz",
                series=M,
                set_at=datetime(2026, 1, 1),
                paused=False,
            )
        )
    assert rules_of(await store.alerts_of(5)) == [DOWN]
    assert rules_of(await store.alerts_for_series(M)) == [DOWN]


# -- paused with the chat, resumed with it ---------------------------------------------------


async def test_alerts_pause_with_the_chat_and_resume_when_the_bot_is_back(store: Store) -> None:
    await store.subscribe(GROUP, 0, "supergroup", 11)
    await store.add_alert(GROUP, 0, DOWN, 11)
    await store.add_alert(GROUP, 4, SHARE, 11)  # a topic's alert, no subscription there
    await store.add_alert(6, 0, DOWN, 6)
    await store.set_status(GROUP, PAUSED, "the bot was removed or blocked")
    assert [a.paused for a in await store.alerts_of(GROUP)] == [True, True]
    assert [a.chat_id for a in await store.alerts_for_series(M)] == [6]
    await store.set_status(GROUP, ACTIVE, None)
    assert [a.paused for a in await store.alerts_of(GROUP)] == [False, False]
    assert [a.chat_id for a in await store.alerts_for_series(M)] == [GROUP, GROUP, 6]


async def test_a_topic_that_is_gone_pauses_only_its_alerts(store: Store) -> None:
    await store.add_alert(GROUP, 0, DOWN, 11)
    await store.add_alert(GROUP, 4, SHARE, 11)
    await store.set_status(GROUP, PAUSED, "thread not found", thread_id=4)
    assert [(a.thread_id, a.paused) for a in await store.alerts_of(GROUP)] == [
        (0, False),
        (4, True),
    ]


async def test_subscribing_again_resumes_the_alerts_paused_with_the_chat(store: Store) -> None:
    await store.subscribe(5, 0, "private", 5)
    await store.add_alert(5, 0, DOWN, 5)
    await store.set_status(5, PAUSED, "Forbidden: bot was blocked by the user")
    assert (await store.alerts_of(5))[0].paused
    assert await store.subscribe(5, 0, "private", 5)
    assert not (await store.alerts_of(5))[0].paused
    assert (await store.subscription(5, 0)) is not None


# -- watchlists ------------------------------------------------------------------------------


async def test_a_watchlist_is_set_replaced_read_and_cleared(store: Store) -> None:
    assert await store.watchlists_of(5, 0) == []
    await store.set_watchlist(5, 0, M, ["DE", "JP", "KR", "JP"])
    assert await store.watchlists_of(5, 0) == [Watchlist(5, 0, M, ("DE", "JP", "KR"))]
    await store.set_watchlist(5, 0, M, ["US", "DE"])  # replaced, in the order typed
    await store.set_watchlist(5, 0, "gallium", ["JP"])
    await store.set_watchlist(5, 9, M, ["IN"])
    assert await store.watchlists_of(5, 0) == [
        Watchlist(5, 0, M, ("US", "DE")),
        Watchlist(5, 0, "gallium", ("JP",)),
    ]
    assert await store.watchlists_for_series(M) == [
        Watchlist(5, 0, M, ("US", "DE")),
        Watchlist(5, 9, M, ("IN",)),
    ]
    await store.set_watchlist(5, 0, "gallium", [])
    assert [w.series for w in await store.watchlists_of(5, 0)] == [M]
    assert await store.clear_watchlists(5, 0) == 1
    assert await store.watchlists_of(5, 0) == []
    assert await store.watchlists_of(5, 9) == [Watchlist(5, 9, M, ("IN",))], "another topic's"
    assert await store.clear_watchlists(5, 0) == 0


# -- a group becomes a supergroup ------------------------------------------------------------


async def test_alerts_and_watchlists_move_with_a_group_that_becomes_a_supergroup(
    store: Store,
) -> None:
    await store.subscribe(GROUP, 0, "group", 11)
    await store.add_alert(GROUP, 0, DOWN, 11)
    await store.add_alert(GROUP, 0, SHARE, 12)
    await store.set_watchlist(GROUP, 0, M, ["DE", "JP"])
    await store.set_watchlist(GROUP, 0, "gallium", ["US"])
    await store.add_alert(SUPERGROUP, 0, SHARE, 13)  # set there since: it stays as it is
    await store.set_watchlist(SUPERGROUP, 0, "gallium", ["KR"])
    await store.migrate_chat(GROUP, SUPERGROUP)
    moved = await store.alerts_of(SUPERGROUP)
    assert sorted((a.rule.key(), a.set_by) for a in moved) == sorted(
        [(DOWN.key(), 11), (SHARE.key(), 13)]
    )
    assert await store.alerts_of(GROUP) == []
    assert await store.watchlists_of(SUPERGROUP, 0) == [
        Watchlist(SUPERGROUP, 0, M, ("DE", "JP")),
        Watchlist(SUPERGROUP, 0, "gallium", ("KR",)),
    ]
    assert await store.watchlists_of(GROUP, 0) == []
    await store.migrate_chat(GROUP, SUPERGROUP)  # the second service message: a no-op
    assert len(await store.alerts_of(SUPERGROUP)) == 2


# -- schema 8: the upgrade from 7, in place ----------------------------------------------------


async def test_a_schema_7_database_gains_the_tables_in_place(database_url: str) -> None:
    store = await Store.open(database_url)
    await store.subscribe(5, 0, "private", 5, ["gallium"])
    await store.set_chat_language(5, "zh")
    async with store.engine.begin() as conn:  # as schema 7 left it
        await conn.execute(text("DROP TABLE alerts"))
        await conn.execute(text("DROP TABLE watchlists"))
        await conn.execute(text("UPDATE schema_version SET version = 7"))
    await store.close()
    for _ in range(2):  # the upgrade, then a start that has nothing to do
        store = await Store.open(database_url)
        try:
            async with store.engine.connect() as conn:
                assert await conn.scalar(select(schema_version.c.version)) == SCHEMA_VERSION == 8
                names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            assert {"alerts", "watchlists"} <= names
            assert await store.series_of(5, 0) == ["gallium"], "the subscription is kept"
            assert await store.chat_language(5) == "zh"
            await store.add_alert(5, 0, GALLIUM, 5)
            assert rules_of(await store.alerts_of(5)) == [GALLIUM]
        finally:
            await store.close()
