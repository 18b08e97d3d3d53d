"""The series the bot knows: one description per series in ``data/series/*.toml``.

A description says what a series is (its key in the data files and the database, its names
in English and Chinese and the words that ask for it), its unit (``tonnes`` or ``kg``: a
figure is never converted), what the customs line covers, when its months are published, and
the largest value a month of it may plausibly have. Adding a series is adding its figures and
one description; no code changes.

The descriptions are read from the data folder's ``series/`` folder; a data folder without one
uses the project's own (``data/series/`` beside the code). A description that breaks a rule is
a :class:`SeriesError`, its problem said where it is found (:class:`~bot.i18n.Said`), so an
operator's ``/reload`` gives it in the chat's language.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from bot.i18n import Said, said
from bot.reading.periods import Period, PeriodError

#: The project's own descriptions, used by a data folder that has none.
PROJECT_SERIES_DIR = Path(__file__).resolve().parents[2] / "data" / "series"
UNITS = {"tonnes": "t", "kg": "kg"}
#: Metrics every series may have besides its unit.
VALUE_METRICS = ("usd", "cny")
#: A month is published around this day of the following month (``preliminary`` is the
#: customs' first release of totals, ``detail`` the country tables).
RELEASE_DAYS = {"preliminary": 10, "detail": 20}
REQUIRED = ("key", "name", "name_zh", "unit", "description", "release", "ceiling")
OPTIONAL = ("words", "codes", "controlled_since", "notes", "reference", "order", "narrower_scope")
#: A key travels in button data (``v2:<action>:<key>:…``, 64 bytes in all) and the database.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_]{1,24}")
#: Outbox datasets that are not series (a digest covers several).
RESERVED_KEYS = frozenset({"digest"})
#: Where Python's TOML parser says a problem is: ``(at line 3, column 7)``.
_TOML_AT = re.compile(r"(.*) \(at (?:line (\d+), column (\d+)|(end of document))\)", re.DOTALL)


class SeriesError(ValueError):
    """A description that breaks a rule; the message names the file and the problem
    (:attr:`said` in any language, ``str()`` its English)."""

    def __init__(self, file: str, problem: Said) -> None:
        self.said = said("{file}: {problem}", file=file, problem=problem)
        super().__init__(str(self.said))


@dataclass(frozen=True)
class SeriesInfo:
    """One series as its description gives it."""

    key: str
    name: str
    name_zh: str
    unit: str
    description: str
    release: str
    ceilings: tuple[tuple[str, float], ...]
    words: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    controlled_since: str = ""
    #: Where its editor's notes live, inside the data folder.
    notes: str = ""
    #: Kept apart from China's own series (a mirror or a broader scope): not listed or pushed.
    reference: bool = False
    #: The order it is listed in (``/materials``, ``/help``).
    order: int = 100
    #: Words in a figure's note that mark it as covering less than the series (``[narrower_
    #: scope] marker``), and what to say when a change compares such a figure with another.
    scope_marker: str = ""
    scope_says: str = ""
    #: The same in Chinese (``says_zh``), for answers in Chinese.
    scope_says_zh: str = ""

    @property
    def chinese_word(self) -> str | None:
        """The first of its words that is one Chinese word (``镓``, ``稀土磁铁``): what a
        Chinese answer's commands ask for it by."""
        return next(
            (w for w in self.words if " " not in w and any("\u4e00" <= c <= "\u9fff" for c in w)),
            None,
        )

    @property
    def unit_label(self) -> str:
        """``t`` or ``kg``."""
        return UNITS[self.unit]

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics its figures may have: its unit, the values its description gives a
        ceiling for, and (for tonnes) a monthly average."""
        given = dict(self.ceilings)
        values = tuple(metric for metric in VALUE_METRICS if metric in given)
        extra = ("tonnes_monthly_avg",) if self.unit == "tonnes" else ()
        return (self.unit, *values, *extra)

    @property
    def release_day(self) -> int:
        return RELEASE_DAYS[self.release]

    def expected_release(self, month: Period) -> date:
        """When the month after ``month`` should be published."""
        following = month.shift_months(2)
        return date(following.year, following.first_month, self.release_day)

    def monthly_ceiling(self, metric: str) -> float:
        base = self.unit if metric == "tonnes_monthly_avg" else metric
        return dict(self.ceilings)[base]

    def ceiling(self, metric: str, period: str) -> float:
        """The largest value a figure of ``metric`` over ``period`` may have."""
        months = 1 if metric.endswith("_monthly_avg") else len(Period.parse_code(period).months())
        return float(self.monthly_ceiling(metric) * months)


@dataclass(frozen=True)
class Catalog:
    """Every described series, by key, in listing order."""

    series: tuple[SeriesInfo, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {s.key: s for s in self.series})
        names: dict[str, SeriesInfo] = {}
        for info in self.series:
            for word in (info.key, info.name, info.name_zh, *info.words):
                names.setdefault(normal(word), info)
        object.__setattr__(self, "_names", names)  # read once: a typo is checked per question

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.series)

    def get(self, key: str) -> SeriesInfo | None:
        by_key: dict[str, SeriesInfo] = self._by_key  # type: ignore[attr-defined]
        return by_key.get(key)

    def __getitem__(self, key: str) -> SeriesInfo:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def ceiling(self, series: str, metric: str, period: str) -> float:
        return self[series].ceiling(metric, period)

    @property
    def materials(self) -> tuple[SeriesInfo, ...]:
        """China's own series, as listed to users (not the reference ones)."""
        return tuple(s for s in self.series if not s.reference)

    def names(self) -> dict[str, SeriesInfo]:
        """Every word or phrase that names a series (its key, names and words), lower case."""
        return dict(self._names)  # type: ignore[attr-defined]

    def find(self, word: str) -> SeriesInfo | None:
        """The series ``word`` names exactly (any case, ``-`` or ``_`` as a space)."""
        names: dict[str, SeriesInfo] = self._names  # type: ignore[attr-defined]
        return names.get(normal(word))

    def suggest(self, word: str) -> SeriesInfo | None:
        """The series ``word`` is probably a typo of (``galium``), if any: a close match
        to a Latin name of at least five letters."""
        text = normal(word)
        if len(text) < 4 or not text.isascii():
            return None
        names: dict[str, SeriesInfo] = self._names  # type: ignore[attr-defined]
        latin = {name: info for name, info in names.items() if name.isascii() and len(name) >= 5}
        close = difflib.get_close_matches(text, list(latin), n=1, cutoff=0.8)
        return latin[close[0]] if close else None


def normal(word: str) -> str:
    """A name as matched: lower case, ``-`` and ``_`` as spaces, spaces single."""
    return " ".join(word.lower().replace("-", " ").replace("_", " ").split())


def _text(raw: dict[str, object], name: str, path: Path) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str):
        raise SeriesError(path.name, said("{field} must be text", field=name))
    return value.strip()


def _texts(raw: dict[str, object], name: str, path: Path) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SeriesError(path.name, said("{field} must be a list of texts", field=name))
    return tuple(v.strip() for v in value if v.strip())


def _unreadable(error: Exception) -> Said:
    """Why a description cannot be read: the system's, the decoder's or the TOML parser's own
    words (the parser's place in the file said in the reader's language)."""
    detail = " ".join(str(error).split())
    if isinstance(error, OSError):
        return said("{system_error}", system_error=detail)
    if isinstance(error, UnicodeDecodeError):
        return said("{decode_error}", decode_error=detail)
    found = _TOML_AT.fullmatch(str(error))
    if found is None:
        return said("{toml_error}", toml_error=detail)
    toml_error = " ".join(found[1].split())
    if found[4]:
        return said("{toml_error} (at end of document)", toml_error=toml_error)
    return said(
        "{toml_error} (at line {line}, column {column})",
        toml_error=toml_error,
        line=int(found[2]),
        column=int(found[3]),
    )


def _not_one_of(field: str, value: str, allowed: tuple[str, ...]) -> Said:
    return said(
        "{field} {value} is not one of {allowed}", field=field, value=repr(value), allowed=allowed
    )


def read_description(path: Path) -> SeriesInfo:
    """One ``*.toml`` description, checked."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SeriesError(path.name, _unreadable(error)) from None
    missing = tuple(name for name in REQUIRED if name not in raw)
    if missing:
        raise SeriesError(path.name, said("{fields} missing", fields=missing))
    empty = tuple(name for name in REQUIRED if name != "ceiling" and not _text(raw, name, path))
    if empty:
        raise SeriesError(path.name, said("{fields} is empty", fields=empty))
    unknown = tuple(sorted(set(raw) - set(REQUIRED) - set(OPTIONAL)))
    if unknown:
        raise SeriesError(path.name, said("{fields}: not a field of a description", fields=unknown))
    key = _text(raw, "key", path)
    if not KEY_PATTERN.fullmatch(key) or key in RESERVED_KEYS:
        problem = said(
            "{field} {value} must be 1 to 24 letters, digits or _ (and not {reserved})",
            field="key",
            value=repr(key),
            reserved=tuple(sorted(RESERVED_KEYS)),
        )
        raise SeriesError(path.name, problem)
    if not isinstance(raw.get("reference", False), bool):
        raise SeriesError(path.name, said("{field} must be true or false", field="reference"))
    order = raw.get("order", 100)
    if isinstance(order, bool) or not isinstance(order, int):
        raise SeriesError(path.name, said("{field} must be a whole number", field="order"))
    unit, release = _text(raw, "unit", path), _text(raw, "release", path)
    if unit not in UNITS:
        raise SeriesError(path.name, _not_one_of("unit", unit, tuple(UNITS)))
    if release not in RELEASE_DAYS:
        raise SeriesError(path.name, _not_one_of("release", release, tuple(RELEASE_DAYS)))
    ceilings = raw["ceiling"]
    if not isinstance(ceilings, dict) or unit not in ceilings:
        problem = said("{section} must give a month's {unit}", section="[ceiling]", unit=unit)
        raise SeriesError(path.name, problem)
    checked: list[tuple[str, float]] = []
    for metric, value in ceilings.items():
        if metric not in (unit, *VALUE_METRICS) or not _positive(value):
            problem = said(
                "{field} {metric} = {value} is not a positive {unit} or value",
                field="ceiling",
                metric=metric,
                value=repr(value),
                unit=unit,
            )
            raise SeriesError(path.name, problem)
        checked.append((metric, float(value)))
    since = _text(raw, "controlled_since", path)
    if since:
        try:
            month = Period.parse_code(since).is_month
        except PeriodError:
            month = False
        if not month:
            problem = said(
                "{field} {value} is not YYYY-MM", field="controlled_since", value=repr(since)
            )
            raise SeriesError(path.name, problem)
    scope = raw.get("narrower_scope", {})
    if not isinstance(scope, dict) or (scope and not {"marker", "says"} <= set(scope)):
        problem = said("{section} needs a marker and what it says", section="[narrower_scope]")
        raise SeriesError(path.name, problem)
    return SeriesInfo(
        key=key,
        name=_text(raw, "name", path),
        name_zh=_text(raw, "name_zh", path),
        unit=unit,
        description=_text(raw, "description", path),
        release=release,
        ceilings=tuple(checked),
        words=_texts(raw, "words", path),
        codes=_texts(raw, "codes", path),
        controlled_since=since,
        notes=_text(raw, "notes", path),
        reference=bool(raw.get("reference", False)),
        order=order,
        scope_marker=_text(scope, "marker", path),
        scope_says=_text(scope, "says", path),
        scope_says_zh=_text(scope, "says_zh", path),
    )


def _positive(value: object) -> bool:
    """A finite number above 0 (not a boolean, which TOML keeps apart but Python does not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value > 0


def load_catalog(folder: Path) -> Catalog:
    """The descriptions in ``folder/series`` (or the project's, if it has none), as the
    files' content is now: a description rewritten with the same size and time is read."""
    own = folder / "series"
    return _catalog(own if own.is_dir() else PROJECT_SERIES_DIR, by_content=True)


Stamp = tuple[tuple[str, str | int, int], ...]


@lru_cache(maxsize=8)
def _catalog_at(folder: Path, stamp: Stamp) -> Catalog:
    """The catalog of ``folder`` as it is at ``stamp`` (which only keys the memo)."""
    found: dict[str, tuple[Path, SeriesInfo]] = {}
    for path in sorted(folder.glob("*.toml")):
        info = read_description(path)
        if info.key in found:
            problem = said(
                "{field} {value} is already described in {file}",
                field="key",
                value=repr(info.key),
                file=found[info.key][0].name,
            )
            raise SeriesError(path.name, problem)
        found[info.key] = (path, info)
    named: dict[str, str] = {}
    for path, info in found.values():
        for word in {normal(w) for w in (info.key, info.name, info.name_zh, *info.words)}:
            if named.setdefault(word, path.name) != path.name:
                problem = said(
                    "{word} also names the series of {file}", word=repr(word), file=named[word]
                )
                raise SeriesError(path.name, problem)
    if not found:
        raise SeriesError(str(folder), said("no series described (*.toml)"))
    return Catalog(tuple(sorted((i for _, i in found.values()), key=lambda s: (s.order, s.key))))


def _catalog(folder: Path, by_content: bool = False) -> Catalog:
    """Read once per content: the memo is keyed on the files' names and content digests
    (``by_content``), else on their names, sizes and modification times."""
    paths = sorted(folder.glob("*.toml"))
    if by_content:
        stamp: Stamp = tuple((p.name, hashlib.sha256(p.read_bytes()).hexdigest(), 0) for p in paths)
    else:
        stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    return _catalog_at(folder, stamp)


def project_catalog() -> Catalog:
    """The project's own descriptions (``data/series/``), memoised on the files' sizes and
    times: cheap enough to ask for per row."""
    return _catalog(PROJECT_SERIES_DIR)
