"""Reading the list of materials a ``/subscribe`` or ``/unsubscribe`` names: ``gallium
germanium``, ``镓 锗`` (or ``镓锗``, ``镓、锗``, ``镓和锗``), ``rare earths, gallium``, ``all`` /
``全部`` / ``all materials``.

The material words are read by :func:`bot.reading.materials.read_materials`, the reader every
command uses, with the same names and rules: several words naming one material are one
(``rare-earth permanent magnets``, ``稀土 磁铁`` are magnets, by the head-final rule), and the
reader's words for every material (``all``, ``全部``, ``all materials``). In a list, a word
before a material's name is taken as part of that name only if it can begin one of that
series' names ("rare earth" before magnets); before another material it is a material of its
own, so ``rare earths gallium`` is both rare earths and gallium, never gallium alone.

A list adds only its separators (``、`` ``和`` ``,`` ``and``), which name nothing. Every other
word is not understood and is returned (with the material it is probably a typo of, if any),
so the reply can name it rather than drop it; punctuation is no word.

A text longer than the reader reads at once is read in pieces, cut at a separator (else a
space), so no word of a long list is left unread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.reading.grammar import MAX_QUERY_CHARS
from bot.reading.materials import LEADING_ALL, MaterialNames, Named, normal, read_materials
from bot.reading.tokens import normalise_text, tokenize

#: The words between names that name nothing themselves (a comma is punctuation).
LIST_SEPARATORS = frozenset({"、", "和", "and"})
#: The most characters the reader reads at once (it reads no further).
PIECE = MAX_QUERY_CHARS * 4

#: The series a word is probably a typo of (its key), if any.
Suggest = Callable[[str], str | None]


@dataclass(frozen=True)
class Unread:
    """A word (or two, ``rare earht``) that names no material, and the key of the series it
    probably meant."""

    word: str
    suggestion: str | None = None


@dataclass(frozen=True)
class MaterialList:
    """The series a list names (each once, in the order named), the words not understood,
    and whether it asks for every material."""

    keys: tuple[str, ...] = ()
    unknown: tuple[Unread, ...] = ()
    everything: bool = False


def read_material_list(text: str, names: MaterialNames, suggest: Suggest) -> MaterialList:
    """The materials ``text`` names, the words that name none (each with ``suggest``'s
    guess), and whether it asks for every one; see the module docstring."""
    keys: list[str] = []
    words: list[str] = []
    everything = False
    for piece in pieces(normalise_text(text)):
        found = read_materials(piece, names, leading_all=True)
        keys += [key for named in found.named for key in _listed(named, names)]
        everything = everything or found.everything
        words += _words(found.rest, names)
    if any(word.casefold() in LEADING_ALL for word in words):
        everything = True  # "gallium, all": in a list, "all" means every material
        words = [word for word in words if word.casefold() not in LEADING_ALL]
    return MaterialList(tuple(dict.fromkeys(keys)), _guesses(words, suggest), everything)


def pieces(text: str, size: int = PIECE) -> list[str]:
    """``text`` in pieces the reader reads whole: cut at the last separator before ``size``
    characters (else the last space, else at ``size``)."""
    found: list[str] = []
    while len(text) > size:
        head = text[:size]
        cut = max(head.rfind(mark) for mark in (",", "、", "和", " and "))
        if cut <= 0:
            cut = head.rfind(" ")
        if cut <= 0:
            cut = size
        found.append(text[:cut])
        text = text[cut:]
    found.append(text)
    return [piece for piece in found if piece.strip()]


def _listed(named: Named, names: MaterialNames) -> list[str]:
    """The series a run of material words names in a list: its head's, and each other series
    named in it whose name cannot begin one of the head's (see the module docstring)."""
    text = normal(named.text)
    if text in names.by_name:
        return [named.key]
    keys: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        for j in range(len(text), i, -1):
            glued = j < len(text) and text[j] != " " and text[j - 1].isascii() and text[j].isascii()
            if not glued and text[i:j] in names.by_name:
                keys.append(names.by_name[text[i:j]])
                i = j
                break
        else:
            return [named.key]  # not names alone: as the reader read it
    modified = _modified(names)
    return [
        key
        for key in dict.fromkeys(keys)
        if key == named.key or named.key not in modified.get(key, frozenset())
    ]


@lru_cache(maxsize=8)
def _modified(names: MaterialNames) -> dict[str, frozenset[str]]:
    """Each series → the series one of its names can begin a name of ("rare earth" →
    rare-earth magnets)."""
    found: dict[str, set[str]] = {}
    for name, key in names.names:
        for other, other_key in names.names:
            if other_key == key or other == name:
                continue
            if other.startswith(name + " ") or (not name.isascii() and other.startswith(name)):
                found.setdefault(key, set()).add(other_key)
    return {key: frozenset(keys) for key, keys in found.items()}


def _words(rest: str, names: MaterialNames) -> list[str]:
    """The words of what the reader left: separators and punctuation dropped, characters
    typed together kept together (``copper``, ``铜``, ``GE2``)."""
    words: list[str] = []
    current = ""
    for token in tokenize(rest, names.chinese):
        breaks = token.space_before or token.kind == "punct"
        if breaks and current:
            words.append(current)
            current = ""
        if token.kind == "punct" or token.text.casefold() in LIST_SEPARATORS:
            if current:
                words.append(current)
            current = ""
            continue
        current += token.text
    if current:
        words.append(current)
    return words


def _guesses(words: list[str], suggest: Suggest) -> tuple[Unread, ...]:
    """Each word not understood with its guess; two words that are together a likely typo
    (``rare earht``) are one."""
    found: list[Unread] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words):
            pair = f"{words[i]} {words[i + 1]}"
            guess = suggest(pair)
            if guess is not None:
                found.append(Unread(pair, guess))
                i += 2
                continue
        found.append(Unread(words[i], suggest(words[i])))
        i += 1
    return tuple(found)
