"""ExportWatch: a Telegram bot on China's rare-earth permanent magnet exports."""
