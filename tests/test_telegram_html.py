"""The HTML checker must reject what Telegram rejects, or the handler tests prove nothing."""

import pytest

from bot.render.format import fit
from bot.render.telegram_html import html_problem, to_plain


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "<b>bold</b> and <i>it</i>",
        '<a href="https://x.org/?a=1&amp;b=2">link</a>',
        "<pre>a &lt; b &amp;&amp; c &gt; d</pre>",
        "&#x27;quoted&#x27; &quot;x&quot; &#8212;",
        "<b><i>nested</i></b>",
    ],
)
def test_accepts_valid_html(text: str) -> None:
    assert html_problem(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a < b", "unsupported start tag"),
        ("fish & chips", "unescaped &"),
        ("<b>open", "unclosed tag"),
        ("<b><i>x</b></i>", "unexpected end tag"),
        ("<div>x</div>", "unsupported tag"),
        ("<a>no href</a>", "without href"),
        ("", "empty"),
        ("<b> </b>", "empty"),
        ("x" * 4097, "too long"),
    ],
)
def test_rejects_what_telegram_rejects(text: str, reason: str) -> None:
    problem = html_problem(text)
    assert problem is not None and reason in problem


def test_plain_text_for_the_terminal() -> None:
    assert to_plain("<b>3,188 t</b> &amp; more") == "3,188 t & more"


def test_fit_packs_blocks_within_the_limit_and_keeps_every_line() -> None:
    blocks = [f"block {i}\n" + "\n".join(f"line {i}.{j}" for j in range(40)) for i in range(30)]
    blocks.append("\n".join("x" * 90 for _ in range(100)))  # one block over the limit
    messages = fit(blocks, limit=1000)
    assert len(messages) > 1 and all(len(m) <= 1000 for m in messages)
    joined = "\n".join(messages)
    for i in range(30):
        assert f"line {i}.39" in joined
    assert joined.count("x" * 90) == 100
    assert fit(["short", "blocks"]) == ["short\n\nblocks"]
