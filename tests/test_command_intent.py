"""A command answers its own question whatever partners it is given: ``/summary US DE`` is
the month's summary and ``/top US DE`` the ranking (the partners named as not picked out),
never a comparison of the two; ``/exports US DE`` compares them."""

from __future__ import annotations

from bot.console import LocalChat, replies


async def test_summary_and_top_with_two_partners_answer_themselves(chat: LocalChat) -> None:
    summary = replies(await chat.send("/summary US DE 2025-06"))
    assert summary[0] == (
        "🔎 I read this as: June 2025 (the summary covers every partner, so United States, "
        "Germany are not picked out)."
    )
    assert summary[1].startswith("📰 <b>China's rare-earth magnet exports, June 2025</b>")
    top = replies(await chat.send("/top US DE 2025-06"))
    assert "the ranking covers every partner, so United States, Germany are not" in top[0]
    assert "⚖️" not in "".join(top)
    compared = replies(await chat.send("/exports US DE 2025-06"))
    assert compared[0].startswith("⚖️ <b>China's exports: United States vs Germany, June 2025")


async def test_one_partner_is_still_said_in_the_singular(chat: LocalChat) -> None:
    (note, *_) = replies(await chat.send("/summary US 2025-06"))
    assert note.endswith("so United States is not picked out).")
