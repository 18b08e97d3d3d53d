"""Answers out: Telegram HTML for each kind of answer (``answers`` for ``/exports``, ``/top``,
help and problems, ``misreadings`` for what the reader's grammar could not read; ``sources``,
``summary``, ``subscriptions``, ``admin``, ``revisions``), short texts for phones (``phone``),
charts as PNG (``charts``, drawn with matplotlib) and the choice of what a chart, CSV or inline
result shows (``visuals``), the format helpers (``format``) and the check of HTML against
Telegram's rules (``telegram_html``). It may use the middle (``bot.lookup``, ``bot.metrics``,
``bot.figures``, ``bot.datastore``, ``bot.records``) and the wings below it, never
``bot.push``, the runtime or the ``telegram`` package: it returns strings and bytes.
"""
