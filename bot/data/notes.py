"""Editor's notes: a small Markdown file per month in ``data/notes/`` (``2025-06.md``), and
beside it, when the editor has written it, the same note in Chinese (``2025-06.zh.md``).

A note has two sections, ``## Why it matters`` and ``## What's next``, each a list of
``- `` bullet lines. The monthly summary shows them under those headings. A Chinese note may
head them ``## 为何重要`` and ``## 后续看点`` (or as the English does); it translates the English
note bullet for bullet, so it has the same number of bullets in each section, and it has no
meaning without the English note beside it. The Chinese summary of a month whose note has no
Chinese text says so, in Chinese. Both files are data files: a change to either is a new
data version (:func:`bot.data.ledger.data_files`), reloaded like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from bot.data.dataset import DataFileError
from bot.i18n import Language, said
from bot.reading.periods import Period

SECTIONS = {"why it matters": "why", "what's next": "next"}
#: The Chinese headings a Chinese note may use instead.
SECTIONS_ZH = {"为何重要": "why", "后续看点": "next"}
HEADINGS_ZH = {key: heading for heading, key in SECTIONS_ZH.items()}
HEADINGS = {"why": "Why it matters", "next": "What's next"}
_NAME = re.compile(r"^(\d{4}-\d{2})(?:\.(zh))?\.md$")


@dataclass(frozen=True)
class EditorNote:
    """One month's note; ``zh``: the same note in Chinese, when the editor has written it."""

    month: Period
    why: tuple[str, ...]
    next: tuple[str, ...]
    zh: EditorNote | None = None

    def written_in(self, language: Language) -> EditorNote | None:
        """The note in ``language``: itself in English; its Chinese text, or ``None`` when
        there is none yet (never the English in its place)."""
        return self if language == "en" else self.zh


def note_language(path: Path) -> Language:
    """The language of a note file by its name: ``2025-06.zh.md`` is Chinese."""
    found = _NAME.match(path.name)
    return "zh" if found is not None and found.group(2) else "en"


def load_note(path: Path) -> EditorNote:
    """Read one note file (either language); a problem raises :class:`DataFileError` with
    its line."""
    found = _NAME.match(path.name)
    if found is None:
        raise DataFileError(
            path, None, said("a note file is named YYYY-MM.md (its Chinese text YYYY-MM.zh.md)")
        )
    sections = SECTIONS | SECTIONS_ZH if note_language(path) == "zh" else SECTIONS
    year, number = (int(part) for part in found.group(1).split("-"))
    if not 1 <= number <= 12:
        problem = said("month {month} is not between 1 and 12", month=number)
        raise DataFileError(path, None, problem)
    month = Period.month(year, number)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(path, None, said("{decode_error}", decode_error=str(error))) from None
    bullets: dict[str, list[str]] = {"why": [], "next": []}
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or (line.startswith("# ") and section is None):
            continue
        if line.startswith("## "):
            heading = line[3:].strip().casefold().replace("’", "'")
            if heading not in sections:
                problem = said("unknown section {heading}", heading=repr(line[3:].strip()))
                raise DataFileError(path, number, problem)
            section = sections[heading]
        elif line.startswith("- ") and section is not None:
            bullets[section].append(line[2:].strip())
        else:
            problem = said("expected a '## ' heading or a '- ' bullet")
            raise DataFileError(path, number, problem)
    if not bullets["why"] and not bullets["next"]:
        raise DataFileError(path, None, said("the note has no bullets"))
    return EditorNote(month, tuple(bullets["why"]), tuple(bullets["next"]))


def _check_translation(path: Path, english: EditorNote, chinese: EditorNote) -> None:
    """A Chinese note translates its English one bullet for bullet."""
    for key in ("why", "next"):
        ours, theirs = len(getattr(chinese, key)), len(getattr(english, key))
        if ours != theirs:
            problem = said(
                "the Chinese note has {ours} bullet(s) under {chinese} and the English {theirs} "
                "under {english}: translate each bullet",
                ours=ours,
                chinese=HEADINGS_ZH[key],
                theirs=theirs,
                english=HEADINGS[key],
            )
            raise DataFileError(path, None, problem)


def load_notes(folder: Path) -> dict[Period, EditorNote]:
    """Every month's note in ``folder``, each with its Chinese text when there is one."""
    if not folder.is_dir():
        return {}
    paths = sorted(folder.glob("*.md"))
    english = [p for p in paths if note_language(p) == "en"]
    notes = {note.month: note for note in map(load_note, english)}
    for path in paths:
        if note_language(path) != "zh":
            continue
        chinese = load_note(path)
        original = notes.get(chinese.month)
        if original is None:
            problem = said(
                "a Chinese note translates the English one, and {file} is not there",
                file=f"{chinese.month.code}.md",
            )
            raise DataFileError(path, None, problem)
        _check_translation(path, original, chinese)
        notes[chinese.month] = replace(original, zh=chinese)
    return notes
