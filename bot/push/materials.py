"""Which materials a ``/subscribe`` or ``/unsubscribe`` names: ``gallium germanium``,
``镓 锗`` (or ``镓锗``, ``镓、锗``), ``rare earths, gallium``, ``all`` / ``全部``.

Names are the catalog's, in English and Chinese (:meth:`Catalog.find`); a word that names
no material is kept with the material it is probably a typo of (:meth:`Catalog.suggest`), so
the reply can name it rather than drop it. A reference series (UN Comtrade's HS 850511) is
named but not a material one can subscribe to.
"""

from __future__ import annotations

import re

from bot.data.series import Catalog, SeriesInfo
from bot.records import MaterialChoice, Unknown

#: Words that ask for every material.
ALL_WORDS = frozenset({"all", "every", "everything", "全部", "所有", "全部材料", "所有材料"})
#: Words between names that name nothing themselves.
FILLER = frozenset({"and", "&", "+"})
#: What separates names: spaces, commas (also Chinese ones), and Chinese "and".
SEPARATORS = re.compile(r"[\s,，、;；/]+|(?<=[^\x00-\x7f])[和与及](?=[^\x00-\x7f])")
#: The longest name, in words (``rare earth magnets``), tried first.
LONGEST = 4


def _segment(token: str, catalog: Catalog) -> list[SeriesInfo] | None:
    """Chinese names written together (``镓锗``): the longest name first, at each place;
    ``None`` if some part names nothing."""
    found: list[SeriesInfo] = []
    start = 0
    while start < len(token):
        for end in range(len(token), start, -1):
            info = catalog.find(token[start:end])
            if info is not None:
                found.append(info)
                start = end
                break
        else:
            return None
    return found


def parse_materials(text: str, catalog: Catalog) -> MaterialChoice:
    """The materials ``text`` names; see the module docstring."""
    tokens = [t for t in SEPARATORS.split(text.strip()) if t and t.lower() not in FILLER]
    named: list[SeriesInfo] = []
    unknown: list[Unknown] = []
    everything = False
    i = 0
    while i < len(tokens):
        if tokens[i].lower() in ALL_WORDS:
            everything, i = True, i + 1
            continue
        for j in range(min(len(tokens), i + LONGEST), i, -1):
            info = catalog.find(" ".join(tokens[i:j]))
            if info is not None:
                named.append(info)
                i = j
                break
        else:
            parts = None if tokens[i].isascii() else _segment(tokens[i], catalog)
            if parts is not None:
                named += parts
                i += 1
                continue
            pair = " ".join(tokens[i : i + 2])
            two = i + 1 < len(tokens) and catalog.find(tokens[i + 1]) is None
            guess = catalog.suggest(pair) if two else None
            if guess is not None:
                unknown.append(Unknown(pair, guess))
                i += 2
            else:
                unknown.append(Unknown(tokens[i], catalog.suggest(tokens[i])))
                i += 1
    unique = list(dict.fromkeys(named))
    materials = tuple(s for s in catalog.materials if s in unique)
    reference = tuple(s for s in unique if s.reference)
    if everything:
        materials = catalog.materials
    return MaterialChoice(materials, tuple(unknown), reference, everything)
