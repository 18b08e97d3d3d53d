"""Every problem an official file (China customs, UN Comtrade+) or the partners' mapping table
can have, built from a bad file, with what it says in English (the command line's ``Import
rejected, nothing changed: …``) and in Chinese. See ``tests/loader_problems.py``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.data.importers import read_import
from bot.data.partner_map import PartnerTable
from tests.conftest import DATA_DIR, TODAY
from tests.imports import (
    COMTRADE_HEADER,
    COMTRADE_ROWS,
    CUSTOMS_HEADER,
    CUSTOMS_ROWS,
    comtrade_text,
    customs_text,
)
from tests.loader_problems import Case, Error, caught

C = CUSTOMS_ROWS[0]
T = COMTRADE_ROWS[1]
SKIPPED = COMTRADE_ROWS[4]  # "Areas, nes": not a destination


def official(content: str | bytes) -> Callable[[Path], Error]:
    """``bad.csv`` of ``content``, imported against the project's mapping table."""

    def make(folder: Path) -> Error:
        path = folder / "bad.csv"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return caught(lambda: read_import(path, DATA_DIR, TODAY))

    return make


def unreadable(folder: Path) -> Error:
    (folder / "bad.csv").mkdir()
    return caught(lambda: read_import(folder / "bad.csv", DATA_DIR, TODAY))


def mapping(text: str) -> Callable[[Path], Error]:
    def make(folder: Path) -> Error:
        (folder / "mappings").mkdir()
        (folder / "mappings" / "partners.csv").write_text(text, encoding="utf-8")
        return caught(lambda: PartnerTable.load(folder))

    return make


def customs(*rows: str, header: str = CUSTOMS_HEADER) -> Callable[[Path], Error]:
    return official(customs_text(list(rows), header))


def comtrade(*rows: str, header: str = COMTRADE_HEADER) -> Callable[[Path], Error]:
    return official(comtrade_text(list(rows), header))


UNMAPPED = "202506,85051110,稀土永磁铁,999,某某国,1000,千克,,,10"
ALSO_UNMAPPED = "202506,85051110,稀土永磁铁,998,某某岛,1000,千克,,,10"
LONG = "x" * 140_000  # longer than the csv module's field limit
CASES: list[Case] = [
    Case("binary", official(b"\xff\xfe\x00\x01\xff garbage"),
         "bad.csv: not text in UTF-8 or GBK",
         "bad.csv：不是 UTF-8 或 GBK 编码的文本"),
    Case("a workbook", official(b"PK\x03\x04 a zipped workbook"),
         "bad.csv: an Excel or zip file; save the sheet as CSV first",
         "bad.csv：这是 Excel 或 zip 文件；请先将表格另存为 CSV"),
    Case("NUL bytes", official("数据年月,商品编码\n202506,\x00\n"),
         "bad.csv: not a text file (it contains NUL bytes)",
         "bad.csv：不是文本文件（含有 NUL 字节）"),
    Case("empty", official(b""),
         "bad.csv: the file is empty",
         "bad.csv：文件为空"),
    Case("a column twice", customs(C + ",1", header=CUSTOMS_HEADER + ",美元"),
         "bad.csv, line 1: column(s) named twice: 美元",
         "bad.csv，第1行：列名重复：美元"),
    Case("a ragged row", customs(C, C + ",extra"),
         "bad.csv, line 3: 11 fields where the header has 10",
         "bad.csv，第3行：有 11 个字段，而表头有 10 个"),
    Case("not CSV", official(f'{CUSTOMS_HEADER}\n202506,"{LONG}"\n'),
         "bad.csv, line 2: not valid CSV (field larger than field limit (131072))",
         "bad.csv，第2行：不是有效的 CSV（field larger than field limit (131072)）"),
    Case("header only", official(CUSTOMS_HEADER + "\n"),
         "bad.csv, line 2: the header is there but no data rows follow",
         "bad.csv，第2行：只有表头，没有数据行"),
    Case("an unknown layout", official("a,b,c\n1,2,3\n"),
         "bad.csv, line 1: not a China customs export (数据年月, 商品编码, …) nor a UN Comtrade+ "
         "CSV (typeCode, freqCode, …)",
         "bad.csv，第1行：既不是中国海关导出文件（含 数据年月、商品编码 等列），"
         "也不是 UN Comtrade+ CSV 文件（含 typeCode、freqCode 等列）"),
    Case("a missing column", customs(C, header=CUSTOMS_HEADER.replace("第一数量", "数量")),
         "bad.csv, line 1: missing column(s): 第一数量",
         "bad.csv，第1行：缺少列：第一数量"),
    Case("no value column", customs(C[:-13], header=CUSTOMS_HEADER[:-3]),
         "bad.csv, line 1: missing column: 美元 (US dollars) or 人民币 (yuan)",
         "bad.csv，第1行：缺少金额列：美元或人民币"),
    Case("not a number", customs(C.replace('"353,480"', "n/a")),
         "bad.csv, line 2: 第一数量 'n/a' is not a number",
         "bad.csv，第2行：第一数量 列的值 'n/a' 不是数字"),
    Case("no number", customs(C.replace('"353,480"', "")),
         "bad.csv, line 2: 第一数量 'empty' is not a number",
         "bad.csv，第2行：第一数量 列为空，不是数字"),
    Case("negative", customs(C.replace('"353,480"', "-5")),
         "bad.csv, line 2: 第一数量 -5 is negative",
         "bad.csv，第2行：第一数量 列的值 -5 为负数"),
    Case("a bad month", customs(C.replace("202506", "2025-13")),
         "bad.csv, line 2: 数据年月 '2025-13' is not a month such as 202506 or 2025年06月",
         "bad.csv，第2行：数据年月 列的值 '2025-13' 不是 202506 或 2025年06月 这样的月份"),
    Case("a future month", customs(C.replace("202506", "202701")),
         "bad.csv, line 2: 数据年月 202701 is in the future",
         "bad.csv，第2行：数据年月 列的值 202701 是未来的月份"),
    Case("another product", customs(C.replace("85051110", "85051190")),
         "bad.csv, line 2: 商品编码 '85051190' is not 85051110",
         "bad.csv，第2行：商品编码 列的值 '85051190' 不是 85051110"),
    Case("another unit", customs(C.replace("千克", "个")),
         "bad.csv, line 2: 第一计量单位 '个' is not 千克 (kg) or 吨",
         "bad.csv，第2行：第一计量单位 列的值 '个' 不是“千克”或“吨”"),
    Case("imports", customs(C + ",进口", header=CUSTOMS_HEADER + ",进出口"),
         "bad.csv, line 2: 进出口 '进口' is not 出口 (exports)",
         "bad.csv，第2行：进出口 列的值 '进口' 不是“出口”"),
    Case("a row twice", customs(C, CUSTOMS_ROWS[1], C),
         "bad.csv, line 4: repeats line 2 (same month and partner)",
         "bad.csv，第4行：与第2行重复（同一月份、同一贸易伙伴）"),
    Case("unmapped partners", customs(*CUSTOMS_ROWS, UNMAPPED, ALSO_UNMAPPED),
         "bad.csv, line 5: unmapped partner(s): 贸易伙伴 某某国 (999) (line 5); "
         "贸易伙伴 某某岛 (998) (line 6). Add them to data/mappings/partners.csv, or import with "
         "--skip-unmapped to leave them out",
         "bad.csv，第5行：无法对应的贸易伙伴：贸易伙伴 某某国（999）（第5行）；"
         "贸易伙伴 某某岛（998）（第6行）。"
         "请将其加入 data/mappings/partners.csv，或导入时加上 --skip-unmapped 以略过它们"),
    Case("goods", comtrade(T.replace("C,M,", "S,M,")),
         "bad.csv, line 2: typeCode 'S' is not C (goods)",
         "bad.csv，第2行：typeCode 列的值 'S' 不是 C（货物）"),
    Case("monthly", comtrade(T.replace("C,M,", "C,A,")),
         "bad.csv, line 2: freqCode 'A' is not M (monthly)",
         "bad.csv，第2行：freqCode 列的值 'A' 不是 M（月度）"),
    Case("China", comtrade(T.replace(",156,CHN,", ",842,USA,")),
         "bad.csv, line 2: reporterCode '842' is not 156 (China)",
         "bad.csv，第2行：reporterCode 列的值 '842' 不是 156（中国）"),
    Case("exports", comtrade(T.replace(",X,", ",M,")),
         "bad.csv, line 2: flowCode 'M' is not X (exports)",
         "bad.csv，第2行：flowCode 列的值 'M' 不是 X（出口）"),
    Case("another commodity", comtrade(T.replace("850511", "850519")),
         "bad.csv, line 2: cmdCode '850519' is not 850511",
         "bad.csv，第2行：cmdCode 列的值 '850519' 不是 850511"),
    Case("a breakdown", comtrade(T.replace("C00,0,", "C00,2100,")),
         "bad.csv, line 2: motCode '2100' is a breakdown; download totals (0)",
         "bad.csv，第2行：motCode 列的值 '2100' 是细分数据；请下载合计数据（0）"),
    Case("a period mismatch", comtrade(T.replace("2025,6,", "2025,7,")),
         "bad.csv, line 2: period '202506' does not match refYear '2025', refMonth '7'",
         "bad.csv，第2行：period 列的值 '202506' 与 refYear '2025'、refMonth '7' 不符"),
    Case("an unmapped Comtrade partner", comtrade(T.replace(",842,USA,USA,", ",999,,Atlantis,")),
         "bad.csv, line 2: unmapped partner(s): partner Atlantis (999) (line 2). Add them to "
         "data/mappings/partners.csv, or import with --skip-unmapped to leave them out",
         "bad.csv，第2行：无法对应的贸易伙伴：贸易伙伴 Atlantis（999）（第2行）。请将其加入 "
         "data/mappings/partners.csv，或导入时加上 --skip-unmapped 以略过它们"),
    Case("nothing to import", comtrade(SKIPPED),
         "bad.csv: no figures left to import",
         "bad.csv：没有可导入的数字"),
    Case("unreadable", unreadable,
         "bad.csv: cannot be read (Is a directory)",
         "bad.csv：无法读取（Is a directory）"),
    Case("a mapping's columns", mapping("code,partner\n842,US\n"),
         "partners.csv, line 1: needs the columns key, partner and note",
         "partners.csv，第1行：需要 key、partner 和 note 三列"),
    Case("a mapping's partner", mapping("key,partner,note\n842,USA,\n"),
         "partners.csv, line 2: partner 'USA' is not an ISO 2 code or -",
         "partners.csv，第2行：partner 列的值 'USA' 既不是 ISO 两字母代码，也不是 -"),
]  # fmt: skip
