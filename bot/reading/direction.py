"""Which trade a question is about, and whether it asks for value.

The data is China's exports. A question about China's imports ("China imports from
Germany", 中国从日本进口) or another country's exports ("exports from the US", "Korea's
exports", 日本的出口量, 德国对中国出口) is about trade the data does not cover, and is told so;
imports *from* China ("US imports from China") are China's exports seen from the buyer.
"""

from __future__ import annotations

from bot.reading.lexicon import CHINA_WORDS, DEMONYMS, IMPORT_WORDS, VALUE_WORDS
from bot.reading.partners import Found, find_partner
from bot.reading.tokens import Token, is_code, is_word


def _exporter(tokens: tuple[Token, ...], i: int) -> bool:
    """Token ``i`` makes a partner the exporter: "from"/"by" before a partner that is not
    China, or a Chinese partner name followed by 的出口."""
    token = tokens[i]
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.meaning in ("from", "by") and after is not None and after.meaning == "the":
        after = tokens[i + 2] if i + 2 < len(tokens) else None  # "exports from the US"
    whose = token.kind == "word" and (
        token.text.lower().endswith(("'s", "’s")) or token.meaning in DEMONYMS
    )
    if whose and after is not None and after.meaning in ("export", "exports", "exported"):
        return token.meaning not in CHINA_WORDS  # "Korea's exports", "German exports"
    if token.meaning in ("from", "by") and after is not None:
        found = find_partner(after.meaning) if after.kind == "word" else None
        named = after.kind == "flag" or after.meaning.startswith("partner:")
        if after.meaning not in CHINA_WORDS and (named or isinstance(found, Found)):
            return not (after.kind == "word" and is_word(after) and not is_code(after))
    own = not token.text.startswith(("对", "向"))  # 对日本的出口 is China's exports to Japan
    if own and token.meaning.startswith("partner:") and token.text not in CHINA_WORDS:
        rest = [t.meaning for t in tokens[i + 1 : i + 3]]
        return rest[:1] == ["stop:的"] and len(rest) > 1 and rest[1].startswith("stop:出口")
    return False


def read_value(tokens: tuple[Token, ...], used: list[bool]) -> bool:
    """Whether the question asks for the value in money ("value", "$", 出口额)."""
    asked = False
    for i, token in enumerate(tokens):
        if not used[i] and (
            token.meaning in VALUE_WORDS or token.text == "$" or token.meaning.startswith("value:")
        ):
            used[i], asked = True, True
    return asked


def read_direction(tokens: tuple[Token, ...], used: list[bool]) -> str | None:
    """Whether the question is about China's imports or exports to China (not in the data),
    or imports from China (China's exports seen from the buyer). "from" alone is filler."""
    imports = to_china = from_china = exporter = False
    for i, token in enumerate(tokens):
        if used[i]:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) and not used[i + 1] else None
        china_next = after is not None and after.meaning in CHINA_WORDS
        if token.meaning in IMPORT_WORDS or token.meaning == "direction:import":
            used[i], imports = True, True
        elif token.meaning in ("to", "into", "from") and china_next:
            used[i] = used[i + 1] = True
            to_china |= token.meaning != "from"
            from_china |= token.meaning == "from"
        elif _exporter(tokens, i):
            used[i] = True  # "exports from the US", "exported by Japan", 日本的出口
            exporter = True
        elif token.meaning.startswith("direction:"):
            used[i] = True
            tag = token.meaning.split(":", 1)[1]
            to_china |= tag == "to_china"
            from_china |= tag == "from_china"
    if to_china:
        return "to_china"
    if imports:
        return "from_china" if from_china else "imports"
    return "to_china" if exporter else None
