"""Editor's notes: a small Markdown file per month in ``data/notes/`` (``2025-06.md``).

A note has two sections, ``## Why it matters`` and ``## What's next``, each a list of
``- `` bullet lines. The monthly summary shows them under those headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.data.dataset import DataFileError
from bot.reading.periods import Period, PeriodError

SECTIONS = {"why it matters": "why", "what's next": "next"}
_NAME = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class EditorNote:
    month: Period
    why: tuple[str, ...]
    next: tuple[str, ...]


def load_note(path: Path) -> EditorNote:
    """Read one note file; a problem raises :class:`DataFileError` with its line."""
    if not _NAME.match(path.stem):
        raise DataFileError(path, None, "a note file is named YYYY-MM.md")
    try:
        month = Period.parse_code(path.stem)
        text = path.read_text(encoding="utf-8")
    except (PeriodError, UnicodeDecodeError) as error:
        raise DataFileError(path, None, str(error)) from None
    bullets: dict[str, list[str]] = {"why": [], "next": []}
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or (line.startswith("# ") and section is None):
            continue
        if line.startswith("## "):
            heading = line[3:].strip().casefold().replace("’", "'")
            if heading not in SECTIONS:
                raise DataFileError(path, number, f"unknown section {line[3:].strip()!r}")
            section = SECTIONS[heading]
        elif line.startswith("- ") and section is not None:
            bullets[section].append(line[2:].strip())
        else:
            raise DataFileError(path, number, "expected a '## ' heading or a '- ' bullet")
    if not bullets["why"] and not bullets["next"]:
        raise DataFileError(path, None, "the note has no bullets")
    return EditorNote(month, tuple(bullets["why"]), tuple(bullets["next"]))


def load_notes(folder: Path) -> dict[Period, EditorNote]:
    if not folder.is_dir():
        return {}
    notes = (load_note(path) for path in sorted(folder.glob("*.md")))
    return {note.month: note for note in notes}
