"""An alert rule said back in words, and a problem said with an example, in either language.

``describe(rule, "en")`` → "United States: alert when the month-on-month change falls below
−25%"; in Chinese "美国：环比低于 −25% 时提醒". Partners are named as every answer names
them (:func:`bot.i18n.formats.partner_name`), materials by their catalog names (rare-earth
magnets, the default, are not named). Numbers take a true minus sign. Each sentence is whole in
the catalog (``bot/i18n/locales/zh/LC_MESSAGES/messages.po``); values are escaped for Telegram
HTML.
"""

from __future__ import annotations

import html
from decimal import Decimal

from bot.alerts.rules import WORLD, AlertProblem, AlertRule, Comparison, Issue, Metric, Trouble
from bot.data.dataset import CUSTOMS_SERIES
from bot.i18n import Language, Said, said, tr
from bot.i18n.formats import listing, number, partner_name, sentences
from bot.reading.partners import partner
from bot.series_choice import material_name, series_word, unit_label

C = Comparison
#: Each rule's sentence, by metric and comparison (a rank is at most or at least a place).
_SAYINGS: dict[tuple[Metric, Comparison], Said] = {
    (Metric.TONNES, C.BELOW): said("{who}: alert when a month's exports fall below {value}"),
    (Metric.TONNES, C.ABOVE): said("{who}: alert when a month's exports rise above {value}"),
    (Metric.TONNES, C.AT_MOST): said("{who}: alert when a month's exports are {value} or less"),
    (Metric.TONNES, C.AT_LEAST): said("{who}: alert when a month's exports are {value} or more"),
    (Metric.TONNES, C.RECORD_HIGH): said(
        "{who}: alert when a month's exports are the highest in the data's history"
    ),
    (Metric.TONNES, C.RECORD_LOW): said(
        "{who}: alert when a month's exports are the lowest in the data's history"
    ),
    (Metric.TONNES, C.RECORD): said(
        "{who}: alert when a month's exports are the highest or the lowest in the data's history"
    ),
    (Metric.MOM, C.BELOW): said("{who}: alert when the month-on-month change falls below {value}"),
    (Metric.MOM, C.ABOVE): said("{who}: alert when the month-on-month change rises above {value}"),
    (Metric.MOM, C.AT_MOST): said("{who}: alert when the month-on-month change is {value} or less"),
    (Metric.MOM, C.AT_LEAST): said(
        "{who}: alert when the month-on-month change is {value} or more"
    ),
    (Metric.YOY, C.BELOW): said("{who}: alert when the year-on-year change falls below {value}"),
    (Metric.YOY, C.ABOVE): said("{who}: alert when the year-on-year change rises above {value}"),
    (Metric.YOY, C.AT_MOST): said("{who}: alert when the year-on-year change is {value} or less"),
    (Metric.YOY, C.AT_LEAST): said("{who}: alert when the year-on-year change is {value} or more"),
    (Metric.SHARE, C.BELOW): said(
        "{who}: alert when the share of China's total falls below {value}"
    ),
    (Metric.SHARE, C.ABOVE): said(
        "{who}: alert when the share of China's total rises above {value}"
    ),
    (Metric.SHARE, C.AT_MOST): said(
        "{who}: alert when the share of China's total is {value} or less"
    ),
    (Metric.SHARE, C.AT_LEAST): said(
        "{who}: alert when the share of China's total is {value} or more"
    ),
    (Metric.SHARE, C.RECORD_HIGH): said(
        "{who}: alert when the share of China's total is the highest in the data's history"
    ),
    (Metric.SHARE, C.RECORD_LOW): said(
        "{who}: alert when the share of China's total is the lowest in the data's history"
    ),
    (Metric.SHARE, C.RECORD): said(
        "{who}: alert when the share of China's total is the highest or the lowest "
        "in the data's history"
    ),
    (Metric.YTD, C.BELOW): said("{who}: alert when the year to date falls below {value}"),
    (Metric.YTD, C.ABOVE): said("{who}: alert when the year to date rises above {value}"),
    (Metric.YTD, C.AT_MOST): said("{who}: alert when the year to date is {value} or less"),
    (Metric.YTD, C.AT_LEAST): said("{who}: alert when the year to date is {value} or more"),
    (Metric.RANK, C.AT_MOST): said("{who}: alert when it ranks in the top {n}"),
    (Metric.RANK, C.AT_LEAST): said("{who}: alert when it ranks #{n} or lower"),
}


def describe(rule: AlertRule, language: Language) -> str:
    """``rule`` in words, as the bot repeats it before saving it."""
    who = html.escape(partner_name(partner(rule.partner), language), quote=False)
    if rule.series != CUSTOMS_SERIES:
        material = html.escape(material_name(rule.series, language), quote=False)
        who = tr(language, "{partner} ({material})", partner=who, material=material)
    saying = _SAYINGS[(rule.metric, rule.comparison)]
    value = threshold_text(rule, language)
    return tr(language, saying.message, who=who, value=value, n=value)


def threshold_text(rule: AlertRule, language: Language) -> str:
    """The threshold as the rule's metric reads it: ``−25%``, ``+30%``, ``30%``, ``2,000 t``,
    a place ``3`` (none for a record)."""
    if rule.threshold is None:
        return ""
    if rule.metric is Metric.RANK:
        return str(int(rule.threshold))
    text = signed_number(rule.threshold, rule.metric.is_change, language)
    if rule.metric.is_percentage:
        return f"{text}%"
    if unit_label(rule.series) == "kg":
        return tr(language, "{number} kg", number=text)
    return tr(language, "{number} t", number=text)


def signed_number(value: float, sign: bool, language: Language) -> str:
    """``value`` with its decimals as typed, the language's separators and a true minus."""
    exact = Decimal(repr(value)).normalize()
    places = max(0, -int(exact.as_tuple().exponent))
    return number(exact, places, sign and value != 0, language).replace("-", "−")


# -- problems ----------------------------------------------------------------------------


def explain(problem: AlertProblem, language: Language) -> str:
    """What stops a typed rule, each issue in a sentence, and a rule to copy that keeps what
    was understood."""
    said = [_issue(issue, problem, language) for issue in problem.issues]
    rule = example_rule(problem, language)
    example = tr(language, "For example: {example}", example=html.escape(rule))
    return sentences([*said, example], language)


def _issue(issue: Issue, problem: AlertProblem, language: Language) -> str:
    words = listing((f"“{html.escape(word, quote=False)}”" for word in issue.words), language)
    trouble = issue.trouble
    if trouble is Trouble.OUT_OF_RANGE:
        return _out_of_range(problem.understood.metric, words, language)
    return tr(language, _TROUBLES[trouble].message, words=words)


T = Trouble
#: Each trouble's sentence (out of range is said per metric).
_TROUBLES: dict[Trouble, Said] = {
    T.UNKNOWN_WORDS: said("I did not understand {words}, so I have not set an alert."),
    T.EMPTY: said("Tell me the rule: a partner, a figure, a comparison and a threshold."),
    T.NO_METRIC: said(
        "Which figure should I watch: tonnes, m/m, y/y, share, rank or year to date?"
    ),
    T.NO_COMPARISON: said("How should the figure compare: below, above, &lt;, &gt;, or a record?"),
    T.NO_THRESHOLD: said("What is the threshold? Give it as a number."),
    T.TWO_PARTNERS: said("An alert watches one partner: {words} are several."),
    T.AMBIGUOUS_PARTNER: said("{words} names several countries: give the country's code."),
    T.TWO_MATERIALS: said("An alert watches one material: {words} are several."),
    T.REFERENCE_SERIES: said("Alerts watch China's own figures; {words} is a reference series."),
    T.TWO_METRICS: said("An alert watches one figure: {words} are several."),
    T.TWO_COMPARISONS: said("An alert has one comparison: {words} are several."),
    T.TWO_THRESHOLDS: said("An alert has one threshold: {words} are several."),
    T.TWO_UNITS: said("Give the threshold in one unit: {words} are several."),
    T.UNIT_OF_PERCENTAGE: said("This figure is a percentage: {words} does not fit it."),
    T.PERCENT_OF_QUANTITY: said(
        "This figure is a quantity, not a percentage: {words} does not fit it."
    ),
    T.UNIT_OF_RANK: said("A rank is a place, with no unit: {words} does not fit it."),
    T.NOT_WHOLE: said("A rank is a whole number: {words} is not."),
    T.RANK_IN_WORDS: said(
        "For a rank, {words} may mean a lower number or a lower place: write &lt; or &gt;, or "
        "top 3."
    ),
    T.CHANGE_OF_LEVEL: said("{words} is said of a change (m/m or y/y), not of this figure."),
    T.SIGNED_CHANGE: said(
        "{words}: the size of a fall or a rise takes no sign, as in “falls more than 25%”."
    ),
    T.RECORD_WITH_THRESHOLD: said("A record has no threshold: {words} does not fit it."),
    T.RECORD_OF_METRIC: said(
        "Records are kept of a month's exports and of the share, not of {words}."
    ),
    T.TOTAL_HAS_NO_SHARE: said("China's total has no share or rank: name a partner."),
}


def _out_of_range(metric: Metric | None, words: str, language: Language) -> str:
    if metric is Metric.SHARE:
        return tr(
            language,
            "A share is between 0% and 100%: {words} leaves nothing to watch.",
            words=words,
        )
    if metric is Metric.RANK:
        return tr(language, "A rank starts at 1: {words} leaves nothing to watch.", words=words)
    if metric in (Metric.MOM, Metric.YOY):
        return tr(
            language, "A fall cannot go beyond −100%: {words} leaves nothing to watch.", words=words
        )
    return tr(
        language,
        "No month's figure can meet {words}: it is below zero or beyond the series' largest "
        "plausible figure.",
        words=words,
    )


#: A rule of each metric to copy, after the material and the partner, in each language (the
#: reader takes both: tests/test_alert_rules.py).
_EXAMPLES: dict[Language, dict[Metric, str]] = {
    "en": {
        Metric.TONNES: "< {amount}",
        Metric.MOM: "mom < -25%",
        Metric.YOY: "yoy < -50%",
        Metric.SHARE: "share > 30%",
        Metric.RANK: "rank <= 3",
        Metric.YTD: "ytd > {amount}",
    },
    "zh": {
        Metric.TONNES: "< {amount}",
        Metric.MOM: "环比 < -25%",
        Metric.YOY: "同比 < -50%",
        Metric.SHARE: "占比 > 30%",
        Metric.RANK: "排名 <= 3",
        Metric.YTD: "年初至今 > {amount}",
    },
}


def example_rule(problem: AlertProblem, language: Language = "en") -> str:
    """``/alert gallium DE mom < -25%`` (``/alert 镓 德国 环比 < -25%``): an alert command that
    keeps the material, partner and metric understood (a country where China's total has no
    share or rank)."""
    understood = problem.understood
    metric = understood.metric or Metric.MOM
    who = understood.partner or "US"
    if who == WORLD and metric in (Metric.SHARE, Metric.RANK):
        who = "US"
    kg = unit_label(understood.series) == "kg"
    if language == "zh":
        amount = "2000 千克" if kg else "200 吨"
        named = "总量" if who == WORLD else partner_name(partner(who), language)
    else:
        amount, named = ("2000 kg" if kg else "200 t"), who
    rule = _EXAMPLES[language][metric].format(amount=amount)
    word = series_word(understood.series, language)
    return " ".join(w for w in ("/alert", word, named, rule) if w)
