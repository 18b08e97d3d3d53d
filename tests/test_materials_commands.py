"""Every material behind the same commands (issue 14), through the real Application: a
material is an optional word in ``/exports``, ``/top``, ``/chart``, ``/summary``, ``/sources``,
``/csv``, inline mode and plain questions; each answer names it and keeps its unit, with the
real figures of ``data/critical_minerals.csv``; buttons and inline results stay on it;
``/exports all`` gives every material at once."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import pytest

from bot.console import LocalChat, replies
from bot.data.series import project_catalog
from bot.offline import ApiCall
from bot.reading.callbacks import MAX_BYTES, decode
from bot.render.format import MAX_MESSAGE
from bot.render.telegram_html import html_problem, to_plain
from bot.updates import LOCAL_USER
from handlers.buttons import EXPIRED

GROUP = {"chat_id": -100123, "chat_type": "supergroup"}


async def said(chat: LocalChat, text: str, **kwargs: object) -> str:
    """The bot's reply to ``text`` as plain text (every message checked as Telegram HTML)."""
    texts = replies(await chat.send(text, **kwargs))
    assert texts, text
    for message in texts:
        assert html_problem(message) is None and len(message) <= MAX_MESSAGE
    return "\n".join(to_plain(t) for t in texts)


def only(calls: list[ApiCall], method: str) -> ApiCall:
    found = [c for c in calls if c.method == method]
    assert len(found) == 1, [c.method for c in calls]
    return found[0]


# (command, what the answer must say: the material, the exact figure with its unit, ...)
ANSWERS = [
    # gallium (kg): a partner's month, China's total, a year, a total-only month
    (
        "/exports gallium DE 2025-10",
        "China's exports of gallium → Germany, October 2025",
        "10,000 kg",
        "+5,000 kg vs 5,000 kg in September 2025",
        "Share of China's total: 64.2% (of 15,570 kg",
        "Detail: /sources gallium DE 2025-10",
    ),
    (
        "/exports gallium 2025-12",
        "China's exports of gallium, December 2025",
        "10,809 kg",
        "+68.4% (+4,389 kg vs 6,420 kg in December 2024",
        "Year to date (2025): 62,615 kg",
    ),
    ("/exports gallium 2025", "China's exports of gallium, 2025", "Total: 62,615 kg"),
    (
        "/exports gallium DE 2024-08",
        "No figure for Germany in August 2024 (gallium)",
        "The sources give only China's total gallium exports for August 2024",
        "/exports gallium 2024-08",
        "April 2024: /exports gallium DE 2024-04",
    ),
    ("/exports gallium France", "The sources give no gallium figures for France"),
    # germanium (kg)
    (
        "/exports germanium RU 2025-10",
        "China's exports of germanium → Russia, October 2025",
        "930 kg",
    ),
    ("/exports germanium 2025-10", "1,258 kg", "+735 kg vs 523 kg in September 2025"),
    (
        "/exports germanium Russia H1 2025",
        "China's exports of germanium → Russia, H1 2025",
        "1,024 kg",
    ),
    # rare earths (tonnes, China's total only)
    (
        "/exports rare earths 2025-10",
        "China's exports of rare earths, October 2025",
        "4,343.5 t",
        "/sources rare-earths 2025-10",
    ),
    ("/exports 稀土 2025年10月", "China's exports of rare earths, October 2025", "4,343.5 t"),
    (
        "/exports rare earths DE 2025-10",
        "The sources give no rare earths figures for Germany",
        "only China's total rare earths exports for October 2025",
        "/exports rare-earths 2025-10",
    ),
    ("/exports rare earths 2025", "Total: 62,584.7 t", "sum of the months"),
    # rare-earth magnets: the default, also when named
    ("/exports rare earth magnets US 2025-06", "China → United States, June 2025", "353 t"),
    ("/exports 稀土磁铁 美国 2025年6月", "China → United States, June 2025", "353 t"),
    # antimony (tonnes)
    ("/exports antimony 2024-09", "China's exports of antimony, September 2024", "6,533 t"),
    ("/exports 锑 荷兰 2024年", "China's exports of antimony → Netherlands, 2024", "1,016.7 t"),
    (
        "/exports antimony NL",
        "China's exports of antimony → Netherlands, 2024",
        "no period given, and no month has a figure",
    ),
    # spherical graphite (tonnes)
    (
        "/exports graphite KR 2023-11",
        "China's exports of spherical graphite → South Korea",
        "8,830 t",
    ),
    ("/exports 石墨 2024年2月", "China's exports of spherical graphite, February 2024", "1,549 t"),
    # tungsten (tonnes, only spans)
    ("/exports tungsten 2024", "China's exports of tungsten (APT), 2024", "782 t"),
    ("/exports tungsten", "Jan–Nov 2025", "243 t", "No monthly figures"),
    ("/exports 钨 日本", "China's exports of tungsten (APT) → Japan, Jan–Nov 2025", "138 t"),
    # dysprosium and terbium (kg)
    ("/exports dysprosium KR 2025-10", "China's exports of dysprosium → South Korea", "2,701 kg"),
    ("/exports dysprosium KR 2025-10", "Share of China's total: 77.1% (of 3,501 kg"),
    (
        "/exports terbium US 2025-10",
        "China's exports of terbium → United States, October 2025",
        "6,000 kg",
    ),
    ("/exports 铽 日本 2025年10月", "China's exports of terbium → Japan", "5,200 kg"),
    # side by side, in the material's unit
    (
        "/exports gallium JP vs DE 2025-10",
        "China's exports of gallium: Japan vs Germany, October 2025",
        "5,000 kg",
        "10,000 kg",
        "Sources of the kg",
        "/exports gallium JP 2025-10",
    ),
    # rankings and summaries are the material's
    ("/top gallium 2025-10", "10,000 kg", "15,570 kg"),
    ("/top dysprosium 2025-10", "2,701 kg", "500 kg", "300 kg"),
    ("/top terbium 2025-10", "6,000 kg", "5,200 kg"),
    ("/top graphite 2023-11", "8,830 t", "2,238 t", "280 t"),
    ("/summary antimony 2025-06", "107 t"),
    ("/summary rare earths 2025-10", "4,343.5 t"),
    # sources are the material's figures
    ("/sources gallium 2025-12", "10,809"),
    ("/sources terbium US 2025-10", "6,000"),
    # problems name the material and offer its commands
    ("/exports galium DE", "“galium”", "Did you mean gallium? /exports gallium DE"),
    ("/exports germanum", "Did you mean germanium? /exports germanium", "Germany: /exports DE"),
    (
        "/exports gallium germanium DE 2025-10",
        "two materials, gallium and germanium",
        "/exports gallium DE 2025-10",
        "/exports germanium DE 2025-10",
        "/exports all DE 2025-10",
    ),
    ("/top gallium and germanium 2025", "/top gallium 2025", "/top germanium 2025"),
    ("/exports gallium DE 2031", "gallium · Germany", "outside the data"),
    ("/exports gallium DE blorp", "“blorp”", "Ask that with /exports gallium DE"),
    # partners are never read as materials
    ("/exports germany 2025-10", "China → Germany, October 2025", "1,118 t"),
    ("/exports GE", "Georgia"),
]


@pytest.mark.parametrize("row", ANSWERS, ids=[r[0] for r in ANSWERS])
async def test_each_material_answers_with_its_figures_and_unit(
    chat: LocalChat, row: tuple[str, ...]
) -> None:
    command, *expected = row
    text = await said(chat, command)
    for part in expected:
        assert part in text, (part, text)


def test_the_table_covers_every_material() -> None:
    named = " ".join(r[0] for r in ANSWERS)
    for info in project_catalog().materials:
        assert any(word in named for word in (info.name, *info.words)), info.key


async def test_a_magnet_answer_does_not_name_a_material(chat: LocalChat) -> None:
    text = await said(chat, "/exports DE 2025-10")
    assert text.startswith("🇩🇪 China → Germany, October 2025")


# -- plain questions and group mentions ------------------------------------------------------

PLAIN = [
    (
        "how much gallium went to Germany in August 2024?",
        "only China's total gallium exports for August 2024",
    ),
    ("镓 德国 2024年8月", "only China's total gallium exports for August 2024"),
    ("稀土出口 10月", "China's exports of rare earths, October 2025", "4,343.5 t"),
    ("germanium to Russia in October 2025", "930 kg"),
    ("锗 俄罗斯 2025年10月", "China's exports of germanium → Russia", "930 kg"),
    ("gallium and germanium to Germany", "gallium and germanium", "/exports all DE"),
    ("镓和锗 德国", "gallium and germanium", "/exports all DE"),
    ("gallium", "China's exports of gallium, December 2025", "10,809 kg"),
    ("top buyers of dysprosium in October 2025", "2,701 kg"),
    ("镝 2025年10月 排名", "2,701 kg"),
]


@pytest.mark.parametrize("row", PLAIN, ids=[r[0] for r in PLAIN])
async def test_plain_questions_name_the_material(chat: LocalChat, row: tuple[str, ...]) -> None:
    question, *expected = row
    text = await said(chat, question)
    for part in expected:
        assert part in text, (part, text)


async def test_a_group_mention_with_a_material(chat: LocalChat) -> None:
    text = await said(chat, "@ExportWatchBot gallium DE", **GROUP)
    assert "China's exports of gallium → Germany, October 2025" in text and "10,000 kg" in text


async def test_a_follow_up_keeps_the_material(chat: LocalChat) -> None:
    await said(chat, "gallium DE 2025-10")
    text = await said(chat, "and Japan?")
    assert "China's exports of gallium → Japan, October 2025" in text and "5,000 kg" in text
    text = await said(chat, "那德国呢")
    assert "China's exports of gallium → Germany" in text and "10,000 kg" in text
    text = await said(chat, "what about germanium?")
    assert "China's exports of germanium → Germany, October 2025" in text and "222 kg" in text


# -- every material at once ---------------------------------------------------------------


async def test_all_materials_for_a_partner_and_month(chat: LocalChat) -> None:
    texts = replies(await chat.send("/exports all DE 2025-10"))
    assert len(texts) == 1 and len(texts[0]) <= MAX_MESSAGE
    text = to_plain(texts[0])
    assert "Every material: China → Germany, October 2025" in text
    assert "Rare-earth magnets: 1,118 t" in text and "m/m -13.2% · y/y +55.9%" in text
    assert "Gallium: 10,000 kg" in text and "Germanium: 222 kg" in text
    none = text.split("No figure for Germany in October 2025:")[1].split("\n")[0]
    for info in project_catalog().materials:
        if info.key not in ("85051110", "gallium", "germanium"):
            assert info.name in none, info.name  # listed as having none, not left out
    assert "rare earths (only China's total: /exports rare-earths 2025-10)" in none
    assert "Comtrade" not in text and "850511" not in text
    assert "/exports gallium DE 2025-10" in text


async def test_all_materials_for_china_each_latest(chat: LocalChat) -> None:
    text = await said(chat, "/exports all")
    assert "Every material: China's exports, the latest period of each" in text
    assert "Gallium, December 2025: 10,809 kg" in text
    assert "Tungsten (APT), Jan–Nov 2025: 243 t" in text
    assert "Rare-earth magnets, March 2026: 5,238 t" in text


async def test_all_materials_in_chinese(chat: LocalChat) -> None:
    text = await said(chat, "/exports 全部 日本 2025年10月")
    assert "Every material: China → Japan, October 2025" in text
    assert "Terbium: 5,200 kg" in text and "Dysprosium: 300 kg" in text


# -- buttons stay on the material ------------------------------------------------------------


def press(message: dict[str, Any], data: str) -> dict[str, Any]:
    return {
        "update_id": int(time.time() * 1000) % 10**9,
        "callback_query": {
            "id": "cb1",
            "from": LOCAL_USER,
            "chat_instance": "local",
            "data": data,
            "message": message,
        },
    }


def as_message(call: ApiCall, message_id: int) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": int(call.params["chat_id"]), "type": "private"},
        "text": str(call.params["text"]),
    }


def buttons(call: ApiCall) -> list[dict[str, str]]:
    rows = call.params["reply_markup"]["inline_keyboard"]
    return [b for row in rows for b in row]


@pytest.mark.parametrize(
    ("command", "series", "before", "figure"),
    [
        (
            "/exports gallium DE 2025-10",
            "gallium",
            "China's exports of gallium → Germany, September",
            "5,000 kg",
        ),
        (
            "/exports rare earths 2025-10",
            "rare_earths",
            "China's exports of rare earths",
            "4,000.3 t",
        ),
        ("/exports dysprosium 2025-10", "dysprosium", "China's exports of dysprosium", "18,043 kg"),
        (
            "/exports graphite 2024-02",
            "graphite",
            "China's exports of spherical graphite",
            "1,017 t",
        ),
    ],
)
async def test_buttons_carry_the_series(
    chat: LocalChat, command: str, series: str, before: str, figure: str
) -> None:
    sent = only(await chat.send(command), "sendMessage")
    found = buttons(sent)
    assert [b["text"] for b in found][-2:] == ["📊 Chart", "📚 Sources"]
    for button in found:
        data = button["callback_data"]
        assert len(data.encode()) <= MAX_BYTES
        request = decode(data)
        assert request is not None and request.series == series
    message = as_message(sent, 77)
    edited = only(await chat.process(press(message, found[0]["callback_data"])), "editMessageText")
    text = to_plain(str(edited.params["text"]))
    assert before in text and figure in text
    again = [decode(b["callback_data"]) for b in buttons(edited)]
    assert all(r is not None and r.series == series for r in again)
    sources = only(
        await chat.process(press(message, found[-1]["callback_data"])), "editMessageText"
    )
    back = decode(buttons(sources)[0]["callback_data"])
    assert back is not None and back.series == series


async def test_the_chart_button_draws_the_material(chat: LocalChat) -> None:
    sent = only(await chat.send("/exports gallium DE 2025-10"), "sendMessage")
    chart = next(b for b in buttons(sent) if b["text"] == "📊 Chart")
    photo = only(
        await chat.process(press(as_message(sent, 78), chart["callback_data"])), "sendPhoto"
    )
    caption = str(photo.params["caption"])
    assert "Gallium: Germany" in caption and "10,000 kg" in caption
    assert "/sources gallium DE 2025-10" in caption
    assert photo.file_names["photo"] == "exportwatch-chart-gallium-de-2025-10.png"


async def test_a_total_only_month_offers_chinas_total(chat: LocalChat) -> None:
    sent = only(await chat.send("/exports gallium DE 2024-08"), "sendMessage")
    total = next(b for b in buttons(sent) if "China's total" in b["text"])
    edited = only(
        await chat.process(press(as_message(sent, 79), total["callback_data"])), "editMessageText"
    )
    text = to_plain(str(edited.params["text"]))
    assert "China's exports of gallium, August 2024" in text and "11,217 kg" in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("v1:x:US:2025-06", "353 t"),  # sent before there were materials: magnets
        ("v2:x:gallium:DE:2025-10", "10,000 kg"),
        ("v2:x:85051110:US:2025-06", "353 t"),
    ],
)
async def test_old_and_new_button_data_both_work(chat: LocalChat, data: str, expected: str) -> None:
    message = {"message_id": 7, "date": 0, "chat": {"id": 1001, "type": "private"}, "text": "a"}
    edited = only(await chat.process(press(message, data)), "editMessageText")
    assert expected in to_plain(str(edited.params["text"]))


@pytest.mark.parametrize(
    "data",
    ["v2:x:unobtainium:US:L", "v2:x:HS850511:US:L", "v2:x:gallium:XX:L", "v2:q:gallium:DE:L"],
)
async def test_a_button_for_an_unknown_series_is_politely_stale(chat: LocalChat, data: str) -> None:
    message = {"message_id": 7, "date": 0, "chat": {"id": 1001, "type": "private"}, "text": "a"}
    calls = await chat.process(press(message, data))
    assert only(calls, "answerCallbackQuery").params["text"] == EXPIRED
    assert [c.method for c in calls] == ["answerCallbackQuery"]


# -- inline mode -----------------------------------------------------------------------------


async def inline(chat: LocalChat, text: str) -> list[dict[str, Any]]:
    update = {
        "update_id": int(time.time() * 1000) % 10**9,
        "inline_query": {"id": "q1", "from": LOCAL_USER, "query": text, "offset": ""},
    }
    call = only(await chat.process(update), "answerInlineQuery")
    results = call.params["results"]
    assert isinstance(results, list)
    # in the user's language: Telegram must keep them for this user only
    assert call.params["is_personal"] is True
    return results


@pytest.mark.parametrize("query", ["gallium DE", "镓 德国", "Germany gallium"])
async def test_inline_results_for_a_material(chat: LocalChat, query: str) -> None:
    results = await inline(chat, query)
    first = results[0]
    assert first["id"] == "gallium:DE:2025-10" and len(first["id"].encode()) <= 64
    if query == "镓 德国":  # asked in Chinese: the results are in Chinese
        assert first["title"] == "🇩🇪 德国 · 镓" and "10,000 千克" in first["description"]
    else:
        assert "gallium" in first["title"] and "10,000 kg" in first["description"]
    text = first["input_message_content"]["message_text"]
    title = "中国镓出口 → 德国" if query == "镓 德国" else "China's exports of gallium → Germany"
    assert html_problem(text) is None and title in to_plain(text)
    data = [b["callback_data"] for row in first["reply_markup"]["inline_keyboard"] for b in row]
    assert all((r := decode(d)) is not None and r.series == "gallium" for d in data)


async def test_inline_without_a_partner_offers_the_materials_total(chat: LocalChat) -> None:
    results = await inline(chat, "terbium")
    assert results[0]["id"] == "terbium:WORLD:2025-12" and "kg" in results[0]["description"]
    assert {r["id"].split(":")[1] for r in results} >= {"US", "JP"}


@pytest.mark.parametrize("query", ["galium DE", "gallium and germanium", "comtrade US"])
async def test_inline_offers_nothing_for_two_a_mistyped_or_a_reference_series(
    chat: LocalChat, query: str
) -> None:
    assert await inline(chat, query) == []


# -- charts and CSV ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "caption", "file"),
    [
        (
            "/chart gallium DE",
            ["Gallium: Germany", "October 2025: 10,000 kg", "/sources gallium DE 2025-10"],
            "exportwatch-chart-gallium-de-2025-10.png",
        ),
        (
            "/chart rare earths",
            ["Rare earths: China's total", "December 2025: 4,392 t", "/sources rare-earths"],
            "exportwatch-chart-rare-earths-world-2025-12.png",
        ),
        (
            "/chart top terbium 2025-10",
            ["Terbium: Partners, October 2025", "China's total 12,200 kg", "/top terbium 2025-10"],
            "exportwatch-chart-terbium-top-2025-10.png",
        ),
    ],
)
async def test_charts_of_a_material(
    chat: LocalChat, command: str, caption: list[str], file: str
) -> None:
    photo = only(await chat.send(command), "sendPhoto")
    said_ = to_plain(str(photo.params["caption"]))
    for part in caption:
        assert part in said_, (part, said_)
    assert photo.file_names["photo"] == file


async def test_a_chart_of_a_series_with_only_spans_says_so(chat: LocalChat) -> None:
    text = await said(chat, "/chart tungsten")
    assert "tungsten (APT)" in text and "month" in text and "no figures" not in text
    assert "/exports tungsten 2025-YTD11" in text


async def test_csv_of_a_material(chat: LocalChat) -> None:
    document = only(await chat.send("/csv antimony 2024"), "sendDocument")
    assert "antimony" in document.file_names["document"]
    assert str(document.params["caption"]).startswith("📄 Antimony: ")
    rows = list(csv.DictReader(io.StringIO(document.files["document"].decode("utf-8-sig"))))
    nl = [r for r in rows if r["partner"] == "NL"]
    assert len(nl) == 1 and nl[0]["period"] == "2024" and float(nl[0]["tonnes"]) == 1016.65
    assert {r["partner"] for r in rows} == {"NL", "WORLD"}


async def test_comtrade_keeps_working(chat: LocalChat) -> None:
    for command in ("/comtrade US 2025-06", "/exports comtrade US 2025-06"):
        assert "No UN Comtrade figures are loaded yet" in await said(chat, command)
