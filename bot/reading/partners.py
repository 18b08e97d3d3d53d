"""Recognising trade partners in what people type.

Countries come from pycountry (ISO 2 and 3 codes, names, common and official names, and their
Chinese translations, simplified and traditional, that pycountry ships); a short alias table
adds everyday names (USA, UK, Holland), short Chinese names (美国, 南韩) and the source
groupings, and wins over the translations (中国 is China's total).
A name that is a whole word of several countries' names ("Congo", "Guinea") is ambiguous;
a near miss gets suggestions from rapidfuzz.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from bot.reading.traditional import TRADITIONAL

GROUPING_NAMES = {
    "WORLD": "China's total",
    "EU": "European Union (EU-27)",
    "EUROPE": "Europe (SMM grouping)",
    "ASIA": "Asia (SMM grouping)",
    "NORTH_AMERICA": "North America (SMM grouping)",
    "WORLD_EX_US": "All destinations except the US",
}
#: Partners that are not ISO 3166 countries, as the sources report them.
GROUPINGS = tuple(GROUPING_NAMES)

# Everyday names pycountry does not carry, and names that would otherwise be ambiguous.
ALIASES = {
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "united states": "US",
    "united states of america": "US",
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "korea": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "holland": "NL",
    "the netherlands": "NL",
    "russia": "RU",
    "turkey": "TR",
    "czech republic": "CZ",
    "georgia": "GE",
    "ireland": "IE",
    "uae": "AE",
    "emirates": "AE",
    "hongkong": "HK",
    "world": "WORLD",
    "total": "WORLD",
    "global": "WORLD",
    "all": "WORLD",
    "china": "WORLD",
    "china total": "WORLD",
    "eu": "EU",
    "eu27": "EU",
    "eu 27": "EU",
    "european union": "EU",
    "europe": "EUROPE",
    "asia": "ASIA",
    "north america": "NORTH_AMERICA",
    "world ex us": "WORLD_EX_US",
    "ex us": "WORLD_EX_US",
    "rest of world": "WORLD_EX_US",
    # adjectives and abbreviations people type for a country
    "german": "DE",
    "ger": "DE",
    "japanese": "JP",
    "korean": "KR",
    "indian": "IN",
    "american": "US",
    "vietnamese": "VN",
    "thai": "TH",
    "dutch": "NL",
    "french": "FR",
    "british": "GB",
    # Chinese names
    "美国": "US",
    "德国": "DE",
    "印度": "IN",
    "日本": "JP",
    "韩国": "KR",
    "南韩": "KR",
    "越南": "VN",
    "泰国": "TH",
    "欧盟": "EU",
    "英国": "GB",
    "法国": "FR",
    "意大利": "IT",
    "荷兰": "NL",
    "西班牙": "ES",
    "波兰": "PL",
    "墨西哥": "MX",
    "加拿大": "CA",
    "巴西": "BR",
    "俄罗斯": "RU",
    "土耳其": "TR",
    "新加坡": "SG",
    "马来西亚": "MY",
    "印度尼西亚": "ID",
    "印尼": "ID",
    "菲律宾": "PH",
    "澳大利亚": "AU",
    "台湾": "TW",
    "香港": "HK",
    "中国": "WORLD",
    "全球": "WORLD",
    "世界": "WORLD",
    "总计": "WORLD",
    "欧洲": "EUROPE",
    "亚洲": "ASIA",
    "北美": "NORTH_AMERICA",
}

#: Chinese names several countries share, as people write them (刚果: either Congo).
CHINESE_AMBIGUOUS = {"刚果": ("CG", "CD")}
#: The translations of pycountry's country names that are read as partners.
CHINESE_LOCALES = ("zh_CN", "zh_TW", "zh_HK")
_HAN = re.compile(r"[\u3400-\u9fff]+")


def _chinese_names() -> dict[str, str]:
    """Country names in Chinese → code, from pycountry's translations: every name and common
    name in simplified and traditional characters (converted as questions are, so 德國 is
    德国), those written in Chinese characters alone (not ``科科斯 (基林) 群岛``)."""
    found: dict[str, str] = {}
    for locale in CHINESE_LOCALES:
        try:
            names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        except OSError:  # a pycountry without that translation: the alias table still works
            continue
        for country in pycountry.countries:
            for attr in ("common_name", "name"):
                english = getattr(country, attr, None)
                chinese = names.gettext(english) if english else ""
                if chinese != english and _HAN.fullmatch(chinese):
                    found.setdefault(chinese.translate(TRADITIONAL), country.alpha_2)
    return {name: code for name, code in found.items() if name not in ALIASES}


#: Chinese country names from pycountry's translations → code (the alias table wins).
CHINESE_NAMES = _chinese_names() | {name: codes[0] for name, codes in CHINESE_AMBIGUOUS.items()}

# Display names where pycountry's formal name reads badly in a chat.
SHORT_NAMES = {
    "KR": "South Korea",
    "KP": "North Korea",
    "TW": "Taiwan",
    "RU": "Russia",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
}


@dataclass(frozen=True)
class Partner:
    code: str
    name: str

    @property
    def flag(self) -> str:
        """The flag emoji for a country, a globe for China's total, EU flag for the EU."""
        if self.code == "WORLD":
            return "🌐"
        if self.code == "EU":
            return "🇪🇺"
        if len(self.code) != 2:
            return "🗺"
        return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in self.code)


def in_sentence(who: Partner) -> str:
    """The name as it reads mid-sentence: "the United States", "Germany"."""
    starts = ("United ", "European ", "Netherlands", "Philippines", "Czech ", "Republic ")
    return f"the {who.name}" if who.name.startswith(starts) else who.name


@dataclass(frozen=True)
class Found:
    partner: Partner


@dataclass(frozen=True)
class Ambiguous:
    text: str
    options: tuple[Partner, ...]


@dataclass(frozen=True)
class NotFound:
    text: str
    suggestions: tuple[Partner, ...]


PartnerResult = Found | Ambiguous | NotFound


def normalise(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def is_partner_code(code: str) -> bool:
    """An ISO 3166 alpha-2 code or one of the source groupings."""
    if code in GROUPINGS:
        return True
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


@lru_cache(maxsize=512)
def partner(code: str) -> Partner:
    """The partner for a code from the data (ISO 2 or a grouping)."""
    if code in GROUPING_NAMES:
        return Partner(code, GROUPING_NAMES[code])
    if code in SHORT_NAMES:
        return Partner(code, SHORT_NAMES[code])
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return Partner(code, code)
    return Partner(code, getattr(country, "common_name", None) or country.name)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, set[str]], dict[str, str]]:
    """(exact names → code, whole words of a name → the codes whose names have them, fuzzy
    choice → code). A name's words are every run of its words ("korea", "south korea",
    "republic of"), so finding the countries a word names is one look-up."""
    exact: dict[str, str] = {}
    phrases: dict[str, set[str]] = {}
    for country in pycountry.countries:
        own = {
            normalise(value)
            for attr in ("name", "common_name", "official_name")
            if (value := getattr(country, attr, None))
        }
        for name in own:
            exact.setdefault(name, country.alpha_2)
            words = name.split(" ")
            for start in range(len(words)):
                for end in range(start + 1, len(words) + 1):
                    phrases.setdefault(" ".join(words[start:end]), set()).add(country.alpha_2)
    choices = {name: code for name, code in exact.items()}
    for alias, code in ALIASES.items():
        if alias.isascii() and len(alias) > 3:
            choices[alias] = code
    return exact, phrases, choices


def _from_flag(text: str) -> str | None:
    letters = [ord(c) - 0x1F1E6 for c in text.strip()]
    if len(letters) == 2 and all(0 <= n < 26 for n in letters):
        return "".join(chr(ord("A") + n) for n in letters)
    return None


@lru_cache(maxsize=4096)
def find_partner(text: str) -> PartnerResult:
    """Resolve what a user typed to a partner, or say why it cannot (memoised: pure)."""
    found = known_partner(text)
    if found is not None:
        return found
    raw = text.strip()
    return NotFound(raw, _suggest(normalise(raw), _index()[2]))


@lru_cache(maxsize=4096)
def known_partner(text: str) -> Found | Ambiguous | None:
    """What :func:`find_partner` finds, without the suggestions for a near miss (``None``),
    which cost a fuzzy search of every name: for trying words that may not be a name."""
    raw = text.strip()
    key = normalise(raw).translate(TRADITIONAL)
    flag = _from_flag(raw)
    if flag and pycountry.countries.get(alpha_2=flag):
        return Found(partner(flag))
    if not key:
        return None
    if key in ALIASES:
        return Found(partner(ALIASES[key]))
    if key in CHINESE_AMBIGUOUS:
        return Ambiguous(raw, tuple(partner(code) for code in CHINESE_AMBIGUOUS[key]))
    if key in CHINESE_NAMES:
        return Found(partner(CHINESE_NAMES[key]))
    upper = key.upper().replace(" ", "_")
    if upper in GROUPING_NAMES:
        return Found(partner(upper))
    if len(key) == 2 and (country := pycountry.countries.get(alpha_2=key.upper())):
        return Found(partner(country.alpha_2))
    if len(key) == 3 and (country := pycountry.countries.get(alpha_3=key.upper())):
        return Found(partner(country.alpha_2))
    exact, phrases, _choices = _index()
    containing = sorted(phrases.get(key, ()))  # the countries with ``key`` as words of a name
    if len(containing) > 1 and len(key) > 3:
        return Ambiguous(raw, tuple(partner(code) for code in containing))
    if key in exact:
        return Found(partner(exact[key]))
    return None


def suggestions(text: str) -> tuple[Partner, ...]:
    """The countries a name that is none is probably a typo of (``Germny``, ``德过``)."""
    return _suggest(normalise(text.strip()), _index()[2])


def _suggest(key: str, choices: dict[str, str]) -> tuple[Partner, ...]:
    if not key.isascii():
        return _chinese_suggestions(key.translate(TRADITIONAL))
    if len(key) < 4:
        return ()
    from rapidfuzz import fuzz, process  # on the first near miss, not on every start

    matches = process.extract(key, list(choices), scorer=fuzz.ratio, limit=8, score_cutoff=75)
    codes = list(dict.fromkeys(choices[name] for name, _score, _i in matches))
    return tuple(partner(code) for code in codes[:3])


def _chinese_suggestions(word: str) -> tuple[Partner, ...]:
    """The countries whose Chinese name is one character off ``word`` (德过 → 德国), for a
    word of two or more Chinese characters; none when more than three are."""
    if len(word) < 2 or not _HAN.fullmatch(word):
        return ()
    names = CHINESE_NAMES | {name: code for name, code in ALIASES.items() if not name.isascii()}
    codes = {
        code
        for name, code in names.items()
        if len(name) == len(word) and sum(a != b for a, b in zip(name, word, strict=True)) == 1
    }
    return tuple(partner(code) for code in sorted(codes)) if len(codes) <= 3 else ()
