"""Figures in: loading and checking the data files (``dataset``), choosing one figure when
sources disagree (``resolve``), the problems a file can have, said in the reader's language
(``problems``), official files and their import ledger (``official_table``, ``importers``,
``partner_map``, ``ledger``), the UN Comtrade fetch (``comtrade``), editor's notes (``notes``)
and the ``python -m bot data`` commands (``ops``, ``cli``). It may use ``bot.i18n`` (its
messages) and ``bot.reading`` (to read period codes and partner names in files) and nothing else
of the bot: no metrics, rendering, pushing, runtime or Telegram.
"""
