"""The push wing after review: ``/subscribe`` reads material words as every command does, a
long list of unknown words stays within Telegram's limit, a digest never repeats a month a chat
got or has queued, ``/status`` reads on the quick path, revision notices from the renderer, the
release check pinned to one snapshot, the schema upgrade safe to run twice or at once, and
tungsten's yearly totals. On SQLite, and on PostgreSQL too when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import pytest

from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import project_catalog
from bot.render.format import MAX_MESSAGE
from bot.render.subscriptions import not_understood
from bot.services import Services
from handlers.subscriptions import material_choice

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
        assert texts[0].startswith("✅ Subscribed this chat"), texts[0]
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
