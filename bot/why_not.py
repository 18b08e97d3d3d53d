"""Why the metrics set a figure aside or give no value per unit: the figures do not belong
together. Each reason is said where it is made (:class:`~bot.i18n.Said`), its period and
quantities named in the reader's language when shown (``June 2025`` / ``2025年6月``,
``353.48 t`` / ``353.48 吨``).
"""

from __future__ import annotations

from bot.data.dataset import Figure
from bot.data.resolve import Resolved
from bot.figures import Sourced
from bot.i18n import Quantity, Said, said
from bot.reading.periods import Period


def _source(figure: Figure) -> str:
    return figure.source_url or figure.source_title


def total_set_aside(published: Resolved, months: list[Resolved], unit: str) -> Said | None:
    """Why a published total cannot stand beside the chosen months: its own source reported
    a month that the sources' chosen figure contradicts (``None`` when none), in ``unit``
    (``tonnes`` or ``kg``)."""
    source = _source(published.chosen)
    for month in months:
        for figure in month.candidates:
            if figure.is_reported and _source(figure) == source and figure not in month.agreeing:
                return said(
                    "its source counts {period} as {amount}, where the sources' {used} is used",
                    period=Period.parse_code(month.period),
                    amount=Quantity(figure.value, unit),
                    used=Quantity(month.value, unit),
                )
    return None


def no_value_per_unit(
    value: Sourced, amount: Sourced, quantity: Resolved | None, unit: str
) -> Said | None:
    """Why a value is not divided by a quantity (``None`` when it may be): the value's own
    source gives a quantity that the chosen one contradicts (``quantity`` is the period's own
    quantity figure, with its alternates), or the value and the quantity come from different
    sources and either is of low reliability."""
    valued = {_source(f) for r in value.figures for f in r.agreeing}
    for resolved in (*amount.figures, *([quantity] if quantity else [])):
        for figure in resolved.candidates:
            own = figure.is_reported and _source(figure) in valued
            if own and figure not in resolved.agreeing:
                return said(
                    "its source gives {amount} for {period}, where the sources' {used} is used",
                    amount=Quantity(figure.value, unit),
                    period=Period.parse_code(resolved.period),
                    used=Quantity(resolved.value, unit),
                )
    sets = [{_source(f) for f in r.agreeing} for r in amount.figures]
    common: set[str] = set.intersection(*sets) if sets else set()
    if valued & common or not (value.is_low_reliability or amount.is_low_reliability):
        return None
    if unit == "kg":
        return said(
            "the value and the kg come from different sources, and one of them is of low "
            "reliability"
        )
    return said(
        "the value and the t come from different sources, and one of them is of low reliability"
    )
