"""Questions through the real Application: follow-ups, intents in plain words, comparisons,
/top counts and spans, spans with months missing, and months with few partners."""

from __future__ import annotations

import pytest

from bot.console import LocalChat, replies
from bot.render.telegram_html import html_problem, to_plain

GROUP = {"chat_id": -100123, "chat_type": "supergroup"}


async def said(chat: LocalChat, text: str, **kwargs: object) -> str:
    texts = replies(await chat.send(text, **kwargs))
    assert texts, f"no reply to {text!r}"
    for message in texts:
        assert html_problem(message) is None
    return "\n".join(to_plain(t) for t in texts)


async def test_follow_ups_in_a_private_chat_reuse_the_last_question(chat: LocalChat) -> None:
    assert "United States, June 2025" in await said(chat, "/exports US 2025-06")
    japan = await said(chat, "what about Japan?")
    assert "Japan, June 2025" in japan and "the period of your last question" in japan
    before = await said(chat, "and the month before?")
    assert "Japan, May 2025" in before or "Japan in May 2025" in before
    assert "the month before: May 2025" in before
    german = await said(chat, "那德国呢?")
    assert "Germany" in german and "May 2025" in german
    await said(chat, "/exports US 2025-10")
    same = await said(chat, "same for the EU")
    assert "European Union (EU-27), October 2025" in same


async def test_a_follow_up_in_a_group_is_not_tied_to_anyone_elses_question(
    chat: LocalChat,
) -> None:
    await said(chat, "/exports US 2025-06", **GROUP)
    text = await said(chat, "@ExportWatchBot what about Japan?", **GROUP)
    assert "June 2025" not in text.split("\n")[0]


async def test_the_month_before_with_nothing_before_says_so(chat: LocalChat) -> None:
    text = await said(chat, "and the month before?")
    assert "follows a question" in text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Who were the top buyers in September 2025?",
            "Top buyers of China's rare-earth magnets, September 2025",
        ),
        ("top 5 in June", "Top buyers of China's rare-earth magnets, June 2025"),
        ("2025年6月前五名", "Top buyers of China's rare-earth magnets, June 2025"),
        ("summary June 2025", "China's rare-earth magnet exports, June 2025"),
        ("2025年6月总结", "China's rare-earth magnet exports, June 2025"),
        ("compare US and Germany in 2025", "United States vs Germany, 2025"),
        ("美国和德国 2025年6月", "United States vs Germany, June 2025"),
    ],
)
async def test_intents_in_plain_words(chat: LocalChat, question: str, expected: str) -> None:
    assert expected in await said(chat, question)


async def test_top_5_lists_five(chat: LocalChat) -> None:
    text = await said(chat, "top 5 in June 2025")
    rows = [
        line for line in text.splitlines() if line[:2].strip().isdecimal() and line[:2].isascii()
    ]
    assert len(rows) == 5


async def test_chart_in_plain_words_sends_a_photo(chat: LocalChat) -> None:
    for question in ("chart for India", "印度图表"):
        calls = await chat.send(question)
        assert [c.method for c in calls] == ["sendPhoto"]
        assert "India" in str(calls[0].params.get("caption"))


async def test_exports_us_vs_de_is_one_table_with_both(chat: LocalChat) -> None:
    text = await said(chat, "/exports US vs DE 2025-10")
    assert "United States vs Germany, October 2025" in text
    assert "656.3 t" in text and "1,118 t" in text
    assert "Sources" in text and "/exports US 2025-10" in text and "/exports DE 2025-10" in text


async def test_compare_without_a_period_says_which_month(chat: LocalChat) -> None:
    text = await said(chat, "/exports US vs DE")  # Germany's latest is December 2025
    assert "December 2025" in text and "the latest month all have a figure" in text
    assert "564 t" in text and "1,106 t" in text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/top 2025-06 100", "at most 50"),
        ("/top 0", "1 to 50; 0 is not"),
        ("/top -3", "1 to 50; -3 is not"),
    ],
)
async def test_top_count_limits(chat: LocalChat, command: str, expected: str) -> None:
    assert expected in await said(chat, command)


async def test_top_takes_any_count_up_to_50(chat: LocalChat) -> None:
    text = await said(chat, "/top 2025-06 1")
    rows = [
        line for line in text.splitlines() if line[:2].strip().isdecimal() and line[:2].isascii()
    ]
    assert len(rows) == 1 and "Germany" in rows[0]


async def test_top_ranks_a_half_from_span_totals(chat: LocalChat) -> None:
    text = await said(chat, "/top H1 2025")
    assert "Top buyers of China's rare-earth magnets, H1 2025" in text
    assert "22,319 t" in text and "total for this period" in text


async def test_a_span_with_missing_months_lists_what_is_known(chat: LocalChat) -> None:
    text = await said(chat, "/exports EU 2025")
    assert "Within 2025" in text
    assert "Jun 2025: 1,364 t" in text
    assert "H1 2025, published total: 8,360 t" in text
    assert "No figure for: Jan 2025" in text
    assert "/exports EU 2025-H1" in text


async def test_a_month_with_one_partner_is_not_ranked(chat: LocalChat) -> None:
    text = await said(chat, "/exports US")
    assert "Rank: #1 of 1" not in text
    assert "too few to rank" in text
    assert "latest month with broad coverage is December 2025: /exports US 2025-12" in text
    top = await said(chat, "/top")
    assert "latest month with broad coverage is December 2025: /top 2025-12" in top


async def test_out_of_range_periods_get_one_message_with_the_coverage(chat: LocalChat) -> None:
    for command in ("/exports US 1999-01", "/exports US 2030-01", "/top 2031", "/summary 1990-05"):
        text = await said(chat, command)
        assert "is outside the data" in text and "The data covers July 2023 to March 2026" in text


async def test_a_span_with_no_total_near_it_offers_the_months(chat: LocalChat) -> None:
    text = await said(chat, "/exports JP Q3 2025")
    assert "Jul 2025: 232 t" in text and "Sep 2025: 228 t" in text
    assert "No figure for: Aug 2025" in text and "/exports JP 2025-06" in text


async def test_a_follow_up_to_a_comparison_about_one_partner_asks_about_it(
    chat: LocalChat,
) -> None:
    await said(chat, "/exports US vs DE 2025-10")
    text = await said(chat, "what about Japan?")
    assert "Japan, October 2025" in text


async def test_a_word_not_understood_gets_no_figures_but_what_could_be_read(
    chat: LocalChat,
) -> None:
    text = await said(chat, "US since April 2025")
    assert "I did not understand “since”, so I have not answered" in text
    assert "United States · April 2025" in text and "/exports US 2025-04" in text
    assert " t¹" not in text  # no figure is stated


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("China imports from Germany June 2025", "China's imports are not in it"),
        ("中国从日本进口多少 2025年7月", "China's imports are not in it"),
        ("Japan exports to China June 2025", "other countries' exports to China are not in it"),
        ("德国对中国出口 2025年6月", "other countries' exports to China are not in it"),
    ],
)
async def test_trade_the_data_does_not_cover_is_said_so(
    chat: LocalChat, question: str, expected: str
) -> None:
    text = await said(chat, question)
    assert expected in text and "764 t" not in text


async def test_imports_from_china_are_answered_with_chinas_exports_and_say_so(
    chat: LocalChat,
) -> None:
    text = await said(chat, "US imports from China June 2025")
    assert "United States, June 2025" in text and "353 t" in text
    assert "answered with China's exports to United States" in text


async def test_chart_of_two_partners_names_the_second(chat: LocalChat) -> None:
    text = await said(chat, "/chart US vs DE")
    assert "one partner at a time" in text and "DE" in text


async def test_no_period_for_a_partner_behind_the_data_says_whose_latest(
    chat: LocalChat,
) -> None:
    text = await said(chat, "japan")
    assert "Japan, December 2025" in text and "Japan's latest month with a figure" in text


async def test_a_span_ranking_with_incomplete_totals_has_no_rank_numbers(
    chat: LocalChat,
) -> None:
    text = await said(chat, "/top H2 2025")
    assert "No rank numbers: some countries' known months already add up to more" in text
    assert "≥5,969.1 t" in text and "Germany 5 of 6" in text
    assert " 1 United States" not in text
    # 2024: only the United States has a total, and no country's known months exceed it
    year = await said(chat, "/top 2024")
    assert "No rank numbers: too few countries have a total" in year
    assert "≥≈2,873 t" in year and " 1 United States" not in year


async def test_a_month_with_two_countries_has_no_rank_numbers(chat: LocalChat) -> None:
    text = await said(chat, "/top 2025-11")  # the United States and Japan (and the EU bloc)
    assert "No rank numbers: too few countries have a figure" in text
    assert " 1 United States" not in text and "United States" in text and "Japan" in text


async def test_a_value_asked_where_none_is_published_says_so(chat: LocalChat) -> None:
    text = await said(chat, "US export value June 2025")
    assert "no value in US dollars is published for June 2025, so this is in tonnes" in text


async def test_a_ranking_chart_in_plain_words(chat: LocalChat) -> None:
    calls = await chat.send("2025年6月前五名图表")
    assert [c.method for c in calls] == ["sendPhoto"]
    assert "June 2025" in str(calls[0].params.get("caption"))


async def test_last_month_in_a_follow_up_is_the_month_before_the_last_answer(
    chat: LocalChat,
) -> None:
    await said(chat, "/exports JP 2025-11")
    text = await said(chat, "上个月呢?")
    assert "Japan, October 2025" in text and "the month before: October 2025" in text


async def test_a_partner_after_a_ranking_gets_its_own_figures(chat: LocalChat) -> None:
    await said(chat, "/top 2025-06")
    text = await said(chat, "那日本呢?")
    assert "China → Japan, June 2025" in text


async def test_a_comparison_of_spans_shows_the_known_months_as_lower_bounds(
    chat: LocalChat,
) -> None:
    text = await said(chat, "compare japan, korea and india 2025")
    assert "≥2,238 t" in text and "≥1,156 t" in text and "no total is published" in text


async def test_months_after_the_data_are_not_yet_published_not_missing(chat: LocalChat) -> None:
    text = await said(chat, "/exports DE 2026")
    assert "No figure for: Jan 2026, Feb 2026, Mar 2026" in text
    assert "Not in the data yet: Apr 2026 to Oct 2026" in text  # due by 29 November 2026
    assert "Not published yet: Nov 2026 to Dec 2026" in text
