"""``python -m bot data {import,imports,fetch}``: feeding official files to the bot."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.data.ops import DataSettings


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    data = sub.add_parser("data", help="import official files, list imports, fetch from Comtrade")
    commands = data.add_subparsers(dest="data_command", required=True)
    load = commands.add_parser("import", help="check and import a customs or Comtrade+ CSV file")
    load.add_argument("file", type=Path)
    load.add_argument(
        "--skip-unmapped", action="store_true", help="leave out partners that cannot be mapped"
    )
    commands.add_parser("imports", help="list every import with its file hash and time")
    fetch = commands.add_parser("fetch", help="fetch a month from UN Comtrade and import it")
    fetch.add_argument("source", choices=["comtrade"])
    fetch.add_argument("--period", required=True, help="a month: 2025-06")


def run(settings: DataSettings, args: argparse.Namespace, today: date) -> tuple[int, str]:
    # the importers, the ledger and the Comtrade client are loaded only for a data command,
    # not on every start of the bot (its cold start)
    from bot.data.ops import fetch_comtrade, import_file, list_imports

    if args.data_command == "import":
        return import_file(settings, args.file, today, args.skip_unmapped)
    if args.data_command == "imports":
        return list_imports(settings)
    return fetch_comtrade(settings, args.period, today)
