"""Short texts for phones: chart captions, inline-mode previews, the CSV message."""

from __future__ import annotations

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo
from bot.i18n import Language, tr
from bot.i18n.formats import period_label
from bot.metrics import WORLD, MonthMetrics, SpanMetrics
from bot.reading.partners import partner
from bot.render.charts import legend_keys
from bot.render.format import change_pct, count, esc, share, sourced_tonnes
from bot.render.visuals import CsvExport, MonthlyChart, RankingChart
from bot.series_choice import series_word

MAX_CAPTION = 1024
CAPTION_MARKS = {  # the chart's marks, explained when the chart uses them
    "derived": "≈ derived figure (lighter, hatched)",
    "lower_bound": "+ at least (the source gives a lower bound)",
    "low": "† low-reliability source",
    "missing": "n/a: not published, never zero",
}


def one_line(m: MonthMetrics | SpanMetrics, language: Language = "en") -> str:
    """``March 2026: 406 t · m/m -9.6% · y/y -30.6%`` (plain text, for previews)."""
    when = period_label(m.period, language)
    if isinstance(m, SpanMetrics):
        total = m.total.value
        amount = sourced_tonnes(total, language) if total else tr(language, "not known")
        line = tr(language, "{period}: {amount}", period=when, amount=amount)
        if m.yoy:
            line += " · " + tr(language, "y/y {change}", change=change_pct(m.yoy, language))
        return line
    amount = sourced_tonnes(m.tonnes, language) if m.tonnes else tr(language, "no figure")
    parts = [tr(language, "{period}: {amount}", period=when, amount=amount)]
    if m.mom is not None:
        parts.append(tr(language, "m/m {change}", change=change_pct(m.mom, language)))
    if m.yoy is not None:
        parts.append(tr(language, "y/y {change}", change=change_pct(m.yoy, language)))
    if m.partner != WORLD and m.share_pct is not None:
        floor = m.tonnes is not None and m.tonnes.is_lower_bound
        part = share(m.share_pct, floor, language)
        parts.append(tr(language, "{share} of total", share=part))
    return " · ".join(parts)


def _material(info: SeriesInfo | None) -> tuple[str, str]:
    """The material's name to lead a caption (none for magnets, the default) and its word
    in commands: (``"Gallium: "``, ``" gallium"``)."""
    if info is None or info.key == CUSTOMS_SERIES or info.reference:
        return "", ""
    return f"{info.name[:1].upper()}{info.name[1:]}: ", f" {series_word(info.key)}"


def chart_caption(answer: MonthlyChart | RankingChart, info: SeriesInfo | None = None) -> str:
    """The caption under a chart; ``info`` is the series', named unless it is magnets."""
    lead, word = _material(info)
    if isinstance(answer, MonthlyChart):
        who = answer.partner
        name = "China's total" if who.code == WORLD else who.name
        keys = legend_keys(answer.series.bars)
        marks = " · ".join(CAPTION_MARKS[key] for key in keys if key in CAPTION_MARKS)
        text = (
            f"{who.flag} <b>{esc(lead)}{esc(name)}</b>, latest in range: "
            f"{esc(one_line(answer.latest))}\n"
            + (f"{marks}.\n" if marks else "")
            + f"Sources: /sources{esc(word)}{'' if who.code == WORLD else ' ' + who.code} "
            f"{answer.latest.period.code}"
        )
    else:
        world = answer.total
        total = sourced_tonnes(world) if world else "not published"
        series, code = answer.series, answer.period.code
        shown = len(series.bars)
        drawn = (
            f"; the top {shown} of {shown + series.more} are drawn (/top {code} 50 lists 50)"
            if series.more
            else ""
        )
        drawn = drawn.replace(f"/top {code}", f"/top{word} {code}")
        text = (
            f"🏆 <b>{esc(lead)}Partners, {esc(answer.period.label)}</b>: China's total {total}. "
            f"Only countries with a published figure are shown{esc(drawn)}.\n"
            f"Table and sources: /top{esc(word)} {code}"
        )
    return text[:MAX_CAPTION]


def csv_caption(export: CsvExport, info: SeriesInfo | None = None) -> str:
    """The message with a CSV file; ``info`` is the series', named with its unit."""
    partners = sorted({row["partner"] for row in export.rows})
    names = ", ".join(esc(partner(code).name) for code in partners[:6])
    more = f" and {len(partners) - 6} more" if len(partners) > 6 else ""
    lead, _ = _material(info)
    quantity = "tonnes" if info is None or info.unit == "tonnes" else f"quantity in {info.unit}"
    return (
        f"📄 {esc(lead)}{count(len(export.rows), 'row', 'rows')}: period, partner, {quantity}, "
        "USD, status and "
        f"source of each figure the bot uses ({names}{more})."
    )[:MAX_CAPTION]
