"""The words the bot understands, in English and Chinese, and what each one means.

The tokenizer (:mod:`bot.reading.tokens`) matches Chinese text against these words, longest
first, since Chinese has no spaces; the grammar (:mod:`bot.reading.grammar`) reads the meanings.
A word that is in no table here is not understood, and the answer says so.
"""

from __future__ import annotations

from bot.reading.partners import ALIASES, CHINESE_NAMES
from bot.reading.periods import MONTH_NAMES
from bot.reading.traditional import TRADITIONAL

__all__ = ["TRADITIONAL"]  # the tokenizer's, kept where the words are

#: English month names and abbreviations → month number.
MONTHS = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
MONTHS |= {name[:3].lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
MONTHS |= {"sept": 9}

#: Chinese numerals → digits (一 to 十, with 〇, 零 and 两 for completeness).
CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# -- meanings: each word maps to a tag the grammar reads -------------------------------------

#: What the user wants: an answer kind.
INTENTS = {
    "top": "top",
    "ranking": "top",
    "rankings": "top",
    "rank": "top",
    "ranked": "top",
    "biggest": "top",
    "largest": "top",
    "leading": "top",
    "buyers": "top",
    "buyer": "top",
    "importers": "top",
    "most": "top",
    "最多": "top",
    "最大": "top",
    "哪个国家": "top",
    "哪些国家": "top",
    "哪国": "top",
    "前几名": "top",
    "排名": "top",
    "排行": "top",
    "排行榜": "top",
    "最大买家": "top",
    "买家": "top",
    "chart": "chart",
    "charts": "chart",
    "graph": "chart",
    "plot": "chart",
    "trend": "chart",
    "图表": "chart",
    "图": "chart",
    "走势": "chart",
    "趋势": "chart",
    "summary": "summary",
    "summarise": "summary",
    "summarize": "summary",
    "news": "summary",
    "brief": "summary",
    "总结": "summary",
    "摘要": "summary",
    "概要": "summary",
    "概况": "summary",
    "简报": "summary",
    "compare": "compare",
    "comparison": "compare",
    "versus": "compare",
    "vs": "compare",
    "对比": "compare",
    "比较": "compare",
    "source": "sources",
    "sources": "sources",
    "sourced": "sources",
    "来源": "sources",
    "数据来源": "sources",
    "出处": "sources",
    "materials": "materials",
    "minerals": "materials",
    "commodities": "materials",
    "材料": "materials",
    "品种": "materials",
    "矿产": "materials",
}

#: Words that join two partners ("US and Germany", 美国和德国).
JOINERS = frozenset({"and", "with", "和", "与", "跟", "及", "、"})

#: Period words that stand alone → a tag the grammar resolves.
PERIOD_WORDS = {
    "latest": "latest",
    "newest": "latest",
    "recent": "latest",
    "current": "latest",
    "最新": "latest",
    "最近": "latest",
    "今年": "this_year",
    "本年": "this_year",
    "去年": "last_year",
    "上年": "last_year",
    "前年": "year_before_last",
    "上季度": "last_quarter",
    "上个季度": "last_quarter",
    "上一季度": "last_quarter",
    "本季度": "this_quarter",
    "这个季度": "this_quarter",
    "本月": "this_month",
    "这个月": "this_month",
    "当月": "this_month",
    "上个月": "last_month",
    "上月": "last_month",
    "上半年": "h1",
    "下半年": "h2",
    "年初至今": "ytd",
    "今年以来": "ytd_this_year",
    "ytd": "ytd",
}

#: Multi-word English period phrases (matched on the token words) → tag.
PERIOD_PHRASES = {
    ("this", "year"): "this_year",
    ("last", "year"): "last_year",
    ("this", "yr"): "this_year",
    ("last", "yr"): "last_year",
    ("year", "before", "last"): "year_before_last",
    ("last", "quarter"): "last_quarter",
    ("this", "quarter"): "this_quarter",
    ("previous", "quarter"): "quarter_before",
    ("the", "quarter", "before"): "quarter_before",
    ("quarter", "before"): "quarter_before",
    ("this", "month"): "this_month",
    ("last", "month"): "last_month",
    ("first", "half"): "h1",
    ("second", "half"): "h2",
    ("year", "to", "date"): "ytd",
    ("so", "far", "this", "year"): "ytd_this_year",
    ("the", "month", "before"): "month_before",
    ("month", "before"): "month_before",
    ("previous", "month"): "month_before",
    ("prior", "month"): "month_before",
    ("the", "year", "before"): "year_before",
    ("year", "before"): "year_before",
    ("a", "year", "earlier"): "year_before",
    ("previous", "year"): "year_before",
}

#: Chinese words for the month before and the year before, in a follow-up.
FOLLOW_PERIODS = {
    "前一个月": "month_before",
    "上一个月": "month_before",
    "前一月": "month_before",
    "前一年": "year_before",
    "上一年": "year_before",
    "前一个季度": "quarter_before",
    "前一季度": "quarter_before",
    "去年同期": "year_before",
}

#: Adjectives of the partners ("German"): a partner, and with "exports" its own exports.
DEMONYMS = frozenset(
    "german japanese korean indian american vietnamese thai dutch french british".split()
)

#: Words for China itself: the exporter, dropped when a partner is named.
CHINA_WORDS = frozenset({"china", "chinese", "china's", "中国"})

#: Words that say China imports: the data is China's exports only.
IMPORT_WORDS = frozenset({"import", "imports", "imported", "importing", "进口", "输入"})
#: Chinese words for the direction of trade around China.
CJK_DIRECTIONS = {
    "从中国": "from_china",
    "自中国": "from_china",
    "来自中国": "from_china",
    "对中国": "to_china",
    "向中国": "to_china",
    "到中国": "to_china",
    "出口到中国": "to_china",
    "从": "from",
    "自": "from",
}

#: Words that mark a follow-up to the previous question.
FOLLOW_UP = frozenset({"what about", "how about", "and", "same", "那", "呢", "那么", "还有"})

#: Words that carry no meaning for the answer; understood and set aside.
STOPWORDS = frozenset(
    """how much many did does do what was were is are the a an to in into of for from on by
    at china chinese china's export exports exported exporting shipment shipments shipped
    ship sent send magnet magnets permanent metric volume
    volumes please show me give tell about figure figures data number numbers s during month
    go went hi hey bot who which countries country partners partner were their its
    between over there than these those was that this it i we you can could would like
    see get any all some much via based according total totals monthly month's amount
    amounts quantity quantities level levels trade traded destinations yoy mom change changes
    growth
    destination market markets bought buy buying purchased sold sell
    nd rd th st per for list let lets let's know want need again ok okay thanks thank
    have has had fell fall rise rose decline declined increase increased drop dropped
    am as be go he if it me my no oh or so up we""".split()
)

#: Chinese words that carry no meaning for the answer (longest first when matched).
CJK_STOPWORDS = frozenset(
    """中国 出口到 出口量 出口额 出口 多少 稀土 永磁 永磁体 磁铁 磁体 磁材 的
    了 吗 是 在 有 给 我 我们 看 看看 请 一下 怎么样 怎样 如何 情况 数据 量
    是多少 共 共计 合计 哪些 谁 国家 几 对 向 到 出 多 买 买了 购买 进口国
    目的地 市场 月度 是什么 什么 呀 啊 吧 哪个 显示 告诉 查询 查 一共 总共
    总量 规模 有多少 统计 帮 帮我 发 期间 份 这 那些 各 一些
    其中 以及 多 么 方面 情况如何 表现 请问 想知道 知道 想 问 下 能 可以 麻烦
    同比 环比 增幅 得 总额 多少钱 哪里 给我 我想 请问一下 增长多少
    增长了多少 增幅多少 数量 出口数量 下降 下滑 下跌 减少 上升 增加 增长 回升 回落 变化 降幅
    涨幅 跌幅 变动 上涨 暴跌 暴涨 大涨 大跌 大幅 骤降 锐减 激增 猛增""".split()
)

#: Chinese words that change the question but that the bot does not answer: matched whole,
#: so the reply names them ("什么时候", not "时候").
CJK_NOT_ANSWERED = frozenset(
    "什么时候 全年 年度 平均 占比 价格 单价 最少 倒数 第二大 同期 每月 月均".split()
)
#: Words asking for value rather than tonnes.
VALUE_WORDS = frozenset(
    {
        "value",
        "values",
        "usd",
        "dollar",
        "dollars",
        "worth",
        "出口额",
        "金额",
        "总额",
        "价值",
        "多少钱",
    }
)

#: Words for a unit of quantity → the unit: harmless when they are the material's own unit,
#: named when not (figures are never converted).
UNIT_WORDS = {
    "tonnes": "tonnes",
    "tonne": "tonnes",
    "tons": "tonnes",
    "ton": "tonnes",
    "t": "tonnes",
    "吨": "tonnes",
    "公吨": "tonnes",
    "kg": "kg",
    "kgs": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilogrammes": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "公斤": "kg",
    "千克": "kg",
}

#: Chinese partner names (from the partner table, then pycountry's translations) → code.
CJK_PARTNERS = CHINESE_NAMES | {
    alias: code for alias, code in ALIASES.items() if not alias.isascii()
}
# "对美国", "向德国": the preposition glued to the name, so that the name is matched whole.
CJK_PARTNERS |= {f"{to}{alias}": code for alias, code in CJK_PARTNERS.items() for to in "对向"}
#: News shorthand: 对美出口 (exports to the US).
CJK_PARTNERS |= {"对美": "US", "对欧": "EU", "对日": "JP", "对德": "DE", "对韩": "KR", "对印": "IN"}


def cjk_vocabulary() -> dict[str, tuple[str, str]]:
    """Every Chinese word the tokenizer matches → (kind, meaning)."""
    words: dict[str, tuple[str, str]] = {}
    words |= {w: ("stop", w) for w in CJK_STOPWORDS}
    words |= {w: ("unknown", w) for w in CJK_NOT_ANSWERED}
    words |= {w: ("value", w) for w in VALUE_WORDS if not w.isascii()}
    words |= {w: ("measure", unit) for w, unit in UNIT_WORDS.items() if not w.isascii()}
    words |= {w: ("partner", code) for w, code in CJK_PARTNERS.items()}
    words |= {w: ("intent", tag) for w, tag in INTENTS.items() if not w.isascii()}
    words |= {w: ("period", tag) for w, tag in PERIOD_WORDS.items() if not w.isascii()}
    words |= {w: ("period", tag) for w, tag in FOLLOW_PERIODS.items()}
    words |= {w: ("join", w) for w in JOINERS if not w.isascii()}
    words |= {w: ("follow", w) for w in FOLLOW_UP if not w.isascii()}
    words |= {w: ("direction", tag) for w, tag in CJK_DIRECTIONS.items()}
    words |= {w: ("direction", "import") for w in IMPORT_WORDS if not w.isascii()}
    # Units the grammar reads next to numbers.
    for unit in (
        "年",
        "月",
        "月份",
        "季度",
        "季",
        "第",
        "前",
        "名",
        "至",
        "到",
        "号",
        "半年",
        "个月",
    ):
        words[unit] = ("unit", unit)
    return words


#: Number words, for "top five" and "the top ten".
NUMBER_WORDS = {
    word: i + 1
    for i, word in enumerate(
        """one two three four five six seven eight nine ten eleven twelve thirteen fourteen
        fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50}

#: Two-letter codes read as a country even in lower case ("us", "uk", "de"); any other
#: two lower-case letters ("kg", "in", "it") are a word.
LOWERCASE_CODES = frozenset(
    "us uk eu de jp kr vn th nl fr gb mx ca br ru tr sg au tw hk pl es ph id cn ch se".split()
)

#: Ordinals, for "the third quarter".
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}
