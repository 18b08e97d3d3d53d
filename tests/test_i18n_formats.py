"""Numbers, periods and names in Chinese through Babel (CLDR), and which language a reply is in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import Language
from bot.i18n.choice import reply_language, written_in_chinese
from bot.i18n.formats import _pattern, locale, number, partner_name, period_label, short_label
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.format import fixed, tonnes


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=2),
    st.integers(0, 2),
    st.booleans(),
)
def test_a_number_is_laid_out_as_babel_lays_it_out(value: Decimal, places: int, sign: bool) -> None:
    rounded = value.quantize(Decimal(1).scaleb(-places))
    babel = _pattern(places, sign).apply(rounded, locale("zh"), decimal_quantization=False)
    assert number(rounded, places, sign, "zh") == babel


def test_english_numbers_are_unchanged_and_chinese_ones_from_cldr() -> None:
    assert fixed(6149.95, 1) == "6,150.0" == fixed(6149.95, 1, language="zh")
    assert fixed(-38.14, 1, sign=True, language="zh") == "-38.1"
    assert tonnes(3188, language="zh") == "3,188 吨"
    assert tonnes(1234, unit="kg", language="zh") == "1,234 千克"
    assert tonnes(3188) == "3,188 t"


@pytest.mark.parametrize(
    ("code", "english", "chinese"),
    [
        ("2025-06", "June 2025", "2025年6月"),
        ("2025-Q3", "Q3 2025", "2025年第3季度"),
        ("2025-H1", "H1 2025", "2025年上半年"),
        ("2025-H2", "H2 2025", "2025年下半年"),
        ("2025", "2025", "2025年"),
        ("2025-YTD07", "Jan–Jul 2025", "2025年1–7月"),
        ("2025-YTD01", "January 2025", "2025年1月"),
        ("2025-YTD03", "Q1 2025", "2025年第1季度"),
        ("2025-YTD06", "H1 2025", "2025年上半年"),
    ],
)
def test_periods_read_as_each_language_writes_them(code: str, english: str, chinese: str) -> None:
    period = Period.parse_code(code)
    assert period_label(period, "en") == english
    assert period_label(period, "zh") == chinese


def test_a_short_label_is_the_chinese_label() -> None:
    june = Period.parse_code("2025-06")
    assert short_label(june, "en") == "Jun 2025" and short_label(june, "zh") == "2025年6月"


@pytest.mark.parametrize(
    ("code", "chinese"),
    [
        ("US", "美国"),
        ("DE", "德国"),
        ("JP", "日本"),
        ("KR", "韩国"),
        ("WORLD", "中国出口总量"),
        ("EU", "欧盟（27国）"),
    ],
)
def test_names_come_from_cldr_and_the_catalog(code: str, chinese: str) -> None:
    assert partner_name(partner(code), "zh") == chinese
    assert partner_name(partner(code), "en") == partner(code).name


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("/exports 美国 6月", True),
        ("中国6月对美国出口了多少稀土磁铁？", True),
        ("/exports US", False),
        ("exports to the US in June", False),
        ("@ExportWatchBot 德国", True),
        ("", False),
        ("/exports Germany 德国", False),
    ],
)
def test_a_text_is_chinese_when_its_words_are(text: str, chinese: bool) -> None:
    assert written_in_chinese(text) is chinese


@pytest.mark.parametrize(
    ("chosen", "text", "code", "private", "language"),
    [
        (None, "/exports US", "zh-hans", True, "zh"),  # a private chat follows its user
        (None, "/exports US", "zh-hans", False, "en"),  # a group does not
        (None, "美国 6月", "en", False, "zh"),  # Chinese words get a Chinese answer
        (None, "/exports US", "en-GB", True, "en"),
        (None, "/exports US", "de", True, "en"),
        ("en", "美国 6月", "zh", True, "en"),  # the chat's own setting wins
        ("zh", "/exports US", "en", False, "zh"),
    ],
)
def test_the_reply_language(
    chosen: Language | None, text: str, code: str, private: bool, language: Language
) -> None:
    assert reply_language(chosen, text, code, private) == language
