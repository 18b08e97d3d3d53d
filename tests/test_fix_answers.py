"""What a new user's trial found wrong in the answers about materials, each checked through
the real Application with the real data (``TODAY`` is 29 November 2026): a value per unit
from a low-reliability value, the unit of a value question, "not published yet" said of
months that are only missing from the data, no-figure answers that point nowhere, ranks
among one or two countries, tungsten's monthly summary, legends of unused marks, five-digit
percentages, grammar, and editors' notes shown to users."""

from __future__ import annotations

from datetime import date

import pytest

from bot.console import LocalChat, replies
from bot.datastore import Snapshot
from bot.lookup import Lookup, SpanAnswer
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.answers import exports
from bot.render.format import MAX_MESSAGE, figure_note
from bot.render.telegram_html import html_problem, to_plain


async def said(chat: LocalChat, *texts: str) -> str:
    """The bot's reply to the last of ``texts`` (said in turn), as plain text, every
    message checked as Telegram HTML."""
    reply: list[str] = []
    for text in texts:
        reply = replies(await chat.send(text))
        assert reply, text
    for message in reply:
        assert html_problem(message) is None and len(message) <= MAX_MESSAGE, message
    return "\n".join(to_plain(t) for t in reply)


# -- 1. a value per unit only from a value and a quantity that can stand together --------


@pytest.mark.parametrize(
    ("asked", "value", "why"),
    [
        # the value's own page gives 7,580 kg, rejected for Reuters' wrought-only 5,150 kg
        ("/exports gallium 2023-07", "Value: $2.2m†", "its source gives 7,580 kg"),
        # a low-reliability value, the kilograms from another source
        ("/exports germanium 2023-07", "Value: $24.4m†", "low reliability"),
    ],
)
async def test_no_value_per_unit_from_a_low_reliability_value_of_another_source(
    chat: LocalChat, asked: str, value: str, why: str
) -> None:
    text = await said(chat, asked)
    assert value in text, text
    assert "/kg" not in text and "value and kilograms from different sources" not in text
    assert "no value per kg" in text and why in text, text
    assert "† from a source of low reliability" in text  # the mark is explained


async def test_a_value_per_unit_of_normal_sources_is_still_given_and_labelled(
    chat: LocalChat,
) -> None:
    text = await said(chat, "/exports 2025-05")  # $60m (one source), tonnes from another
    assert "$60.0m" in text and "/t (value and tonnes from different sources)" in text


def test_the_metrics_give_no_value_per_unit_and_say_why(snapshot: Snapshot) -> None:
    for series, why in (("gallium", "7,580 kg"), ("germanium", "low reliability")):
        metrics = snapshot.series[series]
        month = metrics.month("WORLD", Period.parse_code("2023-07"))
        assert month.usd is not None and month.usd_per_tonne is None
        assert why in str(month.per_unit_why)


# -- 2. a value question is answered in the series' own unit ------------------------------


@pytest.mark.parametrize(
    ("asked", "unit"),
    [
        ("gallium value Germany 2025-10", "kilograms"),
        ("镓 德国 2025年10月 出口额", "kilograms"),
        ("value of dysprosium exports 2025-10", "kilograms"),
        ("terbium value Japan", "kilograms"),
        ("value of exports to the US 2025-06", "tonnes"),
    ],
)
async def test_no_value_published_names_the_series_unit(
    chat: LocalChat, asked: str, unit: str
) -> None:
    text = await said(chat, asked)
    assert f"so this is in {unit}" in text, text
    if unit == "kilograms":
        assert "in tonnes" not in text


# -- 3. "not published yet" only where it is true ------------------------------------------


@pytest.mark.parametrize(
    ("asked", "missing", "unpublished"),
    [
        ("/exports graphite 2024", "Mar 2024 to Dec 2024", None),
        ("/exports germanium 2025", "Nov 2025 to Dec 2025", None),
        # October 2026 was due on 20 November; November is due on 20 December 2026
        ("/exports DE 2026", "Apr 2026 to Oct 2026", "Nov 2026 to Dec 2026"),
    ],
)
async def test_months_after_the_data_are_not_in_it_yet_unless_not_yet_due(
    chat: LocalChat, asked: str, missing: str, unpublished: str | None
) -> None:
    text = await said(chat, asked)
    assert f"Not in the data yet: {missing}" in text, text
    if unpublished is None:
        assert "published yet" not in text
    else:
        assert f"Not published yet: {unpublished}" in text


def test_a_month_not_yet_due_is_not_published_yet(snapshot: Snapshot) -> None:
    """The same span asked on another day: in January 2026, November 2025 was not due."""
    lookup = Lookup(snapshot, lambda: date(2026, 1, 5), "germanium")
    answer = lookup.exports_for(partner("WORLD"), Period.parse_code("2025"))
    assert isinstance(answer, SpanAnswer) and answer.parts is not None
    text = to_plain("\n".join(exports(answer)))
    assert "Not in the data yet: Nov 2025" in text  # due 20 December 2025
    assert "Not published yet: Dec 2025" in text  # due 20 January 2026


async def test_this_year_outside_the_data_is_not_in_it_yet(chat: LocalChat) -> None:
    text = await said(chat, "镓出口量 今年")
    assert "none of it is published yet" not in text
    assert "2026 is outside the data" in text and "not in the data yet" in text


# -- 4. no figure: the nearest figures the partner has, spans too, and China's total ----


@pytest.mark.parametrize(
    ("asked", "wanted", "unwanted"),
    [
        (
            ("/exports germanium US 2024",),
            ["/exports germanium US 2024-YTD10", "China's total for 2024: /exports germanium 2024"],
            ["The sources give only China's total"],
        ),
        (("graphite US 2024-01",), ["/exports graphite US 2024-YTD02", "November 2023"], []),
        (("tungsten 2025",), ["/exports tungsten 2025-YTD11", "/exports tungsten 2024"], []),
        (("钨 去年",), ["/exports tungsten 2025-YTD11"], []),
        (("tungsten 2025-06",), ["/exports tungsten 2025-YTD11", "only totals"], []),
        (("锑 荷兰 2025",), ["/exports antimony NL 2024"], []),
        (
            ("/exports US 2025-10", "那镓呢"),
            ["China's total for October 2025: /exports gallium 2025-10", "2024-YTD10"],
            [],
        ),
        (
            ("germanium Germany 2025-09", "same for the US"),
            ["China's total for September 2025: /exports germanium 2025-09"],
            [],
        ),
    ],
)
async def test_no_figure_points_to_the_nearest_figures_and_chinas_total(
    chat: LocalChat, asked: tuple[str, ...], wanted: list[str], unwanted: list[str]
) -> None:
    text = await said(chat, *asked)
    assert "No figure for" in text, text
    for words in wanted:
        assert words in text, (words, text)
    for words in unwanted:
        assert words not in text, (words, text)


async def test_a_latest_month_says_when_a_later_total_exists(chat: LocalChat) -> None:
    text = await said(chat, "球形石墨 美国")
    assert "November 2023" in text
    assert "Jan–Feb 2024" in text and "/exports graphite US 2024-YTD02" in text


async def test_a_span_after_the_last_month_is_in_the_data(chat: LocalChat) -> None:
    text = await said(chat, "/exports rare earths 2026-YTD02")
    assert "outside the data" not in text and "10,763" not in text  # that is magnets
    assert "Jan–Feb 2026" in text and "Total:" in text


# -- 5. no rank among fewer than three countries, none for China's total -------------------


@pytest.mark.parametrize(
    ("asked", "count"),
    [
        ("/exports gallium DE 2024-04", "Only 1 country has"),
        ("/exports gallium JP 2025-04", "Only 1 country has"),
        ("/exports gallium DE 2025-10", "Only 2 countries have"),
        ("/exports terbium US 2025-10", "countries have"),
    ],
)
async def test_no_rank_among_one_or_two_countries(chat: LocalChat, asked: str, count: str) -> None:
    text = await said(chat, asked)
    assert "Rank: #" not in text and "Rank: none" in text and count in text, text


@pytest.mark.parametrize(
    "asked",
    [
        "/exports graphite 2024-02",
        "/exports dysprosium 2025-12",
        "/exports germanium 2023-07",
        "/exports germanium 2023-10",
        "/exports 2026-03",
        "/exports gallium 2025-12",
    ],
)
async def test_chinas_total_has_no_rank_line(chat: LocalChat, asked: str) -> None:
    text = await said(chat, asked)
    assert "Rank" not in text and "Only 0" not in text, text


async def test_a_rank_among_enough_countries_is_still_given(chat: LocalChat) -> None:
    assert "Rank: #" in await said(chat, "/exports US 2025-06")


# -- 6. tungsten has no months: no monthly summary, and no loop ------------------------------


@pytest.mark.parametrize("asked", ["/summary tungsten", "/summary tungsten 2025-11", "钨 总结"])
async def test_a_series_without_months_has_no_monthly_summary(chat: LocalChat, asked: str) -> None:
    text = await said(chat, asked)
    assert "Try 2025-11" not in text and "January 2024 to November 2025" not in text, text
    assert "only as" in text and "/exports tungsten 2025-YTD11" in text, text


# -- 7. a legend only for the marks used ------------------------------------------------------


@pytest.mark.parametrize(
    "asked", ["germanium exports to Japan last year", "/exports all DE 2025-10"]
)
async def test_no_legend_for_marks_not_shown(chat: LocalChat, asked: str) -> None:
    text = await said(chat, asked)
    assert "≈" not in text and "†" not in text
    assert "derived from a published figure" not in text and "low reliability" not in text


async def test_a_legend_for_the_marks_shown(chat: LocalChat) -> None:
    text = await said(chat, "/exports germanium 2025")
    assert "≈11,756 kg†" in text
    assert "≈ derived from a published figure" in text and "† from a source of low" in text


# -- 8. a change many times over its base is a factor, not a five-digit percentage ----------


@pytest.mark.parametrize(
    ("asked", "factor", "percentage"),
    [
        ("/exports germanium 2023-10", "×648", "64,700"),
        ("/exports dysprosium 2025-07", "×1,400", "139,900"),
        ("/summary germanium 2023-10", "648-fold", "64,700"),
        ("/exports all 2025-07", "×1,400", "139,900"),
    ],
)
async def test_a_huge_change_is_a_factor(
    chat: LocalChat, asked: str, factor: str, percentage: str
) -> None:
    text = await said(chat, asked)
    assert factor in text and percentage not in text, text


async def test_a_published_percentage_stays_as_published(chat: LocalChat) -> None:
    text = await said(chat, "/exports US 2025-06")
    assert "+660%, as reported" in text


# -- 9. grammar ---------------------------------------------------------------------------------


async def test_one_month_has_a_figure(chat: LocalChat) -> None:
    text = await said(chat, "/exports gallium DE 2024-04")
    assert "1 of 4 months has a figure" in text and "1 of 4 months have" not in text


async def test_no_empty_heading_within_a_span(chat: LocalChat) -> None:
    text = await said(chat, "锑出口荷兰")
    assert "Within 2024" not in text and "/exports antimony NL 2023" in text


async def test_one_row_is_one_row(chat: LocalChat) -> None:
    calls = await chat.send("/csv tungsten JP")
    captions = [str(c.params.get("caption", "")) for c in calls]
    assert any("1 row:" in c for c in captions) and not any("1 rows" in c for c in captions)


async def test_a_name_with_brackets_gets_no_second_pair(chat: LocalChat) -> None:
    text = await said(chat, "/subscribe tungsten")
    assert "(APT) (" not in text and "钨（仲钨酸铵）" in text, text


# -- 10. an editor's note is shown only where it qualifies the figure ----------------------


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        ("Reuters; total rare earths, NOT magnets; rawmaterials.net misprints 4,345.5", ""),
        (
            "wrought gallium only (Reuters); re-sourced: figure confirmed on this page",
            "wrought gallium only (Reuters)",
        ),
        ('lower bound; source says "200+"', 'lower bound; source says "200+"'),
        ("approx.; cross-check Oct 15,570 x 0.47 = 7,318", "approx."),
        ("Reuters; -20% m/m", ""),
        ("APT only (GACC via Fastmarkets)", "APT only (GACC via Fastmarkets)"),
        ("spherical", ""),
        ("all to KR", ""),
    ],
)
def test_a_note_is_shown_when_it_qualifies_the_figure(note: str, shown: str) -> None:
    assert figure_note(note) == shown


async def test_an_internal_note_is_not_shown(chat: LocalChat) -> None:
    text = await said(chat, "/exports rare earths 2025-10")
    assert "Note on this figure" not in text and "misprints" not in text
    gallium = await said(chat, "/exports gallium 2023-07")
    assert "Note on this figure: wrought gallium only (Reuters)" in gallium
    assert "re-sourced" not in gallium
