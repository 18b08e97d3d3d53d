"""The words of an alert rule, in English and Chinese, and what each one means.

English phrases are matched on their words in lower case, a hyphen as a space (``m/m``,
``month-on-month``, ``falls below``), longest first; Chinese words are given to the tokenizer
(:func:`bot.reading.tokens.tokenize`), which matches them longest first too. A word in no
table here (nor a partner, a material, a number or a unit) is not understood and is named.
"""

from __future__ import annotations

from typing import Literal

from bot.alerts.rules import Comparison, Metric

#: What a word does in a rule.
Role = Literal[
    "metric", "compare", "record", "fall", "rise", "top", "out_of_top", "unit", "world", "filler"
]
#: A comparison as typed: a symbol (``<``) or words ("below", 低于), which a rank refuses.
Op = Literal["<", "<=", ">", ">="]
Meaning = tuple[Role, object]

_BELOW: Meaning = ("compare", "<")
_ABOVE: Meaning = ("compare", ">")
_AT_MOST: Meaning = ("compare", "<=")
_AT_LEAST: Meaning = ("compare", ">=")
_TONNES: Meaning = ("unit", "tonnes")
_KG: Meaning = ("unit", "kg")

#: English words and phrases (lower case, hyphens as spaces) → their meaning.
ENGLISH: dict[str, Meaning] = {
    **dict.fromkeys(
        ["mom", "m/m", "month on month", "month over month", "mth/mth"], ("metric", Metric.MOM)
    ),
    **dict.fromkeys(
        ["yoy", "y/y", "year on year", "year over year", "yr/yr"], ("metric", Metric.YOY)
    ),
    **dict.fromkeys(["share", "share of total", "market share"], ("metric", Metric.SHARE)),
    **dict.fromkeys(["rank", "ranking", "rank among partners"], ("metric", Metric.RANK)),
    **dict.fromkeys(["ytd", "year to date", "ytd total", "cumulative"], ("metric", Metric.YTD)),
    **dict.fromkeys(["volume", "quantity", "amount", "tonnage"], ("metric", Metric.TONNES)),
    **dict.fromkeys(
        [
            "<",
            "below",
            "under",
            "less than",
            "lower than",
            "falls below",
            "fall below",
            "drops below",
            "drop below",
            "goes below",
            "go below",
            "dips below",
            "is below",
            "is under",
        ],
        _BELOW,
    ),
    **dict.fromkeys(
        [
            ">",
            "above",
            "over",
            "more than",
            "greater than",
            "higher than",
            "exceeds",
            "exceed",
            "rises above",
            "rise above",
            "goes above",
            "go above",
            "tops",
            "is above",
            "is over",
        ],
        _ABOVE,
    ),
    **dict.fromkeys(
        ["<=", "=<", "at most", "no more than", "not above", "or less", "or below"], _AT_MOST
    ),
    **dict.fromkeys(
        [">=", "=>", "at least", "no less than", "not below", "or more", "or above"], _AT_LEAST
    ),
    **dict.fromkeys(
        ["record", "a record", "new record", "records", "hits a record", "record high or low"],
        ("record", Comparison.RECORD),
    ),
    **dict.fromkeys(
        ["record high", "new high", "all time high", "highest ever", "a record high"],
        ("record", Comparison.RECORD_HIGH),
    ),
    **dict.fromkeys(
        ["record low", "new low", "all time low", "lowest ever", "a record low"],
        ("record", Comparison.RECORD_LOW),
    ),
    **dict.fromkeys(
        [
            "falls more than",
            "falls by more than",
            "fall more than",
            "fall by more than",
            "drops more than",
            "drops by more than",
            "drop more than",
            "down more than",
            "down by more than",
            "declines more than",
            "declines by more than",
        ],
        ("fall", None),
    ),
    **dict.fromkeys(
        [
            "rises more than",
            "rises by more than",
            "rise more than",
            "rise by more than",
            "up more than",
            "up by more than",
            "grows more than",
            "grows by more than",
            "increases more than",
            "increases by more than",
            "jumps more than",
        ],
        ("rise", None),
    ),
    **dict.fromkeys(["top", "in the top", "in top"], ("top", None)),
    **dict.fromkeys(
        [
            "out of the top",
            "out of top",
            "outside the top",
            "drops out of the top",
            "falls out of the top",
        ],
        ("out_of_top", None),
    ),
    **dict.fromkeys(["t", "tonnes", "tonne", "tons", "ton", "metric tons", "mt"], _TONNES),
    **dict.fromkeys(["kg", "kgs", "kilogram", "kilograms", "kilogrammes", "kilos"], _KG),
    **dict.fromkeys(
        [
            "alert",
            "alert me",
            "when",
            "if",
            "the",
            "its",
            "of",
            "exports",
            "export",
            "to",
            "for",
            "is",
            "are",
            "in",
        ],
        ("filler", None),
    ),
}

#: Chinese words (simplified; traditional text is converted first) → their meaning.
CHINESE: dict[str, Meaning] = {
    **dict.fromkeys(["环比", "月环比", "环比变化", "环比增速"], ("metric", Metric.MOM)),
    **dict.fromkeys(["同比", "年同比", "同比变化", "同比增速"], ("metric", Metric.YOY)),
    **dict.fromkeys(
        ["份额", "占比", "市场份额", "所占份额", "比重", "占总量比重"], ("metric", Metric.SHARE)
    ),
    **dict.fromkeys(["排名", "名次"], ("metric", Metric.RANK)),
    **dict.fromkeys(
        ["年初至今", "累计", "今年累计", "年内累计", "累计出口"], ("metric", Metric.YTD)
    ),
    **dict.fromkeys(["出口量", "数量", "月出口量"], ("metric", Metric.TONNES)),
    **dict.fromkeys(["低于", "少于", "小于", "不足", "跌破"], _BELOW),
    **dict.fromkeys(["高于", "多于", "大于", "超过", "突破", "超出"], _ABOVE),
    **dict.fromkeys(["不高于", "不超过", "不多于", "不大于", "最多"], _AT_MOST),
    **dict.fromkeys(["不低于", "不少于", "不小于", "至少"], _AT_LEAST),
    **dict.fromkeys(
        ["创纪录", "创记录", "破纪录", "创历史纪录", "纪录", "创新高或新低"],
        ("record", Comparison.RECORD),
    ),
    **dict.fromkeys(
        ["创新高", "创历史新高", "历史新高", "新高", "创纪录新高"],
        ("record", Comparison.RECORD_HIGH),
    ),
    **dict.fromkeys(
        ["创新低", "创历史新低", "历史新低", "新低", "创纪录新低"],
        ("record", Comparison.RECORD_LOW),
    ),
    **dict.fromkeys(
        [
            "下降超过",
            "下跌超过",
            "减少超过",
            "下滑超过",
            "降幅超过",
            "跌幅超过",
            "降幅大于",
            "跌幅大于",
            "下降逾",
        ],
        ("fall", None),
    ),
    **dict.fromkeys(
        [
            "上升超过",
            "增长超过",
            "增加超过",
            "上涨超过",
            "增幅超过",
            "涨幅超过",
            "增幅大于",
            "涨幅大于",
            "增长逾",
        ],
        ("rise", None),
    ),
    **dict.fromkeys(["前", "进入前", "位列前", "跻身前"], ("top", None)),
    **dict.fromkeys(["跌出前", "掉出前", "退出前"], ("out_of_top", None)),
    **dict.fromkeys(["总量", "出口总量", "中国总量", "总出口"], ("world", None)),
    **dict.fromkeys(
        ["提醒", "提醒我", "当", "时", "如果", "的", "出口", "名", "位", "时提醒"], ("filler", None)
    ),
}

#: Traditional characters of the words above that the reader's own table does not convert.
TRADITIONAL_EXTRA = str.maketrans(
    dict(
        zip(
            "環創紀歷漲積躋佔預額於過噸進當時計減長錄記總數",
            "环创纪历涨积跻占预额于过吨进当时计减长录记总数",
            strict=True,
        )
    )
)
