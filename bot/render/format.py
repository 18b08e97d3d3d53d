"""Small formatting helpers shared by the renderers: numbers, escaping, footnotes, limits.

Every number shown passes through :func:`fixed`, which rounds half up in decimal (6,149.95 t
is 6,150.0 t and $106.85m is $106.9m; Python's own formatting rounds binary floats half to
even, and 6,149.95 is stored as 6,149.9499…).
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal

from bot.data.changes import ChosenChange
from bot.data.translations import NO_TRANSLATIONS, Translations, note_parts
from bot.figures import Change, Sourced
from bot.i18n import Language, Said, ntr, tr
from bot.i18n.formats import compact, number, say
from bot.render.figure_text import parts_in

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


def fixed(value: float, places: int = 0, sign: bool = False, language: Language = "en") -> str:
    """``value`` rounded half up to ``places`` decimals, with thousands separators:
    ``fixed(6149.95, 1)`` is ``6,150.0``; ``sign`` adds ``+`` to positive values. English
    is laid out by Python (the same as CLDR's), other languages by Babel."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0"
    if language != "en":
        return number(rounded, places, sign, language)
    return f"{rounded:{'+' if sign else ''},.{places}f}"


#: The label of each quantity metric.
UNIT_LABELS = {"tonnes": "t", "kg": "kg"}


def amount(number: str, unit: str, language: Language = "en") -> str:
    """``3,188 t`` / ``3,188 吨``, ``1,234 kg`` / ``1,234 千克``: a laid-out number and its unit."""
    if unit == "kg":
        return tr(language, "{number} kg", number=number)
    return tr(language, "{number} t", number=number)


def per_unit(unit: str, language: Language = "en") -> str:
    """``t`` / ``吨``: the unit after a slash (``$41,595/t``)."""
    return tr(language, "kg") if unit == "kg" else tr(language, "t")


def unit_of(*items: Sourced) -> str:
    """The quantity metric of the figures behind ``items`` (``tonnes`` or ``kg``)."""
    for item in items:
        for resolved in item.figures:
            if resolved.metric in UNIT_LABELS:
                return resolved.metric
    return "tonnes"


def tonnes(
    value: float,
    decimals: int = 0,
    derived: bool = False,
    lower_bound: bool = False,
    unit: str = "tonnes",
    language: Language = "en",
    unit_shown: bool = True,
) -> str:
    """A quantity in its series' unit: ``3,188 t``, ``46.4 t``, ``≈5,150 t``, ``200+ t``,
    ``1,234 kg`` (at most one decimal; never converted); without it (``≈5,150``) under a
    header that names the unit."""
    mark = DERIVED_MARK if derived else ""
    number = fixed(value, min(decimals, 1), language=language) + ("+" if lower_bound else "")
    return mark + (amount(number, unit, language) if unit_shown else number)


def sourced_tonnes(item: Sourced, language: Language = "en", unit_shown: bool = True) -> str:
    """A quantity in its unit (unless not ``unit_shown``), marked ≈ when derived, + when a
    lower bound and † when from a low-reliability source."""
    low = LOW_MARK if item.is_low_reliability else ""
    bound = item.is_lower_bound
    unit = unit_of(item)
    shown = tonnes(item.value, item.decimals, item.is_derived, bound, unit, language, unit_shown)
    return shown + low


def tonnes_change(value: float, *items: Sourced, language: Language = "en") -> str:
    """A signed change in the figures' unit at their precision: ``+306.6 t``."""
    places = min(max(item.decimals for item in items), 1)
    return amount(fixed(value, places, sign=True, language=language), unit_of(*items), language)


#: A computed change to at least this many times its base is stated as the factor
#: (``×648``), not as a percentage of five digits over a base of next to nothing.
FOLD = 10


def fold(change: Change) -> float | None:
    """How many times its base a computed change is, when it is :data:`FOLD` times or more;
    ``None`` otherwise and for a published percentage (always stated as published)."""
    if change.published is not None or change.computed_pct is None:
        return None
    times = change.computed_pct / 100 + 1
    return times if times >= FOLD else None


def times(factor: float, language: Language = "en") -> str:
    """``648``, ``12.5``: a factor, whole from 100 on."""
    return fixed(factor, 0 if factor >= 100 else 1, language=language)


def change_pct(change: Change, language: Language = "en") -> str:
    """The percentage a change states, as published when a source gave it: ``+660%``,
    ``-9.5%``; else computed, to one decimal: ``+14.7%``; ``×648`` for a computed change
    to :data:`FOLD` times its base or more."""
    if (factor := fold(change)) is not None:
        return f"×{times(factor, language)}"
    return pct(change.pct, change.pct_decimals, language)


def recomputed(change: Change, language: Language = "en") -> str | None:
    """The computed percentage to show beside a published one, when it differs from it at
    the published precision and does not merely echo it; else ``None``."""
    if change.published is None or change.recomputed is None:
        return None
    computed = change.recomputed
    if fixed(computed, change.pct_decimals) == fixed(change.published.pct, change.pct_decimals):
        return None
    return pct(computed, language=language)


def share(value: float, lower_bound: bool = False, language: Language = "en") -> str:
    """``11.1%``; ``at least 6.3%`` for a lower-bound figure's share."""
    stated = f"{fixed(value, 1, language=language)}%"
    return tr(language, "at least {share}", share=stated) if lower_bound else stated


def legend(items: list[Sourced], language: Language = "en") -> list[str]:
    """The lines explaining the ≈, + and † marks of ``items``: pass only the figures shown
    (:attr:`Footnotes.shown`), so that no legend explains a mark the answer does not use."""
    lines = []
    if any(i.is_derived for i in items):
        derived = tr(language, "≈ derived from a published figure and a percentage or share.")
        lines.append(f"<i>{derived}</i>")
    if any(i.is_lower_bound for i in items):
        bound = tr(language, "+ a lower bound: the source says “at least” (200+).")
        lines.append(f"<i>{bound}</i>")
    if any(i.is_low_reliability for i in items):
        low = tr(
            language,
            "† from a source of low reliability (unclear sourcing, or in conflict with "
            "customs figures); no better figure is published.",
        )
        lines.append(f"<i>{low}</i>")
    return lines


def pct(value: float | None, places: int = 1, language: Language = "en") -> str:
    """``+157.5%`` / ``-38.1%``; ``n/a`` when unknown."""
    if value is None:
        return tr(language, "n/a")
    return f"{fixed(value, places, sign=True, language=language)}%"


def usd(value: float, language: Language = "en") -> str:
    """``$301.8m``, ``$1.02bn``; in Chinese CLDR's compact form, ``3.018亿美元``."""
    if language != "en":
        return tr(language, "{amount} US dollars", amount=compact(value, language))
    if value >= 1e9:
        return f"${fixed(value / 1e9, 2)}bn"
    if value >= 1e6:
        return f"${fixed(value / 1e6, 1)}m"
    return f"${fixed(value)}"


def sourced_usd(item: Sourced, language: Language = "en") -> str:
    """A value with the marks of any figure: ``≈$257.2m``, ``$2.2m†``."""
    mark = DERIVED_MARK if item.is_derived else ""
    return f"{mark}{usd(item.value, language)}{LOW_MARK if item.is_low_reliability else ''}"


def chinese_name(name: str, name_zh: str) -> str:
    """What follows a name to give its Chinese one: `` (镓)``; after a name that already
    ends in brackets, no second pair: `` / 钨（仲钨酸铵）``."""
    if not name_zh:
        return ""
    return f" / {name_zh}" if name.endswith(")") else f" ({name_zh})"


def with_chinese(name: str, name_zh: str) -> str:
    """``gallium (镓)``, ``tungsten (APT) / 钨（仲钨酸铵）``."""
    return name + chinese_name(name, name_zh)


def colon(label: str, value: str, language: Language = "en") -> str:
    """``June 2025: 46 t`` / ``2025年6月：46 吨``: a label and what follows it, each already
    Telegram HTML."""
    return f"{label}: {value}" if language == "en" else f"{label}：{value}"


def count(n: int, one: str, many: str) -> str:
    """``1 row``, ``2 rows``: ``n`` with the word that agrees with it."""
    return f"{n:,} {one if n == 1 else many}"


def months_known(known: int, total: int, language: Language = "en") -> str:
    """``1 of 4 months has a figure``, ``2 of 12 months have a figure``."""
    return ntr(
        language,
        "{n} of {total} months has a figure",
        "{n} of {total} months have a figure",
        known,
        total=total,
    )


#: Parts of an editor's note on a figure that qualify the figure itself (how exact it is,
#: what it covers); the rest of a note (where it was found, cross-checks, the percentages
#: it came with) is for /sources, where notes are shown whole.
QUALIFIERS = re.compile(
    r"^(approx|about\b|lower bound|source says)|\b(wrought|unwrought|APT only)\b"
    r"|not the year's total",
    re.IGNORECASE,
)


def figure_note(
    note: str, translations: Translations = NO_TRANSLATIONS, language: Language = "en"
) -> str:
    """The parts of a figure's note (``;``-separated) that qualify it: ``approx.``,
    ``lower bound; source says "200+"``, ``wrought gallium only (Reuters)``; ``""`` when
    none does (``Reuters; total rare earths, NOT magnets; …`` is the editor's own record).
    The parts are chosen in English and shown in ``language`` (``近似值``)."""
    chosen = [part for part in note_parts(note) if QUALIFIERS.search(part)]
    return parts_in(chosen, translations, language)


def _given_by(item: Sourced) -> set[str]:
    """Every source that gives all of a number's figures (within rounding)."""
    sets = [{f.source_url or f.source_title for f in r.agreeing} for r in item.figures]
    return set.intersection(*sets) if sets else set()


def value_line(
    value: Sourced,
    per_tonne: float | None,
    quantity: Sourced | None,
    why_not: Said | None = None,
    language: Language = "en",
) -> str:
    """What follows a value: ``, $41,595/t`` (``/kg`` for a series in kg: ``per_tonne`` is
    per unit of ``quantity``), saying so when no one source gives both the value and the
    quantity; when no value per unit is given, ``why_not`` (from the metrics) says why."""
    if quantity is None:
        return ""
    unit = per_unit(unit_of(quantity), language)
    if why_not is not None:
        why = esc(say(why_not, language, escape=False))
        return tr(language, " (no value per {unit}: {why})", unit=unit, why=why)
    if not per_tonne:
        return ""
    stated = tr(language, ", ${value}/{unit}", value=fixed(per_tonne, language=language), unit=unit)
    if _given_by(value) & _given_by(quantity):
        return stated
    if unit_of(quantity) == "kg":
        return stated + tr(language, " (value and kilograms from different sources)")
    return stated + tr(language, " (value and tonnes from different sources)")


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
        #: Every figure marked so far: the figures the answer shows, for its legend.
        self.shown: list[Sourced] = []

    def source(self, title: str, url: str) -> str:
        """The mark of one source."""
        return superscript(self._numbers.setdefault((title, url), len(self._numbers) + 1))

    def mark_change(self, change: ChosenChange) -> str:
        """The mark of the source whose published percentage is stated."""
        return self.source(change.chosen.source_title, change.chosen.source_url)

    def mark(self, item: Sourced) -> str:
        self.shown.append(item)
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
