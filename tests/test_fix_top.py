"""/top and /chart top for every series, with the real figures of ``data/critical_minerals.csv``
and ``data/magnet_exports.csv``: a span ranks each country's published total for that span
(Belgium's germanium is published only for H1 2025, tungsten only as years and year to date),
a span whose total is not known adds the published totals of its parts and the months outside
them (Russia's germanium in 2025: H1 and three later months), a period without country
figures points to the latest one that has them, and the ranking chart of a span draws the
same ranking."""

from __future__ import annotations

import pytest

from bot.console import LocalChat, replies
from bot.datastore import Snapshot
from bot.lookup import Lookup, Resolved
from bot.metrics import is_country
from bot.ranking import TopAnswer
from bot.reading.periods import Period
from bot.reading.query import Latest
from bot.render import phone, visuals
from bot.render.charts import draw_ranking
from bot.render.format import MAX_MESSAGE
from bot.render.ranking import top
from bot.render.telegram_html import html_problem, to_plain
from tests.conftest import TODAY

#: (rank, country, value, parts whose published totals the lower bound adds); a lower bound
#: is written "≥" before its value, a rank of 0 is no rank number.
Row = tuple[int, str, str, tuple[str, ...]]


def lookup_of(snapshot: Snapshot, series: str) -> Lookup:
    return Lookup(snapshot, lambda: TODAY, series)


def ranking(snapshot: Snapshot, series: str, code: str) -> TopAnswer:
    answer = lookup_of(snapshot, series).top_for(Period.parse_code(code), 50)
    assert isinstance(answer, TopAnswer)
    return answer


def rows_of(answer: TopAnswer) -> list[Row]:
    return [
        (
            r.rank,
            r.partner.code,
            ("≥" if r.partial else "") + f"{r.value.value:g}",
            tuple(p.code for p in r.parts),
        )
        for r in answer.rows
    ]


H1 = ("2025-H1",)
SPANS: list[tuple[str, str, list[Row]]] = [
    # germanium: Belgium and Canada are published only for H1 2025
    (
        "germanium",
        "2025-H1",
        [
            (1, "BE", "1950", ()),
            (2, "RU", "1024", ()),
            (3, "JP", "1000", ()),
            (4, "DE", "902", ()),
            (5, "TW", "111", ()),
            (6, "CA", "6", ()),
        ],
    ),
    # the year: each H1 total and the months after it (Russia 1,024 + 19 + 362 + 930)
    (
        "germanium",
        "2025",
        [
            (0, "RU", "≥2335", H1),
            (0, "BE", "≥1950", H1),
            (0, "DE", "≥1676", H1),
            (0, "JP", "≥1352", H1),
            (0, "TW", "≥211", H1),
            (0, "CA", "≥6", H1),
        ],
    ),
    # tungsten has no month at all: Japan's Jan–Nov total, and the year at least that
    ("tungsten", "2025-YTD11", [(0, "JP", "138", ())]),
    ("tungsten", "2025", [(0, "JP", "≥138", ("2025-YTD11",))]),
    # graphite: a Jan–Feb total published for three countries
    ("graphite", "2024-YTD02", [(1, "JP", "1567", ()), (2, "US", "735", ()), (3, "KR", "243", ())]),
    ("antimony", "2023", [(0, "NL", "3011.98", ())]),
    ("dysprosium", "2025", [(0, "KR", "≥2701", ()), (0, "EE", "≥500", ()), (0, "JP", "≥300", ())]),
    ("gallium", "2025", [(0, "DE", "≥22000", ()), (0, "JP", "≥14011", ())]),
    # magnets' span rankings as before: published span totals, the months known otherwise
    (
        "85051110",
        "2025-H1",
        [
            (0, "DE", "5534", ()),
            (0, "US", "2511.4", ()),
            (0, "IN", "≥322", ()),
            (0, "VN", "≥235", ()),
            (0, "TH", "≥200", ()),
            (0, "JP", "≥132", ()),
        ],
    ),
    (
        "85051110",
        "2025-H2",
        [
            (0, "DE", "≥5969.08", ()),
            (0, "US", "3431.45", ()),
            (0, "KR", "≥2238", ()),
            (0, "VN", "≥1699", ()),
            (0, "JP", "≥1271", ()),
            (0, "IN", "≥834", ()),
        ],
    ),
    (
        "85051110",
        "2024",
        [
            (0, "US", "7444", ()),
            (0, "DE", "≥2873", ()),
            (0, "KR", "≥896", ()),
            (0, "JP", "≥792", ()),
            (0, "VN", "≥385", ()),
            (0, "IN", "≥261", ()),
        ],
    ),
    # the year adds Germany's published H1 to its months after it, like germanium's
    (
        "85051110",
        "2025",
        [
            (0, "DE", "≥11503.1", H1),
            (0, "US", "5942.85", ()),
            (0, "KR", "≥2238", ()),
            (0, "VN", "≥1934", ()),
            (0, "JP", "≥1403", ()),
            (0, "IN", "≥1156", ()),
            (0, "TH", "≥200", ()),
        ],
    ),
]


@pytest.mark.parametrize(("series", "code", "expected"), SPANS)
def test_a_span_ranks_every_published_total_and_part(
    snapshot: Snapshot, series: str, code: str, expected: list[Row]
) -> None:
    answer = ranking(snapshot, series, code)
    assert rows_of(answer) == expected
    assert answer.countries == len(expected)


@pytest.mark.parametrize(
    ("series", "code", "covered"),
    [("germanium", "2025-H1", "98.5"), ("tungsten", "2025-YTD11", "56.8")],
)
def test_the_share_covered_counts_the_span_only_countries(
    snapshot: Snapshot, series: str, code: str, covered: str
) -> None:
    answer = ranking(snapshot, series, code)
    assert answer.covered_pct is not None and f"{answer.covered_pct:.1f}" == covered


def _inside(span: Period, period: Period) -> bool:
    return (
        span.year == period.year
        and period.first_month <= span.first_month
        and span.last_month <= period.last_month
    )


def test_no_country_with_a_figure_inside_a_span_is_left_out(snapshot: Snapshot) -> None:
    """For every series and every span the data names (and every year): each country with a
    month or a span total inside it is listed."""
    checked = 0
    for series in snapshot.series:
        metrics = lookup_of(snapshot, series).metrics
        codes = metrics.resolved.periods(metrics.unit)
        years = {Period.parse_code(c).year for c in codes}
        spans = {Period.parse_code(c) for c in codes if not Period.parse_code(c).is_month}
        spans |= {Period.parse_code(str(year)) for year in years}
        for span in spans:
            answer = ranking(snapshot, series, span.code)
            listed = {row.partner.code for row in answer.rows}
            for code in {*metrics.partners(), *metrics.span_partners()}:
                if not is_country(code):
                    continue
                months = any(metrics.figure(code, m) for m in span.months())
                parts = any(_inside(p, span) for p in metrics.spans_of(code))
                if months or parts:
                    assert code in listed, (series, span.code, code)
                    checked += 1
    assert checked > 100


async def said(chat: LocalChat, text: str) -> str:
    texts = replies(await chat.send(text))
    assert texts, text
    for message in texts:
        assert html_problem(message) is None and len(message) <= MAX_MESSAGE
    return "\n".join(to_plain(t) for t in texts)


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        (
            "/top germanium H1 2025",
            [" 1 Belgium         1,950 kg  38.5%", " 6 Canada              6 kg   0.1%"],
            ["Only 4 countries"],
        ),
        (
            "2025年上半年锗排名",
            [" 1 Belgium         1,950 kg  38.5%", "Only 6 countries have a total", "cover 98.5%"],
            ["Only 4 countries"],
        ),
        (
            "/top tungsten",
            ["tungsten (APT), Jan–Nov 2025", "Japan              138 t  56.8%"],
            ["No country has a published figure"],
        ),
        (
            "/top tungsten 2025-YTD11",
            ["Japan              138 t  56.8%", "cover 56.8% of China's total"],
            ["No country has a published figure"],
        ),
        (
            "who bought the most germanium in 2025",
            [
                "Russia         ≥2,335 kg ≥19.9%",
                "Belgium        ≥1,950 kg",
                "Germany        ≥1,676 kg",
                "Japan          ≥1,352 kg",
                "Taiwan           ≥211 kg",
                "Russia: H1 2025 total and 3 of the other 6 months",
                "Belgium: H1 2025 total, none of the other 6 months",
                "too few countries have a total",
            ],
            ["≥1,333 kg", "add up to more than other countries' totals"],
        ),
        (
            "/top 2025",
            ["Germany       ≥11,503.1 t", "Germany: H1 2025 total and 5 of the other 6 months"],
            ["≥6,942.1 t"],
        ),
        (
            "/top H1 2025",
            ["≥: the sum of the months known, no total published (India 2 of 6; Vietnam 1 of 6"],
            [],
        ),
    ],
)
async def test_top_of_a_span_lists_the_span_totals(
    chat: LocalChat, question: str, expected: list[str], absent: list[str]
) -> None:
    text = await said(chat, question)
    for words in expected:
        assert words in text, (question, words, text)
    for words in absent:
        assert words not in text, (question, words)


@pytest.mark.parametrize(
    ("question", "pointer"),
    [
        ("/top gallium", "The latest month with figures by country is October 2025: "),
        ("谁买的镓最多", "The latest month with figures by country is October 2025: "),
        ("/top terbium", "The latest month with figures by country is October 2025: "),
        ("/top dysprosium", "The latest month with broad coverage is October 2025: "),
        ("/top gallium 2025-09", "The latest month with more of them is October 2025: "),
        ("/top antimony 2025", "The latest period with figures by country is 2024: "),
        ("/top tungsten 2024", "The latest period with figures by country is Jan–Nov 2025: "),
        ("/top", "The latest month with broad coverage is December 2025: "),
    ],
)
async def test_a_period_without_country_figures_points_to_the_latest_with_them(
    chat: LocalChat, question: str, pointer: str
) -> None:
    text = await said(chat, question)
    command = {
        "谁买的镓最多": "/top gallium 2025-10",
        "/top gallium": "/top gallium 2025-10",
        "/top terbium": "/top terbium 2025-10",
        "/top dysprosium": "/top dysprosium 2025-10",
        "/top gallium 2025-09": "/top gallium 2025-10",
        "/top antimony 2025": "/top antimony 2024",
        "/top tungsten 2024": "/top tungsten 2025-YTD11",
        "/top": "/top 2025-12",
    }[question]
    assert pointer + command in text, text


async def test_a_series_with_only_chinas_total_says_so(chat: LocalChat) -> None:
    text = await said(chat, "/top rare earths")
    assert "The sources give only China's total for rare earths, not a figure by country" in text


CHARTED = [(series, code) for series, code, _ in SPANS]


@pytest.mark.parametrize(("series", "code"), CHARTED)
def test_the_ranking_chart_of_a_span_draws_the_same_ranking(
    snapshot: Snapshot, series: str, code: str
) -> None:
    lookup = lookup_of(snapshot, series)
    answer = ranking(snapshot, series, code)
    chart = visuals.chart(lookup, f"top {code}")
    assert isinstance(chart, visuals.RankingChart), chart
    bars = chart.series.bars
    assert [b.label for b in bars] == [r.partner.name for r in answer.rows]
    assert [b.value for b in bars] == [r.value.value for r in answer.rows]
    assert [b.lower_bound for b in bars] == [
        r.partial is not None or r.value.is_lower_bound for r in answer.rows
    ]
    assert chart.total == answer.world
    caption = phone.chart_caption(chart, lookup.info)
    assert html_problem(caption, phone.MAX_CAPTION) is None


def test_a_span_chart_labels_lower_bounds_and_shares(snapshot: Snapshot) -> None:
    chart = visuals.chart(lookup_of(snapshot, "germanium"), "top 2025")
    assert isinstance(chart, visuals.RankingChart)
    assert chart.series.subtitle == "2025, kg · China's total: ≈11,756† kg"
    labels = [t.get_text() for t in draw_ranking(chart.series).axes[0].texts]
    assert labels[-1] == " 2,335+ kg (20%+)" and labels[-2] == " 1,950+ kg (17%+)"
    h1 = visuals.chart(lookup_of(snapshot, "germanium"), "top H1 2025")
    assert isinstance(h1, visuals.RankingChart)
    assert [b.value_label for b in h1.series.bars][:2] == ["1,950", "1,024"]


@pytest.mark.parametrize(
    ("command", "caption"),
    [
        ("/chart top tungsten", "Partners, Jan–Nov 2025</b>: China's total 243 t"),
        ("/chart top germanium H1 2025", "Partners, H1 2025</b>: China's total 5,068 kg"),
        ("/chart germanium top 2025年上半年", "Table and sources: /top germanium 2025-H1"),
    ],
)
async def test_chart_top_of_a_span_is_a_chart(chat: LocalChat, command: str, caption: str) -> None:
    calls = await chat.send(command)
    assert [c.method for c in calls] == ["sendPhoto"], calls
    assert caption in str(calls[0].params["caption"])


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "/chart top tungsten 2024",
            "No country has a figure for tungsten (APT) in 2024, only China's total (782 t), so "
            "there is no partner chart. The latest period with figures by country: "
            "/chart tungsten top 2025-YTD11.",
        ),
        ("/chart top rare earths 2025", "The sources give only China's total for rare earths"),
        ("/chart top germanium foo 2025", "I couldn't read “foo” as a period."),
    ],
)
async def test_a_span_chart_without_countries_says_where_they_are(
    chat: LocalChat, command: str, expected: str
) -> None:
    calls = await chat.send(command)
    assert [c.method for c in calls] == ["sendMessage"]
    assert expected in to_plain(str(calls[0].params["text"]))


def test_the_top_of_every_series_latest_period_is_valid_html(snapshot: Snapshot) -> None:
    for series in snapshot.series:
        lookup = lookup_of(snapshot, series)
        found = lookup.resolve(Latest())
        assert isinstance(found, Resolved), series
        for message in top(lookup.top_for(found.period)):
            assert html_problem(message) is None and len(message) <= MAX_MESSAGE
