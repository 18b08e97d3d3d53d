"""Partners ranked for a month or a span, and when a ranking is not one.

A month ranks the countries with a figure. A span (half, quarter, year, year to date) ranks
the countries whose total is known (by :meth:`bot.metrics.Metrics.total`: published for the
span, or every month known), whether or not they have any monthly figure (Belgium's germanium
is published only for H1 2025, tungsten only as years and year to date). A country whose
total is not known but some of it is is listed with a lower bound ("≥"): the published totals
of parts of the span (H1 inside the year) and the months outside them that have a figure,
summed. When such a lower bound already exceeds a known total the order is not certain, so
no rank numbers are given. Fewer than :data:`bot.period_choice.MIN_RANKED` countries are not
ranked. A period with no (or few) countries' figures points to the latest one that has them.
Values are quantities in the series' unit (tonnes or kg, never converted); the answer carries
the series' description (``TopAnswer.info``) for the renderer to name the material and unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.resolve import Resolved
from bot.data.series import SeriesInfo, project_catalog
from bot.figures import Sourced, Status
from bot.i18n import Said, said
from bot.metrics import EU, WORLD, Metrics, is_country, span_order
from bot.period_choice import MIN_RANKED
from bot.reading.partners import Partner, partner
from bot.reading.periods import Period

MAX_TOP = 50
#: The note on a sum of the months known, which is a lower bound of a span's total.
KNOWN_MONTHS = "sum of the months known"
#: The note on a sum of published totals of parts of a span and the months known outside them.
KNOWN_PARTS = "sum of the published totals of parts and the months known"
#: Why a ranking has no rank numbers (put in the reader's language when rendered).
TOO_FEW_FIGURES = said("too few countries have a figure to rank them")
TOO_FEW_TOTALS = said("too few countries have a total to rank them")
UNCERTAIN_ORDER = said(
    "some countries' known months already add up to more than other countries' totals, so "
    "the order is not certain"
)
#: A country in a span's ranking: (its total or known months' sum, its code, its row if made).
Entry = tuple[float, str, "TopRow | None"]


@dataclass(frozen=True)
class CountProblem:
    """``/top`` asked for a count outside 1 to :data:`MAX_TOP`."""

    count: int


@dataclass(frozen=True)
class TopRow:
    rank: int  # 0: not ranked
    partner: Partner
    value: Sourced
    share_pct: float | None
    #: For a span total that is not known: (months known, months in the span); the months
    #: of the published parts count as known.
    partial: tuple[int, int] | None = None
    #: The parts of the span whose published totals the lower bound adds ("H1 2025").
    parts: tuple[Period, ...] = ()


@dataclass(frozen=True)
class TopAnswer:
    period: Period
    world: Sourced | None
    rows: tuple[TopRow, ...]
    blocs: tuple[TopRow, ...]
    ranked: int
    #: When the month has few partners: the latest month with broad coverage.
    broad: Period | None = None
    #: Why the rows carry no rank numbers ("" when they do).
    unranked: Said | None = None
    #: The series ranked (rare-earth magnets unless said): its material and unit.
    info: SeriesInfo = field(default_factory=lambda: project_catalog()[CUSTOMS_SERIES])
    #: When the period has no or few countries' figures and no month has broad coverage:
    #: the latest month with more (or, for a series with no monthly country figures, the
    #: latest span with one).
    split: Period | None = None
    #: The sources give no country's figure for this series in any period.
    total_only: bool = False
    #: How many countries have a figure, a total or a lower bound (shown or not).
    countries: int = 0

    @property
    def covered_pct(self) -> float | None:
        """Share of China's total that the listed countries cover (at least)."""
        if self.world is None or not self.world.value:
            return None
        return sum(r.value.value for r in self.rows) / self.world.value * 100


@dataclass(frozen=True)
class LowerBound:
    """What is known of a span whose total is not: its value, the published parts it adds
    (none for a sum of months only) and how many of the span's months it covers."""

    value: Sourced
    parts: tuple[Period, ...]
    covered: int


def rank(
    metrics: Metrics, period: Period, count: int, broad: Period | None = None
) -> TopAnswer | CountProblem:
    """The top ``count`` partners for ``period``."""
    if not 1 <= count <= MAX_TOP:
        return CountProblem(count)
    if period.is_month:
        return _month(metrics, period, count, broad)
    world = metrics.total(WORLD, period).value
    known, partial = _span_rows(metrics, period, world)
    eu = metrics.span(EU, period)
    blocs = (TopRow(0, partner(EU), eu.total.value, eu.share_pct),) if eu.total.value else ()
    known.sort(key=lambda entry: (-entry[0], entry[1]))
    partial.sort(key=lambda entry: (-entry[0], entry[1]))
    unranked = _why_unranked([value for value, _, _ in known], [v for v, _, _ in partial])
    listed = [(entry, 0 if unranked else i + 1, False) for i, entry in enumerate(known)]
    listed += [(entry, 0, True) for entry in partial]
    if unranked:  # no order to keep: everyone by what is known of them
        listed.sort(key=lambda item: (-item[0][0], item[0][1]))
    shown = tuple(
        _numbered(_made(metrics, period, world, entry, is_partial), number)
        for entry, number, is_partial in listed[:count]
    )
    split = None if listed else _latest_split(metrics, 0)
    total_only = split is None and not listed and _total_only(metrics)
    return TopAnswer(
        period, world, shown, blocs, len(known), broad, unranked, metrics.info, split,
        total_only, len(listed),
    )  # fmt: skip


def _month(metrics: Metrics, period: Period, count: int, broad: Period | None) -> TopAnswer:
    world = metrics.month(WORLD, period).tonnes
    ranking = metrics.ranking(period)  # countries, largest first
    rows = []
    for code, _ in ranking[:count]:  # only the rows shown are read
        tonnes, share = metrics.tonnes_and_share(code, period)
        if tonnes is not None:
            rows.append(TopRow(0, partner(code), tonnes, share))
    bloc = metrics.month(EU, period)
    blocs = (TopRow(0, partner(EU), bloc.tonnes, bloc.share_pct),) if bloc.tonnes else ()
    unranked = None if len(ranking) >= MIN_RANKED else TOO_FEW_FIGURES
    numbered = [
        TopRow(0 if unranked else i + 1, row.partner, row.value, row.share_pct)
        for i, row in enumerate(rows)
    ]
    few = len(ranking) < MIN_RANKED and broad is None
    split = _latest_split(metrics, len(ranking)) if few else None
    total_only = not ranking and split is None and _total_only(metrics)
    return TopAnswer(
        period, world, tuple(numbered), blocs, len(ranking), broad, unranked, metrics.info,
        split, total_only, len(ranking),
    )  # fmt: skip


def _latest_split(metrics: Metrics, more_than: int) -> Period | None:
    """The latest month in which more than ``more_than`` countries have a figure; for a
    series with no monthly country figure, the latest span a country has a figure for (when
    no country has a figure in the period asked)."""
    month = metrics.grid.latest_ranked(more_than)
    if month is not None or more_than:
        return month
    spans = [
        span for code in metrics.span_partners() if is_country(code)
        for span in metrics.spans_of(code)
    ]  # fmt: skip
    return max(spans, key=span_order, default=None)


def _total_only(metrics: Metrics) -> bool:
    """Whether no country has a figure in any period (only China's total is published)."""
    codes = (*metrics.partners(), *metrics.span_partners())
    return not any(is_country(code) and code != WORLD for code in codes)


def _made(
    metrics: Metrics, period: Period, world: Sourced | None, entry: Entry, is_partial: bool
) -> TopRow:
    """An entry's row, made now if it was not made to find its value."""
    value, code, row = entry
    if row is None:
        row = (_partial_row if is_partial else _total_row)(metrics, code, period, world)
    assert row is not None and row.value.value == value
    return row


def _numbered(row: TopRow, number: int) -> TopRow:
    return TopRow(number, row.partner, row.value, row.share_pct, row.partial, row.parts)


def _total_row(metrics: Metrics, code: str, period: Period, world: Sourced | None) -> TopRow:
    total = metrics.total(code, period).value
    assert total is not None
    share = total.value / world.value * 100 if world is not None and world.value else None
    return TopRow(0, partner(code), total, share)


def known_months(metrics: Metrics, code: str, period: Period) -> Sourced | None:
    """The sum of the months of ``period`` that have a figure: a lower bound of its total."""
    months = [r for m in period.months() if (r := metrics.figure(code, m)) is not None]
    if not months:
        return None
    status: Status = "reported" if all(r.chosen.is_reported for r in months) else "derived"
    value = sum(r.value for r in months)
    role = f"Known months of {period.label}"
    return Sourced(role, code, period, value, status, tuple(months), note=KNOWN_MONTHS)


def parts_inside(metrics: Metrics, code: str, period: Period) -> list[Sourced]:
    """The published totals of spans inside ``period`` (H1 or Q3 inside the year, Jan–Oct
    inside the year) that :meth:`Metrics.total` takes for ``code``."""
    found = []
    for span in metrics.spans_of(code):
        inside = span.year == period.year and (
            period.first_month <= span.first_month and span.last_month <= period.last_month
        )
        if not inside or (span.first_month, span.last_month) == (
            period.first_month,
            period.last_month,
        ):
            continue
        total = metrics.total(code, span)
        if total.value is not None and total.basis in ("published", "derived"):
            found.append(total.value)
    return found


#: A cover of a span's months from some month on: (months covered, value, pieces).
_Cover = tuple[int, float, tuple[Resolved | Sourced, ...]]


def _fuller(cover: _Cover) -> tuple[int, float, int]:
    """The better cover: more months, then a larger sum, then fewer published parts (the
    months themselves when they say as much)."""
    return cover[0], cover[1], -sum(isinstance(piece, Sourced) for piece in cover[2])


def lower_bound(metrics: Metrics, code: str, period: Period) -> LowerBound | None:
    """The most that is known of ``code``'s total for ``period`` when the total is not:
    published totals of parts of it and the months outside them that have a figure, chosen
    to cover the most months, then the largest sum; ``None`` when nothing is known. The
    months of a part whose total is taken are not added again."""
    parts = parts_inside(metrics, code, period)
    if not parts:
        summed = known_months(metrics, code, period)
        return None if summed is None else LowerBound(summed, (), len(summed.figures))
    months = period.months()
    starting: dict[int, list[Sourced]] = {}
    for part in parts:
        starting.setdefault(part.period.first_month - period.first_month, []).append(part)
    best: list[_Cover] = [(0, 0.0, ())] * (len(months) + 1)
    for i in reversed(range(len(months))):
        options = [best[i + 1]]
        if (figure := metrics.figure(code, months[i])) is not None:
            after = best[i + 1]
            options.append((after[0] + 1, after[1] + figure.value, (figure, *after[2])))
        for part in starting.get(i, []):
            size = part.period.last_month - part.period.first_month + 1
            after = best[i + size]
            options.append((after[0] + size, after[1] + part.value, (part, *after[2])))
        best[i] = max(options, key=_fuller)
    covered, value, pieces = best[0]
    if not pieces:
        return None
    figures = tuple(f for p in pieces for f in (p.figures if isinstance(p, Sourced) else (p,)))
    reported = all(
        p.status == "reported" if isinstance(p, Sourced) else p.chosen.is_reported for p in pieces
    )
    used = tuple(p.period for p in pieces if isinstance(p, Sourced))
    note = KNOWN_PARTS if used else KNOWN_MONTHS
    status: Status = "reported" if reported else "derived"
    role = f"Known parts of {period.label}" if used else f"Known months of {period.label}"
    return LowerBound(Sourced(role, code, period, value, status, figures, note=note), used, covered)


def _countries(metrics: Metrics) -> list[str]:
    """Every country with a quantity figure: for a month, or only for spans."""
    codes = dict.fromkeys((*metrics.partners(), *metrics.span_partners()))
    return [code for code in codes if is_country(code)]


def _span_rows(
    metrics: Metrics, period: Period, world: Sourced | None
) -> tuple[list[Entry], list[Entry]]:
    """Countries with a known span total, and those with only part of it known, as
    (value, code, row): the row is made only when shown, unless a published total had to be
    weighed to find the value."""
    known: list[Entry] = []
    partial: list[Entry] = []
    for code in _countries(metrics):
        values = metrics.month_values(code, period)
        if values is None or (
            None in values and parts_inside(metrics, code, period)
        ):  # a published total or part: the rules decide
            total = metrics.total(code, period).value
            if total is not None:
                known.append((total.value, code, _total_row(metrics, code, period, world)))
            elif (row := _partial_row(metrics, code, period, world)) is not None:
                partial.append((row.value.value, code, row))
            continue
        figures = [value for value in values if value is not None]
        if len(figures) == len(values):
            known.append((sum(figures), code, None))
        elif figures:
            partial.append((sum(figures), code, None))
    return known, partial


def _partial_row(
    metrics: Metrics, code: str, period: Period, world: Sourced | None
) -> TopRow | None:
    bound = lower_bound(metrics, code, period)
    if bound is None:
        return None
    lower = bound.value
    share = lower.value / world.value * 100 if world is not None and world.value else None
    size = (bound.covered, len(period.months()))
    return TopRow(0, partner(code), lower, share, size, bound.parts)


def _why_unranked(totals: list[float], partial: list[float]) -> Said | None:
    if totals and any(value > min(totals) for value in partial):
        return UNCERTAIN_ORDER
    if len(totals) < MIN_RANKED:
        return TOO_FEW_FIGURES if not partial else TOO_FEW_TOTALS
    return None
