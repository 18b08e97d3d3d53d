"""How the benchmarks print a figure: the median over rounds with its range, and a verdict.

Every figure is a ratio against a baseline run in the same process, measured over several
rounds; the spread is printed with it, so a goal met in one round and missed in the next is
seen as such rather than flipping with machine noise.
"""

from __future__ import annotations

import statistics


def spread(values: list[float], unit: str = "", digits: int = 3) -> str:
    """``median (min–max)`` of the rounds, e.g. ``1.42x (1.38–1.47x)``."""
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}g}{unit} ({low:.{digits}g}–{high:.{digits}g}{unit})"


def verdict(ok: bool) -> str:
    return "meets goal" if ok else "MISSES goal"


def at_most(values: list[float], goal: float) -> bool:
    """A ceiling is met when the median of the rounds is at or under it (the range is
    printed beside it, so a round over it is not hidden)."""
    return statistics.median(values) <= goal
