"""The chat console and ``ask``: files the bot sends are saved and their paths printed; inline
buttons are shown numbered and pressing one goes through the real Application."""

from __future__ import annotations

import json
from pathlib import Path

from telegram import InputMediaDocument, InputMediaPhoto

from bot.console import Console, LocalChat
from tests.test_cli import run_bot

PNG = b"\x89PNG\r\n\x1a\n"


def saved_paths(lines: list[str]) -> list[Path]:
    """The paths the console printed as ``[photo saved: PATH, N KB]``."""
    found = []
    for line in "\n".join(lines).splitlines():
        if " saved: " in line:
            found.append(Path(line.split(" saved: ", 1)[1].rsplit(", ", 1)[0]))
    return found


async def test_a_chart_and_a_csv_are_saved_and_their_paths_printed(
    chat: LocalChat, tmp_path: Path
) -> None:
    console = Console(chat, tmp_path / "out")
    shown = await console.handle("/chart US")
    (photo,) = saved_paths(shown)
    sent = [c for c in chat.request.calls if c.method == "sendPhoto"][-1]
    assert photo.parent == tmp_path / "out" and photo.name == "exportwatch-chart-us-2026-03.png"
    assert photo.read_bytes() == sent.files["photo"] and photo.read_bytes().startswith(PNG)
    assert "March 2026: 406 t" in "\n".join(shown)  # the caption, as plain text
    again = saved_paths(await console.handle("/chart US"))
    assert again == [tmp_path / "out" / "exportwatch-chart-us-2026-03-2.png"]  # no overwriting
    assert photo.read_bytes() == sent.files["photo"]
    (table,) = saved_paths(await console.handle("/csv US 2025"))
    assert table.name == "exportwatch-us-2025.csv"
    assert table.read_text(encoding="utf-8-sig").startswith("period,partner,tonnes")


async def test_nothing_is_written_for_a_text_answer(chat: LocalChat, tmp_path: Path) -> None:
    console = Console(chat, tmp_path / "out")
    shown = await console.handle("/exports US 2025-06")
    assert "353 t" in "\n".join(shown) and not saved_paths(shown)
    assert not (tmp_path / "out").exists()


async def test_every_file_of_a_media_group_is_saved(chat: LocalChat, tmp_path: Path) -> None:
    console = Console(chat, tmp_path)
    bot = chat.application.bot
    start = len(chat.request.calls)
    await bot.send_media_group(
        1001,
        [
            InputMediaPhoto(PNG + b"one", caption="first"),
            InputMediaDocument(b"a,b\n1,2\n", filename="table.csv"),
        ],
    )
    shown = console.show(chat.request.calls[start:])
    paths = saved_paths(shown)
    assert [p.read_bytes() for p in paths] == [PNG + b"one", b"a,b\n1,2\n"]
    assert paths[1].name == "table.csv" and paths[0].suffix == ".png"


async def test_buttons_are_numbered_and_pressing_one_answers_its_callback(
    chat: LocalChat, tmp_path: Path
) -> None:
    console = Console(chat, tmp_path)
    shown = "\n".join(await console.handle("/exports US 2025-06"))
    assert "[1] ◀ May 2025  [2] Jul 2025 ▶" in shown and "[3] 📊 Chart  [4] 📚 Sources" in shown
    answer = [c for c in chat.request.calls if c.method == "sendMessage"][-1]

    start = len(chat.request.calls)
    shown = "\n".join(await console.handle("1"))
    pressed = chat.request.calls[start:]
    assert [c.method for c in pressed] == ["answerCallbackQuery", "editMessageText"]
    assert pressed[1].params["message_id"] == answer.result["message_id"]  # edited in place
    assert "May 2025" in shown and "46.4 t" in shown and "[2] Jun 2025 ▶" in shown

    shown = "\n".join(await console.handle("/press 4"))  # sources of the month now shown
    assert "Sources: United States, May 2025" in shown

    shown = "\n".join(await console.handle("/press 1"))  # the sources' "back" button
    assert "May 2025" in shown and "[3] 📊 Chart" in shown
    shown_lines = await console.handle("3")
    assert "Drawing the chart" in "\n".join(shown_lines)  # the callback's answer
    (photo,) = saved_paths(shown_lines)
    assert photo.read_bytes().startswith(PNG)


async def test_a_number_without_such_a_button_is_explained(chat: LocalChat, tmp_path: Path) -> None:
    console = Console(chat, tmp_path)
    await console.handle("/exports US 2025-06")
    start = len(chat.request.calls)
    assert "No button [9]" in "\n".join(await console.handle("/press 9"))
    assert chat.request.calls[start:] == []


def test_ask_saves_the_chart_and_prints_its_path(tmp_path: Path) -> None:
    result = run_bot("ask", "/chart DE 2025", "--save-dir", "charts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (path,) = saved_paths([result.stdout])
    assert path.parts[0] == "charts" and (tmp_path / path).read_bytes().startswith(PNG)


def test_ask_can_press_a_button_of_the_answer(tmp_path: Path) -> None:
    result = run_bot("ask", "/exports US 2025-06", "--press", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[3] 📊 Chart" in result.stdout and "Drawing the chart" in result.stdout
    (path,) = saved_paths([result.stdout])
    assert path.parts[0] == "exportwatch-out"  # the default folder, in the working directory
    assert (tmp_path / path).read_bytes().startswith(PNG)


def test_the_chat_console_presses_buttons_typed_as_numbers(tmp_path: Path) -> None:
    stdin = "/exports US 2025-06\n1\n/press 3\n"
    result = run_bot("chat", "--save-dir", "out", cwd=tmp_path, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "[1] ◀ May 2025" in result.stdout and "46.4 t" in result.stdout
    (path,) = saved_paths([result.stdout])
    assert path.parts[0] == "out" and (tmp_path / path).read_bytes().startswith(PNG)


def test_ask_json_names_the_saved_file_in_the_call_that_sent_it(tmp_path: Path) -> None:
    result = run_bot("ask", "--json", "/chart top 2025-06", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (call,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert call["method"] == "sendPhoto" and call["params"]["photo"].endswith(" bytes>")
    assert call["saved"] == ["exportwatch-out/exportwatch-chart-top-2025-06.png"]
    assert (tmp_path / call["saved"][0]).read_bytes().startswith(PNG)
