"""The benchmark's mix of updates (``bench/mix.py``): as many distinct updates of every kind
as it promises, and all of them answered by the real Application without an error.

Nothing here is timed: the benchmark prints its ratios; these tests check what it measures.
"""

from __future__ import annotations

from collections import Counter

from telegram import Bot

from bench.mix import OVERALL, forget_answers, mix_costs, offline_api
from bench.mix_updates import KINDS, PATTERN, realistic_mix
from bot.datastore import DataStore
from bot.reading.grammar import read
from bot.render.conversation import _reply
from handlers.buttons import _keyboard
from tests.conftest import DATA_DIR


def content(data: dict[str, object]) -> str:
    """What an update says: a message's text, a button's data, an inline query."""
    for kind, field in (("message", "text"), ("callback_query", "data"), ("inline_query", "query")):
        if kind in data:
            inner = data[kind]
            assert isinstance(inner, dict)
            return str(inner[field])
    raise AssertionError(data)


def test_the_mix_has_the_promised_distinct_updates_of_every_kind(store: DataStore) -> None:
    metrics = store.current.metrics
    mix = realistic_mix(5000, list(metrics.partners()), metrics.coverage.last_month)
    assert len(mix) == 5000
    assert len({update.key for update in mix}) == 5000  # no sender says the same thing twice
    counts = Counter(update.kind for update in mix)
    assert counts == {kind: 5000 // 20 * share for kind, share in PATTERN.items()}
    ids = [update.data["update_id"] for update in mix]
    assert len(set(ids)) == len(ids)
    texts = {kind: {content(u.data) for u in mix if u.kind == kind} for kind in KINDS}
    for kind in ("/exports", "/top", "/sources", "question (en)", "question (zh)"):
        assert len(texts[kind]) == counts[kind], kind  # each asked once, in words of its own
    assert len(texts["inline"]) > counts["inline"] // 2 and "" in texts["inline"]
    chats = {u.data["message"]["chat"]["id"] for u in mix if "message" in u.data}
    assert len(chats) > 1000 and any(c < 0 for c in chats) and any(c > 0 for c in chats)


async def test_the_benchmarks_offline_api_counts_calls_and_keeps_none() -> None:
    request = offline_api()
    bot = Bot("0:bench", request=request)
    await bot.initialize()  # getMe
    await bot.send_message(1, "<b>x</b>")
    assert request.made == 2 and request.calls == []


def test_forgetting_answers_empties_the_memos_a_round_would_hit() -> None:
    read("US 2025-06")
    forget_answers()
    assert read.cache_info().currsize == 0
    assert _reply.cache_info().currsize == 0 and _keyboard.cache_info().currsize == 0


async def test_the_whole_mix_is_answered_without_an_error() -> None:
    """A few hundred updates of every kind, once through the bot and once through the echo:
    the bot's error handler never fires and every update gets an answer."""
    result = await mix_costs(DATA_DIR, updates=300, rounds=1)
    assert result.errors == () and result.unanswered == ()
    assert set(result.ratios) == {OVERALL, *KINDS}
    assert all(len(ratios) == 1 and ratios[0] > 0 for ratios in result.ratios.values())
