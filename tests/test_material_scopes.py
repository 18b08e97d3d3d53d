"""A change between figures of different scopes says so, and a change from a month of zero
states no percentage: gallium and germanium's 2023 figures from Reuters cover wrought metal
only (their notes say "wrought gallium"), later ones wrought and unwrought, and in August
2023 exports stopped (0 kg)."""

from __future__ import annotations

import pytest

from bot.datastore import Snapshot
from bot.lookup import Lookup, MonthAnswer
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.answers import exports
from bot.render.telegram_html import to_plain
from tests.conftest import TODAY

WROUGHT = "the figures compared cover different scopes: one is wrought {} only"


def answer(snapshot: Snapshot, series: str, month: str) -> str:
    found = Lookup(snapshot, lambda: TODAY, series).exports_for(
        partner("WORLD"), Period.parse_code(month)
    )
    assert isinstance(found, MonthAnswer)
    return "\n".join(to_plain(text) for text in exports(found))


@pytest.mark.parametrize(
    ("series", "month", "line"),
    [
        ("gallium", "2024-07", "y/y: +123.7% (+6,373 kg vs 5,150 kg in July 2023"),
        ("germanium", "2023-09", "m/m: up from zero (+1 kg vs 0 kg in August 2023"),
    ],
)
def test_a_change_across_scopes_says_so(
    snapshot: Snapshot, series: str, month: str, line: str
) -> None:
    text = answer(snapshot, series, month)
    assert line in text
    after = text.split(line, 1)[1].split("\n")
    assert WROUGHT.format(series) in after[1], "the warning follows the change it is about"


def test_a_change_within_one_scope_says_nothing(snapshot: Snapshot) -> None:
    text = answer(snapshot, "gallium", "2024-07")  # m/m: June and July 2024, both full scope
    m_m = text.split("m/m:", 1)[1].split("\n")
    assert "different scopes" not in m_m[1]
    assert "different scopes" not in answer(snapshot, "gallium", "2025-10")
    assert "different scopes" not in answer(snapshot, "85051110", "2025-06")


def test_a_change_from_zero_states_no_percentage(snapshot: Snapshot) -> None:
    text = answer(snapshot, "gallium", "2024-08")  # August 2023: 0 kg, exports stopped
    assert "y/y: up from zero (+11,217 kg vs 0 kg in August 2023" in text
    assert "n/a" not in text.split("y/y:", 1)[1].split("\n")[0]


@pytest.mark.parametrize(("series", "name"), [("gallium", "镓"), ("germanium", "锗")])
def test_the_warning_is_in_chinese_in_a_chinese_answer(
    snapshot: Snapshot, series: str, name: str
) -> None:
    """``says_zh`` in the series' ``[narrower_scope]``: a Chinese answer never falls back to
    the English warning when the description gives the Chinese."""
    month = "2024-07" if series == "gallium" else "2023-09"
    found = Lookup(snapshot, lambda: TODAY, series).exports_for(
        partner("WORLD"), Period.parse_code(month)
    )
    assert isinstance(found, MonthAnswer)
    text = "\n".join(to_plain(t) for t in exports(found, "zh"))
    warning = (
        f"⚠️ 所比较的两个数字口径不同：一个仅含锻轧{name}（路透社，2023年），"
        f"另一个含锻轧和未锻轧{name}"
    )
    assert warning in text and "wrought" not in text
