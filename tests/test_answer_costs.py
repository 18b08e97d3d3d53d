"""What makes answers cheap without changing them (issue 13): answers remembered per data
snapshot by what they are about, a button answered from the code and period it carries,
inline results and CSV files made once per snapshot (the CSV off the event loop), the ranking
chart capped at a readable number of bars, and ``/status`` in one query that sees what
another process wrote. Nothing here is timed."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)

from bench.synthetic import write_grid
from bot.config import Settings
from bot.console import LocalChat, replies
from bot.data.dataset import CUSTOMS_SERIES as DATASET
from bot.datastore import DataStore, load_snapshot
from bot.lookup import Lookup, MonthAnswer, SpanAnswer
from bot.offline import ApiCall
from bot.push.releases import SUMMARY
from bot.push.schema import NewMessage
from bot.push.storage import Store
from bot.push.subscriptions import read_status
from bot.ranking import MAX_TOP, rank
from bot.reading.period_grammar import Latest
from bot.reading.periods import Period
from bot.records import ACTIVE
from bot.render import visuals
from bot.render.charts import MAX_BARS, draw_ranking
from bot.render.phone import chart_caption
from bot.services import Services
from handlers import inline
from handlers.buttons import keyboard
from tests.conftest import DATA_DIR, TODAY

PERIODS = ["2025-06", "2025-10", "2026-03", "2025-H1", "2025-Q3", "2025", "2025-YTD07", "2019-05"]


@pytest.fixture
async def own_chat(tmp_path: Path) -> AsyncIterator[tuple[LocalChat, Services]]:
    """The bot on data of its own (a test may swap its snapshot, as a reload does)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'costs.db'}"
    settings = Settings(data_dir=DATA_DIR, database_url=url)
    services = Services(settings, DataStore(DATA_DIR), lambda: TODAY, Store(url))
    async with LocalChat(services) as chat:
        yield chat, services


def test_a_button_gets_the_answer_its_words_would(lookup: Lookup) -> None:
    for code in lookup.metrics.partners():
        for period in [*PERIODS, None]:
            spec = Latest() if period is None else Period.parse_code(period)
            words = f"{code} {period or 'latest'}"
            if "_" not in code:  # a grouping's code is not words: see the test below
                assert lookup.exports_of(code, spec) == lookup.exports(words), words


def test_a_button_for_a_grouping_answers_for_it(lookup: Lookup) -> None:
    """Pressed buttons used to be read as words: NORTH_AMERICA was "north" (ambiguous)."""
    for code in ("NORTH_AMERICA", "WORLD_EX_US"):
        answer = lookup.exports_of(code, Latest())
        assert isinstance(answer, MonthAnswer) and answer.partner.code == code
        span = lookup.exports_of(code, Period.parse_code("2025-H1"))
        assert isinstance(span, SpanAnswer) and span.partner.code == code


def test_every_count_of_a_ranking_is_the_top_of_the_whole_ranking(lookup: Lookup) -> None:
    for code in PERIODS:
        period = Period.parse_code(code)
        broad = lookup.broad_month(period) if period.is_month else None
        for count in (1, 3, 10, 17, MAX_TOP):
            assert lookup.top_for(period, count) == rank(lookup.metrics, period, count, broad)
    assert lookup.top_for(Period.parse_code("2025-06"), 0) == rank(
        lookup.metrics, Period.parse_code("2025-06"), 0
    )


def test_a_summary_is_made_once_per_snapshot(lookup: Lookup, snapshot: Any) -> None:
    june = Period.parse_code("2025-06")
    assert lookup.summary_for(june) is lookup.summary_for(june)
    assert Lookup(snapshot, lambda: TODAY).summary_for(june) == lookup.summary_for(june)


async def inline_results(chat: LocalChat, text: str) -> list[dict[str, Any]]:
    update = {"inline_query": {"id": "q", "from": {"id": 5, "is_bot": False, "first_name": "A"}}}
    update["inline_query"] |= {"query": text, "offset": ""}
    calls = await chat.process({"update_id": 1, **update})
    (call,) = [c for c in calls if c.method == "answerInlineQuery"]
    results = call.params["results"]
    assert isinstance(results, list)
    return results


async def test_inline_results_are_made_once_per_snapshot(
    own_chat: tuple[LocalChat, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat, services = own_chat
    made: list[str] = []
    real = inline.inline_answers  # type: ignore[attr-defined]

    def counted(lookup: Lookup, text: str) -> list[MonthAnswer | SpanAnswer]:
        made.append(text)
        return real(lookup, text)

    monkeypatch.setattr(inline, "inline_answers", counted)
    everyone = await inline_results(chat, "")
    assert await inline_results(chat, "") == everyone and made == [""]
    assert await inline_results(chat, "US") != everyone and made == ["", "US"]
    services.data.current = load_snapshot(DATA_DIR)  # a reload: a new snapshot
    assert await inline_results(chat, "") == everyone and made == ["", "US", ""]


def test_an_article_is_sent_as_ptb_sends_a_plain_one() -> None:
    remembered = inline.Article("US:2025-06", "🇺🇸 United States", "June 2025", "<b>x</b>", None)
    content = InputTextMessageContent(
        "<b>x</b>", parse_mode="HTML", link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    plain = InlineQueryResultArticle(
        "US:2025-06", "🇺🇸 United States", content, description="June 2025"
    )
    assert remembered.to_dict() == plain.to_dict()


def test_a_keyboard_is_sent_as_ptb_would_send_its_buttons(lookup: Lookup) -> None:
    asked = ["US 2025-06", "US 2023-07", "US 2026-03", "EU H1 2025", "US 2024-01", "Congo"]
    markups = [keyboard(lookup.exports(words), lookup) for words in asked]
    assert sum(m is not None for m in markups) >= 5
    for markup in markups:
        if markup is not None:
            assert markup.to_dict() == InlineKeyboardMarkup(markup.inline_keyboard).to_dict()


def documents(calls: list[ApiCall]) -> list[bytes]:
    return [c.files["document"] for c in calls if c.method == "sendDocument"]


async def test_csv_is_written_off_the_event_loop_once_per_snapshot(
    own_chat: tuple[LocalChat, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat, services = own_chat
    written: list[threading.Thread] = []
    real = visuals.csv_rows

    def spied(lookup: Lookup, request: visuals.CsvRequest) -> visuals.CsvExport:
        written.append(threading.current_thread())
        return real(lookup, request)

    monkeypatch.setattr(visuals, "csv_rows", spied)
    (first,) = documents(await chat.send("/csv all"))
    (again,) = documents(await chat.send("/csv ALL"))
    assert first == again and first.startswith(b"\xef\xbb\xbfperiod,partner,tonnes")
    assert len(written) == 1 and written[0] is not threading.current_thread()
    services.data.current = load_snapshot(DATA_DIR)  # a reload: written again, once
    before = len(chat.request.calls)
    await asyncio.gather(chat.send("/csv all"), chat.send("/csv all"))
    assert documents(chat.request.calls[before:]) == [first, first] and len(written) == 2
    (us,) = documents(await chat.send("/csv US 2025"))
    assert us != first and len(written) == 3


def test_chart_top_draws_at_most_the_top_partners_and_says_how_many_more(
    tmp_path: Path,
) -> None:
    write_grid(tmp_path / "grid", partners=200, months=3)
    lookup = Lookup(DataStore(tmp_path / "grid").current, lambda: TODAY)
    answer = visuals.chart(lookup, "top 2026-03")
    assert isinstance(answer, visuals.RankingChart)
    series = answer.series
    assert len(series.bars) == MAX_BARS and series.more == 200 - MAX_BARS
    values = [bar.value or 0.0 for bar in series.bars]
    ranking = lookup.metrics.ranking(Period.parse_code("2026-03"))
    assert values == [value for _code, value in ranking[:MAX_BARS]]  # the largest, in order
    (drawn,) = draw_ranking(series).axes[0].containers
    assert len(drawn) == MAX_BARS
    assert f"the top {MAX_BARS} of 200 partners" in series.subtitle
    assert f"the top {MAX_BARS} of 200 are drawn (/top 2026-03 50 lists 50)" in chart_caption(
        answer
    )


def test_chart_top_with_few_partners_draws_them_all(lookup: Lookup) -> None:
    answer = visuals.chart(lookup, "top 2025-06")
    assert isinstance(answer, visuals.RankingChart)
    assert answer.series.more == 0 and "drawn" not in chart_caption(answer)
    assert len(answer.series.bars) == len(lookup.metrics.ranking(Period.parse_code("2025-06")))


async def test_status_reads_a_chat_or_topic_as_another_process_left_it(database_url: str) -> None:
    mine, other = Store(database_url), Store(database_url)  # two processes' connections
    await mine.migrate()
    try:
        assert await read_status(mine, 5, 0) == (None, None)
        await other.subscribe(5, 0, "private", None)
        sub, last = await read_status(mine, 5, 0)
        assert sub is not None and sub.status == ACTIVE and last is None
        queued = [
            NewMessage(5, 0, DATASET, "2026-01", SUMMARY, "Jan"),
            NewMessage(5, 0, DATASET, "2026-03", SUMMARY, "Mar"),
            NewMessage(5, 0, DATASET, "2026-02", SUMMARY, "Feb"),
            NewMessage(5, 0, DATASET, "2026-04", "revision:2026-02", "not a summary"),
            NewMessage(5, 7, DATASET, "2026-04", SUMMARY, "to a topic"),
            NewMessage(6, 0, DATASET, "2026-05", SUMMARY, "to another chat"),
        ]
        await other.enqueue(queued)
        rows = {(m.chat_id, m.thread_id, m.month, m.kind): m for m in await other.messages()}
        march = rows[(5, 0, "2026-03", SUMMARY)]
        for message in rows.values():
            if message is not march:
                await other.mark_sent(message.id, 1)
        assert (await read_status(mine, 5, 0))[1] == (await read_status(other, 5, 0))[1]
        last = (await read_status(mine, 5, 0))[1]
        assert last is not None and last.month == "2026-02" and last.sent_at is not None
        await other.mark_sent(march.id, 2)  # the pending March is delivered meanwhile
        last = (await read_status(mine, 5, 0))[1]
        assert last is not None and last.month == "2026-03"
        topic_sub, topic_last = await read_status(mine, 5, 7)
        assert topic_sub is None and topic_last is not None and topic_last.month == "2026-04"
        await other.unsubscribe(5, 0)
        sub, last = await read_status(mine, 5, 0)
        assert sub is None and last is not None and last.month == "2026-03"
    finally:
        await mine.close()
        await other.close()


async def test_status_through_the_bot_sees_another_process_unsubscribe(
    services: Services,
) -> None:
    async with LocalChat(services) as chat:
        await chat.send("/subscribe")
        assert "is subscribed" in replies(await chat.send("/status"))[0]
        other = Store(services.settings.database_url)
        try:
            await other.unsubscribe(1001, 0)
        finally:
            await other.close()
        status = replies(await chat.send("/status"))[0]
        assert "is not subscribed" in status and "Last summary received: March 2026" in status
