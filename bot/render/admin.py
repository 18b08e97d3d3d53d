"""Telegram HTML for the operator's ``/reload`` (what the new data changed, or why not) and
the alerts block of ``/preview`` (which alerts the latest month would fire, which it could not
check).

Each series is named from its description (a catalog: the project's unless one is given) and
its quantities carry their unit (``t``, ``kg``).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.alerts.describe import describe
from bot.alerts.firing import Firing, Unchecked
from bot.data.dataset import DataFileError, exact
from bot.data.series import UNITS, Catalog, project_catalog
from bot.datastore import DataChanges, StillChanging, ValueChange
from bot.i18n import Language, tr
from bot.i18n.formats import clauses, listing, partner_name, period_label, say
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.records import Alert, ReleaseReport
from bot.render.alert_message import figure_text, unchecked
from bot.render.format import amount, colon, esc, fit

LISTED = 10  # changed figures listed by name; the rest are counted
MAX_ERROR = 3000  # characters of a loader's message, so the reply stays one message


def series_name(series: str, catalog: Catalog | None = None) -> str:
    """The operator's name of a series: ``China 85051110`` (a tariff line's key),
    ``China gallium``, ``UN Comtrade HS 850511`` (a reference series); an undescribed key
    as ``China <key>``."""
    info = (catalog or project_catalog()).get(series)
    if info is None or series in info.codes:
        return f"China {series}"
    return info.name if info.reference else f"China {info.name}"


def _amount(value: float | None, metric: str, language: Language) -> str:
    if value is None:
        return tr(language, "none")
    text = exact(value)
    if metric == "usd":
        return f"${text}"
    unit = next((name for name in UNITS if name in metric), "")
    return amount(text, unit, language) if unit else text


def _change(change: ValueChange, language: Language) -> str:
    period, code, metric = change.key
    label = period_label(Period.parse_code(period), language)
    what = f"{partner_name(partner(code), language)}, {label}"
    if metric not in UNITS:
        what += f" ({metric})"
    before = _amount(change.before, metric, language)
    after = _amount(change.after, metric, language)
    return "• " + colon(esc(what), f"{before} → {after}", language)


def _series_lines(changes: DataChanges, catalog: Catalog | None, language: Language) -> list[str]:
    lines: list[str] = []
    for series, series_changes in changes.changes.items():
        if series_changes:
            lines += _series_block(series, series_changes, catalog, language)
    return lines


def _series_block(
    series: str,
    changes: tuple[ValueChange, ...],
    catalog: Catalog | None = None,
    language: Language = "en",
) -> list[str]:
    added = sum(1 for c in changes if c.before is None)
    withdrawn = sum(1 for c in changes if c.after is None)
    revised = len(changes) - added - withdrawn
    name = f"<b>{esc(series_name(series, catalog))}</b>"
    counts = tr(
        language,
        "{added} added, {revised} revised, {withdrawn} withdrawn",
        added=added,
        revised=revised,
        withdrawn=withdrawn,
    )
    lines = [colon(name, counts, language)]
    lines += [_change(c, language) for c in changes if c.before is not None][:LISTED]
    if revised + withdrawn > LISTED:
        lines.append(tr(language, "… and {n} more", n=revised + withdrawn - LISTED))
    return lines


def reload_report(
    changes: DataChanges,
    releases: ReleaseReport | None,
    catalog: Catalog | None = None,
    language: Language = "en",
) -> list[str]:
    """What ``/reload`` found: version, new imports, changed figures (each series named from
    ``catalog``, the project's by default), what was queued."""
    if changes.unchanged:
        version = f"<code>{esc(changes.after)}</code>"
        return [
            "✅ "
            + tr(language, "The data folder is unchanged (version {version}).", version=version)
        ]
    lines = [
        "🔄 "
        + tr(
            language,
            "<b>Data reloaded</b>: version {before} → {after}",
            before=f"<code>{esc(changes.before)}</code>",
            after=f"<code>{esc(changes.after)}</code>",
        )
    ]
    for record in changes.new_imports:
        lines.append(
            tr(
                language,
                "New {label}: {figures} figures ({added} new, {revised} revised)",
                label=esc(record.label),
                figures=record.figures,
                added=record.added,
                revised=record.revised,
            )
        )
    lines += _series_lines(changes, catalog, language)
    if releases is not None and (releases.announced or releases.revised):
        parts = []

        def labels(months: list[str]) -> str:
            listed = (period_label(Period.parse_code(m), language) for m in months)
            return esc(listing(listed, language))

        if releases.announced:
            parts.append(tr(language, "new month {months}", months=labels(releases.announced)))
        if releases.revised:
            parts.append(
                tr(language, "revision notice for {months}", months=labels(releases.revised))
            )
        lines.append(
            tr(
                language,
                "Queued {n} message(s): {parts}",
                n=releases.queued,
                parts=clauses(parts, language),
            )
        )
    return fit(["\n".join(lines)])


def reload_held(
    changes: DataChanges, catalog: Catalog | None = None, language: Language = "en"
) -> list[str]:
    """A reload held back because it would withdraw figures, and how to apply it."""
    held = tr(
        language,
        "<b>Reload held back</b>: the data folder's version {after} would withdraw {n} figures. "
        "Still serving version {before}; nothing is announced or sent.",
        after=f"<code>{esc(changes.after)}</code>",
        n=changes.withdrawn,
        before=f"<code>{esc(changes.before)}</code>",
    )
    lines = [
        "⏸ " + held,
        *_series_lines(changes, catalog, language),
        tr(
            language,
            "A file cut short (a copy caught mid-write) withdraws figures: restore it and "
            "/reload. If the withdrawal is meant, send /reload confirm to apply this version.",
        ),
    ]
    return fit(["\n".join(lines)])


def reason(error: DataFileError, language: Language = "en") -> str:
    """The loader's reason in ``language``, as Telegram HTML: its file, line and the values
    the file holds escaped, at most :data:`MAX_ERROR` characters (``bad.csv, line 7: …``,
    ``bad.csv，第7行：…``)."""
    return esc(say(error.said, language, escape=False)[:MAX_ERROR])


def reload_rejected(error: DataFileError, version: str, language: Language = "en") -> str:
    """A reload refused: the loader's reason in the reader's language, and what to do."""
    why = reason(error, language)
    serving = f"<code>{esc(version)}</code>"
    if isinstance(error, StillChanging):
        return "⏳ " + tr(
            language,
            "<b>Not reloaded yet</b>: {why}\nStill serving the previous data (version "
            "{version}). /reload again once the copy has finished.",
            why=why,
            version=serving,
        )
    return "⚠️ " + tr(
        language,
        "<b>Reload rejected</b>: {why}\nStill serving the previous data (version {version}). "
        "Fix the file and /reload again.",
        why=why,
        version=serving,
    )


def _chat(alert: Alert, language: Language) -> str:
    """``chat -1001234`` or ``chat -1001234, topic 7``."""
    if alert.thread_id:
        return tr(language, "chat {chat}, topic {topic}", chat=alert.chat_id, topic=alert.thread_id)
    return tr(language, "chat {chat}", chat=alert.chat_id)


def alerts_preview(
    found: Sequence[tuple[Alert, Firing | Unchecked]], language: Language = "en"
) -> list[str]:
    """``/preview``'s alerts: those the latest month of their series would fire (the chat,
    the rule in words and the figure), and those it could not check, with why."""
    fired = [(a, o) for a, o in found if isinstance(o, Firing)]
    skipped = [(a, o) for a, o in found if isinstance(o, Unchecked)]
    if not found:
        none = tr(language, "No alert would fire on the latest month; none is left unchecked.")
        return ["🔔 " + none]
    lines = ["🔔 " + tr(language, "<b>Alerts the latest month would fire</b>: {n}", n=len(fired))]
    for alert, firing in fired:
        assert isinstance(firing, Firing)
        lines.append(
            "• "
            + tr(
                language,
                "{chat}: {rule} — {figure}",
                chat=esc(_chat(alert, language)),
                rule=describe(alert.rule, language),
                figure=figure_text(firing.figure, None, language),
            )
        )
    if skipped:
        lines.append(tr(language, "<b>Not checked</b>: {n}", n=len(skipped)))
        for alert, outcome in skipped:
            assert isinstance(outcome, Unchecked)
            lines.append(
                "• " + colon(esc(_chat(alert, language)), unchecked(outcome, language), language)
            )
    return fit(["\n".join(lines)])
