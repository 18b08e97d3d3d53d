"""Reading which material a question is about: the words that name a series.

A material is an optional word anywhere in a question or command (``gallium DE 2024-08``,
``镓 德国 2024年8月``, ``how much gallium went to Germany``). :func:`read_materials` finds
the words that name a series, given :class:`MaterialNames` (made from the series
descriptions by the data wing, since this floor imports nothing above it), and returns the
text without them, for the partner and period grammar to read as before.

Names of several words are matched whole, longest first ("rare earth magnets", 稀土永磁体), a
hyphen counting as a space ("rare-earth"). In a run of material words with nothing between
them, the last one names the series (the head-final rule: "rare-earth permanent magnets",
稀土磁铁 are magnets, while "rare earths" or 稀土 alone is the rare-earth total); a word before
it is absorbed only if it is a modifier (its series has a name that begins another series'
name, as "rare earth" begins "rare earth magnets") or names the same series. Any other two
materials are both returned, so the answer can name both instead of picking one.

A word that is a partner (``GE`` Georgia, ``nl``) is never read as a material.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.reading.grammar import MAX_QUERY_CHARS
from bot.reading.name_starts import NameStarts, name_starts
from bot.reading.partners import known_partner
from bot.reading.tokens import Token, is_code, normalise_text, tokenize

#: Words that ask for every material at once, anywhere in the text.
ALL_PHRASES = frozenset(
    {
        ("all", "materials"),
        ("all", "minerals"),
        ("all", "metals"),
        ("all", "series"),
        ("every", "material"),
        ("each", "material"),
        ("所有材料",),
        ("全部材料",),
        ("所有矿产",),
        ("全部矿产",),
        ("所有品种",),
        ("全部品种",),
    }
)
#: A first word that asks for every material in ``/exports`` (``/exports all DE``).
LEADING_ALL = frozenset({"all", "every", "全部", "所有"})
#: The first words that ask for every material in a plain question (全部 日本): "all" alone
#: is left to the question ("all exports to Japan").
LEADING_ALL_CHINESE = frozenset({"全部", "所有"})
ALL_CJK = tuple(sorted({p[0] for p in ALL_PHRASES if not p[0].isascii()} | {"全部", "所有"}))
#: The Latin words that begin a request for every material.
ALL_LATIN = tuple(
    sorted({p[0] for p in ALL_PHRASES if p[0].isascii()} | {*LEADING_ALL} - {*ALL_CJK})
)
#: The most tokens a name may span ("ammonium paratungstate" is two; hyphens count).
MAX_NAME_TOKENS = 9


def normal(word: str) -> str:
    """A name as matched: lower case, ``-`` and ``_`` as spaces, spaces single (as the
    series descriptions' names are kept)."""
    return " ".join(word.lower().replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True)
class MaterialNames:
    """Every word or phrase that names a series (normal form) → the series' key."""

    names: tuple[tuple[str, str], ...]

    def __hash__(self) -> int:
        return self._hash  # the key of every reading's memo: worked out once

    @cached_property
    def _hash(self) -> int:
        return hash(self.names)

    @cached_property
    def by_name(self) -> dict[str, str]:
        return dict(self.names)

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Every beginning of a name (``r``, ``ra``, … ``rare earth``): a phrase that is not
        one names nothing, nor does any longer phrase it begins."""
        return frozenset(name[:end] for name, _ in self.names for end in range(1, len(name) + 1))

    @cached_property
    def starts(self) -> NameStarts:
        """Where a name or a word for every material may begin in a normalised, case-folded
        text (:mod:`bot.reading.name_starts`): where it finds none, the text names none."""
        return name_starts((n for n, _ in self.names), ALL_LATIN, self.chinese + ALL_CJK)

    @cached_property
    def chinese(self) -> tuple[str, ...]:
        """The names the tokenizer must know as words (Chinese has no spaces)."""
        return tuple(sorted(n for n, _ in self.names if not n.isascii()))

    @cached_property
    def modifies(self) -> dict[str, frozenset[str]]:
        """For each key, the other series it may stand before and leave the head: a name of
        its begins a name of theirs ("rare earth" → "rare earth magnets", so rare earths
        modify magnets, and only magnets: "rare earths gallium" is two materials)."""
        found: dict[str, set[str]] = {}
        for name, key in self.names:
            for other, other_key in self.names:
                if other_key == key or other == name:
                    continue
                latin = name.isascii() and other.startswith(name + " ")
                chinese = not name.isascii() and other.startswith(name)
                if latin or chinese:
                    found.setdefault(key, set()).add(other_key)
        return {key: frozenset(heads) for key, heads in found.items()}


@dataclass(frozen=True)
class Named:
    """Words that name a material: as typed, and the series key they name."""

    text: str
    key: str


@dataclass(frozen=True)
class MaterialReading:
    """The materials a text names (one per run of material words, in order), whether it
    asks for every material, and the text without those words."""

    named: tuple[Named, ...]
    rest: str
    everything: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The distinct series named, in order."""
        return tuple(dict.fromkeys(n.key for n in self.named))


@dataclass(frozen=True)
class _Match:
    start: int
    end: int  # the token after the name
    key: str
    text: str


def _phrases(
    tokens: tuple[Token, ...], start: int, prefixes: frozenset[str]
) -> list[tuple[str, int]]:
    """The text of 1, 2, … name tokens from ``start`` (an attached hyphen between two counts
    as a space, digits glued to letters stay glued: ``hs850511``), each with its end, for as
    long as the text begins a name (``prefixes``), at most :data:`MAX_NAME_TOKENS`."""
    found: list[tuple[str, int]] = []
    text = ""
    i = start
    while len(found) < MAX_NAME_TOKENS and i < len(tokens):
        token = tokens[i]
        if token.kind in ("word", "num") or _extra(token):
            glued = text and not token.space_before and token.kind == "num"
            part = token.meaning if token.kind != "cjk" else token.text
            text = normal(text + ("" if glued or not text else " ") + part)
            if text not in prefixes:
                break  # a longer phrase only adds to it
            i += 1
            found.append((text, i))
        elif text and token.text in "-‐‑–" and not token.space_before:
            i += 1  # rare-earth
        else:
            break
    return found


def _extra(token: Token) -> bool:
    return token.kind == "cjk" and token.meaning.startswith("extra:")


def _is_partner(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """A one-word name that is also a partner is the partner: a two-letter code in any
    case (``GE`` Georgia), a name or alias (a 2-letter material word never shadows a code)."""
    words = [t for t in tokens[start:end] if t.kind != "punct"]
    if len(words) != 1:
        return False
    token = words[0]
    return is_code(token) or known_partner(token.text) is not None


def _matches(tokens: tuple[Token, ...], names: MaterialNames) -> list[_Match]:
    """Leftmost-longest names in the tokens."""
    found: list[_Match] = []
    i = 0
    while i < len(tokens):
        for text, end in reversed(_phrases(tokens, i, names.prefixes)):
            key = names.by_name.get(text)
            if key is not None and not _is_partner(tokens, i, end):
                typed = "".join(
                    (" " if t.space_before and j > i else "") + t.text
                    for j, t in enumerate(tokens[i:end], start=i)
                )
                found.append(_Match(i, end, key, typed))
                i = end
                break
        else:
            i += 1
    return found


def _heads(matches: list[_Match], tokens: tuple[Token, ...], names: MaterialNames) -> list[Named]:
    """One material per run (the head-final rule); distinct materials in a run stay apart."""
    runs: list[list[_Match]] = []
    for match in matches:
        if runs and _adjacent(runs[-1][-1], match, tokens):
            runs[-1].append(match)
        else:
            runs.append([match])
    named: list[Named] = []
    for run in runs:
        groups: list[list[_Match]] = [[run[-1]]]
        for match in reversed(run[:-1]):
            head = groups[-1][-1]
            if match.key == head.key or head.key in names.modifies.get(match.key, ()):
                groups[-1].insert(0, match)
            else:
                groups.append([match])
        for group in reversed(groups):
            text = "".join(
                (" " if tokens[m.start].space_before and k else "") + m.text
                for k, m in enumerate(group)
            )
            named.append(Named(text, group[-1].key))
    return named


def _adjacent(first: _Match, second: _Match, tokens: tuple[Token, ...]) -> bool:
    between = tokens[first.end : second.start]
    return all(t.kind == "punct" and t.text in "-‐‑–" for t in between) and len(between) <= 1


def _everything(tokens: tuple[Token, ...], used: list[bool], leading: frozenset[str]) -> bool:
    """Marks the words that ask for every material; whether there were any."""
    words = [
        (i, t.text if _extra(t) else t.meaning)
        for i, t in enumerate(tokens)
        if t.kind != "punct" and not used[i]
    ]
    found = False
    for k in range(len(words)):
        for size in (2, 1):
            piece = words[k : k + size]
            if tuple(w for _, w in piece) in ALL_PHRASES and not any(used[i] for i, _ in piece):
                for i, _ in piece:
                    used[i] = True
                found = True
    if words and not used[words[0][0]] and words[0][1] in leading:
        used[words[0][0]] = True
        found = True
    return found


def _rest(tokens: tuple[Token, ...], used: list[bool]) -> str:
    """The text of the tokens not used, spaced as typed (a removed word leaves a space)."""
    parts: list[str] = []
    gap = False
    for token, taken in zip(tokens, used, strict=True):
        if taken:
            gap = True
            continue
        parts.append((" " if parts and (gap or token.space_before) else "") + token.text)
        gap = False
    return "".join(parts)


@lru_cache(maxsize=4096)
def read_materials(
    text: str, names: MaterialNames, leading_all: bool = False, chinese_only: bool = False
) -> MaterialReading:
    """The materials ``text`` names and the text without them. With ``leading_all`` a first
    word "all" (全部) asks for every material, as in ``/exports all DE``; with
    ``chinese_only`` too, only 全部 or 所有 does (a plain question)."""
    cleaned = normalise_text(text[: MAX_QUERY_CHARS * 4])
    if not names.starts.anywhere(cleaned.casefold()):
        return MaterialReading((), cleaned)  # most questions: no word could name one
    tokens = tokenize(cleaned, names.chinese + ALL_CJK)
    matches = _matches(tokens, names)
    used = [False] * len(tokens)
    for match in matches:
        for i in range(match.start, match.end):
            used[i] = True
    leading = LEADING_ALL_CHINESE if chinese_only else LEADING_ALL
    everything = _everything(tokens, used, leading if leading_all else frozenset())
    named = _heads(matches, tokens, names)
    return MaterialReading(tuple(named), _rest(tokens, used), everything)
