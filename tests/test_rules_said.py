"""Every rule that chose a figure or a published percentage (``bot/data/resolve.py``,
``bot/data/changes.py``) and every reason the metrics set a figure aside or give no value per
unit (``bot/why_not.py``) is said where it is made, and each one is built here from figures that
call for it: said in English as before, and in Chinese with Chinese periods (2025年6月) and
quantities (353.48 吨). A message those modules can say that no situation here makes fails
:func:`test_every_message_the_data_and_metrics_say_is_built_here`: a new rule gets its situation
and its Chinese here, and is never shown in English to a Chinese reader."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_file

from bot.data.changes import PublishedChange, choose
from bot.data.dataset import Figure
from bot.data.resolve import resolve_all
from bot.data.series import project_catalog
from bot.i18n import Quantity, Said
from bot.i18n.formats import period_label, quantity, say
from bot.metrics import WORLD, Metrics
from bot.reading.periods import Period
from tests.test_loader_reasons import CHANGE_CHECKS
from tests.test_loader_reasons import said_in as problems_said_in
from tests.test_resolve import fig

ROOT = Path(__file__).resolve().parent.parent
#: Where the rules and reasons are said.
SAYING = ("bot/data/resolve.py", "bot/data/changes.py", "bot/why_not.py", "bot/metrics.py")


def rule(figures: list[Figure], number: int = 0) -> Said:
    """The ``number``-th rule that chose June 2025's figure among ``figures``."""
    return resolve_all(figures)[("2025-06", "US", "tonnes")].rules[number]


def percentage(changes: list[tuple[str, str]], own: str | None = None) -> Said:
    """The first rule that chose among published percentages (pct, source); ``own`` is the
    source of the period's figure."""
    published = [
        PublishedChange("2025-06", "WORLD", "m/m", float(p), len(p.partition(".")[2]), None, 0,
                        source, "", "", "f.csv", line)
        for line, (p, source) in enumerate(changes, start=2)
    ]  # fmt: skip
    return choose(published, own).rules[0]


def from_source(period: str, metric: str, value: float, source: str, **changes: Any) -> Figure:
    decimals = len(str(value).partition(".")[2].rstrip("0"))
    return fig(value, decimals, period=period, partner=WORLD, metric=metric, source_title=source,
               source_url=f"https://{source}", **changes)  # fmt: skip


def set_aside(unit: str) -> Said | None:
    """A published Jan–Feb total whose source counts January otherwise than the sources."""
    figures = [
        from_source("2024-01", unit, 1000, "a.org"),
        from_source("2024-01", unit, 1500.25, "b.org", reliability="low"),
        from_source("2024-02", unit, 900, "a.org"),
        from_source("2024-YTD02", unit, 2400, "b.org"),
    ]
    metrics = Metrics(figures, info=project_catalog()["gallium" if unit == "kg" else "85051110"])
    return metrics.total(WORLD, Period.parse_code("2024-YTD02")).rejected_why


def per_unit(unit: str, value_source: str) -> Said | None:
    """Why June 2025's value is not divided by its quantity: the value comes from
    ``value_source``, of low reliability, whose own quantity the sources' contradicts (when
    it gives one)."""
    figures = [
        from_source("2025-06", unit, 353, "a.org"),
        from_source("2025-06", unit, 353.48, "b.org", reliability="low"),
        from_source("2025-06", "usd", 2_000_000, value_source, reliability="low"),
    ]
    metrics = Metrics(figures, info=project_catalog()["gallium" if unit == "kg" else "85051110"])
    return metrics.month(WORLD, Period.month(2025, 6)).per_unit_why


def closest_to_the_total() -> Said:
    months = [fig(100, period=f"2025-0{m}") for m in range(1, 6)]
    total = fig(700, period="2025-H1")
    derived = [
        fig(v, line=n, status="derived", derivation="x / 1.5") for n, v in ((3, 150), (4, 200))
    ]
    return rule([*months, total, *derived])


#: (how it comes about, English, Chinese as a bilingual reviewer checked it)
SITUATIONS: list[tuple[str, Callable[[], Said | None], str, str]] = [
    ("one source", lambda: rule([fig(353)]), "only source", "唯一来源"),
    (
        "customs and the press",
        lambda: rule([fig(353), fig(360, reliability="official", line=3)]),
        "official statistics before press reports",
        "官方统计优先于媒体报道",
    ),
    (
        "a low-reliability figure",
        lambda: rule([fig(411.3, 1, reliability="low"), fig(280, line=3)]),
        "normal reliability before low",
        "一般可靠性来源优先于低可靠性来源",
    ),
    (
        "a derived figure",
        lambda: rule([fig(5323, status="derived", derivation="x / 1.5"), fig(5324, line=3)]),
        "reported before derived",
        "公布值优先于推算值",
    ),
    (
        "figures within rounding",
        lambda: rule([fig(46), fig(46.4, 1, line=3), fig(46, line=4)]),
        "3 sources agree within rounding: the most precise, then the value more sources give",
        "3 个来源在四舍五入范围内一致：先取最精确的，再取更多来源给出的数值",
    ),
    (
        "one figure from two sources",
        lambda: rule([fig(353), fig(353, line=3)]),
        "2 sources give the same figure",
        "2 个来源给出相同数字",
    ),
    (
        "a half-year total decides",
        closest_to_the_total,
        "sources disagree: closest to what the published H1 2025 total leaves",
        "来源不一致：取最接近公布的2025年上半年合计减去其他月份后余数的数字",
    ),
    (
        "a more precise figure",
        lambda: rule([fig(100), fig(120.5, 1, line=3)]),
        "sources disagree: the more precise figure or derivation",
        "来源不一致：取更精确的数字或推算",
    ),
    (
        "a figure two sources give",
        lambda: rule([fig(120), fig(100, line=3), fig(100, line=4)]),
        "sources disagree: the figure more sources give",
        "来源不一致：取更多来源给出的数字",
    ),
    (
        "figures nothing separates",
        lambda: rule([fig(100), fig(120, line=3)]),
        "sources disagree: the first in the file",
        "来源不一致：取文件中的第一个",
    ),
    (
        "one published percentage",
        lambda: percentage([("660", "Reuters")]),
        "only source",
        "唯一来源",
    ),
    (
        "a percentage two sources give",
        lambda: percentage([("660", "Reuters"), ("660", "SCMP")]),
        "2 sources give the same percentage",
        "2 个来源给出相同百分比",
    ),
    (
        "percentages within rounding",
        lambda: percentage([("158", "Lapaas"), ("157.5", "Reuters")]),
        "2 sources agree within rounding: the most precise",
        "2 个来源在四舍五入范围内一致：取最精确的",
    ),
    (
        "the percentage of the figure's source",
        lambda: percentage([("150", "Other"), ("157.5", "Reuters")], own="Reuters"),
        "sources disagree: the source of this period's figure",
        "来源不一致：取本期数字所用来源的百分比",
    ),
    (
        "a percentage two sources give, against one",
        lambda: percentage([("157.5", "Reuters"), ("150", "A"), ("150", "B")]),
        "sources disagree: the percentage more sources give",
        "来源不一致：取更多来源给出的百分比",
    ),
    (
        "percentages nothing separates",
        lambda: percentage([("150", "A"), ("157.5", "B")]),
        "sources disagree: the first in the file",
        "来源不一致：取文件中的第一个",
    ),
    (
        "a total whose source counts a month otherwise, in tonnes",
        lambda: set_aside("tonnes"),
        "its source counts January 2024 as 1,500.25 t, where the sources' 1,000 t is used",
        "其来源将2024年1月记为 1,500.25 吨，而采用的是各来源的 1,000 吨",
    ),
    (
        "a total whose source counts a month otherwise, in kg",
        lambda: set_aside("kg"),
        "its source counts January 2024 as 1,500.25 kg, where the sources' 1,000 kg is used",
        "其来源将2024年1月记为 1,500.25 千克，而采用的是各来源的 1,000 千克",
    ),
    (
        "a value whose source gives another quantity, in tonnes",
        lambda: per_unit("tonnes", "b.org"),
        "its source gives 353.48 t for June 2025, where the sources' 353 t is used",
        "其来源给出的2025年6月数字为 353.48 吨，而采用的是各来源的 353 吨",
    ),
    (
        "a value whose source gives another quantity, in kg",
        lambda: per_unit("kg", "b.org"),
        "its source gives 353.48 kg for June 2025, where the sources' 353 kg is used",
        "其来源给出的2025年6月数字为 353.48 千克，而采用的是各来源的 353 千克",
    ),
    (
        "a value of low reliability from another source, in tonnes",
        lambda: per_unit("tonnes", "c.org"),
        "the value and the t come from different sources, and one of them is of low reliability",
        "金额与吨数来自不同来源，且其中之一可靠性低",
    ),
    (
        "a value of low reliability from another source, in kg",
        lambda: per_unit("kg", "c.org"),
        "the value and the kg come from different sources, and one of them is of low reliability",
        "金额与千克数来自不同来源，且其中之一可靠性低",
    ),
]


def made(situation: Callable[[], Said | None]) -> Said:
    said = situation()
    assert said is not None
    return said


@pytest.mark.parametrize(
    ("situation", "english", "chinese"),
    [pytest.param(make, english, chinese, id=name) for name, make, english, chinese in SITUATIONS],
)
def test_each_rule_and_reason_in_english_and_chinese(
    situation: Callable[[], Said | None], english: str, chinese: str
) -> None:
    said = made(situation)
    assert str(said) == say(said, "en", escape=False) == english
    assert say(said, "zh", escape=False) == chinese


@pytest.mark.parametrize("situation", [pytest.param(s[1], id=s[0]) for s in SITUATIONS])
def test_chinese_names_its_periods_and_quantities_in_chinese(
    situation: Callable[[], Said | None],
) -> None:
    said = made(situation)
    chinese = say(said, "zh", escape=False)
    assert not re.search("[A-Za-z]", chinese), chinese
    for _, value in said.values:
        if isinstance(value, Period):
            assert period_label(value, "zh") in chinese and value.label not in chinese
        if isinstance(value, Quantity):
            assert quantity(value, "zh") in chinese
            assert quantity(value, "zh").endswith(("吨", "千克"))


def said_in(path: str) -> set[str]:
    """The messages ``path`` marks with ``said("…")``, as ``make messages`` extracts them."""
    found = extract_from_file(
        "python", ROOT / path, keywords={"said": (1,)}, comment_tags=(), options={}
    )
    return {message for _, message, _, _ in found if isinstance(message, str)}


def test_every_message_the_data_and_metrics_say_is_built_here() -> None:
    sayable = set().union(*(said_in(path) for path in SAYING))
    sayable -= problems_said_in(*CHANGE_CHECKS)  # a changes file's problems: with the loaders'
    built = {made(situation).message for _, situation, _, _ in SITUATIONS}
    assert len(sayable) >= 18
    assert sayable == built, f"no situation builds {sorted(sayable - built)}"
