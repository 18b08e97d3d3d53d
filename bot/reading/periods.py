"""Periods: months and the spans the sources publish (year, half, quarter, year to date).

Codes follow the data files: ``2025-06`` a month, ``2025`` a year, ``2025-H1`` a half,
``2025-Q1`` a quarter, ``2025-YTD07`` January to July.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, Literal, TypeVar, overload

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

Kind = Literal["month", "year", "half", "quarter", "ytd"]

_CODE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|H([12])|Q([1-4])|YTD(\d{2})))?$")


T = TypeVar("T")


class _once(Generic[T]):  # a decorator, named as ``cached_property`` is
    """A property worked out on first use and then kept in the instance, as
    ``functools.cached_property`` does without the lock it takes on each first use in
    Python 3.11 (twice the cost of the work for a period's code). Two threads may both work
    it out once: a period is immutable, so they keep the same value."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | _once[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value
        return value


class PeriodError(ValueError):
    """A period code or text that names no period."""


@dataclass(frozen=True, order=True)
class Period:
    """A month or a span of months within one calendar year.

    Periods are immutable, so a month is made once and shared (:meth:`month`), and its code
    and labels are worked out once: the figures are keyed by code, asked for per month."""

    year: int
    first_month: int
    last_month: int
    kind: Kind

    def __getstate__(self) -> dict[str, object]:
        """Only the fields are kept (pickled, copied): the rest is worked out again."""
        return {name: self.__dict__[name] for name in ("year", "first_month", "last_month", "kind")}

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return _month(year, month)

    @classmethod
    def parse_code(cls, code: str) -> Period:
        """Read a data-file code such as ``2025-06`` or ``2025-YTD07``."""
        return _parse_code(code)

    @classmethod
    def _parse_code(cls, code: str) -> Period:
        match = _CODE.match(code.strip())
        if not match:
            raise PeriodError(f"{code!r} is not a period code")
        year_text, month, half, quarter, ytd = match.groups()
        year = int(year_text)
        if month:
            return cls.month(year, int(month))
        if half:
            first = 1 if half == "1" else 7
            return cls(year, first, first + 5, "half")
        if quarter:
            first = 3 * int(quarter) - 2
            return cls(year, first, first + 2, "quarter")
        if ytd:
            last = int(ytd)
            if not 1 <= last <= 12:
                raise PeriodError(f"{code!r}: YTD month must be 01 to 12")
            return cls(year, 1, last, "ytd")
        return cls(year, 1, 12, "year")

    @_once
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.first_month:02d}"
        if self.kind == "half":
            return f"{self.year}-H{1 if self.first_month == 1 else 2}"
        if self.kind == "quarter":
            return f"{self.year}-Q{(self.first_month + 2) // 3}"
        if self.kind == "ytd":
            return f"{self.year}-YTD{self.last_month:02d}"
        return str(self.year)

    @property
    def is_month(self) -> bool:
        return self.kind == "month"

    @_once
    def label(self) -> str:
        """Human label: ``June 2025``, ``H1 2025``, ``Jan–Jul 2025``, ``2025``."""
        if self.kind == "month":
            return f"{MONTH_NAMES[self.first_month - 1]} {self.year}"
        if self.kind == "half":
            return f"H{1 if self.first_month == 1 else 2} {self.year}"
        if self.kind == "quarter":
            return f"Q{(self.first_month + 2) // 3} {self.year}"
        if self.kind == "ytd":
            special = {1: f"January {self.year}", 3: f"Q1 {self.year}", 6: f"H1 {self.year}"}
            if self.last_month == 12:
                return str(self.year)
            return special.get(
                self.last_month, f"Jan–{MONTH_NAMES[self.last_month - 1][:3]} {self.year}"
            )
        return str(self.year)

    @_once
    def short_label(self) -> str:
        """Compact label for aligned blocks: ``Jun 2025``."""
        if self.kind == "month":
            return f"{MONTH_NAMES[self.first_month - 1][:3]} {self.year}"
        return self.label

    def months(self) -> list[Period]:
        if self.kind == "month":
            return [self]
        return list(self._months)

    @_once
    def _months(self) -> tuple[Period, ...]:
        return tuple(_month(self.year, m) for m in range(self.first_month, self.last_month + 1))

    def shift_months(self, delta: int) -> Period:
        """The month ``delta`` months away (months only)."""
        index = self.year * 12 + self.first_month - 1 + delta
        return Period.month(index // 12, index % 12 + 1)

    def previous(self) -> Period:
        return self.shift_months(-1)

    def year_earlier(self) -> Period:
        return Period(self.year - 1, self.first_month, self.last_month, self.kind)

    def year_to_date(self) -> Period:
        """January to this month of the same year."""
        return Period(self.year, 1, self.last_month, "ytd")

    def aggregate_codes(self) -> list[str]:
        """Every code a source may use for this span (Jan–Jun is also ``H1``)."""
        codes = [self.code]
        first, last = self.first_month, self.last_month
        if first == 1 and last == 12:
            codes.append(f"{self.year}-YTD12")
        if first == 1 and last == 6:
            codes += [f"{self.year}-H1", f"{self.year}-YTD06"]
        if first == 1 and last == 3:
            codes += [f"{self.year}-Q1", f"{self.year}-YTD03"]
        if first == 1 and last == 12 and self.kind != "year":
            codes.append(str(self.year))
        return list(dict.fromkeys(codes))

    @property
    def month_index(self) -> int:
        """Months since year 0 of the first month: for distances and ordering."""
        return self.year * 12 + self.first_month - 1


@lru_cache(maxsize=4096)
def _month(year: int, month: int) -> Period:
    """The month, made once (until the memos are emptied) and shared."""
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} is not between 1 and 12")
    return Period(year, month, month, "month")


@lru_cache(maxsize=4096)
def _parse_code(code: str) -> Period:
    return Period._parse_code(code)
