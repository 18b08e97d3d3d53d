"""Small formatting helpers shared by the renderers: numbers, escaping, footnotes, limits."""

from __future__ import annotations

import html

from bot.figures import Sourced

MAX_MESSAGE = 4096
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
DERIVED_MARK = "≈"
LOW_MARK = "†"


def esc(value: object) -> str:
    """Escape any dynamic value for Telegram HTML (quotes too, for attributes)."""
    return html.escape(str(value), quote=True)


def quote_input(text: str, limit: int = 40) -> str:
    """A user's text, shortened and escaped, for echoing it back."""
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return esc(text)


def tonnes(value: float, decimals: int = 0, derived: bool = False) -> str:
    """``3,188 t``, ``46.4 t``, ``≈5,150 t`` (at most one decimal)."""
    places = min(decimals, 1)
    mark = DERIVED_MARK if derived else ""
    return f"{mark}{value:,.{places}f} t"


def sourced_tonnes(item: Sourced) -> str:
    """Tonnes, marked ≈ when derived and † when from a low-reliability source."""
    low = LOW_MARK if item.is_low_reliability else ""
    return tonnes(item.value, item.decimals, item.is_derived) + low


def tonnes_change(value: float, *items: Sourced) -> str:
    """A signed change in tonnes at the precision of the figures compared: ``+306.6 t``."""
    places = min(max(item.decimals for item in items), 1)
    return f"{value:+,.{places}f} t"


def legend(items: list[Sourced]) -> list[str]:
    """The lines explaining the ≈ and † marks used among ``items``."""
    lines = []
    if any(i.is_derived for i in items):
        lines.append("<i>≈ derived from a published figure and a percentage or share.</i>")
    if any(i.is_low_reliability for i in items):
        lines.append(
            "<i>† from a source of low reliability (unclear sourcing, or in conflict with "
            "customs figures); no better figure is published.</i>"
        )
    return lines


def pct(value: float | None, places: int = 1) -> str:
    """``+157.5%`` / ``-38.1%``; ``n/a`` when unknown."""
    if value is None:
        return "n/a"
    return f"{value:+.{places}f}%"


def usd(value: float) -> str:
    """``$301.8m``, ``$1.02bn``."""
    if value >= 1e9:
        return f"${value / 1e9:,.2f}bn"
    if value >= 1e6:
        return f"${value / 1e6:,.1f}m"
    return f"${value:,.0f}"


def arrow(change: float | None) -> str:
    if change is None or change == 0:
        return "•"
    return "▲" if change > 0 else "▼"


def superscript(n: int) -> str:
    return str(n).translate(SUPERSCRIPTS)


def link(title: str, url: str) -> str:
    if not url:
        return esc(title)
    return f'<a href="{esc(url)}">{esc(title)}</a>'


class Footnotes:
    """Numbers each distinct source once, in order of first use."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}

    def mark(self, item: Sourced) -> str:
        marks = []
        for resolved in item.figures:
            figure = (
                item.used if item.used is not None and len(item.figures) == 1 else resolved.chosen
            )
            key = (figure.source_title, figure.source_url)
            number = self._numbers.setdefault(key, len(self._numbers) + 1)
            if number not in marks:
                marks.append(number)
        return "".join(
            superscript(n) if i == 0 else "˒" + superscript(n) for i, n in enumerate(marks)
        )

    def lines(self) -> list[str]:
        return [f"{superscript(n)} {link(title, url)}" for (title, url), n in self._numbers.items()]


def fit(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Pack blocks (joined by blank lines) into messages of at most ``limit`` characters.

    A single block longer than the limit is cut at line breaks.
    """
    pieces = [piece for block in blocks for piece in _pack(block.split("\n"), "\n", limit)]
    return _pack(pieces, "\n\n", limit)


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    """Join pieces with ``separator`` greedily into chunks of at most ``limit`` characters."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        piece = piece[:limit]
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks
