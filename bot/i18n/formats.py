"""Numbers, periods and country names in a language, through Babel (CLDR).

English keeps the bot's own forms (``June 2025``, ``3,188 t``, ``H1 2025``); Chinese takes
CLDR's (``2025年6月``, ``2025年第2季度``, ``美国``) and the catalog's words for what CLDR has
no pattern for (``2025年上半年``, ``2025年1–7月``). A number is rounded half up first
(:func:`bot.render.format.fixed` rounds; this only lays it out).

Babel is imported on first use, not at start-up: an English answer never needs it, and its
import and locale data (about 30 ms) would be on every start's way to the first answer.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.i18n import (
    LOCALES,
    Clauses,
    Language,
    MonthName,
    Named,
    Quantity,
    Said,
    Words,
    tr,
)
from bot.reading.partners import Partner
from bot.reading.period_grammar import Unanchored
from bot.reading.periods import MONTH_NAMES, Period

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern


@lru_cache(maxsize=8)
def locale(language: Language) -> Locale:
    from babel import Locale

    return Locale.parse(LOCALES[language])


@lru_cache(maxsize=64)
def _pattern(places: int, sign: bool) -> NumberPattern:
    from babel.numbers import parse_pattern

    digits = "#,##0" + ("." + "0" * places if places else "")
    return parse_pattern(f"+{digits};-{digits}" if sign else digits)


@lru_cache(maxsize=8)
def _symbols(language: Language) -> dict[int, str] | None:
    """The locale's group and decimal separators and signs in place of Python's, when it
    groups digits by threes as Python does (both of the bot's languages); else ``None``."""
    from babel.numbers import (
        get_decimal_symbol,
        get_group_symbol,
        get_minus_sign_symbol,
        get_plus_sign_symbol,
    )

    where = locale(language)
    if where.decimal_formats[None].grouping != (3, 3):
        return None
    return str.maketrans(
        {
            ",": get_group_symbol(where),
            ".": get_decimal_symbol(where),
            "-": get_minus_sign_symbol(where),
            "+": get_plus_sign_symbol(where),
        }
    )


def number(value: Decimal, places: int, sign: bool, language: Language) -> str:
    """``value`` (already rounded to ``places``) with the language's separators and signs
    from CLDR: laid out by Python with CLDR's symbols put in (many numbers in an answer;
    Babel's own layout takes ten times as long), or by Babel for a locale that groups
    digits otherwise."""
    symbols = _symbols(language)
    if symbols is not None:
        return f"{value:{'+' if sign else ''},.{places}f}".translate(symbols)
    laid_out: str = _pattern(places, sign).apply(
        value, locale(language), decimal_quantization=False
    )
    return laid_out


def compact(value: float, language: Language) -> str:
    """CLDR's compact form of a large number: ``3.018亿``, ``220万``."""
    from babel.numbers import format_compact_decimal

    return format_compact_decimal(value, locale=locale(language), fraction_digits=3)


@lru_cache(maxsize=4096)
def period_label(period: Period, language: Language) -> str:
    """``June 2025`` / ``2025年6月``; ``H1 2025`` / ``2025年上半年``; ``2025年第2季度``;
    ``Jan–Jul 2025`` / ``2025年1–7月``; ``2025`` / ``2025年``."""
    if language == "en":
        return period.label
    from babel.dates import format_skeleton

    first = date(period.year, period.first_month, 1)
    where = locale(language)
    if period.kind == "month":
        return format_skeleton("yMMM", first, locale=where)
    if period.kind == "quarter":
        return format_skeleton("yQQQQ", first, locale=where)
    if period.kind == "half":
        if period.first_month == 1:
            return tr(language, "H1 {year}", year=period.year)
        return tr(language, "H2 {year}", year=period.year)
    if period.kind == "ytd" and period.last_month != 12:
        # as the English label: January to March is Q1, to June H1 (the sources say so)
        if period.last_month == 1:
            return format_skeleton("yMMM", first, locale=where)
        if period.last_month == 3:
            return format_skeleton("yQQQQ", first, locale=where)
        if period.last_month == 6:
            return tr(language, "H1 {year}", year=period.year)
        return tr(language, "Jan–{month} {year}", month=period.last_month, year=period.year)
    return format_skeleton("y", first, locale=where)


def day_label(day: date, language: Language) -> str:
    """``20 June 2025`` / ``2025年6月20日``: a day as CLDR writes it."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMMd", day, locale=locale(language))


def short_label(period: Period, language: Language) -> str:
    """``Jun 2025`` / ``2025年6月``: a label for buttons and aligned columns."""
    return period.short_label if language == "en" else period_label(period, language)


@lru_cache(maxsize=1024)
def territory_name(code: str, language: Language) -> str | None:
    """CLDR's name of the country or territory with ISO code ``code`` in ``language``
    (``美国``), or ``None`` when CLDR has none."""
    if len(code) != 2:
        return None
    return locale(language).territories.get(code.upper())


def partner_name(who: Partner, language: Language) -> str:
    """A partner's name in ``language``: CLDR's for a country (``美国``), the catalog's for
    the sources' groupings (``中国出口总量``)."""
    if language == "en":
        return who.name
    groupings = {
        "WORLD": tr(language, "China's total"),
        "EU": tr(language, "European Union (EU-27)"),
        "EUROPE": tr(language, "Europe (SMM grouping)"),
        "ASIA": tr(language, "Asia (SMM grouping)"),
        "NORTH_AMERICA": tr(language, "North America (SMM grouping)"),
        "WORLD_EX_US": tr(language, "All destinations except the US"),
    }
    return groupings.get(who.code) or territory_name(who.code, language) or who.name


def listing(items: Iterable[str], language: Language) -> str:
    """``Jan 2025, Feb 2025`` / ``2025年1月、2025年2月``: items listed in the language."""
    return ("、" if language == "zh" else ", ").join(items)


def clauses(items: Iterable[str], language: Language) -> str:
    """Clauses of one line (notes, rules, the parts of a report): ``a; b`` / ``a；b``."""
    return ("；" if language == "zh" else "; ").join(items)


def sentences(items: Iterable[str], language: Language) -> str:
    """Sentences one after another: a space between them in English, none in Chinese."""
    return ("" if language == "zh" else " ").join(items)


def say(item: Said | str, language: Language, escape: bool = True) -> str:
    """A :class:`Said` in ``language`` (a plain string, already in the language, as it is),
    its values escaped for Telegram HTML unless ``escape`` is off: a period by its label, a
    partner by its name, a quantity in its unit, a list joined as the language lists them, a
    :class:`Said` within it in the same language."""
    if isinstance(item, str):
        return html.escape(item) if escape else item
    values = {name: _value(value, language, escape) for name, value in item.values}
    return tr(language, item.message, **values)


def _value(value: object, language: Language, escape: bool) -> str:
    if isinstance(value, Said):
        return say(value, language, escape)  # its own values escaped, its words the catalog's
    if isinstance(value, Clauses):
        return clauses((_value(v, language, escape) for v in value), language)
    if isinstance(value, Named):
        text = value.said_in(language)
    elif isinstance(value, Quantity):
        text = quantity(value, language)
    elif isinstance(value, MonthName):
        text = MONTH_NAMES[value - 1] if language == "en" else tr(language, "{n}月", n=value)
    elif isinstance(value, Unanchored):
        text = without_year(value, language)
    elif isinstance(value, Words):
        text = relative_words(value, language)
    elif isinstance(value, Period):
        text = period_label(value, language)
    elif isinstance(value, Partner):
        text = partner_name(value, language)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        text = listing((_value(v, language, escape=False) for v in value), language)
    else:
        text = str(value)
    return html.escape(text) if escape else text


def quantity(amount: Quantity, language: Language) -> str:
    """``353.48 t`` / ``353.48 吨``, ``7,580 kg`` / ``7,580 千克``: the number as its source
    gives it (as :func:`bot.data.dataset.exact` lays it out), in its unit."""
    digits = f"{amount.value:,.3f}".rstrip("0").rstrip(".")
    if language != "en" and (symbols := _symbols(language)) is not None:
        digits = digits.translate(symbols)
    if amount.unit == "kg":
        return tr(language, "{number} kg", number=digits)
    return tr(language, "{number} t", number=digits)


def without_year(spec: Unanchored, language: Language) -> str:
    """``Q3`` / ``第3季度``, ``H1`` / ``上半年``, ``Jan–Jul`` / ``1–7月``: a span, no year."""
    if spec.kind == "quarter":
        return tr(language, "Q{number}", number=spec.number)
    if spec.kind == "half":
        return tr(language, "H1") if spec.number == 1 else tr(language, "H2")
    month = MONTH_NAMES[spec.number - 1][:3] if language == "en" else str(spec.number)
    return tr(language, "Jan–{month}", month=month)


def relative_words(name: str, language: Language) -> str:
    """The words for a period relative to today or to the last question."""
    words = {
        "month_before": tr(language, "the month before"),
        "year_before": tr(language, "the year before"),
        "this_month": tr(language, "this month"),
        "last_month": tr(language, "last month"),
        "last_year": tr(language, "last year"),
        "this_year": tr(language, "this year"),
        "year_before_last": tr(language, "the year before last"),
        "last_quarter": tr(language, "last quarter"),
        "quarter_before": tr(language, "the quarter before"),
        "ytd": tr(language, "year to date"),
        "period_before": tr(language, "the period before"),
    }
    return words.get(name, name)
