"""Figures in: loading and checking the data files (``dataset``), choosing one figure when
sources disagree (``resolve``), official files and their import ledger (``importers``,
``partner_map``, ``ledger``), the UN Comtrade fetch (``comtrade``), editor's notes (``notes``)
and the ``python -m bot data`` commands (``ops``, ``cli``). It may use ``bot.reading`` (to read
period codes and partner names in files) and nothing else of the bot: no metrics, rendering,
pushing, runtime or Telegram.
"""
