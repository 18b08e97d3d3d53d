"""The benchmark's mix of updates (``bench/mix.py``): as many distinct updates of every kind
as it promises, and all of them answered by the real Application without an error.

Nothing here is timed: the benchmark prints its ratios; these tests check what it measures.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from telegram import Bot, Update

from bench.mix import OVERALL, forget_answers, mix_costs, offline_api, recorded_calls
from bench.mix_updates import KINDS, PATTERN, realistic_mix
from bench.shaped_echo import replies_by_update, shaped_echo_application
from bot.app import build_application
from bot.config import Settings
from bot.datastore import DataStore
from bot.offline import ApiCall, OfflineRequest
from bot.reading.grammar import read
from bot.render.conversation import _reply
from bot.services import build_services
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
    assert set(result.floor) == set(result.own) == {OVERALL, *KINDS}


def sent(call: ApiCall) -> tuple[str, object, object, object, object]:
    """What a call puts in front of a user: the method, the chat or query it answers, the
    text or results, and the keyboard."""
    params = call.params
    said = params.get("text", params.get("results"))
    to = params.get("chat_id", params.get("callback_query_id", params.get("inline_query_id")))
    return call.method, to, said, params.get("reply_markup"), params.get("reply_parameters")


async def test_the_shaped_echo_makes_exactly_the_bots_calls(tmp_path: Path) -> None:
    """The floor the benchmark prints is only honest if the echo sends what the bot sent:
    the same methods, chats, texts, inline results and keyboards, update by update."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'mix.db'}"
    settings = Settings(data_dir=DATA_DIR, database_url=url, cache_dir=tmp_path / "cache")
    store = DataStore(DATA_DIR)
    metrics = store.current.metrics
    mix = realistic_mix(200, list(metrics.partners()), metrics.coverage.last_month)
    calls = await recorded_calls(settings, mix)
    assert sum(map(len, calls)) >= len(mix)  # every update answered, a button twice

    request = OfflineRequest(check_html=False)
    defaults = build_application(build_services(settings), request=offline_api()).bot.defaults
    echo = shaped_echo_application(defaults, replies_by_update(mix, calls), request)
    await echo.initialize()
    try:
        made = len(request.calls)
        for item in mix:
            await echo.process_update(Update.de_json(item.data, echo.bot))
    finally:
        await echo.shutdown()
    assert [sent(c) for c in request.calls[made:]] == [sent(c) for cs in calls for c in cs]
