"""A series' figures as a month was seen before a revision: the data the release watcher
recorded (``release_figures``: partner → quantity of each month it saw) put back in place of
the month's figures now, so a rule can be checked on the month before and after a revision.

The month's quantities are the ones recorded; each keeps the source of the partner's figure
now (or of another figure of that month, for a partner withdrawn since), and every other
figure, published percentages included, is the data's now. A month is revised when a
recorded quantity changed, so this is the side of the revision the chats were told about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.data.dataset import Figure
from bot.metrics import Metrics
from bot.reading.periods import Period


def as_seen(metrics: Metrics, period: Period, seen: Mapping[str, float]) -> Metrics:
    """``metrics`` with ``period``'s quantities (the series' unit) replaced by ``seen``
    (partner → quantity; none: the month had no figure)."""
    code, unit = period.code, metrics.unit
    kept: list[Figure] = []
    of_month: dict[str, Figure] = {}
    for figure in metrics.table.figures():
        if figure.period == code and figure.metric == unit:
            of_month.setdefault(figure.partner, figure)
        else:
            kept.append(figure)
    template = next(iter(of_month.values()), None) or next(
        (f for f in kept if f.metric == unit), None
    )
    if template is not None:
        kept += [
            replace(of_month.get(who, template), partner=who, value=value, history=())
            for who, value in seen.items()
        ]
    changes = [c for chosen in metrics.changes.values() for c in chosen.candidates]
    return Metrics(kept, changes, info=metrics.info)
