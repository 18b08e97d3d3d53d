"""A realistic mix of distinct updates, for :mod:`bench.mix`.

Each update is Bot API JSON, as Telegram delivers it, from one of many chats (private chats
and groups) or, for inline queries, users. Every 20 updates hold the kinds in
:data:`PATTERN`; within a kind the texts are drawn without replacement from everything the
templates make (partners by code, name, Chinese name and with typos; months, quarters,
halves, years and years to date, in English and Chinese), so a text repeats only once they
are used up, and then from another chat. No two updates have the same sender and content.
Charts are left out: they are drawn in a worker process, and :mod:`bench.many_users`
measures them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from bench.many_users import text_update, user
from bot.offline import BOT_USER
from bot.reading.callbacks import encode
from bot.reading.partners import ALIASES, Found, find_partner, is_partner_code, partner
from bot.reading.periods import MONTH_NAMES, Period
from bot.updates import callback_update

#: Kinds of update, each reported on its own; every 20 updates hold them in these numbers.
PATTERN: dict[str, int] = {
    "/exports": 5,
    "/top": 2,
    "/summary": 1,
    "/sources": 1,
    "/status": 1,
    "question (en)": 3,
    "question (zh)": 2,
    "button": 3,
    "inline": 2,
}
KINDS = tuple(PATTERN)
PRIVATE_CHATS, GROUPS = 2000, 400
#: Every eighth chat is subscribed (:func:`subscribed_chats`); half of ``/status`` come from one.
SUBSCRIBED_EVERY = 8
#: The share of inline queries that are ``@bot`` alone.
EMPTY_INLINE = 0.2
#: Countries asked about beyond those with figures: the ones with a Chinese name, and more.
ASKED = [code for code in dict.fromkeys(ALIASES.values()) if is_partner_code(code)]
ASKED += ["CH", "SE", "AT", "BE", "CZ", "DK", "FI", "NO", "PT", "HU", "RO", "IL", "SA", "ZA"]
CHINESE_NAME = {code: word for word, code in ALIASES.items() if not word.isascii()}
CHINESE_NUMBER = "一二三四"
MENTION = f"@{BOT_USER['username']}"


@dataclass(frozen=True)
class MixUpdate:
    kind: str
    data: dict[str, Any]
    #: Who sent it and what it says: no two updates of a mix share one.
    key: tuple[object, ...]


def partner_words(codes: Sequence[str], rng: random.Random) -> dict[str, list[str]]:
    """How people name each partner: a country by its code, its name (as written and lower
    case), its Chinese name and a typo of its name (which gets "did you mean"); a grouping
    (the EU, China's total, the sources' regions) by the words people use for it."""
    words: dict[str, list[str]] = {}
    for code in codes:
        if not is_country_code(code):
            words[code] = [w for w, c in ALIASES.items() if c == code][:4]
            continue
        name = partner(code).name
        ways = [code]
        if isinstance(find_partner(name.lower()), Found):
            ways += [name, name.lower()]
        if code in CHINESE_NAME:
            ways.append(CHINESE_NAME[code])
        if len(name) >= 6 and name.isascii():
            cut = rng.randrange(1, len(name) - 1)
            typo = name[:cut] + name[cut + 1 :]
            if not isinstance(find_partner(typo.lower()), Found):
                ways.append(typo)
        words[code] = list(dict.fromkeys(ways))
    return words


def is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isalpha()


def english_periods(last: Period, months: int = 36) -> list[str]:
    """Months, quarters, halves, years and years to date up to ``last`` as people write them,
    and a few outside the data or malformed."""
    shown = [last.shift_months(-i) for i in range(months)]
    words = ["", "latest", "last year", "may", "Q3", "H1"]
    for m in shown:
        name = MONTH_NAMES[m.first_month - 1]
        words += [m.code, f"{name} {m.year}", f"{name[:3].lower()} {m.year % 100:02d}"]
        words.append(f"{m.first_month:02d}/{m.year}")
    for year in sorted({m.year for m in shown}):
        words += [str(year), f"H1 {year}", f"H2 {year}", f"{year}-YTD07", f"Jan-Jul {year}"]
        words += [f"Q{q} {year}" for q in range(1, 5)]
    return [*words, "2015-05", "Q5 2025", "2025-13", "H3 2024"]


def chinese_periods(last: Period, months: int = 36) -> list[str]:
    shown = [last.shift_months(-i) for i in range(months)]
    words = ["", "最新", "去年", "上半年", "五月"]
    words += [f"{m.year}年{m.first_month}月" for m in shown]
    for year in sorted({m.year for m in shown}):
        words += [f"{year}年", f"{year}年上半年", f"{year}年下半年", f"{year}年1-7月"]
        words += [f"{year}年第{n}季度" for n in CHINESE_NUMBER]
    return [*words, "2025年13月", "第五季度"]


def drawn(choices: list[str], rng: random.Random) -> Iterator[str]:
    """``choices`` in a random order, again and again."""
    while True:
        yield from rng.sample(choices, len(choices))


class Templates:
    """Every text of each kind, shuffled; :meth:`next` draws the next one of a kind."""

    def __init__(self, codes: Sequence[str], last: Period, rng: random.Random) -> None:
        known = [w for words in partner_words(codes, rng).values() for w in words]
        others = partner_words([c for c in ASKED if c not in codes], rng)
        other = [w for words in others.values() for w in words]
        ascii_ways = [w for w in known if w.isascii()]
        chinese = [CHINESE_NAME[c] for c in [*codes, *others] if c in CHINESE_NAME]
        en, zh = english_periods(last), chinese_periods(last)
        months = [w for w in en if w[:1].isdigit() and len(w) == 7 and "YTD" not in w]
        counts = ["", *map(str, range(3, 21))]
        pairs = list(itertools.combinations(ascii_ways[:40], 2))

        def asked(form: str) -> list[str]:
            """``form`` for every partner with figures and period, and for the partners
            without figures with a few periods (so most questions are about the former)."""
            texts = [form.format(w=w, p=p) for w in known for p in en]
            return [*texts, *(form.format(w=w, p=p) for w in other for p in en[:6])]

        self.rng = rng
        self.texts: dict[str, Iterator[str]] = {
            "/exports": self._draw(
                asked("/exports {w} {p}")
                + [f"/exports {a} vs {b} {p}" for a, b in pairs[:60] for p in en[:8]]
            ),
            "/top": self._draw([f"/top {p} {n}" for p in en for n in counts]),
            "/summary": self._draw([f"/summary {p}" for p in [*en[:40], *zh[:30], "2025"]]),
            "/sources": self._draw(asked("/sources {w} {p}")),
            "question (en)": self._draw(english_questions(ascii_ways, en, months, pairs)),
            "question (zh)": self._draw(chinese_questions(chinese, zh)),
            "inline": self._draw(
                ["", *known, *other, *(f"{w} {p}" for w in known for p in en[:12])]
            ),
        }

    def _draw(self, texts: list[str]) -> Iterator[str]:
        return drawn(list(dict.fromkeys(" ".join(t.split()) for t in texts)), self.rng)

    def next(self, kind: str) -> str:
        return next(self.texts[kind])


def english_questions(
    ways: list[str], periods: list[str], months: list[str], pairs: list[tuple[str, str]]
) -> list[str]:
    forms: list[Callable[[str, str], str]] = [
        lambda w, p: f"How much did China export to {w} in {p}?",
        lambda w, p: f"{w} {p}",
        lambda w, p: f"Exports to {w} {p}",
        lambda w, p: f"what about {w}?",
    ]
    texts = [form(w, p).replace("  ", " ") for form in forms for w in ways for p in periods]
    texts += [f"Who were the top buyers in {m}?" for m in months]
    texts += [f"top {n} in {m}" for n in (3, 5, 10) for m in months]
    texts += [f"summary {m}" for m in months] + ["and the month before?", "the quarter before"]
    texts += [f"compare {a} and {b} in {p}" for a, b in pairs[:80] for p in periods[:10]]
    return texts


def chinese_questions(names: list[str], periods: list[str]) -> list[str]:
    texts = [f"{n} {p}".strip() for n in names for p in periods]
    texts += [f"中国对{n}出口多少 {p}".strip() for n in names for p in periods]
    texts += [f"那{n}呢?" for n in names] + ["前一个月呢?"]
    texts += [f"{p}前五名" for p in periods] + [f"{p}总结" for p in periods]
    pairs = [(a, b) for a in names[:8] for b in names[:8] if a != b]
    texts += [f"{a}和{b} {p}" for a, b in pairs for p in periods[:6]]
    return texts


def inline_update(query: str, user_id: int) -> dict[str, Any]:
    """An inline query (``@bot US``; empty: ``@bot`` alone) typed by ``user_id``."""
    return {
        "update_id": next(_ids),
        "inline_query": {
            "id": str(next(_ids)),
            "from": user(user_id),
            "query": query,
            "offset": "",
        },
    }


_ids = itertools.count(50_000_000)


def button(action: str, code: str, month: Period, chat_id: int, message_id: int) -> dict[str, Any]:
    """A press under an earlier ``/exports`` answer (message ``message_id`` in ``chat_id``)."""
    chat: dict[str, Any] = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    message = {"message_id": message_id, "date": 0, "chat": chat, "from": BOT_USER}
    presser = user(chat_id if chat_id > 0 else 3_000_000 + message_id % 50_000)
    return callback_update(encode(action, code, month), message | {"text": "an answer"}, presser)


def realistic_mix(count: int, codes: Sequence[str], last: Period, seed: int = 0) -> list[MixUpdate]:
    """``count`` distinct updates in the proportions of :data:`PATTERN`, about the partners
    ``codes`` (those with figures; more are asked about) and periods up to ``last``."""
    rng = random.Random(seed)
    templates = Templates(codes, last, rng)
    privates = list(range(1, PRIVATE_CHATS + 1))
    groups = [-1_000_000 - i for i in range(1, GROUPS + 1)]
    slots = [kind for kind, n in PATTERN.items() for _ in range(n)]
    seen: set[tuple[object, ...]] = set()
    updates: list[MixUpdate] = []
    months = [last.shift_months(-i) for i in range(24)]
    subscribed = subscribed_chats()
    while len(updates) < count:
        kind = slots[len(updates) % len(slots)]
        chat = rng.choice(groups) if rng.random() < 0.2 else rng.choice(privates)
        if kind == "/status" and rng.random() < 0.5:
            chat = rng.choice(subscribed)
        if kind == "inline":
            text = "" if rng.random() < EMPTY_INLINE else templates.next(kind)
            key: tuple[object, ...] = (kind, abs(chat), text)
            data = inline_update(text, abs(chat))
        elif kind == "button":
            action = rng.choice(["exports", "exports", "sources"])
            code, month = rng.choice(codes), rng.choice(months)
            message_id = rng.randrange(1, 10**6)
            key = (kind, chat, message_id, action, code, month)
            data = button(action, code, month, chat, message_id)
        else:
            text = "/status" if kind == "/status" else templates.next(kind)
            key = (kind, chat, text)
            if chat < 0 and kind.startswith("question"):
                text = f"{MENTION} {text}"  # in a group the bot answers when mentioned
            data = text_update(text, chat)
        if key not in seen:
            seen.add(key)
            updates.append(MixUpdate(kind, data, key))
    return updates


def subscribed_chats() -> list[int]:
    """The chats of the mix that are subscribed (to be set up before it is sent)."""
    privates = range(SUBSCRIBED_EVERY, PRIVATE_CHATS + 1, SUBSCRIBED_EVERY)
    groups = range(SUBSCRIBED_EVERY, GROUPS + 1, SUBSCRIBED_EVERY)
    return [*privates, *(-1_000_000 - i for i in groups)]
