"""Fetching China's monthly exports of HS 850511 by partner from UN Comtrade.

Uses ``comtradeapicall``: the preview endpoint without a key, the full one with
``COMTRADE_API_KEY``. The answer is written as a Comtrade+ CSV and imported through the same
checks as a file an analyst downloads (:func:`bot.data.importers.read_import`). The library prints
HTTP errors instead of raising them, so its output is captured and read: a rate limit is
waited out and retried, other errors and empty answers are reported.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.reading.periods import Period

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

CHINA = "156"
HS_CODE = "850511"
MAX_RECORDS = 500  # the preview's limit; China has fewer partners than this
ATTEMPTS = 4
_RETRY_AFTER = re.compile(r"try again in (\d+) second", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    path: Path
    rows: int


@dataclass(frozen=True)
class NoData:
    """Comtrade answered, with nothing for the month (not published yet)."""

    period: Period


@dataclass(frozen=True)
class FetchFailed:
    reason: str


FetchResult = Fetched | NoData | FetchFailed


def _call(period: Period, api_key: str | None) -> tuple[pd.DataFrame | None, str]:
    """One API call: (the data or None, what the library printed)."""
    import comtradeapicall  # with requests and urllib3: loaded only when a fetch runs

    arguments = {
        "typeCode": "C",
        "freqCode": "M",
        "clCode": "HS",
        "period": f"{period.year}{period.first_month:02d}",
        "reporterCode": CHINA,
        "cmdCode": HS_CODE,
        "flowCode": "X",
        "partnerCode": None,
        "partner2Code": "0",
        "customsCode": "C00",
        "motCode": "0",
        "maxRecords": MAX_RECORDS,
        "includeDesc": True,
    }
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        try:
            if api_key:
                frame = comtradeapicall.getFinalData(api_key, **arguments)
            else:
                frame = comtradeapicall.previewFinalData(**arguments)
        except (ValueError, KeyError) as error:  # a 200 answer that is not the JSON expected
            return None, f"unexpected answer ({error})"
    return frame, printed.getvalue().strip()


def fetch(
    period: Period,
    folder: Path,
    api_key: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    attempts: int = ATTEMPTS,
) -> FetchResult:
    """Fetch one month and save it as a Comtrade+ CSV in ``folder``."""
    reason = ""
    for attempt in range(1, attempts + 1):
        frame, printed = _call(period, api_key)
        if frame is not None:
            if frame.empty:
                log.info("UN Comtrade has no data for %s yet", period.code)
                return NoData(period)
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            path = folder / f"comtrade-{HS_CODE}-{period.code}-{stamp}.csv"
            frame.to_csv(path, index=False)
            log.info("UN Comtrade: %d row(s) for %s saved to %s", len(frame), period.code, path)
            return Fetched(path, len(frame))
        reason = printed or "no answer"
        retry = _RETRY_AFTER.search(reason)
        if retry is None and "429" not in reason and "rate limit" not in reason.lower():
            break
        wait = float(retry[1]) if retry else 2.0**attempt
        log.warning(
            "UN Comtrade rate limit (attempt %d of %d); waiting %.0f s", attempt, attempts, wait
        )
        sleep(wait)
    log.error("UN Comtrade fetch for %s failed: %s", period.code, reason)
    return FetchFailed(reason.splitlines()[0][:300] if reason else "no answer")
