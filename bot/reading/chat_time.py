"""A chat's clock: its time zone and the hours it takes the monthly push in, read from what a
user types (``/settings timezone Tokyo``, ``/settings hours 8-20``), and the next moment a
message may go.

A time zone is an IANA name (``Asia/Shanghai``), found by that name, by a city CLDR names in
English or Chinese (``Tokyo``, ``东京``, ``香港``), by a country (name or ISO code) whose
zones keep one offset (``Germany``, ``日本``, ``HK``), by a common name (``北京时间``,
``美东时间``, ``东八区``), or a fixed offset (``UTC+8``, ``GMT-05:00``, ``+5:30``). A word that
names no zone, or a country with several offsets, is answered with what was not understood,
never with a guess. Hours are ``from``–``to`` in the chat's local time (24-hour, or with
上午/下午, am/pm), wrapping midnight when ``to`` is earlier (``22-6``); ``any time`` lifts them.
Full-width characters (``＋８``) are read as their ASCII forms.

CLDR's city names come from Babel, read once on first use (about 0.1 s), never at start-up.
"""

from __future__ import annotations

import importlib.resources
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache

from bot.reading.traditional import TRADITIONAL

DAY = 24 * 60  # minutes

#: China's one official time (CLDR's city for it is Shanghai; shown in Chinese as Beijing's).
CHINA_TIME = "Asia/Shanghai"
#: Common names of a time that CLDR gives no city of: China's one official time (its city is
#: Shanghai; tzdata's Asia/Urumqi is Xinjiang's unofficial time) and the United States' four.
NAMED_TIMES = {
    "Asia/Shanghai": (
        "beijing",
        "peking",
        "china",
        "china time",
        "china standard time",
        "北京",
        "北京时间",
        "中国",
        "中国时间",
        "中国标准时间",
    ),
    "America/New_York": ("eastern time", "us eastern", "美东", "美东时间", "美国东部时间"),
    "America/Chicago": ("central time", "us central", "美中", "美中时间", "美国中部时间"),
    "America/Denver": ("mountain time", "us mountain", "美国山地时间"),
    "America/Los_Angeles": (
        "pacific time",
        "us pacific",
        "美西",
        "美西时间",
        "美国西部时间",
        "太平洋时间",
    ),
    "UTC": ("utc", "gmt", "z", "协调世界时", "格林尼治时间", "格林尼治", "零时区", "中时区"),
}
_NAMED = {word: zone for zone, words in NAMED_TIMES.items() for word in words}
_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十", start=0)}

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$")
_ZONE_WORD = re.compile(r"^(东|西)(\d{1,2}|[一二三四五六七八九十]{1,3})区$")  # 东八区 is UTC+8
_ANY_TIME = re.compile(
    r"^(?:any|any ?time|always|all day|24 ?h(?:ours)?|none|off|clear|全天|全天候|随时|任何时间"
    r"|不限|不限时段|取消|关闭|24小时)$"
)
_AM, _PM = "上午|早上|早晨|早|凌晨", "中午|下午|傍晚|晚上|晚"
_CLOCK = rf"({_AM}|{_PM})?\s*(\d{{1,2}})(?::(\d{{2}})|\.(\d{{2}}))?\s*(?:点|时|h)?\s*(am|pm)?"
_HOURS = re.compile(rf"^{_CLOCK}\s*(?:-|–|—|~|to|至|到)\s*{_CLOCK}$")


def _normal(text: str) -> str:
    """Full-width forms as ASCII (＋８ → +8, ： → :), traditional characters simplified, one
    space between words."""
    text = unicodedata.normalize("NFKC", text).translate(TRADITIONAL)
    return " ".join(text.strip().split())


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

    def opening(self) -> str:
        """``08:00``."""
        return _clock(self.start)

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
    """``8-20``, ``08:00–20:00``, ``22:00 to 06:00``, ``8点到20点``, ``上午9点至下午6点``,
    ``8am-8pm``, ``any time``/``全天`` (:data:`ALWAYS`); ``None`` when it is none of these, or
    from and to are the same."""
    words = _normal(text).lower()
    if _ANY_TIME.match(words):
        return ALWAYS
    found = _HOURS.match(words)
    if found is None:
        return None
    start = _minute(*found.group(1, 2, 3, 4, 5))
    end = _minute(*found.group(6, 7, 8, 9, 10))
    if start is None or end is None or start in (end, DAY):
        return None
    return ALWAYS if (start, end) == (0, DAY) else DeliveryHours(start, end)


def _minute(
    part: str | None, hour: str, minute: str | None, dotted: str | None, suffix: str | None
) -> int | None:
    """A clock time's minute of the day: ``9``, ``9:30``, ``9.30``, ``下午6点``, ``8pm``."""
    h, m = int(hour), int(minute or dotted or 0)
    afternoon = suffix == "pm" or (part is not None and part in _PM.split("|"))
    morning = suffix == "am" or (part is not None and part in _AM.split("|"))
    if (afternoon or morning) and not 1 <= h <= 12:
        return None
    if afternoon and h < 12:
        h += 12
    elif morning and h == 12:
        h = 0
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
    key = _normal(text).lower().replace("_", " ")
    if not key:
        return ZoneReading(None)
    if key in _NAMED:
        return ZoneReading(Zone(_NAMED[key]))
    offset = _OFFSET.match(key.replace(" ", ""))
    if offset is not None:
        return ZoneReading(_offset_zone(offset[1], offset[2], offset[3]))
    numbered = _ZONE_WORD.match(key)
    if numbered is not None:
        hours = _number(numbered[2])
        return ZoneReading(_offset_zone("+" if numbered[1] == "东" else "-", str(hours), None))
    named = _iana_names().get(key.replace(" ", "_")) or _city_zones().get(key.removesuffix("时间"))
    if named is not None:
        return ZoneReading(Zone(named))
    zones = _country_zones().get(key.removesuffix("时间"), ())
    if not zones:
        return ZoneReading(None)
    now = datetime.now(UTC).replace(tzinfo=None)
    by_offset: dict[timedelta, Zone] = {}
    for name in zones:  # tzdata's order: a country's main zone first (New York, then Chicago…)
        zone = Zone(name)
        by_offset.setdefault(zone.local(now).utcoffset() or timedelta(), zone)
    if len(by_offset) == 1:
        return ZoneReading(Zone(zones[0]))
    return ZoneReading(None, tuple(by_offset[o] for o in sorted(by_offset)))


def _number(digits: str) -> int:
    """``8`` or ``八``, ``十二``: the number (at most 99)."""
    if digits.isdigit():
        return int(digits)
    tens, _, units = digits.partition("十")
    if "十" not in digits:
        return _NUMERALS[digits]
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


def _offset_zone(sign: str, hours: str, minutes: str | None) -> Zone | None:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m not in (0, 15, 30, 45):
        return None
    if h == 0 and m == 0:
        return Zone("UTC")
    return Zone(f"UTC{'-' if sign in '-−' else '+'}{h:02d}:{m:02d}")


@cache
def _iana_names() -> dict[str, str]:
    """Every IANA zone name of a place, lower-cased, with ``_`` for spaces (not the legacy
    ``EST`` or ``CET``, which keep no summer time where their users do)."""
    return {name.lower(): name for name in zoneinfo.available_timezones() if "/" in name}


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
def country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's ISO code → its zones, in tzdata's ``zone.tab`` order (the most
    populous region first)."""
    table = importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab")
    found: dict[str, list[str]] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, _, name = line.split("\t")[:3]
            found.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in found.items()}


@cache
def zone_country(name: str) -> str | None:
    """The ISO code of the country a zone is in (``None``: none, or several)."""
    return next((c for c, zones in country_zones().items() if name in zones), None)


@cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's name in English and Chinese and its code, lower-cased → its zones."""
    from babel import Locale

    zones = country_zones()
    found: dict[str, tuple[str, ...]] = {"uk": zones["GB"]}
    for locale in ("en", "zh_Hans_CN"):
        for code, name in Locale.parse(locale).territories.items():
            if code in zones:
                found.setdefault(name.lower(), zones[code])
                found.setdefault(code.lower(), zones[code])
    return found
