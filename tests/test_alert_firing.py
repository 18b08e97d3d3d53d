"""Alerts firing (issue 16): for each metric and comparison a rule that fires and one that does
not, on real months, with the figure exactly as ``/exports`` states it (a published percentage
as published, a computed one at its shown precision) and its sources the answer's own objects;
figures the data does not have, which never fire and say why; records (strictly beyond every
earlier month, only with 12 earlier months); lower bounds; a revision that makes a month cross
or no longer cross, on copies of the data folder; and the messages in English and Chinese."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from bot.alerts import AlertRule, Comparison, Metric
from bot.alerts.firing import (
    Crossing,
    Direction,
    Firing,
    Quiet,
    Unchecked,
    check,
    crossed,
    evaluate,
)
from bot.alerts.history import MIN_HISTORY
from bot.alerts.stated import Gap
from bot.datastore import DataStore, Snapshot
from bot.lookup import Lookup, MonthAnswer, SpanAnswer
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render import alert_message as alert_module
from bot.render.alert_message import alert_message, revised_message, unchecked
from bot.render.telegram_html import html_problem
from tests.conftest import DATA_DIR, TODAY

M = "85051110"
T, MOM, YOY, S, R, D = Metric.TONNES, Metric.MOM, Metric.YOY, Metric.SHARE, Metric.RANK, Metric.YTD
LT, GT, LE, GE = Comparison.BELOW, Comparison.ABOVE, Comparison.AT_MOST, Comparison.AT_LEAST
HI, LO, REC = Comparison.RECORD_HIGH, Comparison.RECORD_LOW, Comparison.RECORD
FIRES, QUIET = "fires", "quiet"


def month(code: str) -> Period:
    return Period.parse_code(code)


def lookup_of(snapshot: Snapshot, series: str = M) -> Lookup:
    return Lookup(snapshot, lambda: TODAY, series)


#: (rule, month, what it gives, the figure as stated). Real months: US June 2025 is 353 t,
#: m/m +660% and y/y −52% as published, 11.1% of 3,188 t, #2 of 5, H1 2,511.4 t; US February
#: 2026 m/m is −17.6% computed (−17.61…%); US July 2025 619 t; Germany October 2025 #1 of 6,
#: India #5 of 6.
THRESHOLDS: list[tuple[AlertRule, str, str, str]] = [
    (AlertRule(M, "US", T, LT, 400), "2025-06", FIRES, "353"),
    (AlertRule(M, "US", T, LT, 353), "2025-06", QUIET, "353"),  # strictly below
    (AlertRule(M, "US", T, GT, 600), "2025-07", FIRES, "619"),
    (AlertRule(M, "US", T, GT, 619), "2025-07", QUIET, "619"),
    (AlertRule(M, "US", T, LE, 353), "2025-06", FIRES, "353"),
    (AlertRule(M, "US", T, LE, 352.9), "2025-06", QUIET, "353"),
    (AlertRule(M, "US", T, GE, 619), "2025-07", FIRES, "619"),
    (AlertRule(M, "US", T, GE, 620), "2025-07", QUIET, "619"),
    (AlertRule(M, "US", MOM, GT, 100), "2025-06", FIRES, "660"),
    (AlertRule(M, "US", MOM, LT, -25), "2025-06", QUIET, "660"),
    (AlertRule(M, "US", MOM, LT, -10), "2026-02", FIRES, "-17.6"),
    (AlertRule(M, "US", MOM, LT, -17.6), "2026-02", QUIET, "-17.6"),  # as stated, not −17.61
    (AlertRule(M, "US", MOM, LE, -17.6), "2026-02", FIRES, "-17.6"),
    (AlertRule(M, "US", MOM, GE, 660), "2025-06", FIRES, "660"),
    (AlertRule(M, "US", MOM, GE, 661), "2025-06", QUIET, "660"),
    (AlertRule(M, "US", YOY, LT, -25), "2025-06", FIRES, "-52"),
    (AlertRule(M, "US", YOY, LT, -52), "2025-06", QUIET, "-52"),
    (AlertRule(M, "US", YOY, LE, -52), "2025-06", FIRES, "-52"),
    (AlertRule(M, "US", YOY, GT, -60), "2025-06", FIRES, "-52"),
    (AlertRule(M, "US", YOY, GT, -52), "2025-06", QUIET, "-52"),
    (AlertRule(M, "US", YOY, GE, -51.9), "2025-06", QUIET, "-52"),
    (AlertRule(M, "US", S, GT, 11), "2025-06", FIRES, "11.1"),
    (AlertRule(M, "US", S, GT, 11.1), "2025-06", QUIET, "11.1"),
    (AlertRule(M, "US", S, GE, 11.1), "2025-06", FIRES, "11.1"),  # 11.07…% is shown 11.1%
    (AlertRule(M, "US", S, LT, 12), "2025-06", FIRES, "11.1"),
    (AlertRule(M, "US", S, LE, 11), "2025-06", QUIET, "11.1"),
    (AlertRule(M, "DE", R, LE, 1), "2025-10", FIRES, "1"),
    (AlertRule(M, "IN", R, LE, 3), "2025-10", QUIET, "5"),
    (AlertRule(M, "IN", R, GE, 5), "2025-10", FIRES, "5"),
    (AlertRule(M, "DE", R, GE, 2), "2025-10", QUIET, "1"),
    (AlertRule(M, "US", R, LE, 3), "2025-06", FIRES, "2"),
    (AlertRule(M, "US", D, GT, 2000), "2025-06", FIRES, "2511.4"),
    (AlertRule(M, "US", D, LT, 2000), "2025-06", QUIET, "2511.4"),
    (AlertRule(M, "US", D, GE, 2511.4), "2025-06", FIRES, "2511.4"),
    (AlertRule(M, "US", D, LE, 2511.3), "2025-06", QUIET, "2511.4"),
    (AlertRule(M, "WORLD", D, GT, 50000), "2025-12", FIRES, "57392"),  # the published total
    (AlertRule("gallium", "WORLD", T, GE, 15570), "2025-10", FIRES, "15570"),
    (AlertRule("gallium", "WORLD", YOY, LT, -50), "2024-03", FIRES, "-81.3"),  # the issue's
    (AlertRule("gallium", "WORLD", YOY, LT, -50), "2025-04", QUIET, "-7.8"),
]


@pytest.mark.parametrize(("rule", "code", "gives", "value"), THRESHOLDS)
def test_thresholds(snapshot: Snapshot, rule: AlertRule, code: str, gives: str, value: str) -> None:
    outcome = evaluate(rule, lookup_of(snapshot, rule.series), month(code))
    expected = Firing if gives == FIRES else Quiet
    assert isinstance(outcome, expected), outcome
    assert outcome.figure.value == Decimal(value)
    found = check(rule, lookup_of(snapshot, rule.series), month(code))
    assert (found is not None) == (gives == FIRES)


def test_the_figure_and_sources_are_the_answers_own(snapshot: Snapshot) -> None:
    """The firing's figure and sources are the very objects ``/exports US 2025-06`` (and
    ``/exports US 2025-YTD06``) answer with: the same month, its published percentage."""
    lookup = lookup_of(snapshot)
    answer = lookup.exports_for(partner("US"), month("2025-06"))
    assert isinstance(answer, MonthAnswer)
    firing = check(AlertRule(M, "US", YOY, LT, -25), lookup, month("2025-06"))
    assert firing is not None
    yoy = answer.metrics.yoy
    assert yoy is not None and firing.figure.change is yoy
    assert firing.sources == (answer.metrics.tonnes, yoy.base)
    assert firing.sources[0] is answer.metrics.tonnes
    assert firing.published is yoy.published and firing.published is not None
    assert firing.published.pct == -52
    assert (firing.comparison, firing.threshold, firing.period) == (LT, -25, month("2025-06"))
    span = lookup.exports_for(partner("US"), month("2025-YTD06"))
    assert isinstance(span, SpanAnswer)
    ytd = check(AlertRule(M, "US", D, GT, 2000), lookup, month("2025-06"))
    assert ytd is not None and ytd.figure.total is span.metrics.total
    assert ytd.sources == (span.metrics.total.value,)


def test_the_metrics_give_what_the_lookup_gives(snapshot: Snapshot) -> None:
    lookup = lookup_of(snapshot)
    for rule, code, _, _ in THRESHOLDS:
        if rule.series == M:
            with_lookup = evaluate(rule, lookup, month(code))
            with_metrics = evaluate(rule, lookup.metrics, month(code))
            assert with_lookup == with_metrics


def test_a_rule_of_another_series_or_a_span_is_refused(snapshot: Snapshot) -> None:
    with pytest.raises(ValueError, match="series"):
        evaluate(AlertRule("gallium", "WORLD", T, GT, 1), lookup_of(snapshot), month("2025-06"))
    with pytest.raises(ValueError, match="month by month"):
        evaluate(AlertRule(M, "US", T, GT, 1), lookup_of(snapshot), month("2025-H1"))


#: Figures the data does not have: never zero, never fired, and the reason.
MISSING: list[tuple[AlertRule, str, Gap, str]] = [
    (AlertRule(M, "US", T, LT, 400), "2024-12", Gap.NO_FIGURE, "United States has no figure"),
    (AlertRule(M, "US", T, LE, 0), "2024-12", Gap.NO_FIGURE, "for December 2024"),
    (AlertRule(M, "US", MOM, LT, -25), "2024-12", Gap.NO_FIGURE, "no figure for December"),
    (AlertRule(M, "US", YOY, LT, -25), "2025-12", Gap.NO_BASE, "no figure for December 2024"),
    (AlertRule(M, "US", MOM, LT, -25), "2025-01", Gap.NO_BASE, "no figure for December 2024"),
    (AlertRule("gallium", "WORLD", MOM, LT, -50), "2025-06", Gap.FROM_ZERO, "May 2025 was zero"),
    (AlertRule(M, "US", D, GT, 0), "2024-07", Gap.YTD_NOT_KNOWN, "3 of 7 months have a figure"),
    (AlertRule(M, "JP", D, GT, 0), "2025-12", Gap.YTD_NOT_KNOWN, "411.3 t"),
    (AlertRule(M, "US", R, LE, 3), "2026-03", Gap.TOO_FEW_RANKED, "(1; a rank needs 3)"),
    (AlertRule(M, "EU", R, LE, 3), "2025-06", Gap.NOT_RANKED, "group of countries"),
    (AlertRule(M, "WORLD", S, GT, 0), "2025-06", Gap.NOT_A_PARTNER, "no share or rank"),
    (AlertRule(M, "TH", T, LT, 300), "2025-06", Gap.LOWER_BOUND, "“at least”"),
    (AlertRule(M, "US", R, LE, 2), "2025-06", Gap.LOWER_BOUND, "lower bound"),  # Thailand 200+
    (AlertRule(M, "US", T, REC), "2025-05", Gap.SHORT_HISTORY, "there are 11 before May 2025"),
]


@pytest.mark.parametrize(("rule", "code", "gap", "said"), MISSING)
def test_what_the_data_does_not_have_never_fires(
    snapshot: Snapshot, rule: AlertRule, code: str, gap: Gap, said: str
) -> None:
    outcome = evaluate(rule, lookup_of(snapshot, rule.series), month(code))
    assert isinstance(outcome, Unchecked), outcome
    assert outcome.gap is gap
    assert said in str(outcome.missing.why)
    assert check(rule, lookup_of(snapshot, rule.series), month(code)) is None
    for language in ("en", "zh"):
        text = unchecked(outcome, language)
        assert html_problem(text) is None


def test_why_not_checked_is_said_in_both_languages(snapshot: Snapshot) -> None:
    rule = AlertRule("gallium", "WORLD", MOM, LT, -50)
    outcome = evaluate(rule, lookup_of(snapshot, "gallium"), month("2025-06"))
    assert isinstance(outcome, Unchecked)
    assert unchecked(outcome, "en") == (
        "<b>China&#x27;s total (gallium), June 2025</b>: not checked: May 2025 was zero, so "
        "there is no percentage change"
    )
    assert unchecked(outcome, "zh") == (
        "<b>中国出口总量（镓），2025年6月</b>：未能检查：2025年5月为零，因此没有百分比变化"
    )


def test_a_lower_bound_decides_only_what_it_can(snapshot: Snapshot) -> None:
    """Thailand, June 2025 is "200+ t": above 100 t for certain, not below 150 t for certain,
    below 300 t not known."""
    lookup = lookup_of(snapshot)
    above = evaluate(AlertRule(M, "TH", T, GT, 100), lookup, month("2025-06"))
    assert isinstance(above, Firing) and above.figure.most == Decimal("Infinity")
    not_below = evaluate(AlertRule(M, "TH", T, LT, 150), lookup, month("2025-06"))
    assert isinstance(not_below, Quiet)
    # Thailand (200+) is ranked below the US (353 t) and might pass it: #2 or #3.
    place = evaluate(AlertRule(M, "US", R, GE, 4), lookup, month("2025-06"))
    assert isinstance(place, Quiet) and (place.figure.least, place.figure.most) == (
        Decimal(2),
        Decimal(3),
    )


#: Records: (rule, month, what it gives, the previous record's month, earlier months).
RECORDS: list[tuple[AlertRule, str, str, str, int]] = [
    (AlertRule(M, "WORLD", T, HI), "2025-01", FIRES, "2024-12", 13),  # 6,357 t
    (AlertRule(M, "WORLD", T, LO), "2025-01", QUIET, "", 0),
    (AlertRule(M, "WORLD", T, LO), "2025-05", FIRES, "2025-04", 17),  # 1,238.5 t
    (AlertRule(M, "WORLD", T, REC), "2025-05", FIRES, "2025-04", 17),
    (AlertRule(M, "WORLD", T, REC), "2025-11", QUIET, "", 0),  # 6,149.95 t < 6,357 t
    (AlertRule(M, "US", T, REC), "2025-06", QUIET, "", 0),  # exactly 12 earlier months
    (AlertRule(M, "US", S, LO), "2025-09", QUIET, "", 0),  # 7.3%, May 2025 was 3.7%
    (AlertRule("gallium", "WORLD", T, HI), "2025-10", FIRES, "2024-07", 20),  # 15,570 kg
    (AlertRule("gallium", "WORLD", T, LO), "2025-05", QUIET, "", 0),  # 0 kg, as in Aug 2023
    (AlertRule("rare_earths", "WORLD", T, HI), "2025-06", FIRES, "2024-05", 27),  # 7,742.2 t
]


@pytest.mark.parametrize(("rule", "code", "gives", "previous", "months"), RECORDS)
def test_records(
    snapshot: Snapshot, rule: AlertRule, code: str, gives: str, previous: str, months: int
) -> None:
    outcome = evaluate(rule, lookup_of(snapshot, rule.series), month(code))
    if gives == QUIET:
        assert isinstance(outcome, Quiet), outcome
        return
    assert isinstance(outcome, Firing), outcome
    assert outcome.record is not None and outcome.threshold is None
    assert outcome.comparison is outcome.record.kind
    assert outcome.record.previous.period == month(previous)
    assert outcome.record.months == months >= MIN_HISTORY
    assert outcome.sources[-1] is outcome.record.previous.figure.quantity


def test_a_record_needs_twelve_earlier_months(snapshot: Snapshot) -> None:
    """The US's 46.4 t in May 2025 is its lowest month, after 11 known months: no record."""
    rule = AlertRule(M, "US", T, LO)
    outcome = evaluate(rule, lookup_of(snapshot), month("2025-05"))
    assert isinstance(outcome, Unchecked) and outcome.gap is Gap.SHORT_HISTORY
    assert outcome.figure is not None and outcome.figure.value == Decimal("46.4")
    assert unchecked(outcome, "en").endswith(
        "not checked: a record needs 12 earlier months with a figure; there are 11 before May 2025"
    )


# -- messages ------------------------------------------------------------------------------

REUTERS = (
    '<a href="https://www.timeslive.co.za/news/world/2025-07-20-chinas-exports-of-rare-earth-'
    'magnets-to-the-us-skyrocket-in-june/">China&#x27;s exports of rare earth magnets to the US '
    "skyrocket in June (Reuters via TimesLIVE, 2025-07-20)</a>"
)
SCMP = (
    '<a href="https://test.daily8.com/en/article/2e9ce20b98387c89cabe796c58947338">EU share of '
    "China&#x27;s rare earth magnet shipments jumps in June (SCMP, via daily8 mirror)</a>"
)


def test_the_message_of_a_published_change(snapshot: Snapshot) -> None:
    firing = check(AlertRule(M, "US", YOY, LT, -25), lookup_of(snapshot), month("2025-06"))
    assert firing is not None
    assert alert_message(firing, "en") == (
        "🔔 <b>United States, June 2025</b>: 353 t¹, <b>−52%</b> y/y, as reported² "
        "(vs ≈735 t² in June 2024) — below your line of −25%.\n"
        "<i>Your alert: United States: alert when the year-on-year change falls below −25%</i>"
        "\n\n<i>≈ derived from a published figure and a percentage or share.</i>\n\n"
        f"<b>Sources</b>\n¹ {REUTERS}\n² {SCMP}\n\n"
        "Detail: /exports US 2025-06"
    )
    assert alert_message(firing, "zh") == (
        "🔔 <b>美国，2025年6月</b>：353 吨¹，同比 <b>−52%</b>，按公布值²"
        "（对比2024年6月的 ≈735 吨²）——低于您设定的阈值 −25%。\n"
        "<i>您的提醒：美国：同比低于 −25% 时提醒</i>\n\n"
        "<i>≈ 由公布的数字和百分比或占比推算得出。</i>\n\n"
        f"<b>来源</b>\n¹ {REUTERS}\n² {SCMP}\n\n"
        "详情：/exports US 2025-06"
    )


def test_the_first_line_of_each_kind(snapshot: Snapshot) -> None:
    """The figure as stated, the comparison and the marks of its sources."""
    lines = {
        (AlertRule(M, "US", T, LT, 400), "2025-06"): (
            "🔔 <b>United States, June 2025</b>: <b>353 t</b>¹ — below your line of 400 t.",
            "🔔 <b>美国，2025年6月</b>：<b>353 吨</b>¹——低于您设定的阈值 400 吨。",
        ),
        (AlertRule(M, "US", MOM, LT, -10), "2026-02"): (
            "🔔 <b>United States, February 2026</b>: ≈449 t¹, <b>−17.6%</b> m/m, computed "
            "(vs ≈545 t² in January 2026) — below your line of −10%.",
            "🔔 <b>美国，2026年2月</b>：≈449 吨¹，环比 <b>−17.6%</b>，按数字计算"
            "（对比2026年1月的 ≈545 吨²）——低于您设定的阈值 −10%。",
        ),
        (AlertRule(M, "US", S, GE, 10), "2025-06"): (
            "🔔 <b>United States, June 2025</b>: <b>11.1%</b> of China's total (353 t¹ of "
            "3,188 t¹) — at or above your line of 10%.",
            "🔔 <b>美国，2025年6月</b>：占中国出口总量 <b>11.1%</b>（3,188 吨¹ 中的 353 吨¹）"
            "——达到或高于您设定的阈值 10%。",
        ),
        (AlertRule(M, "US", R, LE, 3), "2025-06"): (
            "🔔 <b>United States, June 2025</b>: <b>#2</b> of 5 countries with a figure "
            "(353 t¹) — in your top 3.",
            "🔔 <b>美国，2025年6月</b>：<b>第2位</b>（有数据的 5 个国家中；353 吨¹）"
            "——进入您设定的前3名。",
        ),
        (AlertRule(M, "US", D, GT, 2000), "2025-06"): (
            "🔔 <b>United States, H1 2025</b>: <b>2,511.4 t</b>¹˒²˒³ in the year to date (sum "
            "of the months, from 3 sources) — above your line of 2,000 t.",
            "🔔 <b>美国，2025年上半年</b>：年初至今 <b>2,511.4 吨</b>¹˒²˒³"
            "（各月之和，来自 3 个来源）——高于您设定的阈值 2,000 吨。",
        ),
        (AlertRule("gallium", "WORLD", T, HI), "2025-10"): (
            "🔔 <b>China&#x27;s total (gallium), October 2025</b>: <b>15,570 kg</b>¹ — the "
            "highest in the data's history (the previous high: 11,523 kg² in July 2024, of 20 "
            "earlier months).",
            "🔔 <b>中国出口总量（镓），2025年10月</b>：<b>15,570 千克</b>¹——创历史新高"
            "（此前最高：2024年7月的 11,523 千克²，共比较此前 20 个月）。",
        ),
        (AlertRule("germanium", "WORLD", MOM, GT, 100), "2023-10"): (
            "🔔 <b>China&#x27;s total (germanium), October 2023</b>: 648 kg¹, <b>×648</b> m/m, "
            "computed (vs 1 kg¹ in September 2023) — above your line of +100%.",
            "🔔 <b>中国出口总量（锗），2023年10月</b>：648 千克¹，环比 <b>×648</b>，按数字计算"
            "（对比2023年9月的 1 千克¹）——高于您设定的阈值 +100%。",
        ),
        (AlertRule(M, "TH", T, GT, 100), "2025-06"): (
            "🔔 <b>Thailand, June 2025</b>: <b>200+ t</b>¹ — above your line of 100 t.",
            "🔔 <b>泰国，2025年6月</b>：<b>200+ 吨</b>¹——高于您设定的阈值 100 吨。",
        ),
    }
    for (rule, code), (english, chinese) in lines.items():
        firing = check(rule, lookup_of(snapshot, rule.series), month(code))
        assert firing is not None, rule
        assert alert_message(firing, "en").split("\n")[0] == english
        assert alert_message(firing, "zh").split("\n")[0] == chinese


def test_every_firing_message_is_valid_html_in_one_message(snapshot: Snapshot) -> None:
    asked = [(rule, code) for rule, code, *_ in THRESHOLDS] + [(r, c) for r, c, *_ in RECORDS]
    firings = [
        firing
        for rule, code in asked
        if (firing := check(rule, lookup_of(snapshot, rule.series), month(code))) is not None
    ]
    assert len(firings) > 25
    for firing in firings:
        for language in ("en", "zh"):
            text = alert_message(firing, language)
            assert html_problem(text) is None, text
            assert "<b>Sources</b>" in text or "<b>来源</b>" in text
            assert text.count("🔔") == 1


def test_long_sources_give_way_to_fit(snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the sources' links would not fit, they go; then the titles, for the command that
    lists every source."""
    firing = check(AlertRule(M, "US", D, GT, 2000), lookup_of(snapshot), month("2025-06"))
    assert firing is not None
    full = alert_message(firing)
    assert full.count("<a href") == 3
    monkeypatch.setattr(alert_module, "MAX_MESSAGE", len(full) - 1)
    titles = alert_message(firing)
    assert "<a href" not in titles and "SBS Biz" in titles and len(titles) < len(full)
    monkeypatch.setattr(alert_module, "MAX_MESSAGE", 420)
    short = alert_message(firing)
    assert len(short) <= 420 and html_problem(short, 420) is None
    assert "… Every figure's source: /sources US 2025-YTD06" in short


# -- revisions -----------------------------------------------------------------------------


def _copy(root: Path, edits: Callable[[str], str]) -> Snapshot:
    """A copy of the data folder with the magnets' file edited, loaded."""
    folder = root / "data"
    shutil.copytree(DATA_DIR, folder)
    magnets = folder / "magnet_exports.csv"
    magnets.write_text(edits(magnets.read_text(encoding="utf-8")), encoding="utf-8")
    return DataStore(folder).current


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The US's June 2025 revised from 353 t to 420 t, July 2025 from 619 t to 590 t and
    March 2026 from 406 t to 1,000 t (19.1% of China's total: the US's highest share)."""

    def edit(text: str) -> str:
        for before, after in (
            ("2025-06,US,tonnes,353,", "2025-06,US,tonnes,420,"),
            ("2025-07,US,tonnes,619,", "2025-07,US,tonnes,590,"),
            ("2026-03,US,tonnes,406,", "2026-03,US,tonnes,1000,"),
        ):
            assert before in text
            text = text.replace(before, after)
        return text

    return _copy(tmp_path_factory.mktemp("revised"), edit)


@pytest.fixture(scope="module")
def withdrawn(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The US's June 2025 and China's total for June 2025 withdrawn."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith(("2025-06,US,", "2025-06,WORLD,"))]
        assert len(kept) == len(lines) - 5
        return "".join(kept)

    return _copy(tmp_path_factory.mktemp("withdrawn"), edit)


def test_a_revision_that_no_longer_crosses(snapshot: Snapshot, revised: Snapshot) -> None:
    rule = AlertRule(M, "US", T, LT, 400)
    found = crossed(rule, lookup_of(snapshot), lookup_of(revised), month("2025-06"))
    assert isinstance(found, Crossing) and found.direction is Direction.NO_LONGER_CROSSES
    assert isinstance(found.before, Firing) and isinstance(found.after, Quiet)
    assert found.firing is found.before and found.after.figure.value == 420
    text = revised_message(found, "en")
    assert text.split("\n")[:2] == [
        "✏️ <b>Revised</b>: <b>United States, June 2025</b>: <b>420 t</b>¹ (before the "
        "revision: <b>353 t</b>) — it no longer crosses your line.",
        "<i>Your alert: United States: alert when a month's exports fall below 400 t</i>",
    ]
    assert html_problem(text) is None and text.endswith("Detail: /exports US 2025-06")


def test_a_revision_that_now_crosses(snapshot: Snapshot, revised: Snapshot) -> None:
    rule = AlertRule(M, "US", T, LT, 600)
    found = crossed(rule, lookup_of(snapshot), lookup_of(revised), month("2025-07"))
    assert found is not None and found.direction is Direction.NOW_CROSSES
    assert found.firing is found.after
    assert revised_message(found, "zh").split("\n")[0] == (
        "✏️ <b>已修订</b>：<b>美国，2025年7月</b>：<b>590 吨</b>¹（修订前：<b>619 吨</b>）"
        "——现已满足您的提醒条件。"
    )


def test_a_revision_that_makes_a_record(snapshot: Snapshot, revised: Snapshot) -> None:
    """1,000 t of China's 5,238 t in March 2026: 19.1%, above the US's 14.3% of May and June
    2024 (the same as shown: the later one is named)."""
    rule = AlertRule(M, "US", S, REC)
    assert check(rule, lookup_of(snapshot), month("2026-03")) is None
    found = crossed(rule, lookup_of(snapshot), lookup_of(revised), month("2026-03"))
    assert found is not None and found.direction is Direction.NOW_CROSSES
    record = found.firing.record
    assert record is not None and record.kind is HI
    assert record.previous.period == month("2024-06") and record.months == 21
    assert found.firing.figure.value == Decimal("19.1")
    text = revised_message(found, "en")
    assert "— it is now the highest in the data's history." in text.split("\n")[0]
    firing = alert_message(found.firing, "en").split("\n")[0]
    assert firing.startswith("🔔 <b>United States, March 2026</b>: <b>19.1%</b> of China's total")
    assert "the previous high: 14.3% in June 2024, of 21 earlier months" in firing


def test_a_revision_that_changes_nothing_across_the_line(
    snapshot: Snapshot, revised: Snapshot
) -> None:
    """353 t → 420 t is above 300 t both times; a published y/y stays as published."""
    before, after = lookup_of(snapshot), lookup_of(revised)
    assert crossed(AlertRule(M, "US", T, GT, 300), before, after, month("2025-06")) is None
    assert crossed(AlertRule(M, "US", YOY, LT, -25), before, after, month("2025-06")) is None
    assert crossed(AlertRule(M, "US", T, LT, 300), before, after, month("2025-06")) is None


def test_a_withdrawn_figure_no_longer_crosses(snapshot: Snapshot, withdrawn: Snapshot) -> None:
    rule = AlertRule(M, "US", T, LT, 400)
    found = crossed(rule, lookup_of(snapshot), lookup_of(withdrawn), month("2025-06"))
    assert found is not None and found.direction is Direction.NO_LONGER_CROSSES
    assert isinstance(found.after, Unchecked) and found.after.gap is Gap.NO_FIGURE
    text = revised_message(found, "en")
    assert text.split("\n")[0] == (
        "✏️ <b>Revised</b>: <b>United States, June 2025</b>: United States has no figure for "
        "June 2025 (before the revision: <b>353 t</b>) — it no longer crosses your line."
    )
    assert "Sources" not in text and html_problem(text) is None


def test_a_share_without_china_s_total(withdrawn: Snapshot) -> None:
    """Germany has 764 t for June 2025, China's total is withdrawn: no share, not zero."""
    outcome = evaluate(AlertRule(M, "DE", S, LT, 50), lookup_of(withdrawn), month("2025-06"))
    assert isinstance(outcome, Unchecked) and outcome.gap is Gap.NO_TOTAL
    assert unchecked(outcome, "zh") == (
        "<b>德国，2025年6月</b>：未能检查：数据中没有2025年6月的中国出口总量，因此没有占比"
    )


def test_a_record_low_revised_into_the_record_high_is_told(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """March 2026's US figure revised from 3 t (the lowest) to 9,000 t (the highest): a
    "record" alert hears that it is now the highest."""

    def march(tonnes: str) -> Snapshot:
        def edit(text: str) -> str:
            before = "2026-03,US,tonnes,406,"
            assert before in text
            return text.replace(before, f"2026-03,US,tonnes,{tonnes},")

        return _copy(tmp_path_factory.mktemp(f"march{tonnes}"), edit)

    rule = AlertRule(M, "US", T, REC)
    low, high = lookup_of(march("3")), lookup_of(march("9000"))
    found = crossed(rule, low, high, month("2026-03"))
    assert found is not None and found.direction is Direction.NOW_CROSSES
    assert found.firing.record is not None and found.firing.record.kind is HI
    assert "— it is now the highest in the data's history." in revised_message(found, "en")
