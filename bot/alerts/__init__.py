"""Alerts: rules a chat sets on a partner's figures, read from words and said back in words.

``rules.py`` holds the model (:class:`AlertRule`, its key, :class:`AlertProblem`),
``words.py`` the words in both languages, ``pieces.py`` and ``reading.py`` read a typed rule
(:func:`read_alert`), and ``describe.py`` says a rule or a problem in the reader's language.
``firing.py`` checks a rule against a month (``stated.py`` reads the figure as ``/exports``
states it, ``history.py`` compares it and finds records) and a revision against a rule.
No Telegram and no database: a floor above ``series_choice`` (the material words) and below
``records``.
"""

from bot.alerts.reading import read_alert
from bot.alerts.rules import AlertProblem, AlertRule, Comparison, Metric, Trouble

__all__ = ["AlertProblem", "AlertRule", "Comparison", "Metric", "Trouble", "read_alert"]
