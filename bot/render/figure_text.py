"""What the project wrote on a figure, in the reader's language: its note (the editor's
record, ``;``-separated parts) and its derivation (the arithmetic of a derived figure).

English shows them as written. Chinese shows each one's Chinese text from the data
(:mod:`bot.data.translations`): a derivation whole, a note part by part, the parts joined as
Chinese joins clauses (``；``). The notes the importers write themselves
(:mod:`bot.data.importers`) are catalog messages. A text with no Chinese is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.data.translations import NO_TRANSLATIONS, Translations, note_parts
from bot.i18n import Language, tr
from bot.i18n.formats import clauses, listing

#: ``sum of rows by 贸易方式``: a customs file's figure added up over its breakdown columns.
_SUM_OF_ROWS = re.compile(r"sum of rows by (.+)")


def _imported(part: str, language: Language) -> str | None:
    """A note an importer wrote, in ``language``; ``None`` for any other text."""
    if part == "net weight estimated by UN Comtrade":
        return tr(language, "net weight estimated by UN Comtrade")
    found = _SUM_OF_ROWS.fullmatch(part)
    if found is not None:
        columns = listing(found[1].split(", "), language)
        return tr(language, "sum of rows by {columns}", columns=columns)
    return None


def parts_in(
    parts: Iterable[str], translations: Translations = NO_TRANSLATIONS, language: Language = "en"
) -> str:
    """Parts of a note, joined as ``language`` joins clauses: ``a; b`` / ``a；b``."""
    if language == "en":
        return clauses(parts, language)
    shown = []
    for part in parts:
        found = translations.of(part)
        shown.append(found if found is not None else _imported(part, language) or part)
    return clauses(shown, language)


def note_in(
    note: str, translations: Translations = NO_TRANSLATIONS, language: Language = "en"
) -> str:
    """A figure's whole note in ``language`` (``/sources``); English as written."""
    return note if language == "en" else parts_in(note_parts(note), translations, language)


def derivation_in(
    derivation: str, translations: Translations = NO_TRANSLATIONS, language: Language = "en"
) -> str:
    """A derived figure's arithmetic in ``language``; English as written."""
    return derivation if language == "en" else translations.derivation(derivation)
