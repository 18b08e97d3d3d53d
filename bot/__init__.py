"""ExportWatch: a Telegram bot on China's rare-earth permanent magnet exports.

The core is grouped in wings along the path of the data: ``reading`` (what people type),
``data`` (figures in), the middle (``figures``, ``metrics``, ``datastore``, ``lookup`` and
``records``, modules at this level), ``render`` (answers out) and ``push`` (the monthly push).
The other modules at this level are the runtime that wires them to Telegram and runs them. The
README's Architecture section is the map, and ``pyproject.toml`` holds the rules it keeps.
"""
