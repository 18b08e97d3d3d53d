"""What the new-user trial found in the push of several materials: a digest counts as each
material's summary in ``/status`` (also before the release watcher has seen the months, and
part by part when it is split), revision notices reach the chats it covered, the welcome digest
is no news and says when a material's latest month is old, ``/status`` claims nothing about the
sources, and ``/subscribe all`` in a group is the reply and one digest. On SQLite, and on
PostgreSQL too when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

import bot.render.digest as digest_render
from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES as MAGNETS
from bot.push import subscriptions as service
from bot.push.releases import SUMMARY, check_releases
from bot.push.schema import DIGEST, utcnow
from bot.push.subscriptions import read_series
from bot.records import DROPPED, SENT
from bot.render.format import MAX_MESSAGE, chinese_name, esc
from bot.render.telegram_html import html_problem
from bot.services import Services
from tests.conftest import TODAY
from tests.test_materials_push import MINERALS_FILE, own_data
from tests.test_outbox_plans import plan, recorded

GROUP, ADMIN = -100_4242, 77
WELCOME_HEADING = "📬 <b>The latest month of each material you subscribed to</b>"
NEWS_HEADING = "📰 <b>New months in the data</b>"
OLD = "⚠️ Nothing later is in the data, though"
#: Each material with monthly figures: its block's heading in a digest and its latest month.
LATEST = {
    MAGNETS: ("Rare-earth magnets (稀土永磁体)", "March 2026"),
    "rare_earths": ("Rare earths (稀土)", "December 2025"),
    "gallium": ("Gallium (镓)", "December 2025"),
    "germanium": ("Germanium (锗)", "October 2025"),
    "antimony": ("Antimony (锑)", "June 2025"),
    "graphite": ("Spherical graphite (球形石墨)", "February 2024"),
    "dysprosium": ("Dysprosium (镝)", "December 2025"),
    "terbium": ("Terbium (铽)", "December 2025"),
}


def user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


def status_blocks(texts: list[str]) -> dict[str, str]:
    """``/status``'s blocks by their first line."""
    return {b.split("\n")[0]: b for b in "\n\n".join(texts).split("\n\n")}


def status_title(key: str, services: Services) -> str:
    info = services.data.current.catalog[key]
    title = info.name[:1].upper() + info.name[1:]
    return f"<b>{esc(title)}</b>{esc(chinese_name(title, info.name_zh))}"


async def test_a_welcome_digest_counts_as_each_materials_summary(
    services: Services, tmp_path: Path
) -> None:
    """Before the release watcher has seen anything: /status, a second welcome and a revision
    all know the digest delivered gallium's and germanium's months."""
    folder = own_data(services, tmp_path, {})
    store = services.store
    async with LocalChat(services) as chat:
        texts = replies(await chat.send("/subscribe gallium germanium"))
        assert len(texts) == 2 and texts[1].startswith(WELCOME_HEADING)
        blocks = status_blocks(replies(await chat.send("/status")))
        for key, month in (("gallium", "December 2025"), ("germanium", "October 2025")):
            block = blocks[status_title(key, services)]
            assert f"Last summary received: {month}, sent" in block, block
            assert "No summary received yet" not in block
        got = await store.last_delivered(1001, 0, "gallium", SUMMARY)
        assert got is not None and got[0] == "2025-12"

        await chat.send("/unsubscribe")
        again = replies(await chat.send("/subscribe germanium gallium"))
        assert len(again) == 1, "the months it got already are not sent again"

        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        csv = folder / MINERALS_FILE
        csv.write_text(
            csv.read_text().replace(
                "gallium,2025-12,WORLD,kg,10809,", "gallium,2025-12,WORLD,kg,10900,"
            )
        )
        assert services.data.reload() is None
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.released == [("gallium", "2025-12", "revised")] and report.queued == 1
        assert services.delivery is not None
        await services.delivery.drain()
        (notice,) = [m for m in await store.messages(chat_id=1001) if "revision" in m.kind]
        assert notice.status == SENT and "10,809 kg → 10,900 kg" in notice.text


async def test_a_split_digest_counts_each_material_when_its_part_is_sent(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A digest over several messages: a material counts as received when the message with
    its block is sent, not before, and not if that message was dropped."""
    monkeypatch.setattr(digest_render, "LIMIT", 700)
    store, lookup = services.store, services.lookup()
    await store.migrate()
    try:
        keys = [*LATEST, "tungsten"]
        await store.subscribe(5, 0, "private", 5, keys)
        queued = await service.welcome(store, lookup, 5, 0, keys, services.lookup)
        assert queued > 2
        rows = [m for m in await store.messages(chat_id=5)]
        assert all(m.dataset == DIGEST and len(m.text) <= 700 for m in rows)
        assert all(html_problem(m.text) is None for m in rows)
        in_part = {
            key: next(i for i, m in enumerate(rows) if f"<b>{title}, {month}</b>" in m.text)
            for key, (title, month) in LATEST.items()
        }
        assert set(in_part.values()) == set(range(len(rows))), "every part has a block"
        dropped = len(rows) - 1
        for i, row in enumerate(rows):
            (claimed,) = await store.claim_due(1)
            assert claimed.id == row.id
            if i == dropped:
                await store.mark_done(row.id, DROPPED, "blocked", token=0)
            else:
                assert await store.mark_sent(row.id, 100 + i, token=0)
            got = await read_series(store, 5, 0)
            for key, part in in_part.items():
                assert (got[key] is not None) == (part <= i and part != dropped), (key, i)
        assert got["tungsten"] is None
        (gone,) = [k for k, part in in_part.items() if part == dropped]
        assert (5, 0) not in await store.chats_sent(gone, "2025-12", SUMMARY)
    finally:
        await store.close()


async def test_subscribe_all_in_a_group_is_the_reply_and_one_digest(services: Services) -> None:
    async with LocalChat(services) as chat:
        chat.request.member_status[ADMIN] = "administrator"
        calls = await chat.send(
            "/subscribe all", user=user(ADMIN), chat_id=GROUP, chat_type="supergroup"
        )
        sent = [c.params for c in calls if c.method == "sendMessage"]
        assert [int(p["chat_id"]) for p in sent] == [GROUP, GROUP]
        reply, welcome = (str(p["text"]) for p in sent)
        for text in (reply, welcome):
            assert html_problem(text) is None and len(text) <= MAX_MESSAGE
        assert reply.startswith("✅ Subscribed this chat")
        assert "one digest. The latest month of each is on its way." in reply
        assert welcome.startswith(WELCOME_HEADING) and NEWS_HEADING not in welcome
        for title, month in LATEST.values():
            assert f"<b>{title}, {month}</b>" in welcome
        (row,) = await services.store.messages(chat_id=GROUP)
        assert row.dataset == DIGEST and row.status == SENT
        blocks = status_blocks(replies(await chat.send("/status", chat_id=GROUP)))
        for key in LATEST:
            assert "Last summary received" in blocks[status_title(key, services)], key
        tungsten = blocks[status_title("tungsten", services)]
        assert "No summary received yet" in tungsten
        assert "Only totals over longer periods in the data" in tungsten  # no month, ever


@pytest.mark.parametrize(
    ("today", "old"),
    [
        # 15 February 2026: gallium's January is not due before the 20th, rare earths' was
        # due on the 10th (their first release).
        (date(2026, 2, 15), {"rare_earths", "germanium", "graphite"}),
        (TODAY, {"rare_earths", "gallium", "germanium", "graphite", "dysprosium"}),
    ],
)
async def test_the_welcome_digest_is_no_news_and_says_when_a_month_is_old(
    sqlite_services: Services, today: date, old: set[str]
) -> None:
    services = sqlite_services
    services.today = lambda: today
    names = " ".join(k.replace("_", " ") for k in ("rare_earths", "gallium", "germanium"))
    async with LocalChat(services) as chat:
        (_, text) = replies(await chat.send(f"/subscribe {names} graphite dysprosium"))
    assert text.startswith(WELCOME_HEADING) and "New months" not in text
    blocks = {b.split("\n")[0]: b for b in text.split("\n\n")[1:]}
    assert len(blocks) == 5
    catalog = services.data.current.catalog
    for key in ("rare_earths", "gallium", "germanium", "graphite", "dysprosium"):
        title, month = LATEST[key]
        block = blocks[f"<b>{title}, {month}</b>"]
        assert (OLD in block) == (key in old), block
        if key in old:
            latest = services.lookup(key).metrics.latest_month("WORLD")
            assert latest is not None
            following = latest.shift_months(1)
            expected = catalog[key].expected_release(latest).strftime("%d %B %Y").lstrip("0")
            assert f"{OLD} {following.label} was expected around {expected}." in block


async def test_a_release_digest_is_news(services: Services, tmp_path: Path) -> None:
    folder = own_data(services, tmp_path, {"gallium": "2025-12", "dysprosium": "2025-12"})
    async with LocalChat(services) as chat:
        await chat.send("/subscribe gallium dysprosium", chat_id=9)
        await check_releases(services.store, services.lookup(), services.lookup)
        from tests.test_materials_push import publish

        await publish(services, folder, {})
    text = (await services.store.messages(chat_id=9))[-1].text
    assert text.startswith(NEWS_HEADING) and OLD not in text
    assert "<b>Gallium (镓), December 2025</b>" in text


@pytest.mark.parametrize(
    ("command", "key", "old", "month"),
    [
        ("/subscribe graphite", "graphite", True, LATEST["graphite"][1]),
        # asked in Chinese: the welcome is in Chinese, as the reply
        ("/subscribe 镓", "gallium", False, "2025年12月"),
    ],
)
async def test_one_material_welcomed_gets_its_summary_not_a_digest(
    services: Services, command: str, key: str, old: bool, month: str
) -> None:
    services.today = lambda: date(2026, 2, 15)
    async with LocalChat(services) as chat:
        chat.request.member_status[ADMIN] = "administrator"
        texts = replies(
            await chat.send(command, user=user(ADMIN), chat_id=GROUP, chat_type="supergroup")
        )
    assert len(texts) == 2 and all(html_problem(t) is None for t in texts)
    (row,) = await services.store.messages(chat_id=GROUP)
    assert (row.dataset, row.kind) == (key, SUMMARY)
    assert WELCOME_HEADING not in texts[1] and NEWS_HEADING not in texts[1]
    assert month in texts[1]
    name = services.data.current.catalog[key].name
    note = f"⚠️ Nothing later of {name} is in the data, though "
    assert texts[1].startswith(note) == old, texts[1]


async def test_status_says_what_is_in_the_data_not_what_the_sources_did(
    services: Services,
) -> None:
    async with LocalChat(services) as chat:
        await chat.send("/subscribe magnets gallium tungsten")
        text = "\n".join(replies(await chat.send("/status")))
        assert (
            "Next: April 2026, expected around 20 May 2026. ⚠️ It is overdue: not in the "
            "data yet." in text
        )
        await chat.send("/unsubscribe")
        after = "\n".join(replies(await chat.send("/status")))
    assert "It is overdue: not in the data yet." in after
    for said in (text, after):
        schedule = re.sub(r"China(&#x27;|')s customs publish", "", said)
        assert "publish" not in schedule, said


async def test_status_of_a_digest_reads_by_index_and_survives_pruning(
    sqlite_services: Services,
) -> None:
    """SQLite: ``/status``, the per-series read and a welcome's look-up of what a digest
    delivered scan no table; once the digest's row is pruned (the watcher has seen its months
    by then), they still find it."""
    services, store = sqlite_services, sqlite_services.store
    await store.migrate()
    try:
        await store.subscribe(7, 0, "private", 7, ["gallium", "germanium"])
        await service.welcome(store, services.lookup(), 7, 0, ["gallium", "germanium"])
        (claimed,) = await store.claim_due(5)
        assert claimed.dataset == DIGEST and await store.mark_sent(claimed.id, 1, token=0)
        with recorded(store) as sent:
            await service.read_status(store, 7, 0)
            assert (await read_series(store, 7, 0))["gallium"] is not None
            assert await store.last_delivered(7, 0, "germanium", SUMMARY) is not None
        for statement, parameters in sent:
            steps = await plan(store, statement, parameters)
            for table in ("outbox", "delivered", "digest_parts", "releases"):
                assert f"SCAN {table}" not in steps, (statement, steps)

        await check_releases(store, services.lookup(), services.lookup)  # the watcher's first
        assert await store.prune_outbox(utcnow() + timedelta(days=1)) == 1
        got = await read_series(store, 7, 0)
        assert got["gallium"] is not None and got["gallium"].month == "2025-12"
        assert got["germanium"] is not None and got["germanium"].month == "2025-10"
        assert await service.welcome(store, services.lookup(), 7, 0, ["gallium", "germanium"]) == 0
    finally:
        await store.close()
