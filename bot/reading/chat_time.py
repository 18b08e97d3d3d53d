"""A chat's clock: its time zone and the hours it takes the monthly push in, read from what a
user types (``/settings timezone Tokyo``, ``/settings hours 8-20``), and the next moment a
message may go.

A time zone is an IANA name (``Asia/Shanghai``), found by that name, by a city CLDR names in
English or Chinese (``Tokyo``, ``东京``, ``香港``), by a country whose zones keep one offset
(``Germany``, ``日本``), or a fixed offset (``UTC+8``, ``GMT-05:00``, ``+5:30``). A word that
names no zone, or a country with several offsets, is answered with what was not understood,
never with a guess. Hours are ``from``–``to`` in the chat's local time, wrapping midnight when
``to`` is earlier (``22-6``); ``any time`` lifts them.

CLDR's city names come from Babel, read once on first use (about 0.1 s), never at start-up.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache

from bot.reading.traditional import TRADITIONAL

DAY = 24 * 60  # minutes

#: Names of China's one official time, which CLDR gives no city of its own (its city is
#: Shanghai; tzdata's Asia/Urumqi is Xinjiang's unofficial time).
CHINA_TIME = "Asia/Shanghai"
_CHINA_WORDS = ("beijing", "peking", "china", "china time", "北京", "北京时间", "中国", "中国时间")

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$")
_ANY_TIME = re.compile(
    r"^(?:any|any ?time|always|all day|24 ?h(?:ours)?|none|off|clear|全天|随时|任何时间|不限|取消)$"
)
_CLOCK = r"(\d{1,2})(?:[:：.](\d{2}))?\s*(?:点|时|h)?"
_HOURS = re.compile(rf"^{_CLOCK}\s*(?:-|–|—|~|～|to|至|到)\s*{_CLOCK}$")


@dataclass(frozen=True)
class Zone:
    """A chat's time zone: an IANA name, or a fixed offset kept as ``UTC+05:30``."""

    name: str

    @property
    def tzinfo(self) -> tzinfo:
        if self.name.startswith("UTC") and len(self.name) > 3:
            sign = -1 if self.name[3] == "-" else 1
            hours, minutes = int(self.name[4:6]), int(self.name[7:9])
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
        return zoneinfo.ZoneInfo(self.name)

    @property
    def is_offset(self) -> bool:
        return self.name.startswith("UTC") and len(self.name) > 3

    def offset_label(self, at: datetime) -> str:
        """``UTC+8``, ``UTC+5:30``, ``UTC`` at the naive UTC moment ``at``."""
        offset = self.tzinfo.utcoffset(at.replace(tzinfo=UTC).astimezone(self.tzinfo))
        minutes = int((offset or timedelta()).total_seconds() // 60)
        if minutes == 0:
            return "UTC"
        sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
        return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")

    def local(self, at: datetime) -> datetime:
        """The naive UTC moment ``at`` on this zone's clock."""
        return at.replace(tzinfo=UTC).astimezone(self.tzinfo)


@dataclass(frozen=True)
class DeliveryHours:
    """From ``start`` to ``end`` (minutes of the local day; ``end`` may be 1440, or earlier
    than ``start`` for hours across midnight). ``ALWAYS`` is the whole day."""

    start: int
    end: int

    @property
    def always(self) -> bool:
        return self.start == 0 and self.end == DAY

    def label(self) -> str:
        """``08:00–20:00``."""
        return f"{_clock(self.start)}–{_clock(self.end)}"

    def contains(self, minute: int) -> bool:
        if self.start < self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end

    def next_open(self, zone: Zone, now: datetime) -> datetime:
        """The first moment from ``now`` (naive UTC) inside the hours, as naive UTC: ``now``
        itself when inside, else the next opening on the zone's clock (a day whose opening
        a clock change skips opens at the first moment after it)."""
        if self.always:
            return now
        local = zone.local(now)
        if self.contains(local.hour * 60 + local.minute):
            return now
        day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        opening = day + timedelta(minutes=self.start)
        if opening <= local:
            opening += timedelta(days=1)
        # wall-clock arithmetic above; resolved in the zone (fold 0) and back to UTC
        opening = opening.replace(tzinfo=None).replace(tzinfo=zone.tzinfo)
        return max(now, opening.astimezone(UTC).replace(tzinfo=None))


ALWAYS = DeliveryHours(0, DAY)
UTC_ZONE = Zone("UTC")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_hours(text: str) -> DeliveryHours | None:
    """``8-20``, ``08:00–20:00``, ``22:00 to 06:00``, ``8点到20点``, ``any time``/``全天``
    (:data:`ALWAYS`); ``None`` when it is none of these, or from and to are the same."""
    words = " ".join(text.strip().lower().translate(TRADITIONAL).split())
    if _ANY_TIME.match(words):
        return ALWAYS
    found = _HOURS.match(words)
    if found is None:
        return None
    start = _minute(found[1], found[2])
    end = _minute(found[3], found[4])
    if start is None or end is None or start in (end, DAY):
        return None
    return ALWAYS if (start, end) == (0, DAY) else DeliveryHours(start, end)


def _minute(hour: str, minute: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return h * 60 + m


@dataclass(frozen=True)
class ZoneReading:
    """What a typed time zone names: the zone, or nothing and the zones it could mean (a
    country with several offsets: its cities)."""

    zone: Zone | None
    candidates: tuple[Zone, ...] = ()


def parse_zone(text: str) -> ZoneReading:
    """The time zone ``text`` names (see the module docstring)."""
    words = " ".join(text.strip().translate(TRADITIONAL).split())
    key = words.lower().replace("_", " ")
    if not key:
        return ZoneReading(None)
    if key in ("utc", "gmt", "z", "协调世界时", "格林尼治时间"):
        return ZoneReading(Zone("UTC"))
    offset = _OFFSET.match(key.replace(" ", ""))
    if offset is not None:
        return ZoneReading(_offset_zone(offset[1], offset[2], offset[3]))
    if key in _CHINA_WORDS:
        return ZoneReading(Zone(CHINA_TIME))
    named = _iana_names().get(key.replace(" ", "_")) or _city_zones().get(key.removesuffix("时间"))
    if named is not None:
        return ZoneReading(Zone(named))
    zones = _country_zones().get(key.removesuffix("时间"), ())
    if not zones:
        return ZoneReading(None)
    now = datetime.now(UTC).replace(tzinfo=None)
    by_offset: dict[timedelta, Zone] = {}
    for name in sorted(zones, key=lambda z: z.count("/")):  # America/Chicago before …/Indiana/…
        zone = Zone(name)
        by_offset.setdefault(zone.local(now).utcoffset() or timedelta(), zone)
    if len(by_offset) == 1:
        return ZoneReading(Zone(zones[0]))
    return ZoneReading(None, tuple(by_offset[o] for o in sorted(by_offset)))


def _offset_zone(sign: str, hours: str, minutes: str | None) -> Zone | None:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m not in (0, 15, 30, 45):
        return None
    if h == 0 and m == 0:
        return Zone("UTC")
    return Zone(f"UTC{'-' if sign in '-−' else '+'}{h:02d}:{m:02d}")


@cache
def _iana_names() -> dict[str, str]:
    """Every IANA zone name, lower-cased, with ``_`` for spaces."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


@cache
def _city_zones() -> dict[str, str]:
    """CLDR's city of each zone, in English and Chinese, lower-cased → the zone (of two
    zones with one city, the one named after it: London is Europe/London, not Belfast)."""
    from babel.dates import get_timezone, get_timezone_location

    def named_after_city(name: str) -> bool:
        city = get_timezone_location(get_timezone(name), "en", return_city=True)
        return name.rsplit("/", 1)[-1].replace("_", " ") == city

    found: dict[str, str] = {}
    names = [
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    ]
    for name in sorted(names, key=lambda n: (not named_after_city(n), n)):
        for locale in ("en", "zh_Hans_CN"):
            try:
                city = get_timezone_location(get_timezone(name), locale, return_city=True)
            except (LookupError, ValueError):
                continue
            found.setdefault(city.lower(), name)
    return found


@cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's name in English and Chinese, lower-cased → its zones, CLDR's order."""
    from babel import Locale
    from babel.core import get_global

    zones = get_global("territory_zones")
    found: dict[str, tuple[str, ...]] = {}
    for locale in ("en", "zh_Hans_CN"):
        for code, name in Locale.parse(locale).territories.items():
            if code in zones and len(code) == 2:
                found.setdefault(name.lower(), tuple(zones[code]))
    return found
