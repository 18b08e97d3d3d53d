"""Every problem the loaders can find, each built from a bad file in a temporary folder, with
what it says in English (as the log and the command line say it) and in Chinese (as ``/reload``
says it in a Chinese chat). ``tests/test_loader_reasons.py`` checks them; the official files'
problems are in ``tests/official_problems.py``.

A case's ``make`` takes an empty folder and returns the error the loader raised there.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.data.dataset import COLUMNS, DataFileError, read_bytes
from bot.data.ledger import read_record
from bot.data.series import SeriesError, project_catalog
from bot.data.settle import signature, wait_until_settled
from bot.data.table import load_file, load_folder
from bot.data.translations import FILE, FOLDER, load_translations
from bot.datastore import DataStore, folder_digests, load_snapshot

Error = DataFileError | SeriesError
HEADER = ",".join(COLUMNS)
GOOD = "2025-06,US,tonnes,353,reported,normal,Some report,https://example.org/a,,"
DESCRIPTION = """key = "copper"
name = "copper"
name_zh = "铜"
unit = "kg"
description = "A test series."
release = "detail"

[ceiling]
kg = 1000
"""


class Case(NamedTuple):
    name: str
    make: Callable[[Path], Error]
    english: str
    chinese: str


def caught(work: Callable[[], object]) -> Error:
    """The loader's error (the case fails if the loader accepts the file)."""
    try:
        work()
    except (DataFileError, SeriesError) as error:
        return error
    pytest.fail("the loader accepted a bad file")


def figures(*rows: str, header: str = HEADER) -> Callable[[Path], Error]:
    """A figures file ``bad.csv`` of ``rows``, loaded against the project's series."""

    def make(folder: Path) -> Error:
        path = folder / "bad.csv"
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return caught(lambda: load_file(path))

    return make


def raw_file(content: bytes, load: Callable[[Path], object] = load_file) -> Callable[[Path], Error]:
    def make(folder: Path) -> Error:
        path = folder / "bad.csv"
        path.write_bytes(content)
        return caught(lambda: load(path))

    return make


def row(**changes: str) -> str:
    """:data:`GOOD` with some of its fields changed."""
    fields = dict(zip(COLUMNS, GOOD.split(","), strict=True)) | changes
    return ",".join(fields[c] for c in COLUMNS)


def special(kind: str) -> Callable[[Path], Error]:
    """``bad.csv`` as a link to nothing, a link loop, a folder or a FIFO."""

    def make(folder: Path) -> Error:
        path = folder / "bad.csv"
        if kind == "dangling":
            path.symlink_to(folder / "gone.csv")
        elif kind == "loop":
            path.symlink_to(folder / "other.csv")
            (folder / "other.csv").symlink_to(path)
        elif kind == "folder":
            path.mkdir()
        else:
            os.mkfifo(path)
        return caught(lambda: load_file(path))

    return make


def in_folder(
    build: Callable[[Path], None], load: Callable[[Path], object]
) -> Callable[[Path], Error]:
    """A folder ``data`` made by ``build``, then given to ``load``."""

    def make(folder: Path) -> Error:
        data = folder / "data"
        data.mkdir()
        build(data)
        return caught(lambda: load(data))

    return make


def magnets(data: Path) -> None:
    (data / "magnets.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")


def gallium_only(data: Path) -> None:
    gallium = "2025-06,US,kg,5,reported,normal,T,,,,gallium"
    (data / "gallium.csv").write_text(f"{HEADER},series\n{gallium}\n", encoding="utf-8")


def with_descriptions(*texts: str) -> Callable[[Path], None]:
    def build(data: Path) -> None:
        magnets(data)
        series = data / "series"
        series.mkdir()
        for number, text in enumerate(texts, start=1):
            (series / f"s{number}.toml").write_text(text, encoding="utf-8")

    return build


def settled_too_late(folder: Path) -> Error:
    magnets(folder)
    later = int(signature(folder).newest * 1e9) + 10**9
    os.utime(folder / "magnets.csv", ns=(later, later))  # the newest, by a second
    now = later / 1e9
    return caught(lambda: wait_until_settled(folder, 1.0, 0.0, lambda: now, lambda _s: None))


def changed_while_read(folder: Path) -> Error:
    magnets(folder)
    digests = {path: "0" * 64 for path in folder_digests(folder)}
    return caught(lambda: load_snapshot(folder, digests=digests))


def reload_failed(folder: Path) -> Error:
    data = folder / "data"
    data.mkdir()
    magnets(data)
    store = DataStore(data, settle_seconds=0.0)
    (data / "magnets.csv").write_text(f"{HEADER}\n{GOOD}\n{row(partner='DE')}\n")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom\nin two lines")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("bot.datastore.load_snapshot", broken)
        result = store.reload_and_compare()
    assert isinstance(result, DataFileError)
    return result


def import_record(folder: Path) -> Error:
    record = folder / "0001-customs-1a2b3c4d"
    record.mkdir()
    (record / "import.json").write_text("{not json", encoding="utf-8")
    return caught(lambda: read_record(record))


def translations(*rows: str) -> Callable[[Path], Error]:
    """A folder whose ``translations/zh.csv`` holds ``rows``."""

    def make(folder: Path) -> Error:
        (folder / FOLDER).mkdir()
        (folder / FOLDER / FILE).write_text("english,chinese\n" + "".join(rows), encoding="utf-8")
        return caught(lambda: load_translations(folder))

    return make


def keys() -> str:
    return ", ".join(project_catalog().keys)


def keys_zh() -> str:
    return "、".join(project_catalog().keys)


def gallium_metrics(separator: str) -> str:
    return separator.join(project_catalog()["gallium"].metrics)


OVER = "100001"  # tonnes in a month: more than any customs line has
CASES: list[Case] = [
    # -- a figures file, row by row ------------------------------------------------------------
    Case("not a number", figures(GOOD, row(value="n/a")),
         "bad.csv, line 3: value 'n/a' is not a number",
         "bad.csv，第3行：value 列的值 'n/a' 不是数字"),
    Case("not finite", figures(row(value="inf")),
         "bad.csv, line 2: value 'inf' is not a finite number",
         "bad.csv，第2行：value 列的值 'inf' 不是有限数"),
    Case("negative", figures(row(value="-5")),
         "bad.csv, line 2: value -5 is negative",
         "bad.csv，第2行：value 列的值 -5 为负数"),
    Case("not plain", figures(row(value="1e3")),
         "bad.csv, line 2: value '1e3' is not a plain decimal such as 1234.5",
         "bad.csv，第2行：value 列的值 '1e3' 不是 1234.5 这样的普通小数"),
    Case("rounds to zero", figures(row(value="0.0001")),
         "bad.csv, line 2: value '0.0001' rounds to 0 at 3 decimals",
         "bad.csv，第2行：value 列的值 '0.0001' 保留 3 位小数后为 0"),
    Case("over the ceiling", figures(row(value=OVER)),
         f"bad.csv, line 2: value {OVER} is above 100,000, more tonnes than any 2025-06 could "
         "have: a unit or a digit is wrong",
         f"bad.csv，第2行：value 列的值 {OVER} 超过 100,000，任何 2025-06 的 tonnes 都不可能这么"
         "多：单位或某位数字有误"),
    Case("empty column", figures(row(source_title=" ")),
         "bad.csv, line 2: source_title is empty",
         "bad.csv，第2行：source_title 列为空"),
    Case("bad period", figures(row(period="2025-6")),
         "bad.csv, line 2: period '2025-6' is not YYYY, YYYY-MM, YYYY-H1, -Q1 or -YTDmm",
         "bad.csv，第2行：period 列的值 '2025-6' 不是 YYYY、YYYY-MM、YYYY-H1、-Q1 或 -YTDmm 格式"),
    Case("unknown partner", figures(row(partner="USA")),
         "bad.csv, line 2: partner 'USA' is not an ISO 2 code",
         "bad.csv，第2行：partner 列的值 'USA' 不是 ISO 两字母代码"),
    Case("unknown status", figures(row(status="guessed")),
         "bad.csv, line 2: status 'guessed' is not one of reported, derived",
         "bad.csv，第2行：status 列的值 'guessed' 不是以下之一：reported、derived"),
    Case("unknown series", figures(GOOD + ",copper", header=HEADER + ",series"),
         f"bad.csv, line 2: series 'copper' is not described in series/ ({keys()})",
         f"bad.csv，第2行：series 列的值 'copper' 在 series/ 中没有描述（已描述：{keys_zh()}）"),
    Case("a metric its series has not", figures(GOOD + ",gallium", header=HEADER + ",series"),
         "bad.csv, line 2: metric 'tonnes' is not one of the metrics of gallium: "
         + gallium_metrics(", "),
         "bad.csv，第2行：metric 列的值 'tonnes' 不是镓的指标之一：" + gallium_metrics("、")),
    Case("derived, no derivation", figures(row(status="derived")),
         "bad.csv, line 2: a derived figure needs its derivation",
         "bad.csv，第2行：推算值必须填写 derivation 列（推算过程）"),
    Case("not a web address", figures(row(source_url="ftp://x")),
         "bad.csv, line 2: source_url 'ftp://x' is not an http(s) address",
         "bad.csv，第2行：source_url 列的值 'ftp://x' 不是 http(s) 地址"),
    Case("exact duplicate", figures(GOOD, GOOD),
         "bad.csv, line 3: exact duplicate of line 2",
         "bad.csv，第3行：与第2行完全重复"),
    Case("missing column", figures(header=HEADER.replace(",reliability", "")),
         "bad.csv, line 1: missing column(s): reliability",
         "bad.csv，第1行：缺少列：reliability"),
    Case("header only", figures(),
         "bad.csv, line 2: no figures: the file has its header and nothing else",
         "bad.csv，第2行：没有数字：文件只有表头，没有其他内容"),
    Case("cut mid-line", raw_file(f"{HEADER}\n{GOOD}\n2025-07,US,ton".encode()),
         "bad.csv, line 3: fewer fields than the header (3 of 10)",
         "bad.csv，第3行：字段数少于表头（只有 3 个，表头有 10 个）"),
    Case("not UTF-8", raw_file(HEADER.encode() + b"\n2025-06,US,\xff\n"),
         "bad.csv: not a readable UTF-8 CSV file ('utf-8' codec can't decode byte 0xff in "
         "position 0: invalid start byte)",
         "bad.csv：不是可读取的 UTF-8 CSV 文件（'utf-8' codec can't decode byte 0xff in position "
         "0: invalid start byte）"),
    # -- what is read at all -------------------------------------------------------------------
    Case("a link to nothing", special("dangling"),
         "bad.csv: a link to nothing; only regular files are read",
         "bad.csv：是指向不存在文件的链接；只读取普通文件"),
    Case("not found", lambda folder: caught(lambda: read_bytes(folder / "bad.csv")),
         "bad.csv: not found; only regular files are read",
         "bad.csv：找不到该文件；只读取普通文件"),
    Case("cannot be opened", special("loop"),
         "bad.csv: cannot be opened (Too many levels of symbolic links)",
         "bad.csv：无法打开（Too many levels of symbolic links）"),
    Case("a folder", special("folder"),
         "bad.csv: is a directory, not a data file",
         "bad.csv：是文件夹，不是数据文件"),
    Case("a FIFO", special("fifo"),
         "bad.csv: not a regular file (a FIFO, socket or device)",
         "bad.csv：不是普通文件（而是 FIFO、套接字或设备）"),
    Case("too large", raw_file(b"x" * 2000, lambda path: read_bytes(path, limit=1000)),
         "bad.csv: larger than 1,000 bytes; not read",
         "bad.csv：超过 1,000 字节，未读取"),
    # -- the folder ----------------------------------------------------------------------------
    Case("no folder", lambda folder: caught(lambda: load_folder(folder / "data")),
         "data: data folder not found",
         "data：找不到数据文件夹"),
    Case("no data files", in_folder(lambda data: None, load_folder),
         "data: no *.csv data files in the folder",
         "data：文件夹中没有 *.csv 数据文件"),
    Case("no magnets", in_folder(gallium_only, load_snapshot),
         "data: no figures of the 85051110 series",
         "data：没有 85051110 系列的数字"),
    Case("a bad description in the folder",
         in_folder(with_descriptions(DESCRIPTION.replace('"kg"', '"stone"')), load_folder),
         "series: s1.toml: unit 'stone' is not one of tonnes, kg",
         "series：s1.toml：unit 的值 'stone' 不是以下之一：tonnes、kg"),
    Case("still changing", settled_too_late,
         "magnets.csv: still changing after 0 s; it is read once it has been unchanged for 1 s",
         "magnets.csv：等待 0 秒后仍在变化；文件保持 1 秒不变后才会读取"),
    Case("changed while read", changed_while_read,
         "magnets.csv: changed while it was read",
         "magnets.csv：读取期间发生了变化"),
    Case("reload failed", reload_failed,
         "data: reload failed: RuntimeError('boom\\nin two lines')",
         "data：重新加载失败：RuntimeError('boom\\nin two lines')"),
    Case("an import record", import_record,
         "import.json: not a valid import record (Expecting property name enclosed in double "
         "quotes: line 1 column 2 (char 1))",
         "import.json：不是有效的导入记录（Expecting property name enclosed in double quotes: "
         "line 1 column 2 (char 1)）"),
    # -- the Chinese texts of notes and derivations ----------------------------------------------
    Case("a translation without its Chinese", translations("Reuters,\n"),
         "zh.csv, line 2: chinese is empty",
         "zh.csv，第2行：chinese 列为空"),
    Case("an English text twice", translations("Reuters,路透社\n", "Reuters,路透\n"),
         "zh.csv, line 3: 'Reuters' has a Chinese text already",
         "zh.csv，第3行：'Reuters' 已有中文文本"),
]  # fmt: skip
