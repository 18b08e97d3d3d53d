"""Reading countries and periods from what people type, including property-based tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reading.partners import Ambiguous, Found, NotFound, find_partner
from bot.reading.periods import MONTH_NAMES, Period
from bot.reading.query import Latest, MonthOnly, parse_query, resolve_partner_text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("America", "US"),
        ("united states", "US"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("uk", "GB"),
        ("Britain", "GB"),
        ("Korea", "KR"),
        ("south korea", "KR"),
        ("Holland", "NL"),
        ("vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("美国", "US"),
        ("德国", "DE"),
        ("印度", "IN"),
        ("日本", "JP"),
        ("韩国", "KR"),
        ("越南", "VN"),
        ("泰国", "TH"),
        ("欧盟", "EU"),
        ("EU", "EU"),
        ("european union", "EU"),
        ("world", "WORLD"),
        ("China", "WORLD"),
        ("🇯🇵", "JP"),
        ("Türkiye", "TR"),
        ("turkiye", "TR"),
    ],
)
def test_partner_names_codes_and_aliases(text: str, code: str) -> None:
    found = find_partner(text)
    assert isinstance(found, Found) and found.partner.code == code


@pytest.mark.parametrize(
    ("text", "codes"),
    [("Congo", {"CG", "CD"}), ("Guinea", {"GN", "GQ", "GW", "PG"}), ("sudan", {"SD", "SS"})],
)
def test_ambiguous_names_offer_the_options(text: str, codes: set[str]) -> None:
    found = find_partner(text)
    assert isinstance(found, Ambiguous)
    assert {p.code for p in found.options} == codes


@pytest.mark.parametrize(
    ("text", "code"), [("Germny", "DE"), ("Indai", "IN"), ("Untied States", "US"), ("japna", "JP")]
)
def test_typos_get_did_you_mean(text: str, code: str) -> None:
    found = find_partner(text)
    assert isinstance(found, NotFound)
    assert code in [p.code for p in found.suggestions]


def test_nonsense_gets_no_suggestion() -> None:
    found = find_partner("qwxzvb")
    assert isinstance(found, NotFound) and found.suggestions == ()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2025-06", "2025-06"),
        ("2025/06", "2025-06"),
        ("06/2025", "2025-06"),
        ("June 2025", "2025-06"),
        ("Jun 2025", "2025-06"),
        ("jun. 2025", "2025-06"),
        ("2025 June", "2025-06"),
        ("2025年6月", "2025-06"),
        ("H1 2025", "2025-H1"),
        ("2025 H1", "2025-H1"),
        ("2025-H1", "2025-H1"),
        ("Q1 2025", "2025-Q1"),
        ("q3 2025", "2025-Q3"),
        ("2025", "2025"),
        ("2025年", "2025"),
        ("2025年上半年", "2025-H1"),
    ],
)
def test_period_forms(text: str, code: str) -> None:
    query = parse_query(f"US {text}")
    assert query.period == Period.parse_code(code), text
    assert query.partner_text == "US" and query.period_error is None


def test_month_without_year_and_latest() -> None:
    assert parse_query("India May").period == MonthOnly(5)
    assert parse_query("美国 6月").period == MonthOnly(6)
    assert parse_query("US latest").period == Latest()
    assert parse_query("US").period == Latest()


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "13月", "H3 2025", "Q5 2025", "US 12345"])
def test_malformed_periods_are_reported(text: str) -> None:
    assert parse_query(text).period_error is not None


@pytest.mark.parametrize(
    ("text", "code", "period"),
    [
        ("How much did China export to the US in June 2025?", "US", "2025-06"),
        ("india may", "IN", None),
        ("德国 2025年7月", "DE", "2025-07"),
        ("中国对美国出口多少 2025年6月", "US", "2025-06"),
        ("What were exports to South Korea in Q3 2025", "KR", "2025-Q3"),
        ("how much did china export in march 2026", "WORLD", "2026-03"),
    ],
)
def test_plain_questions(text: str, code: str, period: str | None) -> None:
    query = parse_query(text)
    found = resolve_partner_text(query.partner_text)
    assert isinstance(found, Found) and found.partner.code == code
    if period:
        assert query.period == Period.parse_code(period)


def test_control_and_direction_characters_are_dropped() -> None:
    query = parse_query("\u202eUS\u200f\x00 2025-06\u0007")
    assert query.partner_text == "US" and query.period == Period.month(2025, 6)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parsing_never_raises_and_stays_bounded(text: str) -> None:
    query = parse_query(text)
    assert len(query.text) <= 200
    assert all(c.isprintable() for c in query.partner_text)
    resolve_partner_text(query.partner_text)  # must not raise either


MONTH_FORMATS = [
    lambda y, m: f"{y}-{m:02d}",
    lambda y, m: f"{y}/{m}",
    lambda y, m: f"{MONTH_NAMES[m - 1]} {y}",
    lambda y, m: f"{MONTH_NAMES[m - 1][:3].lower()} {y}",
    lambda y, m: f"{y}年{m}月",
]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2000, 2099),
    st.integers(1, 12),
    st.sampled_from(MONTH_FORMATS),
    st.sampled_from(["US", "Germany", "印度", "south korea", ""]),
)
def test_any_month_in_any_form_reads_back(year: int, month: int, form, partner: str) -> None:  # type: ignore[no-untyped-def]
    query = parse_query(f"{partner} {form(year, month)}")
    assert query.period == Period.month(year, month)
    assert query.period_error is None
    assert query.partner_text == partner


@pytest.mark.parametrize(
    ("typed", "codes"),
    [("德过", ["DE"]), ("美过", ["US"]), ("日木", ["JP"]), ("韩过", ["KR"]), ("德國過", [])],
)
def test_a_chinese_name_one_character_off_gets_a_suggestion(typed: str, codes: list[str]) -> None:
    """德过 is 德国 mistyped (one character off, as a pinyin input method slips); a word
    that is no near name gets none."""
    found = find_partner(typed)
    assert isinstance(found, NotFound)
    assert [p.code for p in found.suggestions] == codes


def test_a_chinese_word_near_no_name_gets_no_guess() -> None:
    found = find_partner("火星")
    assert isinstance(found, NotFound) and found.suggestions == ()
