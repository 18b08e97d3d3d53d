"""Every problem a series' description, an editor's note or a published change can have, built
from a bad file, with what it says in English and in Chinese. See ``tests/loader_problems.py``."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.data.changes import load_changes_file
from bot.data.notes import load_note, load_notes
from bot.data.series import load_catalog, read_description
from tests.loader_problems import DESCRIPTION, Case, Error, caught, in_folder, with_descriptions

CHANGES = "period,partner,comparison,pct,base,source_title,source_url,note"
GOOD_CHANGE = "2025-06,WORLD,m/m,+157.5,,Reuters,https://example.org/r,"
NOTE = "# June 2025\n\n## Why it matters\n- One.\n\n## What's next\n- Two.\n"
NOTE_ZH = "## 为何重要\n- 一。\n\n## 后续看点\n- 二。\n"
COPPER_FIELDS = "key, name, name_zh, unit, description, release, ceiling"


def description(old: str = "", new: str = "", text: str = DESCRIPTION) -> Callable[[Path], Error]:
    """``bad.toml``: :data:`DESCRIPTION` with ``old`` replaced by ``new``, read alone."""

    def make(folder: Path) -> Error:
        path = folder / "bad.toml"
        path.write_text(text.replace(old, new) if old else text, encoding="utf-8")
        return caught(lambda: read_description(path))

    return make


def description_bytes(content: bytes | None) -> Callable[[Path], Error]:
    """``bad.toml`` of ``content`` (a folder of that name when ``None``), read alone."""

    def make(folder: Path) -> Error:
        path = folder / "bad.toml"
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        return caught(lambda: read_description(path))

    return make


def parser_without_a_place(folder: Path) -> Error:
    def odd(_text: str) -> object:
        raise tomllib.TOMLDecodeError("a parser with its own words")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bot.data.series.tomllib.loads", odd)
        return description()(folder)


def catalog(*texts: str) -> Callable[[Path], Error]:
    """A folder whose ``series/`` holds ``texts``, read as a catalog."""

    def make(folder: Path) -> Error:
        with_descriptions(*texts)(folder)
        return caught(lambda: load_catalog(folder))

    return make


def note(name: str, text: str | bytes) -> Callable[[Path], Error]:
    def make(folder: Path) -> Error:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return caught(lambda: load_note(path))

    return make


def notes(files: dict[str, str]) -> Callable[[Path], Error]:
    def make(folder: Path) -> Error:
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return caught(lambda: load_notes(folder))

    return make


def changes(*rows: str) -> Callable[[Path], Error]:
    def make(folder: Path) -> Error:
        path = folder / "changes.csv"
        path.write_text("\n".join([CHANGES, *rows]) + "\n", encoding="utf-8")
        return caught(lambda: load_changes_file(path))

    return make


def change(**fields: str) -> str:
    values = dict(zip(CHANGES.split(","), GOOD_CHANGE.split(","), strict=True)) | fields
    return ",".join(values.values())


CASES: list[Case] = [
    # -- a series' description -----------------------------------------------------------------
    Case("TOML at a line", description('key = "copper"', "key copper"),
         "bad.toml: Expected '=' after a key in a key/value pair (at line 1, column 5)",
         "bad.toml：第1行第5列不是有效的 TOML（Expected '=' after a key in a key/value pair）"),
    Case("TOML at the end", description(text='key = "copper'),
         "bad.toml: Unterminated string (at end of document)",
         "bad.toml：文件末尾不是有效的 TOML（Unterminated string）"),
    Case("TOML, no place", parser_without_a_place,
         "bad.toml: a parser with its own words",
         "bad.toml：不是有效的 TOML（a parser with its own words）"),
    Case("TOML not UTF-8", description_bytes(b'key = "\xff"\n'),
         "bad.toml: 'utf-8' codec can't decode byte 0xff in position 7: invalid start byte",
         "bad.toml：不是 UTF-8 文本（'utf-8' codec can't decode byte 0xff in position 7: invalid "
         "start byte）"),
    Case("not text", description('"铜"', "5"),
         "bad.toml: name_zh must be text",
         "bad.toml：name_zh 必须是文本"),
    Case("not texts", description("[ceiling]", 'words = "copper"\n[ceiling]'),
         "bad.toml: words must be a list of texts",
         "bad.toml：words 必须是文本列表"),
    Case("fields missing", description(text="order = 1\n"),
         f"bad.toml: {COPPER_FIELDS} missing",
         "bad.toml：缺少 " + COPPER_FIELDS.replace(", ", "、")),
    Case("a field empty", description('"A test series."', '" "'),
         "bad.toml: description is empty",
         "bad.toml：description 为空"),
    Case("an unknown field", description("[ceiling]", "colour = 1\nsize = 2\n[ceiling]"),
         "bad.toml: colour, size: not a field of a description",
         "bad.toml：colour、size：不是系列描述的字段"),
    Case("a bad key", description('key = "copper"', 'key = "digest"'),
         "bad.toml: key 'digest' must be 1 to 24 letters, digits or _ (and not digest)",
         "bad.toml：key 的值 'digest' 必须由 1 到 24 个字母、数字或 _ 组成（且不能是 digest）"),
    Case("reference", description("[ceiling]", 'reference = "yes"\n[ceiling]'),
         "bad.toml: reference must be true or false",
         "bad.toml：reference 必须是 true 或 false"),
    Case("order", description("[ceiling]", 'order = "first"\n[ceiling]'),
         "bad.toml: order must be a whole number",
         "bad.toml：order 必须是整数"),
    Case("unit", description('"kg"', '"stone"'),
         "bad.toml: unit 'stone' is not one of tonnes, kg",
         "bad.toml：unit 的值 'stone' 不是以下之一：tonnes、kg"),
    Case("release", description('"detail"', '"weekly"'),
         "bad.toml: release 'weekly' is not one of preliminary, detail",
         "bad.toml：release 的值 'weekly' 不是以下之一：preliminary、detail"),
    Case("no unit's ceiling", description("kg = 1000", "usd = 1000"),
         "bad.toml: [ceiling] must give a month's kg",
         "bad.toml：[ceiling] 必须给出每月 kg 的上限"),
    Case("a bad ceiling", description("kg = 1000", "kg = 1000\nusd = -1"),
         "bad.toml: ceiling usd = -1 is not a positive kg or value",
         "bad.toml：ceiling 中的 usd = -1 不是正的 kg 数量或金额"),
    Case("controlled since", description("[ceiling]", 'controlled_since = "2023"\n[ceiling]'),
         "bad.toml: controlled_since '2023' is not YYYY-MM",
         "bad.toml：controlled_since 的值 '2023' 不是 YYYY-MM 格式"),
    Case("narrower scope", description(text=DESCRIPTION + '[narrower_scope]\nmarker = "x"\n'),
         "bad.toml: [narrower_scope] needs a marker and what it says",
         "bad.toml：[narrower_scope] 需要给出标记词及其提示语"),
    Case("unreadable", description_bytes(None),
         "bad.toml: [Errno 21] Is a directory: '{folder}/bad.toml'",
         "bad.toml：无法读取（[Errno 21] Is a directory: '{folder}/bad.toml'）"),
    Case("a key twice", catalog(DESCRIPTION, DESCRIPTION.replace('"铜"', '"紫铜"')),
         "s2.toml: key 'copper' is already described in s1.toml",
         "s2.toml：key 'copper' 已在 s1.toml 中描述过"),
    Case("a word twice", catalog(DESCRIPTION, DESCRIPTION.replace('"copper"', '"brass"', 1)
                                 .replace('"铜"', '"黄铜"')),
         "s2.toml: 'copper' also names the series of s1.toml",
         "s2.toml：'copper' 也是 s1.toml 所描述系列的名称"),
    Case("no descriptions", in_folder(lambda data: (data / "series").mkdir(), load_catalog),
         "{folder}/data/series: no series described (*.toml)",
         "{folder}/data/series：没有任何系列的描述（*.toml）"),
    # -- editor's notes ------------------------------------------------------------------------
    Case("a note's name", note("June.md", NOTE),
         "June.md: a note file is named YYYY-MM.md (its Chinese text YYYY-MM.zh.md)",
         "June.md：说明文件应命名为 YYYY-MM.md（其中文版为 YYYY-MM.zh.md）"),
    Case("a note's month", note("2025-13.md", NOTE),
         "2025-13.md: month 13 is not between 1 and 12",
         "2025-13.md：月份 13 不在 1 到 12 之间"),
    Case("a note not UTF-8", note("2025-06.md", b"## Why it matters\n- \xff\n"),
         "2025-06.md: 'utf-8' codec can't decode byte 0xff in position 20: invalid start byte",
         "2025-06.md：不是 UTF-8 文本（'utf-8' codec can't decode byte 0xff in position 20: "
         "invalid start byte）"),
    Case("an unknown section", note("2025-06.zh.md", "## 背景\n- 一。\n"),
         "2025-06.zh.md, line 1: unknown section '背景'",
         "2025-06.zh.md，第1行：未知的小节 '背景'"),
    Case("a stray line", note("2025-06.md", "## Why it matters\nOne.\n"),
         "2025-06.md, line 2: expected a '## ' heading or a '- ' bullet",
         "2025-06.md，第2行：此处应为 '## ' 标题或 '- ' 列表项"),
    Case("no bullets", note("2025-06.md", "# June\n## Why it matters\n"),
         "2025-06.md: the note has no bullets",
         "2025-06.md：说明中没有任何列表项"),
    Case("bullets not translated one for one",
         notes({"2025-06.md": NOTE, "2025-06.zh.md": "## 为何重要\n- 一。\n- 多一条。\n"}),
         "2025-06.zh.md: the Chinese note has 2 bullet(s) under 为何重要 and the English 1 under "
         "Why it matters: translate each bullet",
         "2025-06.zh.md：中文说明的“为何重要”下有 2 条，"
         "英文说明的“Why it matters”下有 1 条：请逐条翻译"),
    Case("a translation of nothing", notes({"2025-06.md": NOTE, "2025-07.zh.md": NOTE_ZH}),
         "2025-07.zh.md: a Chinese note translates the English one, and 2025-07.md is not there",
         "2025-07.zh.md：中文说明是英文说明的译文，但 2025-07.md 不存在"),
    # -- published changes ---------------------------------------------------------------------
    Case("a change's empty column", changes(change(pct=" ")),
         "changes.csv, line 2: pct is empty",
         "changes.csv，第2行：pct 列为空"),
    Case("a change's period", changes(change(period="June")),
         "changes.csv, line 2: period 'June' is not a period code",
         "changes.csv，第2行：period 列的值 'June' 不是时段代码"),
    Case("a change's partner", changes(change(partner="world")),
         "changes.csv, line 2: partner 'world' is not an ISO 2 code",
         "changes.csv，第2行：partner 列的值 'world' 不是 ISO 两字母代码"),
    Case("a change's comparison", changes(change(comparison="q/q")),
         "changes.csv, line 2: comparison 'q/q' is not one of m/m, y/y",
         "changes.csv，第2行：comparison 列的值 'q/q' 不是以下之一：m/m、y/y"),
    Case("m/m of a half", changes(change(period="2025-H1")),
         "changes.csv, line 2: an m/m change is for a month",
         "changes.csv，第2行：m/m 变化只适用于单月"),
    Case("a change's number", changes(change(pct="lots")),
         "changes.csv, line 2: pct 'lots' is not a number",
         "changes.csv，第2行：pct 列的值 'lots' 不是数字"),
    Case("a change's infinity", changes(change(base="inf")),
         "changes.csv, line 2: base 'inf' is not a finite number",
         "changes.csv，第2行：base 列的值 'inf' 不是有限数"),
    Case("all of it and more", changes(change(pct="-100")),
         "changes.csv, line 2: pct -100 is -100% or less",
         "changes.csv，第2行：pct 列的值 -100 小于或等于 -100%"),
    Case("a base of nothing", changes(change(base="0")),
         "changes.csv, line 2: base 0 is not positive",
         "changes.csv，第2行：base 列的值 0 不是正数"),
    Case("a change's address", changes(change(source_url="www.example.org")),
         "changes.csv, line 2: source_url 'www.example.org' is not an http(s) address",
         "changes.csv，第2行：source_url 列的值 'www.example.org' 不是 http(s) 地址"),
]  # fmt: skip
