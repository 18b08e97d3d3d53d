"""The data's and the metrics' English, said in the reader's language: the rules that chose a
figure or a percentage (:mod:`bot.data.resolve`, :mod:`bot.data.changes`) and the reasons a
figure is set aside or no value per unit is given (:mod:`bot.metrics`), matched by pattern. A
rule or reason the tables do not know is given as the data wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.i18n import Language, tr
from bot.i18n.formats import period_label
from bot.reading.periods import Period
from bot.render.format import amount


def _label_period(label: str) -> Period | None:
    """The period an English label names (``June 2025``, ``Jan–Sep 2025``, ``H1 2025``)."""
    found = re.search(r"\b(\d{4})\b", label)
    if found is None:
        return None
    year = int(found[1])
    candidates = [Period.month(year, m) for m in range(1, 13)]
    candidates += [Period.parse_code(f"{year}-Q{q}") for q in range(1, 5)]
    candidates += [Period.parse_code(f"{year}-H{h}") for h in (1, 2)]
    candidates += [Period.parse_code(str(year))]
    candidates += [Period.parse_code(f"{year}-YTD{m:02d}") for m in range(1, 13)]
    return next((p for p in candidates if p.label == label), None)


def _period(label: str, language: Language) -> str:
    period = _label_period(label)
    return label if period is None else period_label(period, language)


def _quantity(number: str, unit: str, language: Language) -> str:
    """``353.48 t`` as the metrics wrote it (``t``, ``kg``), in ``language``."""
    return amount(number, "kg" if unit == "kg" else "tonnes", language)


def _sources_count(word: str) -> str:
    """``1 source``, ``3 sources``: the number."""
    return word.split()[0]


Translate = Callable[[re.Match[str], Language], str]

#: The rules the data wing records for a figure (:mod:`bot.data.resolve`) and a published
#: percentage (:mod:`bot.data.changes`), each with its words in the reader's language.
RULES: tuple[tuple[re.Pattern[str], Translate], ...] = (
    (
        re.compile(r"only source"),
        lambda m, language: tr(language, "only source"),
    ),
    (
        re.compile(r"official statistics before press reports"),
        lambda m, language: tr(language, "official statistics before press reports"),
    ),
    (
        re.compile(r"normal reliability before low"),
        lambda m, language: tr(language, "normal reliability before low"),
    ),
    (
        re.compile(r"reported before derived"),
        lambda m, language: tr(language, "reported before derived"),
    ),
    (
        re.compile(
            r"(\d+ sources?) agree within rounding: the most precise, then the value more "
            r"sources give"
        ),
        lambda m, language: tr(
            language,
            "{n} sources agree within rounding: the most precise, then the value more sources give",
            n=_sources_count(m[1]),
        ),
    ),
    (
        re.compile(r"(\d+ sources?) agree within rounding: the most precise"),
        lambda m, language: tr(
            language,
            "{n} sources agree within rounding: the most precise",
            n=_sources_count(m[1]),
        ),
    ),
    (
        re.compile(r"(\d+ sources?) give the same figure"),
        lambda m, language: tr(
            language, "{n} sources give the same figure", n=_sources_count(m[1])
        ),
    ),
    (
        re.compile(r"(\d+ sources?) give the same percentage"),
        lambda m, language: tr(
            language, "{n} sources give the same percentage", n=_sources_count(m[1])
        ),
    ),
    (
        re.compile(r"sources disagree: closest to what the published (.+) total leaves"),
        lambda m, language: tr(
            language,
            "sources disagree: closest to what the published {period} total leaves",
            period=_period(m[1], language),
        ),
    ),
    (
        re.compile(r"sources disagree: the more precise figure or derivation"),
        lambda m, language: tr(language, "sources disagree: the more precise figure or derivation"),
    ),
    (
        re.compile(r"sources disagree: the figure more sources give"),
        lambda m, language: tr(language, "sources disagree: the figure more sources give"),
    ),
    (
        re.compile(r"sources disagree: the first in the file"),
        lambda m, language: tr(language, "sources disagree: the first in the file"),
    ),
    (
        re.compile(r"sources disagree: the source of this period's figure"),
        lambda m, language: tr(language, "sources disagree: the source of this period's figure"),
    ),
    (
        re.compile(r"sources disagree: the percentage more sources give"),
        lambda m, language: tr(language, "sources disagree: the percentage more sources give"),
    ),
)

#: Why the metrics set a figure aside or give no value per unit (:mod:`bot.metrics`).
WHYS: tuple[tuple[re.Pattern[str], Translate], ...] = (
    (
        re.compile(
            r"its source counts (.+) as ([\d,.]+) (t|kg), where the sources' ([\d,.]+) (?:t|kg) "
            r"is used"
        ),
        lambda m, language: tr(
            language,
            "its source counts {period} as {amount}, where the sources' {used} is used",
            period=_period(m[1], language),
            amount=_quantity(m[2], m[3], language),
            used=_quantity(m[4], m[3], language),
        ),
    ),
    (
        re.compile(
            r"its source gives ([\d,.]+) (t|kg) for (.+), where the sources' ([\d,.]+) (?:t|kg) "
            r"is used"
        ),
        lambda m, language: tr(
            language,
            "its source gives {amount} for {period}, where the sources' {used} is used",
            amount=_quantity(m[1], m[2], language),
            period=_period(m[3], language),
            used=_quantity(m[4], m[2], language),
        ),
    ),
    (
        re.compile(
            r"the value and the (t|kg) come from different sources, and one of them is of low "
            r"reliability"
        ),
        lambda m, language: (
            tr(
                language,
                "the value and the kilograms come from different sources, and one of them is "
                "of low reliability",
            )
            if m[1] == "kg"
            else tr(
                language,
                "the value and the tonnes come from different sources, and one of them is of "
                "low reliability",
            )
        ),
    ),
)


def _translated(
    text: str, table: tuple[tuple[re.Pattern[str], Translate], ...], language: Language
) -> str:
    if language == "en":
        return text
    for pattern, say in table:
        found = pattern.fullmatch(text)
        if found is not None:
            return say(found, language)
    return text


def rule_text(rule: str, language: Language = "en") -> str:
    """A rule that chose a figure or a percentage, in ``language`` (plain text; a rule the
    table does not know is given as the data wrote it)."""
    return _translated(rule, RULES, language)


def why_text(why: str, language: Language = "en") -> str:
    """Why a figure is set aside or no value per unit is given, in ``language`` (plain
    text; as the metrics wrote it when the table does not know it)."""
    return _translated(why, WHYS, language)
