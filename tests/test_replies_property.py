"""Whatever anyone types, every reply is valid Telegram HTML within 4096 characters."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation import ask
from bot.lookup import Lookup, NoFigure
from bot.render import answers, conversation, phone, sources, summary
from bot.render.telegram_html import html_problem
from bot.render.visuals import CsvExport, MonthlyChart, RankingChart, chart, csv_export

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
        *answers.exports(lookup.exports(text)),
        *sources.sources(lookup.exports(text)),
        *summary.summary(lookup.summary(text)),
        *(
            message
            for intent in ("exports", "top", "summary")
            for message in conversation.reply(ask(lookup, text, intent, plain=True))
        ),
    ]
    for reply in replies:
        assert html_problem(reply) is None, (text, reply)
    for request in (text, f"top {text}"):
        answer = chart(lookup, request)
        if isinstance(answer, MonthlyChart | RankingChart):
            caption = phone.chart_caption(answer)
            assert html_problem(caption, 1024) is None, (request, caption)
        elif isinstance(answer, NoFigure):
            assert html_problem(answers.no_figure(answer, "chart")) is None
        else:
            assert html_problem(answers.problem(answer)) is None
    export = csv_export(lookup, text)
    if isinstance(export, CsvExport):
        assert html_problem(phone.csv_caption(export), 1024) is None or not export.rows
    else:
        assert html_problem(answers.problem(export)) is None
