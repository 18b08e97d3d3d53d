"""Whatever anyone types, every reply is valid Telegram HTML within 4096 characters."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import render, render_phone, render_sources, render_summary
from bot.lookup import Lookup, NoFigure
from bot.telegram_html import html_problem
from bot.visuals import CsvExport, MonthlyChart, RankingChart, chart, csv_export

WORDS = st.sampled_from(
    [
        "US",
        "india",
        "美国",
        "EU",
        "Congo",
        "Germny",
        "<b>",
        "&",
        "June",
        "2025-06",
        "H1",
        "2025",
        "6月",
        "latest",
        "13",
        "_*[",
        "🇯🇵",
        "مصر",
        "\u202e",
        "0",
    ]
)
TEXTS = st.one_of(st.text(max_size=120), st.lists(WORDS, max_size=5).map(" ".join))


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(TEXTS)
def test_every_reply_is_valid_html_within_the_limit(lookup: Lookup, text: str) -> None:
    replies = [
        *render.exports(lookup.exports(text)),
        *render.question(lookup.question(text)),
        *render_sources.sources(lookup.exports(text)),
        *render.top(lookup.top(text)),
        *render_summary.summary(lookup.summary(text)),
    ]
    for reply in replies:
        assert html_problem(reply) is None, (text, reply)
    for request in (text, f"top {text}"):
        answer = chart(lookup, request)
        if isinstance(answer, MonthlyChart | RankingChart):
            caption = render_phone.chart_caption(answer)
            assert html_problem(caption, 1024) is None, (request, caption)
        elif isinstance(answer, NoFigure):
            assert html_problem(render.no_figure(answer, "chart")) is None
        else:
            assert html_problem(render.problem(answer)) is None
    export = csv_export(lookup, text)
    if isinstance(export, CsvExport):
        assert html_problem(render_phone.csv_caption(export), 1024) is None or not export.rows
    else:
        assert html_problem(render.problem(export)) is None
