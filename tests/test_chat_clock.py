"""A chat's time zone and delivery hours: reading them as typed, the next opening, and the
outbox holding a release published at night until the chat's hours open, across a restart,
sent exactly once; ``/status`` saying when it comes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.config import Settings
from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES
from bot.datastore import DataStore
from bot.offline import ApiCall
from bot.push import schema
from bot.push.releases import welcome_messages
from bot.push.schema import SCHEMA_VERSION, NewMessage, schema_version
from bot.push.storage import Store
from bot.reading.chat_time import ALWAYS, DeliveryHours, Zone, parse_hours, parse_zone
from bot.records import PENDING, SENT, Stats
from bot.render.settings import zone_label
from bot.render.subscriptions import stats as stats_text
from bot.services import Services
from tests.conftest import DATA_DIR, TODAY

SHANGHAI = Zone("Asia/Shanghai")
EIGHT_TO_EIGHT = DeliveryHours(8 * 60, 20 * 60)
ME = 1001


# -- reading what is typed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Tokyo", "Asia/Tokyo"),
        ("东京", "Asia/Tokyo"),
        ("香港", "Asia/Hong_Kong"),
        ("Hong Kong", "Asia/Hong_Kong"),
        ("臺北", "Asia/Taipei"),  # traditional characters read too
        ("asia/shanghai", "Asia/Shanghai"),
        ("北京时间", "Asia/Shanghai"),
        ("中国", "Asia/Shanghai"),
        ("London", "Europe/London"),  # the zone named after the city, not Europe/Belfast
        ("Germany", "Europe/Berlin"),  # a country with one offset
        ("日本", "Asia/Tokyo"),
        ("UTC+8", "UTC+08:00"),
        ("GMT-5", "UTC-05:00"),
        ("+5:30", "UTC+05:30"),
        ("utc", "UTC"),
        ("东八区", "UTC+08:00"),
        ("西五区", "UTC-05:00"),
        ("UTC＋8", "UTC+08:00"),  # full-width
        ("美东时间", "America/New_York"),
        ("太平洋时间", "America/Los_Angeles"),
        ("HK", "Asia/Hong_Kong"),  # an ISO code
        ("UK", "Europe/London"),
        ("马来西亚", "Asia/Kuala_Lumpur"),  # tzdata's main zone of a one-offset country
    ],
)
def test_a_time_zone_is_read_by_city_name_country_or_offset(typed: str, zone: str) -> None:
    assert parse_zone(typed).zone == Zone(zone)


@pytest.mark.parametrize("typed", ["Atlantis", "UTC+15", "+5:20", "", "8-20", "EST", "CET"])
def test_a_word_that_names_no_zone_is_not_guessed(typed: str) -> None:
    reading = parse_zone(typed)
    assert reading.zone is None and not reading.candidates


def test_a_country_with_several_offsets_gives_its_cities_not_one_of_them() -> None:
    reading = parse_zone("United States")
    assert reading.zone is None
    names = {zone.name for zone in reading.candidates}
    assert {"America/Chicago", "America/Los_Angeles"} <= names
    assert parse_zone("美国").candidates == reading.candidates


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("8-20", EIGHT_TO_EIGHT),
        ("08:00–20:00", EIGHT_TO_EIGHT),
        ("8点到20点", EIGHT_TO_EIGHT),
        ("8 to 20", EIGHT_TO_EIGHT),
        ("9:30-17", DeliveryHours(570, 1020)),
        ("22:00-06:00", DeliveryHours(1320, 360)),  # across midnight
        ("0-24", ALWAYS),
        ("any", ALWAYS),
        ("全天", ALWAYS),
        ("不限时段", ALWAYS),
        ("早上8点到晚上8点", EIGHT_TO_EIGHT),
        ("上午9点至下午6点", DeliveryHours(540, 1080)),
        ("晚上10点到早上6点", DeliveryHours(1320, 360)),
        ("8am-8pm", EIGHT_TO_EIGHT),
        ("9－18", DeliveryHours(540, 1080)),  # full-width
    ],
)
def test_hours_are_read_as_from_to(typed: str, hours: DeliveryHours) -> None:
    assert parse_hours(typed) == hours


@pytest.mark.parametrize("typed", ["8-8", "25-3", "8:61-9", "morning", "8", "", "下午13点-18"])
def test_hours_not_understood_are_none(typed: str) -> None:
    assert parse_hours(typed) is None


# -- the next opening ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc", "opens"),
    [
        ("2026-06-20 03:00", "2026-06-20 03:00"),  # 11:00 in Shanghai: now
        ("2026-06-20 13:00", "2026-06-21 00:00"),  # 21:00 there: 08:00 the next day
        ("2026-06-19 23:30", "2026-06-20 00:00"),  # 07:30 there: 08:00 the same day
        ("2026-06-20 12:00", "2026-06-21 00:00"),  # 20:00 there: the end is not inside
    ],
)
def test_the_next_opening_is_on_the_chat_s_clock(utc: str, opens: str) -> None:
    now = datetime.fromisoformat(utc)
    assert EIGHT_TO_EIGHT.next_open(SHANGHAI, now) == datetime.fromisoformat(opens)


def test_hours_across_midnight_and_a_clock_change() -> None:
    night = DeliveryHours(22 * 60, 6 * 60)
    assert night.next_open(SHANGHAI, datetime(2026, 6, 20, 15)) == datetime(2026, 6, 20, 15)
    assert night.next_open(SHANGHAI, datetime(2026, 6, 20, 2)) == datetime(2026, 6, 20, 14)
    berlin = Zone("Europe/Berlin")  # summer time begins on 29 March 2026
    before = datetime(2026, 3, 28, 20)  # 21:00 in Berlin, winter time
    assert EIGHT_TO_EIGHT.next_open(berlin, before) == datetime(2026, 3, 29, 6)  # 08:00 CEST


# -- the outbox: held for the hours, across a restart, sent once -------------------------------


class Clock:
    """The push wing's clock (``utcnow``), set by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
        self.now = now
        real = schema.utcnow
        for name, module in list(sys.modules.items()):
            if name.startswith(("bot.", "handlers.")) and getattr(module, "utcnow", None) is real:
                monkeypatch.setattr(module, "utcnow", self)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    # 23:00 in Shanghai on 20 June 2026: a release at night
    yield Clock(monkeypatch, datetime(2026, 6, 20, 15, 0))


def services_at(data: DataStore, url: str) -> Services:
    settings = Settings(data_dir=DATA_DIR, database_url=url)
    return Services(settings, data, lambda: TODAY, Store(url))


def summary_to(chat_id: int, month: str = "2026-04") -> NewMessage:
    return NewMessage(chat_id, 0, CUSTOMS_SERIES, month, "summary", f"summary {month}")


def sends(calls: list[ApiCall], chat_id: int) -> list[str]:
    return [
        str(c.params["text"])
        for c in calls
        if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id
    ]


async def test_a_release_at_night_waits_for_the_hours_survives_a_restart_and_is_sent_once(
    store: DataStore, tmp_path: Path, clock: Clock
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'clock.db'}"
    services = services_at(store, url)
    async with LocalChat(services) as chat:
        await chat.send("/settings timezone Shanghai")
        assert "only from 08:00–20:00" in replies(await chat.send("/settings hours 8-20"))[0]
        other = 2002  # a chat without hours: its copy goes at once
        await services.store.enqueue([summary_to(ME), summary_to(other)])
        calls = await chat.deliver()
        assert sends(calls, other) == ["summary 2026-04"]
        assert sends(calls, ME) == [], "23:00 in Shanghai: it waits"
        (held,) = await services.store.messages(chat_id=ME)
        assert held.status == PENDING
        assert await services.store.held_count() == 1
        assert await services.store.next_due() is None, "held: nothing is late"
        status = replies(await chat.send("/status"))[0]
        assert "⏰ Delivery hours: 08:00–20:00, Shanghai time, UTC+8 (/settings)." in status
        assert (
            "⏳ The April 2026 rare-earth magnets summary will come in this chat's delivery "
            "hours: 08:00 (UTC+8) on 21 June 2026, in about 9 h." in status
        )

    clock.now = datetime(2026, 6, 20, 23, 59)  # 07:59 there; the bot restarts
    services = services_at(store, url)
    async with LocalChat(services) as chat:
        assert sends(await chat.deliver(), ME) == []
        await services.store.enqueue([summary_to(ME)])  # queued again: still one message
        clock.now = datetime(2026, 6, 21, 0, 0)  # 08:00 there
        assert sends(await chat.deliver(), ME) == ["summary 2026-04"]
        assert sends(await chat.deliver(), ME) == []
        (sent,) = await services.store.messages(chat_id=ME)
        assert sent.status == SENT
        assert await services.store.held_count() == 0
        await services.store.enqueue([summary_to(ME)])  # after it was sent: nothing
        assert sends(await chat.deliver(), ME) == []


async def test_changing_the_hours_moves_what_waits(
    store: DataStore, tmp_path: Path, clock: Clock
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'move.db'}"
    services = services_at(store, url)
    async with LocalChat(services) as chat:
        await chat.send("/settings timezone UTC+8")
        await chat.send("/settings hours 8-20")
        await services.store.enqueue([summary_to(ME)])
        assert sends(await chat.deliver(), ME) == []
        calls = await chat.send("/settings hours 22-6")  # 23:00 there: open now
        reply, summary = sends(calls, ME)
        assert "1 message waiting for this chat now goes at the new time." in reply
        assert summary == "summary 2026-04", "sent as the new hours are set"


async def test_a_welcome_answers_the_subscribe_at_once_whatever_the_hours(
    store: DataStore, tmp_path: Path, clock: Clock
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'welcome.db'}"
    services = services_at(store, url)
    async with LocalChat(services) as chat:
        await chat.send("/settings timezone Shanghai")
        await chat.send("/settings hours 8-20")
        texts = replies(await chat.send("/subscribe"))
        assert texts[0].startswith("✅ Subscribed") and "March 2026" in texts[1]
        subscriber = await services.store.subscription(ME, 0)
        assert subscriber is not None
        assert await welcome_messages(services.store, services.lookup(), subscriber) == 0


async def test_a_group_moves_its_clock_when_it_becomes_a_supergroup(
    tmp_path: Path, clock: Clock
) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'move.db'}")
    await store.set_chat_zone(-5, SHANGHAI)
    await store.set_chat_hours(-5, EIGHT_TO_EIGHT)
    await store.enqueue([summary_to(-5)])
    await store.migrate_chat(-5, -1005)
    choices = await store.chat_choices(-1005)
    assert (choices.zone, choices.hours) == (SHANGHAI, EIGHT_TO_EIGHT)
    (moved,) = [m for m in await store.messages(chat_id=-1005)]
    assert moved.status == PENDING
    assert not await store.claim_due(10), "still waiting for 08:00 in Shanghai"
    clock.now += timedelta(hours=9)
    assert [m.chat_id for m in await store.claim_due(10)] == [-1005]
    await store.close()


async def test_a_schema_6_database_gains_the_clock_columns_in_place(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'six.db'}"
    store = await Store.open(url)
    await store.set_chat_language(5, "zh")
    async with store.engine.begin() as conn:  # chat_settings as schema 6 made it
        await conn.execute(text("DROP TABLE chat_settings"))
        await conn.execute(
            text("CREATE TABLE chat_settings (chat_id BIGINT PRIMARY KEY, language VARCHAR(8))")
        )
        await conn.execute(text("INSERT INTO chat_settings VALUES (5, 'zh')"))
        await conn.execute(text("UPDATE schema_version SET version = 6"))
    await store.close()
    for _ in range(2):  # the upgrade, then a start that has nothing to do
        store = await Store.open(url)
        assert await store.chat_language(5) == "zh", "the language is kept"
        await store.set_chat_hours(5, EIGHT_TO_EIGHT)
        assert (await store.chat_choices(5)).hours == EIGHT_TO_EIGHT
        async with store.engine.connect() as conn:
            assert await conn.scalar(select(schema_version.c.version)) == SCHEMA_VERSION >= 7
        await store.close()


def test_stats_says_how_many_wait_for_their_chats_hours() -> None:
    info = Stats({"active": 3}, {"pending": 2, "sent": 5}, [], held=2)
    assert "Of those waiting, 2 are held for their chats' delivery hours (/settings)." in (
        stats_text(info)
    )
    assert "held" not in stats_text(Stats({"active": 3}, {"pending": 2}, []))


@pytest.mark.parametrize(
    ("zone", "zh", "en"),
    [
        ("Asia/Shanghai", "北京时间 UTC+8", "Shanghai time, UTC+8"),  # China's one time
        ("Asia/Kolkata", "印度时间 UTC+5:30", "Kolkata time, UTC+5:30"),  # no Chinese city in CLDR
        ("Asia/Ho_Chi_Minh", "越南时间 UTC+7", "Ho Chi Minh time, UTC+7"),
        ("UTC+05:30", "UTC+5:30", "UTC+5:30"),
    ],
)
def test_a_zone_is_named_in_each_language(zone: str, zh: str, en: str) -> None:
    now = datetime(2026, 1, 15, 12)
    assert (zone_label(Zone(zone), "zh", now), zone_label(Zone(zone), "en", now)) == (zh, en)
