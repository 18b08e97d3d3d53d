"""The Chinese text of what the project wrote on its figures: each ``derivation`` (the
arithmetic of a derived figure) and each part of a ``note`` (the editor's record of where a
figure was found and how it was checked), from ``data/translations/zh.csv``.

The file has two columns, ``english`` and ``chinese``: a derivation is translated whole, a
note part by part (a note's parts are separated by ``;``, and each part is looked up on its
own, so a part that recurs, such as ``Reuters``, has one entry). Two kinds of text need no
entry and are shown as written: arithmetic alone (``304 / 1.409``) and a part that is only a
quotation of the source (``"down 52% YoY"``), like a source's title. A text with no entry
is shown in English. A data folder without a ``translations/`` folder uses the project's,
as it does the series descriptions; the file is a data file (part of the data version).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.data.dataset import DataFileError, distinct_rows, read_csv
from bot.data.problems import empty, quoted
from bot.i18n import said

#: The folder, inside the data folder, and the file of the Chinese texts.
FOLDER = "translations"
FILE = "zh.csv"
COLUMNS = ("english", "chinese")
PROJECT_FILE = Path(__file__).resolve().parents[2] / "data" / FOLDER / FILE
#: Arithmetic alone (numbers, operators, brackets), the same in every language.
_ARITHMETIC = re.compile(r"[\d\s.,+\-/x×()=%]+")
#: A part that only quotes the source: ``"down 52% YoY"``, ``"353 tons", "from 46 tons"``.
_QUOTATION = re.compile(r'"[^"]*"(?:,\s*"[^"]*")*')


def note_parts(note: str) -> list[str]:
    """A note's parts, as they are translated and chosen (split at ``;``, trimmed)."""
    return [part for part in (p.strip() for p in note.split(";")) if part]


def written_as_is(text: str) -> bool:
    """Whether ``text`` is the same in Chinese: arithmetic alone, or a quotation only."""
    return bool(_ARITHMETIC.fullmatch(text) or _QUOTATION.fullmatch(text))


@dataclass(frozen=True)
class Translations:
    """The Chinese text of each derivation and note part, by its English text. Compared and
    hashed by ``digest`` (the file's content), so an answer that carries it stays cheap to
    memoise."""

    digest: str = ""
    chinese: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def of(self, text: str) -> str | None:
        """The Chinese text of a derivation or a note part; ``None`` when it has none."""
        text = text.strip()
        found = self.chinese.get(text)
        if found is None and written_as_is(text):
            return text
        return found

    def derivation(self, text: str) -> str:
        """A derivation in Chinese (as written when it has no Chinese text)."""
        return self.of(text) or text

    def parts(self, parts: Iterable[str]) -> list[str]:
        """Note parts in Chinese, each as written when it has no Chinese text."""
        return [self.of(part) or part for part in parts]


NO_TRANSLATIONS = Translations()


def translations_file(folder: Path) -> Path:
    """The Chinese texts a data folder uses: its own, else the project's."""
    own = folder / FOLDER
    return own / FILE if own.is_dir() else PROJECT_FILE


def load_translations(folder: Path) -> Translations:
    """The Chinese texts of ``folder``'s data (none when the file is absent); a bad file
    raises :class:`DataFileError` with its line: an empty text, or an English text twice."""
    path = translations_file(folder)
    if not path.is_file():
        return NO_TRANSLATIONS
    frame, raw = read_csv(path, COLUMNS)
    chinese: dict[str, str] = {}
    for line, row in distinct_rows(path, frame, list(COLUMNS)):
        english, text = row["english"].strip(), row["chinese"].strip()
        if not english or not text:
            raise DataFileError(path, line, empty("chinese" if english else "english"))
        if english in chinese:
            problem = said("{text} has a Chinese text already", text=quoted(english))
            raise DataFileError(path, line, problem)
        chinese[english] = text
    return Translations(hashlib.sha256(raw).hexdigest()[:16], chinese)
