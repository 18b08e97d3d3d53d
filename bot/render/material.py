"""How the renderers name a series: its material in a title and a sentence, its unit, and the
word that asks for it again in a command.

Everything comes from the series' description (:class:`bot.data.series.SeriesInfo`), so a new
series needs no code. Only rare-earth magnets, the series the bot started with, keep the
wording their answers have always had ("China's rare-earth magnet exports", "rare-earth
permanent magnets"); every other series reads "China's exports of gallium".
"""

from __future__ import annotations

import html

from bot.data.dataset import CUSTOMS_SERIES
from bot.data.series import SeriesInfo, project_catalog
from bot.i18n import Language, tr

#: The wording magnet answers have always used (quoted by readers, pinned by tests).
MAGNET_TITLE = "China's rare-earth magnet exports"
MAGNET_NOUN = "rare-earth permanent magnets"
#: The long names of the units, for the legends that explain a table's unit column.
UNIT_NAMES = {"tonnes": "tonnes", "kg": "kilograms"}


def magnets() -> SeriesInfo:
    """Rare-earth magnets (China's tariff line 85051110): the default series."""
    return project_catalog()[CUSTOMS_SERIES]


def info_of(series: SeriesInfo | str | None) -> SeriesInfo:
    """A series' description from its key (the project's catalog), magnets when ``None``;
    a key the catalog does not describe is named by the key, in tonnes."""
    if isinstance(series, SeriesInfo):
        return series
    if series is None:
        return magnets()
    found = project_catalog().get(series)
    if found is not None:
        return found
    return SeriesInfo(series, series, series, "tonnes", "", "detail", (("tonnes", 1.0),))


def is_magnets(info: SeriesInfo) -> bool:
    return info.key == CUSTOMS_SERIES


def name_in(info: SeriesInfo, language: Language = "en") -> str:
    """The series' name in ``language``: ``gallium`` / ``镓`` (its ``name_zh``; the English
    name when it has none)."""
    return info.name_zh if language == "zh" and info.name_zh else info.name


def exports_title(info: SeriesInfo, language: Language = "en") -> str:
    """``China's exports of gallium`` / ``中国镓出口``; ``China's rare-earth magnet exports`` /
    ``中国稀土永磁体出口``."""
    if is_magnets(info):
        return tr(language, "China's rare-earth magnet exports")  # MAGNET_TITLE
    if info.reference:
        return tr(language, "China's exports, {name}", name=name_in(info, language))
    return tr(language, "China's exports of {name}", name=name_in(info, language))


def noun(info: SeriesInfo, language: Language = "en") -> str:
    """What China exported, in a sentence: ``gallium``, ``rare-earth permanent magnets``
    (``镓``, ``稀土永磁体``)."""
    if is_magnets(info):
        return tr(language, "rare-earth permanent magnets")  # MAGNET_NOUN
    return name_in(info, language)


def command_word(info: SeriesInfo, language: Language = "en") -> str:
    """The word that asks for the series in a command, with a space after it: ``"gallium "``,
    ``"rare-earths "``, ``"comtrade "``; in Chinese its first Chinese word (``"镓 "``,
    ``"稀土 "``); ``""`` for magnets, the default. In English the key, ``_`` written ``-`` (a
    key is one of the words that name its series); a reference series' first word."""
    if is_magnets(info):
        return ""
    if language == "zh" and (chinese := chinese_word(info)) is not None:
        return chinese + " "
    if info.reference and info.words:
        return info.words[0] + " "
    return info.key.replace("_", "-") + " "


def all_word(language: Language) -> str:
    """The word that asks for every material: ``all``, ``全部``."""
    return "全部" if language == "zh" else "all"


def chinese_word(info: SeriesInfo) -> str | None:
    """The first of a series' words that is one Chinese word (``镓``, ``稀土磁铁``), if any."""
    return info.chinese_word


def slug(info: SeriesInfo) -> str:
    """The series in a file name: ``gallium``, ``rare-earths``."""
    return command_word(info, "en").strip().lower()


def unit_legend(info: SeriesInfo, language: Language = "en") -> str:
    """``t: tonnes``, ``kg: kilograms`` (``单位：吨``, ``单位：千克``)."""
    if info.unit == "kg":
        return tr(language, "kg: kilograms")
    if info.unit == "tonnes":
        return tr(language, "t: tonnes")
    return f"{info.unit_label}: {UNIT_NAMES.get(info.unit, info.unit)}"


def as_html(value: str) -> str:
    """A name for Telegram HTML text (not an attribute): ``<``, ``>`` and ``&`` escaped,
    quotes kept as they are (``China's``)."""
    return html.escape(value, quote=False)


def capital(text: str) -> str:
    """``Gallium``: the first letter a capital (a Chinese name is as it is)."""
    return text[:1].upper() + text[1:]


def one_material_at_a_time(
    command: str, materials: tuple[SeriesInfo, ...], rest: str, language: Language = "en"
) -> str:
    """Every material asked of a command that draws or writes one (``/chart``, ``/csv``):
    nothing is picked; the command for each material, with the rest of the words kept."""
    tail = f" {rest.strip()}" if rest.strip() else ""
    head = tr(
        language,
        "/{command} is for one material at a time, so I have not picked one. For each:",
        command=command,
    )
    lines = [f"🤔 {head}"]
    for info in materials:
        asked = f"/{command} {command_word(info, language)}{tail.strip()}".rstrip()
        named = html.escape(capital(name_in(info, language)))
        lines.append(tr(language, "• {name}: {command}", name=named, command=html.escape(asked)))
    if command != "exports":
        every = f"/exports {all_word(language)}{html.escape(tail)}"
        lines.append(tr(language, "Every material in one answer: {command}", command=every))
    return "\n".join(lines)
