"""The message an alert sends when it fires, and the short one a revision sends when it makes a
month cross a rule's line or no longer cross it, in English or Chinese.

``🔔 United States, June 2025: 353 t¹, −52% y/y, as reported² (vs ≈735 t² in June 2024) —
below your line of −25%.``, then the rule in words (:func:`bot.alerts.describe.describe`), the
legend of the marks shown and the sources, footnoted as the answers are (a mark means the same
source as in ``/exports``), and the command that gives the whole answer. A revision:
``✏️ Revised: United States, June 2025: … — it now crosses your line.``

Every dynamic value is escaped; a message is one Telegram message (at most 4096 characters):
when the sources' links would not fit, they are listed without links, then only the first of
them with the command that lists them all. :func:`unchecked` says why a rule could not be
checked (for ``/preview``).
"""

from __future__ import annotations

from bot.alerts.describe import describe, threshold_text
from bot.alerts.firing import Crossing, Direction, Firing, Outcome, Quiet, Unchecked
from bot.alerts.history import Record
from bot.alerts.rules import AlertRule, Comparison, Metric
from bot.alerts.stated import Stated
from bot.data.dataset import CUSTOMS_SERIES
from bot.figures import Sourced, Total
from bot.i18n import Language, tr
from bot.i18n.formats import partner_name, period_label, say
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.format import (
    MAX_MESSAGE,
    Footnotes,
    change_pct,
    esc,
    legend,
    share,
    sourced_tonnes,
)
from bot.render.nearby import command_arg, series_command
from bot.series_choice import material_name

MINUS = "−"


def _minus(text: str) -> str:
    """A number's sign as a true minus, as the rule's threshold is written."""
    return text.replace("-", MINUS)


def _who(rule: AlertRule, language: Language) -> str:
    """The partner as the rule names it, with its material unless magnets."""
    who = esc(partner_name(partner(rule.partner), language))
    if rule.series != CUSTOMS_SERIES:
        material = esc(material_name(rule.series, language))
        who = tr(language, "{partner} ({material})", partner=who, material=material)
    return who


def _where(rule: AlertRule, period: Period, language: Language) -> str:
    """``<b>United States, June 2025</b>``; for the year to date its span, ``H1 2025``."""
    shown = period.year_to_date() if rule.metric is Metric.YTD else period
    when = esc(period_label(shown, language))
    return "<b>" + tr(language, "{who}, {period}", who=_who(rule, language), period=when) + "</b>"


class _Marks:
    """Writes figures with the footnote mark of their source (or without, for a figure
    before a revision, whose sources are not listed)."""

    def __init__(self, notes: Footnotes | None, language: Language) -> None:
        self.notes = notes
        self.language = language

    def mark(self, item: Sourced) -> str:
        return self.notes.mark(item) if self.notes is not None else ""

    def amount(self, item: Sourced, bold: bool = False) -> str:
        """``353 t¹``; ``<b>353 t</b>¹`` in bold."""
        shown = sourced_tonnes(item, self.language)
        return (f"<b>{shown}</b>" if bold else shown) + self.mark(item)


def _how_total(total: Total, language: Language) -> str:
    """How a year to date was found, as ``/exports`` says it."""
    basis = total.basis or "derived"
    if basis == "published":
        return tr(language, "published total")
    if basis == "derived":
        return tr(language, "derived total: computed from a published figure and a percentage")
    if total.sources > 1:
        if basis == "sum":
            return tr(language, "sum of the months, from {n} sources", n=total.sources)
        return tr(language, "sum of the months, some derived, from {n} sources", n=total.sources)
    if basis == "sum":
        return tr(language, "sum of the months")
    return tr(language, "sum of the months, some derived")


def figure_text(figure: Stated, notes: Footnotes | None, language: Language) -> str:
    """The figure a rule watches as the answer states it, with its marks: ``<b>353 t</b>¹``,
    ``353 t¹, <b>−52%</b> y/y, as reported³ (vs ≈735 t³ in June 2024)``, ``<b>11.1%</b> of
    China's total (353 t¹ of 3,188 t¹)``, ``<b>#2</b> of 5 countries with a figure (353 t¹)``."""
    marks = _Marks(notes, language)
    metric = figure.metric
    if metric is Metric.TONNES:
        return marks.amount(figure.quantity, bold=True)
    if metric is Metric.YTD:
        assert figure.total is not None
        how = _how_total(figure.total, language)
        amount = marks.amount(figure.quantity, bold=True)
        return tr(language, "{amount} in the year to date ({how})", amount=amount, how=how)
    quantity = marks.amount(figure.quantity)
    if metric in (Metric.MOM, Metric.YOY):
        return _change_text(figure, quantity, marks, language)
    if metric is Metric.SHARE:
        assert figure.world is not None
        stated = share(float(figure.value), figure.quantity.is_lower_bound, language)
        return tr(
            language,
            "<b>{share}</b> of China's total ({amount} of {total})",
            share=stated,
            amount=quantity,
            total=marks.amount(figure.world),
        )
    return tr(
        language,
        "<b>#{rank}</b> of {ranked} countries with a figure ({amount})",
        rank=figure.rank,
        ranked=figure.ranked,
        amount=quantity,
    )


def _change_text(figure: Stated, quantity: str, marks: _Marks, language: Language) -> str:
    change = figure.change
    assert change is not None
    pct = f"<b>{_minus(change_pct(change, language))}</b>"
    if figure.metric is Metric.MOM:
        stated = tr(language, "{pct} m/m", pct=pct)
    else:
        stated = tr(language, "{pct} y/y", pct=pct)
    if change.published is not None:
        mark = marks.notes.mark_change(change.published) if marks.notes is not None else ""
        stated = tr(language, "{change}, as reported{mark}", change=stated, mark=mark)
    else:
        stated = tr(language, "{change}, computed", change=stated)
    base = change.base
    return tr(
        language,
        "{amount}, {change} (vs {base} in {period})",
        amount=quantity,
        change=stated,
        base=marks.amount(base),
        period=esc(period_label(base.period, language)),
    )


def _meets(firing: Firing, notes: Footnotes | None, language: Language) -> str:
    """How the figure meets the rule: ``below your line of −25%``, ``in your top 3``, ``the
    highest in the data's history (the previous high: …)``."""
    rule = firing.rule
    if firing.record is not None:
        return _record_text(firing.record, notes, language)
    if rule.metric is Metric.RANK:
        place = int(rule.threshold or 0)
        if rule.comparison is Comparison.AT_MOST:
            return tr(language, "in your top {n}", n=place)
        return tr(language, "at place #{n} or lower, as your alert asks", n=place)
    line = threshold_text(rule, language)
    if firing.comparison is Comparison.BELOW:
        return tr(language, "below your line of {line}", line=line)
    if firing.comparison is Comparison.ABOVE:
        return tr(language, "above your line of {line}", line=line)
    if firing.comparison is Comparison.AT_MOST:
        return tr(language, "at or below your line of {line}", line=line)
    return tr(language, "at or above your line of {line}", line=line)


def _record_value(record: Record, notes: Footnotes | None, language: Language) -> str:
    figure = record.previous.figure
    if figure.metric is Metric.SHARE:
        return share(float(figure.value), figure.quantity.is_lower_bound, language)
    return _Marks(notes, language).amount(figure.quantity)


def _record_text(record: Record, notes: Footnotes | None, language: Language) -> str:
    values = {
        "value": _record_value(record, notes, language),
        "period": esc(period_label(record.previous.period, language)),
        "n": record.months,
    }
    if record.kind is Comparison.RECORD_HIGH:
        return tr(
            language,
            "the highest in the data's history (the previous high: {value} in {period}, of "
            "{n} earlier months)",
            **values,
        )
    return tr(
        language,
        "the lowest in the data's history (the previous low: {value} in {period}, of "
        "{n} earlier months)",
        **values,
    )


def _your_alert(rule: AlertRule, language: Language) -> str:
    return "<i>" + tr(language, "Your alert: {rule}", rule=describe(rule, language)) + "</i>"


def _command(name: str, rule: AlertRule, period: Period) -> str:
    """``/exports US 2025-06``, ``/sources gallium 2025-10``: the command that gives the
    rule's figure for ``period`` (the year to date's: ``/exports US 2025-YTD06``)."""
    asked = period.year_to_date() if rule.metric is Metric.YTD else period
    who = command_arg(partner(rule.partner))
    return esc(f"/{series_command(name, rule.series)}{who} {asked.code}")


def _detail(rule: AlertRule, period: Period, language: Language) -> str:
    """``Detail: /exports US 2025-06``."""
    return tr(language, "Detail: {command}", command=_command("exports", rule, period))


def _sources(notes: Footnotes, rule: AlertRule, period: Period, language: Language) -> list[str]:
    """The sources block in as many forms as may be needed to fit: with links, titles only,
    then the first titles and the command that lists them all."""
    if not notes.lines():
        return [""]
    heading = "<b>" + tr(language, "Sources") + "</b>\n"
    linked = heading + "\n".join(notes.lines())
    titles = [line.split(" ", 1)[0] + " " + _title(line) for line in notes.lines()]
    plain = heading + "\n".join(titles)
    command = _command("sources", rule, period)
    every = tr(language, "Every figure's source: {command}", command=command)
    shorter = [heading + "\n".join(titles[:n]) + f"\n… {every}" for n in range(len(titles), -1, -1)]
    return [linked, plain, *shorter]


def _title(line: str) -> str:
    """A source's title without its link (the title is escaped already)."""
    body = line.split(" ", 1)[1]
    if body.startswith("<a "):
        return body[body.index(">") + 1 : body.rindex("</a>")]
    return body


def _message(head: list[str], tail: list[str], sources: list[str]) -> str:
    """The head, each sources block in turn until the message fits, and the tail."""
    for block in sources:
        text = "\n\n".join(part for part in [*head, block, *tail] if part)
        if len(text) <= MAX_MESSAGE:
            return text
    return "\n\n".join(part for part in [*head, *tail] if part)[:MAX_MESSAGE]


def alert_message(firing: Firing, language: Language = "en") -> str:
    """The message an alert sends when it fires: the figure with its marks, how it meets the
    rule, the rule in words, the legend of the marks shown, the sources and the command."""
    rule = firing.rule
    notes = Footnotes()
    figure = figure_text(firing.figure, notes, language)
    meets = _meets(firing, notes, language)
    head = "🔔 " + tr(
        language,
        "{where}: {figure} — {meets}.",
        where=_where(rule, firing.period, language),
        figure=figure,
        meets=meets,
    )
    body = ["\n".join([head, _your_alert(rule, language)]), *legend(notes.shown, language)]
    sources = _sources(notes, rule, firing.period, language)
    return _message(body, [_detail(rule, firing.period, language)], sources)


def _outcome_text(outcome: Outcome, notes: Footnotes | None, language: Language) -> str:
    """A side of a revision: its figure, or why there is none (a figure withdrawn)."""
    if isinstance(outcome, Firing | Quiet) or outcome.figure is not None:
        figure = outcome.figure
        assert figure is not None
        return figure_text(figure, notes, language)
    return say(outcome.missing.why, language)


def revised_message(crossing: Crossing, language: Language = "en") -> str:
    """The short message of a revision that makes a month cross a rule's line (``now``) or
    no longer cross it: the figure now, the one before, the rule in words and the sources of
    the figure now."""
    rule, period = crossing.rule, crossing.period
    notes = Footnotes()
    after = _outcome_text(crossing.after, notes, language)
    before = _outcome_text(crossing.before, None, language)
    now = crossing.direction is Direction.NOW_CROSSES
    record = crossing.firing.record
    if record is None:
        if now:
            what = tr(language, "it now crosses your line")
        else:
            what = tr(language, "it no longer crosses your line")
    elif record.kind is Comparison.RECORD_HIGH:
        if now:
            what = tr(language, "it is now the highest in the data's history")
        else:
            what = tr(language, "it is no longer the highest in the data's history")
    elif now:
        what = tr(language, "it is now the lowest in the data's history")
    else:
        what = tr(language, "it is no longer the lowest in the data's history")
    head = "✏️ " + tr(
        language,
        "<b>Revised</b>: {where}: {figure} (before the revision: {before}) — {what}.",
        where=_where(rule, period, language),
        figure=after,
        before=before,
        what=what,
    )
    body = ["\n".join([head, _your_alert(rule, language)]), *legend(notes.shown, language)]
    return _message(
        body, [_detail(rule, period, language)], _sources(notes, rule, period, language)
    )


def unchecked(outcome: Unchecked, language: Language = "en") -> str:
    """Why a rule could not be checked for a month, for ``/preview``: ``United States, May
    2025: not checked: a record needs 12 earlier months with a figure; there are 11 before May
    2025``."""
    return tr(
        language,
        "{where}: not checked: {why}",
        where=_where(outcome.rule, outcome.period, language),
        why=say(outcome.missing.why, language),
    )
