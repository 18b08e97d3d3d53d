"""Mapping the partners named in official files to the bot's partner codes.

Tried in order, and nothing is guessed (an approximate name is unmapped, never matched):

1. the table ``data/mappings/partners.csv``: codes and names the rest cannot know, such as
   UN Comtrade's 842 for the USA, China customs' 中国香港, or ``-`` for an aggregate that is
   not a country (skipped, and listed in the import report);
2. ISO 3166 codes: alpha-2, alpha-3 and, where the file uses them, numeric (UN M49);
3. exact country names in English (pycountry) or Chinese (pycountry's zh_CN names and the
   bot's alias table, countries only: 中国 in a customs file is re-imports, not a total).
"""

from __future__ import annotations

import csv
import gettext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from bot.data.problems import DataFileError, quoted
from bot.i18n import said
from bot.reading.partners import ALIASES, is_partner_code, normalise

MAPPINGS_FILE = Path("mappings") / "partners.csv"
#: The table's code for "not a country: skip it, and say so".
SKIP = "-"


@dataclass(frozen=True)
class Mapped:
    code: str  # a partner code, or SKIP
    note: str = ""


@dataclass(frozen=True)
class PartnerTable:
    """The operator's mapping table, keyed by normalised code or name."""

    entries: dict[str, Mapped]

    @classmethod
    def load(cls, data_dir: Path) -> PartnerTable:
        """Read ``data/mappings/partners.csv`` (an absent file is an empty table)."""
        path = data_dir / MAPPINGS_FILE
        if not path.is_file():
            return cls({})
        entries: dict[str, Mapped] = {}
        with open(path, encoding="utf-8-sig", newline="") as source:
            reader = csv.DictReader(source)
            if reader.fieldnames is None or not {"key", "partner"} <= set(reader.fieldnames):
                problem = said(
                    "needs the columns {key}, {partner} and {note}",
                    key="key",
                    partner="partner",
                    note="note",
                )
                raise DataFileError(path, 1, problem)
            for row in reader:
                key, code = (row.get("key") or "").strip(), (row.get("partner") or "").strip()
                if not key or not (code == SKIP or is_partner_code(code)):
                    problem = said(
                        "{column} {value} is not an ISO 2 code or {skip}",
                        column="partner",
                        value=quoted(code),
                        skip=SKIP,
                    )
                    raise DataFileError(path, reader.line_num, problem)
                entries[normalise(key)] = Mapped(code, (row.get("note") or "").strip())
        return cls(entries)

    def by_code(self, code: str, numeric_is_m49: bool) -> Mapped | None:
        """A partner code as a file gives it: ISO 2, ISO 3, or (if allowed) a UN M49 number."""
        text = code.strip()
        if not text:
            return None
        if (found := self.entries.get(normalise(text))) is not None:
            return found
        upper = text.upper()
        if len(upper) == 2 and upper.isalpha() and is_partner_code(upper):
            return Mapped(upper)
        if len(upper) == 3 and upper.isalpha():
            country = pycountry.countries.get(alpha_3=upper)
            return Mapped(country.alpha_2) if country else None
        if numeric_is_m49 and text.isdigit():
            country = pycountry.countries.get(numeric=f"{int(text):03d}")
            return Mapped(country.alpha_2) if country else None
        return None

    def by_name(self, name: str) -> Mapped | None:
        """An exact country name in English or Chinese."""
        key = normalise(name)
        if not key:
            return None
        if (found := self.entries.get(key)) is not None:
            return found
        code = _names().get(key)
        return Mapped(code) if code else None


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Exact names (normalised) → ISO 2: pycountry English and Chinese names, and aliases."""
    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(normalise(value), country.alpha_2)
                names.setdefault(normalise(chinese.gettext(value)), country.alpha_2)
    for alias, code in ALIASES.items():
        if len(code) == 2:  # not "china" → China's total: in a file, 中国 is re-imports
            names.setdefault(normalise(alias), code)
    return names
