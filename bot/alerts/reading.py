"""Reading an alert rule as typed: ``/alert US mom < -25%``, ``/alert 美国 环比 < -25%``.

:func:`read_alert` gives an :class:`~bot.alerts.rules.AlertRule` or, when anything is unclear,
an :class:`~bot.alerts.rules.AlertProblem` that names the words as typed and what is missing:
nothing is guessed. What the words say:

- a material (the catalog's words; rare-earth magnets when none is named), a partner (China's
  total when none is named: ``WORLD``, ``total``, 总量);
- a metric: a month's quantity, m/m (环比), y/y (同比), share (份额), rank (排名), year to date
  (年初至今); a unit with no metric word is a month's quantity (``JP below 200 t``);
- a comparison: ``<``, ``<=``, ``>``, ``>=``, "below", "at least", 低于, 不超过…; "falls more
  than 50%" (下降超过 50%) is below -50%; "top 3" (前3名) is a rank of 3 or better; a record
  (创纪录, 创新高, 创新低) has no threshold;
- a threshold: a percentage for the changes and the share, a quantity for the others (in tonnes
  or kg, converted to the series' unit; none typed: the series' unit), a whole rank.
"""

from __future__ import annotations

from decimal import Decimal

from bot.alerts.pieces import Number, Pieces, read_pieces
from bot.alerts.rules import (
    MAX_KEY_BYTES,
    RECORD_METRICS,
    WORLD,
    AlertProblem,
    AlertRule,
    Comparison,
    Issue,
    Metric,
    Trouble,
    Understood,
)
from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import Catalog
from bot.reading.partners import is_partner_code
from bot.series_choice import material_names

#: A comparison typed as a symbol → the comparison it is.
_OPS = {
    "<": Comparison.BELOW,
    "<=": Comparison.AT_MOST,
    ">": Comparison.ABOVE,
    ">=": Comparison.AT_LEAST,
}
#: Units → how many kilograms one is.
_KG_IN = {"kg": Decimal(1), "tonnes": Decimal(1000)}


def is_sound(rule: AlertRule, catalog: Catalog) -> bool:
    """Whether ``rule`` (read back from a button's data, which may be old or forged) is one a
    typed rule could give in this catalog: a material of it, a partner code or China's total
    (no share or rank of the total), a record without a threshold, a threshold in range."""
    info = catalog.get(rule.series)
    if info is None or info not in catalog.materials:
        return False
    if rule.partner == WORLD:
        if rule.metric in (Metric.SHARE, Metric.RANK):
            return False
    elif not is_partner_code(rule.partner):
        return False
    records = (Comparison.RECORD, Comparison.RECORD_HIGH, Comparison.RECORD_LOW)
    if rule.threshold is None or rule.comparison in records:
        return rule.threshold is None and rule.comparison in records
    threshold = Decimal(str(rule.threshold))
    return threshold_fits(rule.metric, rule.comparison, threshold, info.monthly_ceiling(info.unit))


def read_alert(text: str, catalog: Catalog) -> AlertRule | AlertProblem:
    """The rule ``text`` gives, or what stops it from being one (see the module docstring)."""
    pieces = read_pieces(text, material_names(catalog))
    issues: list[Issue] = []
    if pieces.unknown:
        issues.append(Issue(Trouble.UNKNOWN_WORDS, tuple(pieces.unknown)))
    series = _series(pieces, catalog, issues)
    partner = _partner(pieces, issues)
    if partner is None and any(typed == "in" for typed, _ in pieces.of("filler")):
        # "in" is a filler beside a partner ("US in tonnes"); alone it may be India: asked
        issues.append(Issue(Trouble.UNKNOWN_WORDS, ("in",)))
    metric = _metric(pieces, issues)
    understood = Understood(series, partner, metric)
    if not text.strip():
        return AlertProblem((Issue(Trouble.EMPTY),), understood)
    rule = _rule(pieces, catalog, series, partner or WORLD, metric, issues)
    if issues or rule is None:
        if not issues:  # pragma: no cover - every path without a rule says why
            raise AssertionError(f"no rule and no reason: {text!r}")
        return AlertProblem(tuple(issues), understood)
    return rule


def _series(pieces: Pieces, catalog: Catalog, issues: list[Issue]) -> str:
    """The material named (magnets when none is), or the issue of naming several."""
    keys = list(dict.fromkeys(key for _, key in pieces.materials))
    if len(keys) > 1:
        issues.append(Issue(Trouble.TWO_MATERIALS, tuple(typed for typed, _ in pieces.materials)))
        return CUSTOMS_SERIES
    if keys and catalog[keys[0]].reference:
        issues.append(Issue(Trouble.REFERENCE_SERIES, (pieces.materials[0][0],)))
        return CUSTOMS_SERIES
    return keys[0] if keys else CUSTOMS_SERIES


def _partner(pieces: Pieces, issues: list[Issue]) -> str | None:
    """The partner named: a country, a grouping or China's total ("China" alone, or 总量);
    "China" beside a country is the exporter. ``None``: none named."""
    named = list(pieces.partners)
    named += [(typed, WORLD) for typed, _ in pieces.of("world")]
    if not named and pieces.china:
        named = [(typed, WORLD) for typed in pieces.china]
    if pieces.ambiguous:
        issues.append(Issue(Trouble.AMBIGUOUS_PARTNER, tuple(pieces.ambiguous)))
    codes = list(dict.fromkeys(code for _, code in named))
    if len(codes) > 1:
        issues.append(Issue(Trouble.TWO_PARTNERS, tuple(typed for typed, _ in named)))
        return None
    return codes[0] if codes else None


def _metric(pieces: Pieces, issues: list[Issue]) -> Metric | None:
    """The metric named; with no metric word, a rank for "top 3" and a month's quantity for
    a unit or a record. ``None``: none, or several (an issue)."""
    named = pieces.of("metric")
    metrics = list(dict.fromkeys(value for _, value in named if isinstance(value, Metric)))
    tops = pieces.of("top") + pieces.of("out_of_top")
    if tops and metrics and metrics != [Metric.RANK]:
        typed = tuple(t for t, _ in named) + tuple(t for t, _ in tops)
        issues.append(Issue(Trouble.TWO_METRICS, typed))
        return None
    if len(metrics) > 1:
        issues.append(Issue(Trouble.TWO_METRICS, tuple(typed for typed, _ in named)))
        return None
    if metrics:
        return metrics[0]
    if tops:
        return Metric.RANK
    if pieces.of("unit") or pieces.of("record"):
        return Metric.TONNES
    return None


def _rule(
    pieces: Pieces,
    catalog: Catalog,
    series: str,
    partner: str,
    metric: Metric | None,
    issues: list[Issue],
) -> AlertRule | None:
    """The rule the pieces make, once metric, comparison and threshold agree."""
    records = pieces.of("record")
    others = [
        *pieces.of("compare"),
        *pieces.of("fall"),
        *pieces.of("rise"),
        *pieces.of("top"),
        *pieces.of("out_of_top"),
    ]
    if records:
        return _record(pieces, series, partner, metric, records, others, issues)
    if metric is None and not any(i.trouble is Trouble.TWO_METRICS for i in issues):
        issues.append(Issue(Trouble.NO_METRIC))
    if not others:
        issues.append(Issue(Trouble.NO_COMPARISON))
    elif len({(role, str(value)) for role, value in _roles(pieces)}) > 1:
        issues.append(Issue(Trouble.TWO_COMPARISONS, tuple(typed for typed, _ in others)))
    if not pieces.numbers:
        issues.append(Issue(Trouble.NO_THRESHOLD))
    elif len(pieces.numbers) > 1:
        issues.append(Issue(Trouble.TWO_THRESHOLDS, tuple(n.typed for n in pieces.numbers)))
    if metric is not None:
        _check_units(pieces, metric, issues)
    if issues or metric is None:
        return None
    number = pieces.numbers[0]
    role, op = next(iter(_roles(pieces)))
    found = _comparison(metric, role, op, number, others[0][0], issues)
    if found is None:
        return None
    comparison, threshold = found
    unit = next((str(value) for _, value in pieces.of("unit")), None)
    info = catalog[series]
    if metric.is_quantity and unit is not None and unit != info.unit:
        threshold = threshold * _KG_IN[unit] / _KG_IN[info.unit]
    _check_range(metric, comparison, threshold, number, info.monthly_ceiling(info.unit), issues)
    if metric in (Metric.SHARE, Metric.RANK) and partner == WORLD:
        issues.append(Issue(Trouble.TOTAL_HAS_NO_SHARE, tuple(t for t, _ in pieces.of("metric"))))
    if issues:
        return None
    rule = AlertRule(series, partner, metric, comparison, float(threshold))
    if len(rule.key().encode()) > MAX_KEY_BYTES:
        issues.append(Issue(Trouble.OUT_OF_RANGE, (number.typed,)))
        return None
    return rule


def _roles(pieces: Pieces) -> list[tuple[str, object]]:
    """Each comparison's role and value, once each (``below <`` is one comparison)."""
    found = [
        (meaning[0], meaning[1])
        for _, meaning in pieces.said
        if meaning[0] in ("compare", "fall", "rise", "top", "out_of_top")
    ]
    return list(dict.fromkeys(found))


def _record(
    pieces: Pieces,
    series: str,
    partner: str,
    metric: Metric | None,
    records: list[tuple[str, object]],
    others: list[tuple[str, object]],
    issues: list[Issue],
) -> AlertRule | None:
    """A record rule: no threshold, no other comparison, a quantity or a share."""
    kinds = list(dict.fromkeys(value for _, value in records))
    if len(kinds) > 1 or others:
        issues.append(Issue(Trouble.TWO_COMPARISONS, tuple(t for t, _ in [*records, *others])))
    if pieces.numbers:
        typed = tuple(n.typed for n in pieces.numbers)
        issues.append(Issue(Trouble.RECORD_WITH_THRESHOLD, typed))
    if metric is not None and metric not in RECORD_METRICS:
        typed = tuple(t for t, _ in pieces.of("metric")) or tuple(t for t, _ in records)
        issues.append(Issue(Trouble.RECORD_OF_METRIC, typed))
    if metric is Metric.SHARE and partner == WORLD:
        issues.append(Issue(Trouble.TOTAL_HAS_NO_SHARE, tuple(t for t, _ in pieces.of("metric"))))
    if issues or metric is None:
        return None
    comparison = kinds[0]
    assert isinstance(comparison, Comparison)
    return AlertRule(series, partner, metric, comparison, None)


def _check_units(pieces: Pieces, metric: Metric, issues: list[Issue]) -> None:
    """A unit only with a quantity, ``%`` only with a percentage, neither with a rank."""
    units = pieces.of("unit")
    percents = [n.typed for n in pieces.numbers if n.percent]
    if len({value for _, value in units}) > 1:
        issues.append(Issue(Trouble.TWO_UNITS, tuple(typed for typed, _ in units)))
    if metric is Metric.RANK and (units or percents):
        issues.append(Issue(Trouble.UNIT_OF_RANK, (*(t for t, _ in units), *percents)))
    elif metric.is_percentage and units:
        issues.append(Issue(Trouble.UNIT_OF_PERCENTAGE, tuple(typed for typed, _ in units)))
    elif metric.is_quantity and percents:
        issues.append(Issue(Trouble.PERCENT_OF_QUANTITY, tuple(percents)))


def _comparison(
    metric: Metric, role: str, op: object, number: Number, typed: str, issues: list[Issue]
) -> tuple[Comparison, Decimal] | None:
    """The comparison and threshold a comparison's words and the number make."""
    value = number.value
    if role in ("fall", "rise"):
        if not metric.is_change:
            issues.append(Issue(Trouble.CHANGE_OF_LEVEL, (typed,)))
        elif number.signed:
            issues.append(Issue(Trouble.SIGNED_CHANGE, (typed, number.typed)))
        else:
            return (Comparison.BELOW, -value) if role == "fall" else (Comparison.ABOVE, value)
        return None
    if metric is Metric.RANK:
        return _rank(role, op, number, typed, issues)
    if role in ("top", "out_of_top"):  # pragma: no cover - "top" makes the metric a rank
        issues.append(Issue(Trouble.TWO_METRICS, (typed,)))
        return None
    return _OPS[str(op)], value


def _rank(
    role: str, op: object, number: Number, typed: str, issues: list[Issue]
) -> tuple[Comparison, Decimal] | None:
    """A rank as the most or least it may be: "top 3" and ``<= 3`` are at most 3, ``> 3`` at
    least 4. "Below 3rd" may mean a lower number or a lower place, so words are refused."""
    value = number.value
    if value != value.to_integral_value():
        issues.append(Issue(Trouble.NOT_WHOLE, (number.typed,)))
        return None
    if role == "top":
        return Comparison.AT_MOST, value
    if role == "out_of_top":
        return Comparison.AT_LEAST, value + 1
    if any(char.isalnum() for char in typed):
        issues.append(Issue(Trouble.RANK_IN_WORDS, (typed,)))
        return None
    strict = {"<": (Comparison.AT_MOST, -1), ">": (Comparison.AT_LEAST, 1)}
    comparison, step = strict.get(str(op), (_OPS[str(op)], 0))
    return comparison, value + step


def _check_range(
    metric: Metric,
    comparison: Comparison,
    threshold: Decimal,
    number: Number,
    ceiling: float,
    issues: list[Issue],
) -> None:
    """A threshold out of range (:func:`threshold_fits`) is a problem, named as typed."""
    if not threshold_fits(metric, comparison, threshold, ceiling):
        issues.append(Issue(Trouble.OUT_OF_RANGE, (number.typed,)))


def threshold_fits(
    metric: Metric, comparison: Comparison, threshold: Decimal, ceiling: float
) -> bool:
    """Whether some figure can meet the threshold and some cannot: not a share outside
    0–100%, a fall of more than 100%, a negative quantity or one beyond the series' largest
    plausible figure, a rank below 1 (or "at least 1st", always true)."""
    below = comparison in (Comparison.BELOW, Comparison.AT_MOST)
    strict = comparison in (Comparison.BELOW, Comparison.ABOVE)
    if metric is Metric.SHARE:
        edge = Decimal(0) if below else Decimal(100)
        return 0 <= threshold <= 100 and not (strict and threshold == edge)
    if metric.is_change:
        return not (threshold < -100 or (below and strict and threshold == -100))
    if metric.is_quantity:
        most = Decimal(str(ceiling)) * (12 if metric is Metric.YTD else 1)
        return not (threshold < 0 or threshold > most or (below and strict and threshold == 0))
    if metric is Metric.RANK:
        return not (threshold < 1 or (comparison is Comparison.AT_LEAST and threshold <= 1))
    return True
