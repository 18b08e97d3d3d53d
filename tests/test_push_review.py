"""The push wing after review, as users see it: ``/subscribe`` and ``/unsubscribe`` read
material words as every command does, a long list of words that are no material is one short
reply, tungsten's yearly and year-to-date totals are said as what they are, the hints name
commands that work, and one name for each thing. The database side is in
``tests/test_push_review_store.py``. On SQLite, and on PostgreSQL too when TEST_POSTGRES_URL is
set."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import project_catalog
from bot.datastore import DataStore
from bot.health import health
from bot.metrics import WORLD
from bot.push.releases import check_releases
from bot.push.subscriptions import subscribe, welcome
from bot.reading.periods import Period
from bot.render.format import MAX_MESSAGE
from bot.render.subscriptions import not_understood
from bot.services import Services
from handlers.subscriptions import material_choice
from tests.conftest import DATA_DIR, TODAY
from tests.test_materials_push import own_data

CATALOG = project_catalog()
#: Every material, in listing order (not the reference HS 850511 series).
ALL = [info.key for info in CATALOG.materials]


# -- 1. /subscribe reads material words as every command does -------------------------------


@pytest.mark.parametrize(
    ("text", "series"),
    [
        ("rare-earth permanent magnets", [CUSTOMS_SERIES]),
        ("rare earth magnets", [CUSTOMS_SERIES]),
        ("稀土 磁铁", [CUSTOMS_SERIES]),
        ("稀土磁铁", [CUSTOMS_SERIES]),
        ("rare earths", ["rare_earths"]),
        ("稀土", ["rare_earths"]),
        ("rare earths and magnets", [CUSTOMS_SERIES, "rare_earths"]),
        ("稀土、磁铁", [CUSTOMS_SERIES, "rare_earths"]),
        ("稀土和磁铁", [CUSTOMS_SERIES, "rare_earths"]),
        ("rare earths, magnets", [CUSTOMS_SERIES, "rare_earths"]),
        ("all materials", ALL),
        ("所有材料", ALL),
        ("all", ALL),
        ("全部", ALL),
        ("gallium, all", ALL),
        ("镓和锑", ["gallium", "antimony"]),
        # "rare earth" is part of a name only before a series it can begin a name of
        ("rare earths gallium tungsten", ["rare_earths", "gallium", "tungsten"]),
        ("稀土 镓", ["rare_earths", "gallium"]),
        ("稀土永磁体 稀土", [CUSTOMS_SERIES, "rare_earths"]),
        ("magnets magnet", [CUSTOMS_SERIES]),
        ("gallium.", ["gallium"]),
    ],
)
def test_a_list_reads_material_words_as_every_command(text: str, series: list[str]) -> None:
    choice = material_choice(text, CATALOG)
    assert [s.key for s in choice.series] == series
    assert choice.valid and choice.named


@pytest.mark.parametrize(
    ("text", "unknown", "named"),
    [
        ("镓铜", [("铜", None)], ["gallium"]),  # the word that is no material, alone
        ("铜和锡", [("铜", None), ("锡", None)], []),
        ("稀士", [("稀士", "rare_earths")], []),  # a Chinese typo, as /exports guesses
        ("gallium copper all", [("copper", None)], ALL),
        ("comtrad", [("comtrad", None)], []),  # never a guess of a reference series
        ("everything", [("everything", None)], []),  # not the reader's word for all
    ],
)
def test_a_list_names_each_word_that_is_no_material(
    text: str, unknown: list[tuple[str, str | None]], named: list[str]
) -> None:
    choice = material_choice(text, CATALOG)
    assert not choice.valid
    found = [(u.word, u.suggestion.key if u.suggestion else None) for u in choice.unknown]
    assert found == unknown
    assert [s.key for s in choice.series] == named


def test_no_word_of_a_long_list_is_left_unread() -> None:
    """The reader reads 800 characters at once: a longer list is read in pieces."""
    long = ", ".join(["gallium"] * 300 + ["terbium"])
    assert [s.key for s in material_choice(long, CATALOG).series] == ["gallium", "terbium"]
    words = " ".join(f"zz{i}" for i in range(1_500)) + " gallium"
    choice = material_choice(words, CATALOG)
    assert [s.key for s in choice.series] == ["gallium"]
    assert len(choice.unknown) == 1_500 and choice.unknown[-1].word == "zz1499"


@pytest.mark.parametrize(
    ("command", "series"),
    [
        ("/subscribe rare-earth permanent magnets", [CUSTOMS_SERIES]),
        ("/subscribe 稀土 磁铁", [CUSTOMS_SERIES]),
        ("/subscribe all materials", sorted(ALL)),
        ("/subscribe 稀土、磁铁", sorted([CUSTOMS_SERIES, "rare_earths"])),
    ],
)
async def test_subscribe_reads_as_exports_does(
    sqlite_services: Services, command: str, series: list[str]
) -> None:
    async with LocalChat(sqlite_services) as chat:
        texts = replies(await chat.send(command))
        chinese = any("\u4e00" <= c <= "\u9fff" for c in command)  # answered in its language
        assert texts[0].startswith("✅ 本聊天已订阅" if chinese else "✅ Subscribed this chat")
        assert await sqlite_services.store.series_of(1001, 0) == series


# -- 2. many words not understood: a short reply ---------------------------------------------


def test_many_unknown_words_are_deduplicated_and_counted() -> None:
    words = " ".join(["copper", "Copper", "galium"] + [f"zz{i}" for i in range(1_500)])
    choice = material_choice(words, CATALOG)
    messages = not_understood(choice, CATALOG.materials, "subscribed")
    assert len(messages) == 1 and len(messages[0]) <= MAX_MESSAGE
    (text,) = messages
    assert text.count("“copper”") == 1, "each word once, whatever its case"
    assert "“galium” is not a material I know. Did you mean gallium" in text
    assert "and 1,497 more words that are not materials" in text
    assert text.endswith("or “all” for every one.")


def test_a_very_long_word_is_shortened() -> None:
    choice = material_choice("x" * 4_000, CATALOG)
    (text,) = not_understood(choice, CATALOG.materials, "unsubscribed")
    assert len(text) < 1_000 and "Nothing was unsubscribed" in text


@pytest.mark.parametrize("command", ["/subscribe", "/unsubscribe"])
async def test_a_long_list_of_unknown_words_is_one_short_reply(
    sqlite_services: Services, command: str
) -> None:
    words = " ".join(f"w{i}" for i in range(1_500))[:4_000]
    async with LocalChat(sqlite_services) as chat:
        texts = replies(await chat.send(f"{command} {words}"))
    assert len(texts) == 1 and len(texts[0]) <= MAX_MESSAGE
    assert "more words that are not materials" in texts[0] and "Nothing was" in texts[0]
    assert await sqlite_services.store.subscriptions_of(1001) == []


# -- 8. tungsten: only totals over longer periods, never a monthly summary --------------------

TOTALS_ONLY = (
    "The data has no monthly figures of tungsten (APT), only totals over longer periods (the "
    "latest: Jan–Nov 2025), so no monthly summary comes for it; a month is pushed here if one "
    "appears in the data. /exports tungsten shows the latest total."
)


async def test_subscribing_to_tungsten_says_no_monthly_summary_comes(
    sqlite_services: Services,
) -> None:
    services, store = sqlite_services, sqlite_services.store
    async with LocalChat(services) as chat:
        (alone,) = replies(await chat.send("/subscribe tungsten"))
        assert TOTALS_ONLY in alone and "no month in the data yet" not in alone.lower()
        assert "is on its way" not in alone
        assert await store.messages(chat_id=1001) == [], "nothing is sent, nothing promised"
        await chat.send("/unsubscribe")
        both = replies(await chat.send("/subscribe gallium tungsten"))
        assert "The latest month's summary is on its way." in both[0]
        assert TOTALS_ONLY in both[0] and "No month of" not in both[0]
        status = "\n".join(replies(await chat.send("/status")))
    (block,) = [b for b in status.split("\n\n") if b.startswith("<b>Tungsten (APT)</b>")]
    assert "Only totals over longer periods in the data (the latest: Jan–Nov 2025)" in block
    assert "no monthly summary comes for it" in block and "expected" not in block
    assert "the first one is pushed" not in block


async def test_a_new_tungsten_total_is_not_pushed_as_a_month(
    services: Services, tmp_path: Path
) -> None:
    """What the reply says is what happens: a new total (the whole of 2025) queues nothing."""
    folder = own_data(services, tmp_path, {})
    store = services.store
    await store.migrate()
    try:
        await store.subscribe(5, 0, "private", 5, ["tungsten"])
        assert await welcome(store, services.lookup(), 5, 0, ["tungsten"], services.lookup) == 0
        assert (await check_releases(store, services.lookup(), services.lookup)).baseline
        minerals = folder / "critical_minerals.csv"
        rows = minerals.read_text().splitlines(keepends=True)
        (ytd,) = [r for r in rows if r.startswith("tungsten,2025-YTD11,WORLD,")]
        minerals.write_text(minerals.read_text() + ytd.replace("2025-YTD11", "2025", 1))
        assert services.data.reload() is None
        assert services.lookup("tungsten").latest_span(WORLD) == Period.parse_code("2025")
        report = await check_releases(store, services.lookup(), services.lookup)
        assert report.released == [] and report.queued == 0
        assert await store.messages(chat_id=5) == []
    finally:
        await store.close()


async def test_the_unsubscribe_hints_are_commands_that_work(sqlite_services: Services) -> None:
    """Every ``/unsubscribe …`` a reply suggests is one the bot understands, as written:
    ``/unsubscribe gallium stops it; /unsubscribe alone stops everything``."""
    async with LocalChat(sqlite_services) as chat:
        for command in ("/subscribe gallium", "/subscribe germanium", "/subscribe all"):
            text = replies(await chat.send(command))[0]
            hints = re.findall(r"/unsubscribe(.*?)(?: stops [^,;.]+)?[,;.]", text)
            assert len(hints) >= 1, text
            for words in hints:
                if words.strip() in ("", "alone"):  # /unsubscribe alone: every material
                    continue
                choice = material_choice(words, CATALOG)
                assert choice.valid and choice.named, (words, text)


# -- 9. one name for each thing --------------------------------------------------------------


async def test_healthz_takes_the_magnets_release_day_from_their_description(
    sqlite_services: Services, tmp_path: Path
) -> None:
    """Magnets described as released with the first (preliminary) figures, around the 10th:
    /healthz expects April 2026 on 10 May, as /status does."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    described = folder / "series" / "magnets.toml"
    described.write_text(
        described.read_text().replace('release = "detail"', 'release = "preliminary"')
    )
    services = replace(sqlite_services, data=DataStore(folder))
    await services.store.migrate()
    try:
        _, report = await health(services)
    finally:
        await services.store.close()
    assert report["next_month"] == "2026-04" and report["next_expected_on"] == "2026-05-10"
    assert report["series"][CUSTOMS_SERIES]["next_expected_on"] == "2026-05-10"
    assert report["days_past_expected"] == (TODAY - date(2026, 5, 10)).days


def test_the_push_wing_names_the_magnets_once() -> None:
    import bot.push.releases
    import bot.push.schema
    import bot.push.subscriptions

    assert not hasattr(bot.push.schema, "MAGNETS")
    assert not hasattr(bot.push.releases, "DATASET")
    assert not hasattr(bot.push.subscriptions, "RELEASE_DAY")
    assert not hasattr(bot.push.subscriptions, "expected_release")


async def test_a_subscribe_result_says_whether_anything_changed(
    sqlite_services: Services,
) -> None:
    services, store = sqlite_services, sqlite_services.store
    await store.migrate()
    try:
        lookup, gallium = services.lookup(), CATALOG["gallium"]
        first = await subscribe(store, lookup, 5, 0, "private", 5, [gallium])
        again = await subscribe(store, lookup, 5, 0, "private", 5, [gallium])
        more = await subscribe(store, lookup, 5, 0, "private", 5, [CATALOG["terbium"]])
        assert (first.changed, again.changed, more.changed) == (True, False, True)
        assert not hasattr(first, "created")
    finally:
        await store.close()
