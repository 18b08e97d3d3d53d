"""/chart and /csv draw or write one material: "all materials" is never dropped for the
magnets default, two materials are never narrowed to one, and a material without figures is
named (not taken for UN Comtrade)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import LocalChat, replies
from bot.render.telegram_html import html_problem, to_plain
from bot.services import build_services
from tests.conftest import DATA_DIR


async def said(chat: LocalChat, text: str) -> tuple[str, list[str]]:
    calls = await chat.send(text)
    texts = replies(calls)
    assert all(html_problem(t) is None for t in texts if t), texts
    return "\n".join(to_plain(t) for t in texts), [c.method for c in calls]


@pytest.mark.parametrize(
    ("command", "asked", "kept"),
    [
        ("/chart", "/chart all materials DE", "/chart gallium DE"),
        ("/csv", "/csv all materials 2025", "/csv gallium 2025"),
        ("/chart", "/chart 全部材料 德国", "/chart gallium 德国"),
    ],
)
async def test_every_material_is_one_at_a_time_never_magnets(
    chat: LocalChat, command: str, asked: str, kept: str
) -> None:
    text, methods = await said(chat, asked)
    assert f"{command} is for one material at a time" in text
    assert kept in text and "/exports all" in text
    assert "sendPhoto" not in methods and "sendDocument" not in methods


async def test_csv_all_still_means_every_partner(chat: LocalChat) -> None:
    text, methods = await said(chat, "/csv all")
    assert "sendDocument" in methods and "one material at a time" not in text


async def test_two_materials_in_a_chart_offer_charts(chat: LocalChat) -> None:
    text, methods = await said(chat, "/chart gallium germanium DE")
    assert "/chart gallium DE" in text and "/chart germanium DE" in text
    assert "/exports gallium" not in text and "sendPhoto" not in methods


async def test_a_material_without_figures_is_named_not_comtrade(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    lines = (data / "critical_minerals.csv").read_text(encoding="utf-8").splitlines(True)
    kept = [line for line in lines if not line.startswith("terbium,")]
    (data / "critical_minerals.csv").write_text("".join(kept), encoding="utf-8")
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    services = build_services(Settings(data_dir=data, database_url=url))
    await services.store.migrate()
    try:
        async with LocalChat(services) as chat:
            for asked in ("/chart terbium", "/csv terbium"):
                text, _ = await said(chat, asked)
                assert "No terbium figures are loaded yet" in text, text
                assert "Comtrade" not in text
    finally:
        await services.store.close()
