"""/subscribe, /unsubscribe, /status and /healthz by material (issue 14): names in English and
Chinese, "all", a word that names nothing (named back, with a guess, and nothing changed),
group administrators and forum topics as before, a group upgrade keeping every material, each
series' latest month and whether it is overdue by its own release day, and the digest kept
within Telegram's limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import httpx
import pytest

from bot.app import build_application
from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES as MAGNETS
from bot.data.series import project_catalog
from bot.datastore import Snapshot
from bot.lookup import Lookup
from bot.push.storage import Store
from bot.render.digest import digest
from bot.render.format import MAX_MESSAGE
from bot.services import Services
from bot.summaries import SummaryAnswer
from bot.updates import message_dict
from bot.web import web_app
from handlers.subscriptions import material_choice
from tests.conftest import TODAY

CATALOG = project_catalog()
GROUP, ADMIN, MEMBER = -100_888, 11, 12
#: Every material, not the reference HS 850511 series.
ALL = [
    MAGNETS,
    "rare_earths",
    "gallium",
    "germanium",
    "antimony",
    "graphite",
    "tungsten",
    "dysprosium",
    "terbium",
]


def user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


@pytest.mark.parametrize(
    ("text", "series"),
    [
        ("gallium germanium", ["gallium", "germanium"]),
        ("Gallium, GERMANIUM", ["gallium", "germanium"]),
        ("germanium and gallium", ["gallium", "germanium"]),  # listing order, each once
        ("镓 锗", ["gallium", "germanium"]),
        ("镓锗", ["gallium", "germanium"]),
        ("镓、锗", ["gallium", "germanium"]),
        ("镓和锑", ["gallium", "antimony"]),
        ("rare earths", ["rare_earths"]),
        ("rare earth magnets", [MAGNETS]),
        ("稀土永磁体 稀土", [MAGNETS, "rare_earths"]),
        ("magnets magnet", [MAGNETS]),
        ("apt 镝 铽", ["tungsten", "dysprosium", "terbium"]),
        ("spherical graphite", ["graphite"]),
        ("all", ALL),
        ("全部", ALL),
        ("all gallium", ALL),
    ],
)
def test_the_materials_a_command_names(text: str, series: list[str]) -> None:
    choice = material_choice(text, CATALOG)
    assert [s.key for s in choice.series] == series
    assert choice.valid and choice.named


@pytest.mark.parametrize(
    ("text", "unknown", "guess"),
    [
        ("galium", "galium", "gallium"),
        ("gallium germainum", "germainum", "germanium"),
        ("rare earht", "rare earht", "rare_earths"),
        ("antimonny", "antimonny", "antimony"),
        ("dysprosim", "dysprosim", "dysprosium"),
        ("copper", "copper", None),
        ("铜", "铜", None),
        ("镓铜", "铜", None),  # gallium is read; the word that is no material is named
    ],
)
def test_a_word_that_names_no_material_is_kept_with_its_guess(
    text: str, unknown: str, guess: str | None
) -> None:
    choice = material_choice(text, CATALOG)
    assert not choice.valid
    (found,) = choice.unknown
    assert found.word == unknown
    assert (found.suggestion.key if found.suggestion else None) == guess


def test_the_reference_series_is_named_but_not_a_material() -> None:
    choice = material_choice("comtrade", CATALOG)
    assert not choice.valid and [s.key for s in choice.reference] == ["HS850511"]
    assert "HS850511" not in [s.key for s in material_choice("all", CATALOG).series]
    assert not material_choice("", CATALOG).named


async def test_subscribe_and_unsubscribe_by_material_in_english_and_chinese(
    services: Services,
) -> None:
    store = services.store
    async with LocalChat(services) as chat:
        calls = await chat.send("/subscribe 镓 镝")
        texts = replies(calls)
        # asked in Chinese, answered in Chinese
        assert texts[0].startswith("✅ 本聊天已订阅中国镓和镝出口的月度摘要")
        assert "同时发布的多项合并为一份摘要推送" in texts[0]
        assert await store.series_of(1001, 0) == ["dysprosium", "gallium"]
        (welcome,) = await store.messages(chat_id=1001)
        assert welcome.dataset == "digest" and welcome.month == "2025-12"
        # in the language the /subscribe was answered in
        assert "<b>镓，2025年12月</b>" in welcome.text and "镝" in welcome.text
        assert "10,809 千克" in welcome.text, "gallium's December 2025, in kg"
        assert len(texts) == 2, "one digest of the new materials' latest months, right away"

        again = replies(await chat.send("/subscribe gallium"))
        assert again == [
            "✅ This chat is already subscribed to gallium (镓). /status shows the details."
        ]
        added = replies(await chat.send("/subscribe gallium tungsten"))
        assert "tungsten (APT)" in added[0] and "No month" not in added[0]
        assert "only totals over longer periods" in added[0] and len(added) == 1
        assert "no monthly summary comes for it" in added[0]  # tungsten: yearly and YTD only
        assert "already" in added[0] and "gallium" in added[0]

        gone = replies(await chat.send("/unsubscribe 镓"))
        assert gone[0].startswith("👋 本聊天已取消订阅镓。")  # asked in Chinese
        assert "仍订阅钨（仲钨酸铵）和镝。" in gone[0]
        assert await store.series_of(1001, 0) == ["dysprosium", "tungsten"]
        not_there = replies(await chat.send("/unsubscribe antimony"))
        assert not_there[0].startswith("This chat was not subscribed to antimony (锑).")
        assert replies(await chat.send("/unsubscribe"))[0].startswith("👋 Unsubscribed this chat")
        assert await store.series_of(1001, 0) == [] and await store.subscriptions_of(1001) == []

        sent = len(await store.messages(chat_id=1001))
        everything = replies(await chat.send("/subscribe all"))
        assert await store.series_of(1001, 0) == sorted(ALL)
        queued = (await store.messages(chat_id=1001))[sent:]
        assert {m.dataset for m in queued} == {"digest"}, "all materials: one digest, not eight"
        assert len(everything) == 1 + len(queued)
        assert "stops one; /unsubscribe alone stops them all." in everything[0]
        assert replies(await chat.send("/unsubscribe all"))[0].startswith("👋 Unsubscribed")
        assert await store.subscriptions_of(1001) == []


@pytest.mark.parametrize("command", ["/subscribe", "/unsubscribe"])
async def test_a_bad_word_is_named_and_nothing_changes(services: Services, command: str) -> None:
    store = services.store
    async with LocalChat(services) as chat:
        await chat.send("/subscribe germanium")
        (text,) = replies(await chat.send(f"{command} gallium galium"))
        assert "“galium” is not a material I know. Did you mean gallium" in text
        assert f"({command} gallium)" in text and "Nothing was" in text
        (copper,) = replies(await chat.send(f"{command} copper"))
        assert "“copper” is not a material I know." in copper and "Did you mean" not in copper
        (reference,) = replies(await chat.send(f"{command} comtrade"))
        assert "reference series" in reference
        assert await store.series_of(1001, 0) == ["germanium"], "nothing subscribed or removed"


async def test_groups_administrators_and_topics_by_material(services: Services) -> None:
    store = services.store
    async with LocalChat(services) as chat:
        chat.request.member_status[ADMIN] = "administrator"
        where = {"chat_id": GROUP, "chat_type": "supergroup"}
        refused = replies(await chat.send("/subscribe gallium", user=user(MEMBER), **where))
        assert refused[0].startswith("🔒") and await store.subscriptions_of(GROUP) == []
        await chat.send("/subscribe gallium 锗", user=user(ADMIN), thread_id=7, **where)
        await chat.send("/subscribe", user=user(ADMIN), **where)
        assert await store.series_of(GROUP, 7) == ["gallium", "germanium"]
        assert await store.series_of(GROUP, 0) == [MAGNETS]
        refused = replies(await chat.send("/unsubscribe gallium", user=user(MEMBER), **where))
        assert refused[0].startswith("🔒")

        new = -100_999
        service = message_dict("", chat_id=GROUP, chat_type="group") | {"migrate_to_chat_id": new}
        service.pop("text")
        await chat.process({"update_id": 6001, "message": service})
        assert await store.series_of(GROUP, 7) == [] and await store.series_of(GROUP, 0) == []
        assert await store.series_of(new, 7) == ["gallium", "germanium"]
        assert await store.series_of(new, 0) == [MAGNETS]


def expected_day(key: str) -> int:
    return 10 if key == "rare_earths" else 20


async def test_status_lists_each_material_with_its_own_release_day(services: Services) -> None:
    services.today = lambda: date(2026, 2, 15)  # between the 10th and the 20th
    async with LocalChat(services) as chat:
        await chat.send("/subscribe rare earths gallium tungsten")
        text = "\n".join(replies(await chat.send("/status")))
    assert "subscribed to the monthly summary (since" in text and "3 materials" in text
    blocks = {b.split("\n")[0]: b for b in text.split("\n\n")}
    rare = blocks["<b>Rare earths</b> (稀土)"]
    assert "Latest month in the data: December 2025" in rare
    assert "Next: January 2026, expected around 10 February 2026. ⚠️ It is overdue" in rare
    gallium = blocks["<b>Gallium</b> (镓)"]
    assert "expected around 20 February 2026." in gallium and "overdue" not in gallium
    assert "Last summary received: December 2025" in gallium
    tungsten = blocks["<b>Tungsten (APT)</b> / 钨（仲钨酸铵）"]
    assert "Only totals over longer periods in the data" in tungsten
    assert "rare earths around the 10th" in text


async def test_healthz_reports_each_series(services: Services) -> None:
    await services.store.migrate()
    checked = replace(services, settings=replace(services.settings, health_max_late_days=365))
    app = web_app(build_application(checked), checked)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        answer = await client.get("/healthz")
    await services.store.close()
    assert answer.status_code == 200, "only magnets decide health"
    report = answer.json()["series"]
    assert list(report) == ALL
    snapshot = services.data.current
    for key in ALL:
        metrics = snapshot.series_metrics(key)
        latest = metrics.latest_month("WORLD") if metrics else None
        line = report[key]
        if latest is None:
            assert line["latest_month"] is None and line["overdue"] is False
            continue
        following = latest.shift_months(2)
        expected = date(following.year, following.first_month, expected_day(key))
        assert line["latest_month"] == latest.code
        assert line["next_month"] == latest.shift_months(1).code
        assert line["next_expected_on"] == expected.isoformat()
        assert line["overdue"] == (expected < TODAY)
        assert line["days_past_expected"] == max(0, (TODAY - expected).days)
    assert report["tungsten"]["latest_month"] is None


def test_a_long_digest_is_split_between_blocks(snapshot: Snapshot) -> None:
    items = []
    for key in ("rare_earths", "gallium", "dysprosium", "terbium", "antimony"):
        lookup = Lookup(snapshot, lambda: TODAY, key)
        latest = lookup.metrics.latest_month("WORLD")
        assert latest is not None
        answer = lookup.summary_for(latest)
        assert isinstance(answer, SummaryAnswer)
        items.append((lookup.info, answer))
    one = digest(items)
    assert len(one) == 1 and all(f"/summary {k}" in one[0] for k in ("gallium", "terbium"))
    many = digest(items * 12)
    assert len(many) > 1 and all(len(m) <= MAX_MESSAGE for m in many)
    blocks = [b for m in many for b in m.split("\n\n")][1:]
    assert len(blocks) == 60 and all(b.startswith("<b>") and "/sources" in b for b in blocks)


async def test_a_store_default_subscription_is_magnets(database_url: str) -> None:
    store = await Store.open(database_url)
    try:
        assert await store.subscribe(3, 0, "private", 3)
        assert await store.series_of(3, 0) == [MAGNETS]
        assert await store.subscribe(3, 0, "private", 3, ["gallium"])
        assert await store.remove_series(3, 0, ["gallium", "terbium"]) == (("gallium",), (MAGNETS,))
        assert await store.remove_series(3, 0, [MAGNETS]) == ((MAGNETS,), ())
        assert await store.subscription(3, 0) is None, "no series left: no subscription"
    finally:
        await store.close()
