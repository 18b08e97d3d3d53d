"""Placing a chart's parts so that nothing overlaps or is cut off, whatever the text lengths.

Charts are read on phones about 360 pixels wide, so a 1200 x 750 PNG is drawn as a small
figure (6 x 3.75 inches at 200 dpi) with large type. The parts are measured with the Agg
renderer and stacked in pixels: title, subtitle and legend at the top (each wrapped to the
width), the footer at the bottom, and the axes with their tick and value labels in between.

Chinese text is drawn in Noto Sans CJK SC (Debian's ``fonts-noto-cjk``, installed by ``make``:
README, "Languages"), registered with matplotlib when the first figure is made and put after
the default sans-serif font in the family list: Latin text keeps its font (DejaVu Sans) and a
glyph that font lacks comes from the CJK one (matplotlib's per-glyph fallback).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib import font_manager
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.text import Annotation, Text

WIDTH_IN, HEIGHT_IN, DPI = 6.0, 3.75, 200  # 1200 x 750 px
TITLE_PT, SUBTITLE_PT, BODY_PT, FOOTER_PT = 16.0, 12.0, 11.0, 9.5
MARGIN_PX, GAP_PX = 24.0, 10.0
INK, MUTED = "#1a1a1a", "#4d4d4d"

#: The face Chinese text is drawn in (Simplified Chinese glyph forms), and where its files are
#: looked for when matplotlib's font list does not have it yet: Debian's ``fonts-noto-cjk``
#: first, then the other usual font folders (``NotoSansCJK-Regular.ttc``, ``-Bold.ttc``, or
#: the single ``NotoSansCJKsc-*.otf`` files Noto also publishes).
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FONT_FOLDERS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "~/Library/Fonts",
)
CJK_FONT_FILES = re.compile(r"NotoSansCJK(sc)?-[A-Za-z]+\.(ttc|otf)$")

log = logging.getLogger(__name__)


@cache
def cjk_font() -> str | None:
    """Register :data:`CJK_FAMILY` with matplotlib's font manager (once a process, in the
    process that draws) and add it to the font family list as the fallback of the default
    sans-serif font; its name, or ``None`` (logged once) when it is not installed, and then
    Chinese text would be drawn as empty boxes."""
    from matplotlib import font_manager, rcParams

    manager = font_manager.fontManager
    if not _knows(manager):
        for path in _cjk_font_files():
            manager.addfont(path)
    if not _knows(manager):
        log.warning(
            "%s is not installed: charts in Chinese lack their glyphs. Install Debian's "
            "fonts-noto-cjk (make fonts)",
            CJK_FAMILY,
        )
        return None
    families = list(rcParams["font.family"])
    if CJK_FAMILY not in families:
        rcParams["font.family"] = [*families, CJK_FAMILY]
    return CJK_FAMILY


def _knows(manager: font_manager.FontManager) -> bool:
    return any(font.name == CJK_FAMILY for font in manager.ttflist)


def _cjk_font_files() -> Iterator[str]:
    """The CJK font's files in the first folder that has them."""
    for folder in CJK_FONT_FOLDERS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        found = sorted(str(p) for p in root.rglob("NotoSansCJK*") if CJK_FONT_FILES.search(p.name))
        if found:
            yield from found
            return


def new_figure() -> Figure:
    """An empty figure on the Agg canvas (no pyplot: safe in a worker thread), its Chinese
    text drawn in :data:`CJK_FAMILY`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cjk_font()
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def renderer_of(figure: Figure) -> RendererAgg:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    renderer: RendererAgg = canvas.get_renderer()  # type: ignore[no-untyped-call]
    return renderer


def png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


#: A word of text for :func:`wrap`: a run of anything but spaces and CJK characters, or one CJK
#: character with the punctuation that must not begin a line (``，``, ``）``), an opening
#: bracket with what follows it, and a number with its ``年``/``月``. Chinese is broken between
#: characters, English at spaces.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CLOSING = "，。、；：！？）》」』】〕…·%"
_WORD = re.compile(rf"[（《「『【〔]*(?:[{_CJK}][{_CLOSING}]*|[^\s{_CJK}]+[年月日]?[{_CLOSING}]*)")


def words(paragraph: str) -> list[tuple[str, str]]:
    """``paragraph`` as (space before, word) pairs: English words keep the spaces between
    them; Chinese characters are words of their own with nothing between them."""
    found, end = [], 0
    for match in _WORD.finditer(paragraph):
        found.append((paragraph[end : match.start()], match.group()))
        end = match.end()
    return found


def wrap(text: Text, width: float, renderer: RendererAgg) -> None:
    """Break ``text`` at spaces, and between Chinese characters, so that no line is wider than
    ``width`` pixels."""
    lines: list[str] = []
    for paragraph in text.get_text().split("\n"):
        line = ""
        for space, word in words(paragraph):
            candidate = f"{line}{space}{word}" if line else word
            text.set_text(candidate)
            if line and text.get_window_extent(renderer).width > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    text.set_text("\n".join(lines))


def header_and_footer(
    figure: Figure, title: str, subtitle: str, handles: Sequence[Artist], footer: str
) -> None:
    """Add the title, subtitle, legend (only ``handles``) and footer, stacked without overlap.

    The artists get the gids ``title``, ``subtitle`` and ``footer``; the legend is the
    figure's legend.
    """
    renderer = renderer_of(figure)
    width, height = figure.bbox.width, figure.bbox.height
    usable = width - 2 * MARGIN_PX
    x = MARGIN_PX / width
    top = height - MARGIN_PX
    for gid, words, size, weight, color in (
        ("title", title, TITLE_PT, "bold", INK),
        ("subtitle", subtitle, SUBTITLE_PT, "normal", MUTED),
    ):
        text = figure.text(
            x, top / height, words, fontsize=size, fontweight=weight, color=color, va="top"
        )
        text.set_gid(gid)
        wrap(text, usable, renderer)
        top = text.get_window_extent(renderer).y0 - GAP_PX
    if handles:
        _legend(figure, handles, x, top / height, usable, renderer)
    note = figure.text(x, MARGIN_PX / 2 / height, footer, fontsize=FOOTER_PT, color=MUTED)
    note.set_gid("footer")
    wrap(note, usable, renderer)


def _legend(
    figure: Figure,
    handles: Sequence[Artist],
    x: float,
    y: float,
    usable: float,
    renderer: RendererAgg,
) -> Legend:
    """The legend in as few rows as fit the width."""
    columns = len(handles)
    while True:
        legend = figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(x, y),
            ncols=columns,
            fontsize=BODY_PT,
            frameon=False,
            borderpad=0,
            borderaxespad=0,
            handlelength=1.4,
            handletextpad=0.4,
            columnspacing=1.2,
        )
        if columns == 1 or legend.get_window_extent(renderer).width <= usable:
            return legend
        legend.remove()
        columns -= 1


def fit_axes(figure: Figure, axes: Axes) -> None:
    """Size the axes so that they, their tick labels and their texts fill the space between
    the header and the footer, inside the margins."""
    renderer = renderer_of(figure)
    width, height = figure.bbox.width, figure.bbox.height
    above = [t for t in figure.texts if t.get_gid() != "footer"] + list(figure.legends)
    footer = [t for t in figure.texts if t.get_gid() == "footer"]
    top = min(a.get_window_extent(renderer).y0 for a in above) - GAP_PX
    bottom = max((t.get_window_extent(renderer).y1 for t in footer), default=MARGIN_PX) + GAP_PX
    left, right = MARGIN_PX, width - MARGIN_PX
    axes.set_position(
        (left / width, bottom / height, (right - left) / width, (top - bottom) / height)
    )
    for _ in range(4):  # tick labels change a little as the axes change size
        tight = axes.get_tightbbox(renderer)
        box = axes.get_window_extent(renderer)
        if tight is None:
            return
        x0 = box.x0 + (left - tight.x0)
        y0 = box.y0 + (bottom - tight.y0)
        x1 = box.x1 - (tight.x1 - right)
        y1 = box.y1 - (tight.y1 - top)
        axes.set_position((x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height))


def separate(figure: Figure, labels: Sequence[Annotation]) -> bool:
    """Raise value labels that overlap a lower-placed neighbour; True when one moved."""
    renderer = renderer_of(figure)
    moved = False
    placed: list[Annotation] = []
    for label in sorted(labels, key=lambda a: a.get_window_extent(renderer).y0):
        box = label.get_window_extent(renderer)
        for other in placed:
            above = other.get_window_extent(renderer)
            if box.overlaps(above):
                raise_px = above.y1 - box.y0 + 2
                dx, dy = label.xyann
                label.xyann = (dx, dy + raise_px * 72 / figure.dpi)
                box = label.get_window_extent(renderer)
                moved = True
        placed.append(label)
    return moved
