"""Editor's notes, and the error handler's reply when something does go wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console import LocalChat, replies
from bot.data.dataset import DataFileError
from bot.data.notes import load_note
from bot.reading.periods import Period
from bot.services import Services
from handlers import asking
from handlers.errors import SORRY
from tests.conftest import DATA_DIR


def test_the_june_2025_note_loads() -> None:
    note = load_note(DATA_DIR / "notes" / "2025-06.md")
    assert note.month == Period.month(2025, 6)
    assert len(note.why) == 3 and len(note.next) == 3


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("2025-07.md", "## Why it matters\nplain line\n", "line 2: expected a '## ' heading"),
        ("2025-07.md", "## Gossip\n- x\n", "line 1: unknown section 'Gossip'"),
        ("2025-07.md", "# Title only\n", "no bullets"),
        ("july.md", "## Why it matters\n- x\n", "named YYYY-MM.md"),
    ],
)
def test_a_bad_note_is_rejected_with_its_line(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        load_note(path)


async def test_an_unexpected_error_gets_an_apology_not_silence(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(answer: object) -> list[str]:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(asking, "reply", broken)  # replies are memoised: break the sender
    async with LocalChat(services) as chat:
        texts = replies(await chat.send("/exports US"))
    assert texts == [SORRY]
