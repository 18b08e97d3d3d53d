"""Alerts firing and watchlists sending (issue 16): releases and revisions replayed against
alerts in several chats (English and Chinese) through the real Application, checking exactly
which messages go out: once per alert and month across a restart, none for a paused chat, a
"revised" alert when a revision makes a month cross a line (and when it no longer does), a
watchlist's lines once, and a chat's delivery hours holding them. On SQLite, and on
PostgreSQL too when TEST_POSTGRES_URL is set."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.alerts import AlertRule, read_alert
from bot.alerts.rules import Comparison, Metric
from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES as MAGNETS
from bot.push.alert_push import WATCH, affected_months, preview_alerts
from bot.push.releases import check_releases, watched_series
from bot.push.storage import Store
from bot.reading.periods import Period
from bot.records import PAUSED, PENDING, SENT, Alert
from bot.render.admin import alerts_preview
from bot.services import Services
from tests.conftest import DATA_DIR
from tests.test_chat_clock import Clock, clock, services_at
from tests.test_materials_push import ALONE, MINERALS_FILE, TOGETHER, own_data, write_data

EN, ZH, GONE, NIGHT = 3001, 3002, 3003, 3004
__all__ = ["clock"]  # the push wing's clock, a fixture


def rule(text: str, services: Services) -> AlertRule:
    found = read_alert(text, services.data.current.catalog)
    assert isinstance(found, AlertRule), text
    return found


async def alert(services: Services, chat_id: int, text: str) -> Alert:
    _, saved = await services.store.add_alert(chat_id, 0, rule(text, services), chat_id)
    assert saved is not None
    return saved


async def sent(store: Store, chat_id: int) -> list[tuple[str, str, str]]:
    """(dataset, month, kind) of every message of a chat, in order."""
    return [(m.dataset, m.month, m.kind) for m in await store.messages(chat_id=chat_id)]


async def check(services: Services) -> int:
    report = await check_releases(services.store, services.lookup(), services.lookup)
    return report.queued


def revise_gallium(folder: Path, before: str, after: str) -> None:
    csv = folder / MINERALS_FILE
    old, new = f"gallium,2025-12,WORLD,kg,{before},", f"gallium,2025-12,WORLD,kg,{after},"
    text = csv.read_text(encoding="utf-8")
    assert old in text
    csv.write_text(text.replace(old, new), encoding="utf-8")


async def test_alerts_fire_once_across_a_restart_revisions_cross_and_watchlists_send(
    services: Services, tmp_path: Path, clock: Clock
) -> None:
    folder = own_data(services, tmp_path, TOGETHER | ALONE)
    url = services.settings.database_url
    data = services.data
    async with LocalChat(services) as chat:
        store = services.store
        await chat.send("/lang zh", chat_id=ZH)
        await chat.send("/settings timezone Shanghai", chat_id=NIGHT)
        await chat.send("/settings hours 8-20", chat_id=NIGHT)  # 23:00 there: closed
        over = await alert(services, EN, "gallium WORLD above 10000 kg")  # fires
        line = await alert(services, EN, "gallium WORLD above 10850 kg")  # crossed by a revision
        us = await alert(services, EN, "US below 1000 t")  # magnets, March 2026
        zh = await alert(services, ZH, "镓 总计 高于 10000 千克")
        await alert(services, ZH, "gallium WORLD yoy < -50%")  # quiet: +68.4%
        await alert(services, GONE, "gallium WORLD above 10000 kg")
        night = await alert(services, NIGHT, "gallium WORLD above 10000 kg")
        await store.subscribe(GONE, 0, "private", GONE)
        await store.set_status(GONE, PAUSED, "blocked")  # the bot was blocked: paused
        await store.set_watchlist(EN, 0, "gallium", ["DE", "JP"])
        await store.set_watchlist(ZH, 0, MAGNETS, ["US", "DE"])
        await store.set_watchlist(GONE, 0, "gallium", ["DE"])
        assert await check(services) == 0, "the first check records what is there"

        # Gallium (with rare earths and dysprosium) is released.
        write_data(folder, ALONE)
        assert data.reload() is None
        assert await check(services) == 4
        await chat.deliver()
        gallium = "gallium", "2025-12"
        assert await sent(store, EN) == [(*gallium, f"alert:{over.id}"), (*gallium, WATCH)]
        assert await sent(store, ZH) == [(*gallium, f"alert:{zh.id}")]
        assert await sent(store, GONE) == [], "a paused chat: no alert, no watchlist"
        assert await sent(store, NIGHT) == [(*gallium, f"alert:{night.id}")]
        texts = {m.chat_id: m.text for m in await store.messages() if m.kind.startswith("alert")}
        assert texts[EN].startswith(
            "🔔 <b>China&#x27;s total (gallium), December 2025</b>: <b>10,809 kg</b>¹"
        )
        assert "above your line of 10,000 kg" in texts[EN]
        assert texts[ZH].startswith("🔔 <b>") and "镓" in texts[ZH] and "10,809 千克" in texts[ZH]
        (watch,) = [m for m in await store.messages(chat_id=EN) if m.kind == WATCH]
        assert watch.text.startswith("👀 Your watchlist: gallium, December 2025 is out")
        assert "Germany" in watch.text and "Japan" in watch.text and watch.status == SENT
        (held,) = await store.messages(chat_id=NIGHT)
        assert held.status == PENDING, "held for the chat's delivery hours"
        assert await check(services) == 0, "nothing twice"

    # A restart: a new Store and Application on the same database.
    services = services_at(data, url)
    async with LocalChat(services) as chat:
        store = services.store
        assert await check(services) == 0, "nothing twice after a restart"
        await chat.deliver()
        write_data(folder, {})  # magnets' March 2026 alone
        assert data.reload() is None
        assert await check(services) == 2
        await chat.deliver()
        march = MAGNETS, "2026-03"
        assert (await sent(store, EN))[2:] == [(*march, f"alert:{us.id}")]
        assert (await sent(store, ZH))[1:] == [(*march, WATCH)]
        (zh_watch,) = [m for m in await store.messages(chat_id=ZH) if m.kind == WATCH]
        assert zh_watch.text.startswith("👀") and "美国" in zh_watch.text

        # A revision makes December cross the line of 10,850 kg: a "revised" alert, once.
        revise_gallium(folder, "10809", "10900")
        assert data.reload() is None
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.revised == ["2025-12"] and report.alerts == 1
        await chat.deliver()
        (now,) = [m for m in await store.messages(chat_id=EN) if ":revised:" in m.kind]
        assert now.kind.startswith(f"alert:{line.id}:revised:now:") and now.status == SENT
        assert now.text.startswith(
            "✏️ <b>Revised</b>: <b>China&#x27;s total (gallium), December 2025</b>"
        )
        assert "10,900 kg" in now.text and "before the revision: <b>10,809 kg</b>" in now.text
        assert "it now crosses your line" in now.text
        assert await check(services) == 0

        # Revised back: it no longer crosses (told, since it crossed); the others fire still.
        revise_gallium(folder, "10900", "10809")
        assert data.reload() is None
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.alerts == 1
        revised = [m for m in await store.messages() if ":revised:" in m.kind]
        assert [m.kind.split(":")[3] for m in revised] == ["now", "no_longer"]
        assert {m.chat_id for m in revised} == {EN}

        # The night is over in Shanghai: the held alert goes, once.
        clock.now = datetime(2026, 6, 21, 0, 0)
        calls = await chat.deliver()
        to_night = [c for c in calls if c.method == "sendMessage" and c.params["chat_id"] == NIGHT]
        assert len(to_night) == 1
        assert [m.status for m in await store.messages(chat_id=NIGHT)] == [SENT]
        assert [c for c in await chat.deliver() if c.params.get("chat_id") == NIGHT] == []


async def test_a_chat_that_never_heard_it_fire_hears_no_no_longer(
    services: Services, tmp_path: Path
) -> None:
    """An alert set after the month went out, quiet before a revision and quiet after,
    or firing only before: "no longer" goes only to a chat told it fires."""
    folder = own_data(services, tmp_path, {})
    async with LocalChat(services):
        assert await check(services) == 0
        late = await alert(services, EN, "gallium WORLD above 10850 kg")
        revise_gallium(folder, "10809", "10900")  # now crosses: told
        assert services.data.reload() is None
        assert await check(services) == 1
        also = await alert(services, ZH, "gallium WORLD above 10850 kg")  # set after
        revise_gallium(folder, "10900", "10809")
        assert services.data.reload() is None
        await check(services)
        kinds = [(m.chat_id, m.kind.split(":")[3]) for m in await services.store.messages()]
        assert kinds == [(EN, "now"), (EN, "no_longer")]
        assert late.id != also.id


async def test_preview_shows_what_the_latest_month_would_fire_and_what_it_cannot_check(
    services: Services,
) -> None:
    async with LocalChat(services) as chat:
        await alert(services, EN, "US below 1000 t")  # fires: 406 t in March 2026
        await alert(services, EN, "US mom < -25%")  # quiet: −9.5%
        await alert(services, ZH, "JP record")  # fewer than 12 earlier months
        series = [info.key for info in watched_series(services.data.current)]
        found = await preview_alerts(services.store, services.lookup, series)
        assert [type(o).__name__ for _, o in found] == ["Firing", "Unchecked"]
        (text,) = alerts_preview(found)
        assert "Alerts the latest month would fire</b>: 1" in text
        assert "chat 3001: " in text and "406 t" in text
        assert "Not checked</b>: 1" in text and "chat 3002: " in text and "not checked" in text
        assert "🔔 " in alerts_preview(found, "zh")[0]
        services.settings = type(services.settings)(
            data_dir=DATA_DIR,
            database_url=services.settings.database_url,
            admin_user_ids=frozenset({1001}),
        )
    async with LocalChat(services) as chat:
        shown = replies(await chat.send("/preview"))
        assert "China's rare-earth magnet exports, March 2026" in shown[0]
        assert "Alerts the latest month would fire</b>: 1" in shown[-1]


async def test_a_revised_month_rechecks_the_months_whose_change_it_is_the_base_of(
    services: Services, tmp_path: Path
) -> None:
    """October revised changes November's m/m: an alert on m/m hears that November now
    crosses its line (the revised month itself still crosses it: nothing new there)."""
    folder = own_data(services, tmp_path, {})
    async with LocalChat(services):
        assert await check(services) == 0
        watching = await alert(services, EN, "gallium WORLD mom > 0%")
        csv = folder / MINERALS_FILE
        text = csv.read_text(encoding="utf-8")
        old = "gallium,2025-10,WORLD,kg,15570,"
        assert old in text
        csv.write_text(text.replace(old, "gallium,2025-10,WORLD,kg,7000,"), encoding="utf-8")
        assert services.data.reload() is None
        await check(services)
        told = [
            (m.month, m.kind.split(":")[3])
            for m in await services.store.messages(chat_id=EN)
            if m.kind.startswith(f"alert:{watching.id}:")
        ]
        assert told == [("2025-11", "now")]


def test_the_months_a_revision_reaches() -> None:
    june, latest = Period.month(2024, 6), Period.month(2025, 8)

    def codes(metric: Metric, comparison: Comparison = Comparison.ABOVE) -> list[str]:
        return [p.code for p in affected_months(metric, comparison, june, latest)]

    assert codes(Metric.TONNES) == codes(Metric.SHARE) == codes(Metric.RANK) == ["2024-06"]
    assert codes(Metric.MOM) == ["2024-06", "2024-07"]
    assert codes(Metric.YOY) == ["2024-06", "2025-06"]
    assert codes(Metric.YTD) == [f"2024-{m:02d}" for m in range(6, 13)]
    assert codes(Metric.TONNES, Comparison.RECORD)[-1] == "2025-08"
    assert [p.code for p in affected_months(Metric.MOM, Comparison.BELOW, latest, latest)] == [
        "2025-08"
    ], "no month after the latest"


async def test_a_month_revised_back_and_forth_is_told_each_time(
    services: Services, tmp_path: Path
) -> None:
    """10,809 → 10,900 → 10,809 → 10,900 kg: the alert hears "now", "no longer", "now", and
    a subscriber each revision notice, the last one saying 10,900 kg."""
    folder = own_data(services, tmp_path, {})
    async with LocalChat(services) as chat:
        await chat.send("/subscribe gallium", chat_id=ZH)
        assert (await check_releases(services.store, services.lookup(), services.lookup)).baseline
        crossing = await alert(services, EN, "gallium WORLD above 10850 kg")
        for before, after in (("10809", "10900"), ("10900", "10809"), ("10809", "10900")):
            revise_gallium(folder, before, after)
            assert services.data.reload() is None
            await check(services)
        told = [
            m.kind.split(":")[3]
            for m in await services.store.messages(chat_id=EN)
            if m.kind.startswith(f"alert:{crossing.id}:revised:")
        ]
        assert told == ["now", "no_longer", "now"]
        notices = [
            m.text for m in await services.store.messages(chat_id=ZH) if "revision" in m.kind
        ]
        assert len(notices) == 3 and "10,900" in notices[-1].split("→")[-1]
