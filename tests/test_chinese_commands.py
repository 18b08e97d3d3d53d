"""The commands a Chinese answer suggests name each material by its Chinese word (``/sources
镓 2025-12``, ``/unsubscribe 锗``), and each such word asks for that material again."""

from __future__ import annotations

import pytest

from bot.console import LocalChat, replies
from bot.data.series import SeriesInfo, project_catalog
from bot.render.material import chinese_word, command_word

MATERIALS = [info for info in project_catalog().materials if info.key != "85051110"]


@pytest.mark.parametrize("info", MATERIALS, ids=lambda info: info.key)
async def test_each_material_s_chinese_command_word_asks_for_it(
    auto_chat: LocalChat, info: SeriesInfo
) -> None:
    word = command_word(info, "zh").strip()
    assert word and word == chinese_word(info) and not word.isascii()
    await auto_chat.send("/lang zh")
    (first, *_) = replies(await auto_chat.send(f"/exports {word}"))
    assert info.name_zh in first.splitlines()[0], (word, first)


def test_english_keeps_its_command_words() -> None:
    gallium = project_catalog()["gallium"]
    assert (command_word(gallium), command_word(gallium, "zh")) == ("gallium ", "镓 ")
    assert command_word(project_catalog()["85051110"], "zh") == "", "magnets: the default"
