"""Charts, inline mode, buttons, CSV and the command menu, through the real Application."""

from __future__ import annotations

import csv
import io
import struct
import time
from typing import Any

import pytest
from matplotlib.patches import Rectangle

from bot.app import MENU
from bot.console import LocalChat
from bot.lookup import Lookup
from bot.offline import BOT_USER, ApiCall
from bot.reading.callbacks import decode, encode
from bot.reading.periods import Period
from bot.render.charts import draw_monthly
from bot.render.telegram_html import html_problem, to_plain
from bot.render.visuals import MonthlyChart, chart
from bot.updates import LOCAL_USER
from handlers.buttons import EXPIRED


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def only(calls: list[ApiCall], method: str) -> ApiCall:
    found = [c for c in calls if c.method == method]
    assert len(found) == 1, [c.method for c in calls]
    return found[0]


async def test_a_chart_arrives_as_a_png_photo_with_a_caption(chat: LocalChat) -> None:
    photo = only(await chat.send("/chart US"), "sendPhoto")
    assert png_size(photo.files["photo"]) == (1200, 750)
    caption = str(photo.params["caption"])
    assert len(caption) <= 1024 and html_problem(caption, 1024) is None
    assert "March 2026: 406 t · m/m -9.5% · y/y -30.6%" in caption  # as Reuters published


async def test_a_ranking_chart(chat: LocalChat) -> None:
    photo = only(await chat.send("/chart top 2025-06"), "sendPhoto")
    assert png_size(photo.files["photo"]) == (1200, 750)
    assert "China's total 3,188 t" in str(photo.params["caption"])


def test_gaps_and_derived_months_are_in_the_plotted_data(lookup: Lookup) -> None:
    answer = chart(lookup, "")
    assert isinstance(answer, MonthlyChart)
    bars = {b.label.replace("\n", " "): b for b in answer.series.bars}
    assert bars["Sep 23"].value is None  # not published: a gap
    assert bars["Jun 24"].value == 5150 and bars["Jun 24"].derived
    assert bars["Jun 25"].value == 3188 and not bars["Jun 25"].derived
    figure = draw_monthly(answer.series)
    drawn = figure.axes[0].patches
    assert len(drawn) == len(answer.series.bars)
    for patch, bar in zip(drawn, answer.series.bars, strict=True):
        assert patch.get_visible() == (bar.value is not None)  # a gap is never a zero bar
        assert (patch.get_hatch() == "//") == bar.derived
        if bar.value is not None:
            assert isinstance(patch, Rectangle) and patch.get_height() == pytest.approx(bar.value)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/chart Atlantis", "I don't know a country called"),
        ("/chart France", "The sources give no figures for France"),
        ("/chart US 2031", "is in the future"),
        ("/chart top H1 2031", "is in the future"),
        ("/chart top 2023-09", "/chart top 2023-08"),
    ],
)
async def test_chart_problems_get_a_text_answer(
    chat: LocalChat, command: str, expected: str
) -> None:
    message = only(await chat.send(command), "sendMessage")
    assert expected in to_plain(str(message.params["text"]))


def inline_update(text: str) -> dict[str, Any]:
    return {
        "update_id": int(time.time() * 1000) % 10**9,
        "inline_query": {"id": "q1", "from": LOCAL_USER, "query": text, "offset": ""},
    }


async def inline_results(chat: LocalChat, text: str) -> tuple[list[dict[str, Any]], ApiCall]:
    call = only(await chat.process(inline_update(text)), "answerInlineQuery")
    results = call.params["results"]
    assert isinstance(results, list)
    return results, call


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("US", "US:2026-03"),
        ("美国 2025-06", "US:2025-06"),
        ("Germny", "DE:2025-12"),
        ("", "WORLD:2026-03"),
    ],
)
async def test_inline_mode_offers_valid_results(chat: LocalChat, query: str, first: str) -> None:
    results, call = await inline_results(chat, query)
    assert results and results[0]["id"] == first
    assert call.params["cache_time"] == 3600 and len(results) <= 50
    for result in results:
        assert len(result["id"].encode()) <= 64 and result["description"]
        text = result["input_message_content"]["message_text"]
        assert html_problem(text) is None
    # the offline Bot API rejects what Telegram would: it accepted these results


async def test_inline_with_nothing_matching_offers_help(chat: LocalChat) -> None:
    results, call = await inline_results(chat, "qwxzvb")
    assert results == [] and call.params["button"]["start_parameter"] == "help"
    everyone, _ = await inline_results(chat, "")
    ids = [r["id"].split(":")[0] for r in everyone]
    assert ids[0] == "WORLD" and {"US", "DE", "EU"} <= set(ids)


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
        "from": BOT_USER,
        "text": str(call.params["text"]),
    }


async def test_buttons_step_through_months_in_place(chat: LocalChat) -> None:
    sent = only(await chat.send("/exports US 2025-06"), "sendMessage")
    rows = sent.params["reply_markup"]["inline_keyboard"]
    labels = [b["text"] for row in rows for b in row]
    assert labels == ["◀ May 2025", "Jul 2025 ▶", "📊 Chart", "📚 Sources"]
    assert all(len(b["callback_data"].encode()) <= 64 for row in rows for b in row)
    message = as_message(sent, 4242)
    edited = only(
        await chat.process(press(message, rows[0][0]["callback_data"])), "editMessageText"
    )
    assert edited.params["message_id"] == 4242 and "May 2025" in str(edited.params["text"])
    assert "46.4 t" in str(edited.params["text"])
    sources = only(
        await chat.process(press(message, rows[1][1]["callback_data"])), "editMessageText"
    )
    assert "Sources: United States, June 2025" in str(sources.params["text"])
    photo = only(await chat.process(press(message, rows[1][0]["callback_data"])), "sendPhoto")
    assert png_size(photo.files["photo"])[0] == 1200


@pytest.mark.parametrize(
    "data", ["garbage", "v1:x:XX:2025-06", "v1:x:US:2025-13", "v0:x:US:2025-06", "v1:z:US:L", ""]
)
async def test_a_stale_or_forged_button_gets_a_polite_answer(chat: LocalChat, data: str) -> None:
    message = {"message_id": 7, "date": 0, "chat": {"id": 1001, "type": "private"}, "text": "old"}
    calls = await chat.process(press(message, data))
    answer = only(calls, "answerCallbackQuery")
    assert answer.params["text"] == EXPIRED and not [
        c for c in calls if c.method != "answerCallbackQuery"
    ]


async def test_an_ambiguous_country_offers_buttons(chat: LocalChat) -> None:
    sent = only(await chat.send("/exports Congo"), "sendMessage")
    buttons = [b for row in sent.params["reply_markup"]["inline_keyboard"] for b in row]
    assert [decode(b["callback_data"]).partner for b in buttons] == ["CD", "CG"]  # type: ignore[union-attr]
    edited = only(
        await chat.process(press(as_message(sent, 9), buttons[0]["callback_data"])),
        "editMessageText",
    )
    assert "DR Congo" in str(edited.params["text"])


def test_button_data_round_trips_within_64_bytes() -> None:
    data = encode("sources", "WORLD_EX_US", Period.parse_code("2025-YTD11"))
    assert len(data.encode()) <= 64
    request = decode(data)
    assert request is not None and request.query == "WORLD_EX_US 2025-YTD11"


async def test_a_csv_document_parses_back_to_the_datasets_rows(
    chat: LocalChat, lookup: Lookup
) -> None:
    document = only(await chat.send("/csv all"), "sendDocument")
    assert str(document.params.get("caption", "")).startswith("📄")
    rows = list(csv.DictReader(io.StringIO(document.files["document"].decode("utf-8-sig"))))
    resolved = lookup.metrics.resolved
    expected = {(p, who) for (p, who, metric) in resolved if metric in ("tonnes", "usd")}
    assert {(r["period"], r["partner"]) for r in rows} == expected and len(rows) == len(expected)
    for row in rows:
        if row["tonnes"]:
            figure = resolved[(row["period"], row["partner"], "tonnes")].chosen
            assert float(row["tonnes"]) == figure.value and row["status"] == figure.status
            assert row["source"] == figure.source_title
        if row["usd"]:
            assert float(row["usd"]) == resolved[(row["period"], row["partner"], "usd")].value
    us = only(await chat.send("/csv US 2025"), "sendDocument")
    us_rows = list(csv.DictReader(io.StringIO(us.files["document"].decode("utf-8-sig"))))
    assert {r["partner"] for r in us_rows} == {"US"}
    assert all(r["period"].startswith("2025") for r in us_rows)


async def test_the_command_menu_is_set_at_start_up(chat: LocalChat) -> None:
    (menu,) = [  # the English menu; test_chat_language.py checks the Chinese one
        c
        for c in chat.request.calls
        if c.method == "setMyCommands" and "language_code" not in c.params
    ]
    commands = menu.params["commands"]
    assert [c["command"] for c in commands] == [c.command for c in MENU]
    assert {"exports", "chart", "csv", "subscribe", "help"} <= {c["command"] for c in commands}
    assert all(1 <= len(c["description"]) <= 256 for c in commands)


async def test_a_message_too_old_to_edit_gets_a_fresh_answer(chat: LocalChat) -> None:
    sent = only(await chat.send("/exports US 2025-06"), "sendMessage")
    chat.request.uneditable.add(77)
    previous = sent.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    calls = await chat.process(press(as_message(sent, 77), previous))
    fresh = only(calls, "sendMessage")
    assert "May 2025" in str(fresh.params["text"]) and fresh.params["reply_markup"]
