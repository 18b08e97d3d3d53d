"""``/help`` and ``/start``: what the bot does, the materials, every command with an example,
and the data's coverage, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.data.series import SeriesInfo
from bot.i18n import Language, tr
from bot.i18n.formats import listing, partner_name, period_label
from bot.metrics import Coverage
from bot.reading.partners import GROUPINGS, partner
from bot.render.format import esc
from bot.render.materials import materials_help


def help_text(
    coverage: Coverage,
    greeting: bool = False,
    materials: Sequence[SeriesInfo] | None = None,
    language: Language = "en",
) -> str:
    """``/help`` (and ``/start`` with ``greeting``): the materials (``materials``, else the
    project's catalog), the commands with examples, and the default series' coverage."""
    names = listing(
        (
            esc(partner_name(partner(code), language))
            for code in coverage.partners
            if code not in GROUPINGS and len(code) == 2  # the EU is named after them
        ),
        language,
    )
    intro = tr(language, "👋 Hello! ") if greeting else ""
    return "\n".join(
        [
            intro
            + tr(
                language,
                "<b>ExportWatch</b> tells you how much of each export-controlled material "
                "China sells to whom, month by month, and where every figure comes from.",
            ),
            "",
            *materials_help(materials, language),
            "",
            "<b>" + tr(language, "Commands") + "</b>",
            tr(language, "/exports US: tonnes, changes, share and rank for the latest month"),
            tr(language, "/exports US 2025-06 · /exports India May 2025 · /exports 美国 6月"),
            tr(language, "/exports EU H1 2025: a half, quarter, year or year to date"),
            tr(language, "/exports: China's total for the latest month"),
            tr(language, "/exports US vs DE: partners side by side"),
            tr(
                language,
                "/top 2025-06 5 · /top H1 2025: partners ranked for a month or a span (1 to 50)",
            ),
            tr(
                language,
                "/chart US · /chart DE 2025 · /chart top 2025-06: charts to see the trend",
            ),
            tr(language, "/csv US 2025 · /csv all: the figures and their sources as a CSV file"),
            tr(language, "/summary 2025-06: the month's news summary"),
            tr(
                language,
                "/sources US 2025-06: the source of every figure, derivations and alternates",
            ),
            tr(
                language,
                "/comtrade US 2025-06: UN Comtrade's HS 850511, a broader product, kept apart",
            ),
            tr(
                language,
                "/subscribe: the monthly summary here as soon as a month is published "
                "(group admins; in a forum topic, to that topic) · /unsubscribe · /status",
            ),
            tr(
                language,
                "/alert US mom &lt; -25% · /alert DE share &gt; 30% · /alert 美国 创纪录: an "
                "alert in plain words, said back before it is saved (group admins) · /alerts "
                "lists them, with a button to delete each",
            ),
            tr(
                language,
                "/watch DE JP KR · /watch 镓 DE JP: the partners this chat watches · /watch "
                "shows them · /watch off",
            ),
            tr(
                language,
                "/settings: this chat's language, time zone, delivery hours and materials "
                "(group admins change them) · /lang zh · /lang en",
            ),
            tr(language, "/help: this message"),
            "",
            tr(
                language,
                "Or just ask: “How much did China export to the US in June 2025?”, “india "
                "may”, “top 5 in June”, “德国 2025年第三季度”, “美国和德国”, then “what about "
                "Japan?” or “那日本呢?”. In a group, mention me or reply to me. In any chat, "
                "type @ and my name followed by a country to share an answer.",
            ),
            "",
            "<b>" + tr(language, "Data") + "</b>",
            tr(
                language,
                "Rare-earth magnets (China tariff line 85051110): {first} to {last}; every "
                "material's months: /materials",
                first=esc(period_label(coverage.first_month, language)),
                last=esc(period_label(coverage.last_month, language)),
            ),
            tr(
                language,
                "Countries with magnet figures: {names}; also the EU-27 and China's total",
                names=names,
            ),
            tr(
                language,
                "{figures} figures from {sources} sources: official customs files when "
                "imported, and published reports (Reuters, SCMP, Shanghai Metals Market, "
                "Adamas, S&amp;P Global and others).",
                figures=coverage.figures,
                sources=coverage.sources,
            ),
            tr(
                language,
                "≈ marks a derived figure. A month the sources do not give is missing, never zero.",
            ),
        ]
    )
