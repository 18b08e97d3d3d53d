"""Button data: what a button under an answer asks for, in at most 64 bytes.

``v1:<action>:<partner>:<period>`` asks of rare-earth magnets (the default series, and every
button sent before there were others); ``v2:<action>:<series>:<partner>:<period>`` of another
series, by its key (``gallium``, ``rare_earths``). Action ``x`` (the /exports answer), ``c``
(chart) or ``s`` (sources); partner an ISO 2 code or a grouping; period a code such as
``2025-06`` or ``L`` for the latest month. Anything else, old or forged, decodes to ``None``;
a series the data no longer has is the handler's to refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.reading.partners import is_partner_code
from bot.reading.periods import Period, PeriodError

VERSION = "v1"
WITH_SERIES = "v2"
ACTIONS = {"x": "exports", "c": "chart", "s": "sources"}
LATEST = "L"
MAX_BYTES = 64
_PERIOD = "([0-9A-Z-]{1,10})"
_SHAPE = re.compile(rf"^v1:([xcs]):([A-Z_]{{2,13}}):{_PERIOD}$")
_SERIES_SHAPE = re.compile(rf"^v2:([xcs]):([A-Za-z0-9_]{{1,24}}):([A-Z_]{{2,13}}):{_PERIOD}$")


@dataclass(frozen=True)
class ButtonRequest:
    action: str  # exports | chart | sources
    partner: str
    period: str  # a period code, or "L" for the latest month
    #: The series' key; empty for the default series (rare-earth magnets).
    series: str = ""

    @property
    def query(self) -> str:
        """The same request as command arguments: ``US 2025-06``."""
        when = "latest" if self.period == LATEST else self.period
        return f"{self.partner} {when}"


def encode(action: str, partner: str, period: Period | None, series: str = "") -> str:
    """The data of a button; with no ``series`` (the default one) in the ``v1`` form."""
    code = next(k for k, v in ACTIONS.items() if v == action)
    when = period.code if period else LATEST
    data = (
        f"{WITH_SERIES}:{code}:{series}:{partner}:{when}"
        if series
        else f"{VERSION}:{code}:{partner}:{when}"
    )
    assert len(data.encode()) <= MAX_BYTES
    return data


@lru_cache(maxsize=4096)
def decode(data: str | None) -> ButtonRequest | None:
    text = data or ""
    series = ""
    match = _SHAPE.match(text)
    if match is not None:
        action, partner, period = match.groups()
    elif (match := _SERIES_SHAPE.match(text)) is not None:
        action, series, partner, period = match.groups()
    else:
        return None
    if not is_partner_code(partner):
        return None
    if period != LATEST:
        try:
            Period.parse_code(period)
        except PeriodError:
            return None
    return ButtonRequest(ACTIONS[action], partner, period, series)
