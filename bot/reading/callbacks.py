"""Button data: what a button under an answer asks for, in at most 64 bytes.

``v1:<action>:<partner>:<period>``: action ``x`` (the /exports answer), ``c`` (chart) or
``s`` (sources); partner an ISO 2 code or a grouping; period a code such as ``2025-06`` or
``L`` for the latest month. Anything else, old or forged, decodes to ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.reading.partners import is_partner_code
from bot.reading.periods import Period, PeriodError

VERSION = "v1"
ACTIONS = {"x": "exports", "c": "chart", "s": "sources"}
LATEST = "L"
MAX_BYTES = 64
_SHAPE = re.compile(r"^v1:([xcs]):([A-Z_]{2,13}):([0-9A-Z-]{1,10})$")


@dataclass(frozen=True)
class ButtonRequest:
    action: str  # exports | chart | sources
    partner: str
    period: str  # a period code, or "L" for the latest month

    @property
    def query(self) -> str:
        """The same request as command arguments: ``US 2025-06``."""
        when = "latest" if self.period == LATEST else self.period
        return f"{self.partner} {when}"


def encode(action: str, partner: str, period: Period | None) -> str:
    code = next(k for k, v in ACTIONS.items() if v == action)
    data = f"{VERSION}:{code}:{partner}:{period.code if period else LATEST}"
    assert len(data.encode()) <= MAX_BYTES
    return data


@lru_cache(maxsize=4096)
def decode(data: str | None) -> ButtonRequest | None:
    match = _SHAPE.match(data or "")
    if match is None:
        return None
    action, partner, period = match.groups()
    if not is_partner_code(partner):
        return None
    if period != LATEST:
        try:
            Period.parse_code(period)
        except PeriodError:
            return None
    return ButtonRequest(ACTIONS[action], partner, period)
