"""Importing official files: both formats, partner mapping, the checks, the ledger, revisions
and the ``python -m bot data`` commands."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot import cli
from bot.config import Settings
from bot.data.dataset import COMTRADE_SERIES, CUSTOMS_SERIES, DataFileError
from bot.data.importers import read_import
from bot.data.ledger import imports_folder, load_imported, record_import, records
from bot.datastore import DataStore, load_snapshot
from bot.lookup import Lookup, MonthAnswer
from bot.render.sources import sources
from tests.conftest import DATA_DIR, TODAY
from tests.imports import (
    COMTRADE_HEADER,
    COMTRADE_ROWS,
    CUSTOMS_HEADER,
    CUSTOMS_ROWS,
    comtrade_text,
    customs_text,
    write,
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def do_import(data_dir: Path, path: Path, skip_unmapped: bool = False) -> None:
    record_import(data_dir, read_import(path, data_dir, TODAY, skip_unmapped))


def values(data_dir: Path, series: str = CUSTOMS_SERIES) -> dict[tuple[str, str, str], float]:
    return {
        (f.period, f.partner, f.metric): f.value
        for f in load_imported(data_dir)
        if f.series == series
    }


# -- the two formats ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_customs_export_in_any_of_its_encodings_becomes_tonnes_and_dollars(
    data_dir: Path, tmp_path: Path, encoding: str
) -> None:
    path = write(tmp_path, "customs-2025-06.csv", customs_text(), encoding)
    do_import(data_dir, path)
    got = values(data_dir)
    assert got[("2025-06", "US", "tonnes")] == 353.48  # 353,480 kg, exactly
    assert got[("2025-06", "US", "usd")] == 12_345_678
    assert got[("2025-06", "DE", "tonnes")] == 1000.5
    assert got[("2025-06", "HK", "tonnes")] == 2.5  # 中国香港, from the mapping table
    (record,) = records(data_dir)
    assert record.format == "customs" and record.series == CUSTOMS_SERIES
    assert len(record.sha256) == 64 and record.imported_at.startswith("20")
    assert record.added == 6 and record.periods == ("2025-06",)


def test_official_customs_figures_win_over_press_reports_and_keep_them_as_alternates(
    data_dir: Path, tmp_path: Path
) -> None:
    do_import(data_dir, write(tmp_path, "customs.csv", customs_text()))
    lookup = Lookup(load_snapshot(data_dir), lambda: TODAY)
    answer = lookup.exports("US 2025-06")
    assert isinstance(answer, MonthAnswer) and answer.metrics.tonnes is not None
    assert answer.metrics.tonnes.value == 353.48
    text = "\n".join(sources(answer))
    assert "China Customs statistics (GACC query platform): customs.csv" in text
    assert "official statistics before press reports" in text
    assert "353 t (reported)" in text  # Reuters' figure, kept as an alternate


def test_a_customs_file_split_by_province_is_summed_per_partner(
    data_dir: Path, tmp_path: Path
) -> None:
    header = CUSTOMS_HEADER.replace("贸易伙伴名称,", "贸易伙伴名称,注册地编码,注册地名称,")
    rows = [
        "202506,85051110,稀土永磁铁,502,美国,32,浙江省,300000,千克,,,1000",
        "202506,85051110,稀土永磁铁,502,美国,36,山西省,53480,千克,,,2000",
    ]
    do_import(data_dir, write(tmp_path, "by-province.csv", customs_text(rows, header)))
    assert values(data_dir)[("2025-06", "US", "tonnes")] == 353.48
    (figure,) = [f for f in load_imported(data_dir) if f.metric == "tonnes"]
    assert "sum of rows by 注册地编码, 注册地名称" in figure.note


def test_comtrade_is_a_separate_labelled_series_never_mixed_with_customs(
    data_dir: Path, tmp_path: Path
) -> None:
    before = Lookup(load_snapshot(data_dir), lambda: TODAY).exports("US 2025-06")
    do_import(data_dir, write(tmp_path, "comtrade.csv", comtrade_text()))
    snapshot = load_snapshot(data_dir)
    customs = Lookup(snapshot, lambda: TODAY).exports("US 2025-06")
    assert isinstance(before, MonthAnswer) and isinstance(customs, MonthAnswer)
    assert customs.metrics.tonnes is not None and before.metrics.tonnes is not None
    assert customs.metrics.tonnes.value == before.metrics.tonnes.value == 353
    got = values(data_dir, COMTRADE_SERIES)
    assert got[("2025-06", "US", "tonnes")] == 412  # partner 842, UN M49's USA
    assert got[("2025-06", "WORLD", "tonnes")] == 5200
    assert ("2025-06", "IN", "tonnes") not in got  # empty netWgt: unknown, not zero
    assert got[("2025-06", "IN", "usd")] == 9_000_000
    germany = next(f for f in load_imported(data_dir) if f.partner == "DE" and f.metric == "tonnes")
    assert germany.reliability == "low" and "estimated by UN Comtrade" in germany.note
    (record,) = records(data_dir)
    assert record.skipped == (
        "line 6: partner Areas, nes (899) (UN Comtrade's Areas, nes: not a country, not imported)",
    )
    comtrade = Lookup(snapshot, lambda: TODAY, COMTRADE_SERIES).exports("US 2025-06")
    assert isinstance(comtrade, MonthAnswer) and comtrade.series == COMTRADE_SERIES
    assert comtrade.metrics.share_pct == pytest.approx(412 / 5200 * 100)


def test_an_unmapped_partner_is_reported_and_can_be_left_out_on_request(
    data_dir: Path, tmp_path: Path
) -> None:
    rows = [*CUSTOMS_ROWS, "202506,85051110,稀土永磁铁,999,某某国,1000,千克,,,10"]
    path = write(tmp_path, "customs.csv", customs_text(rows))
    with pytest.raises(DataFileError) as caught:
        do_import(data_dir, path)
    assert "line 5" in str(caught.value) and "某某国" in str(caught.value)
    assert "data/mappings/partners.csv" in str(caught.value)
    assert not records(data_dir)
    do_import(data_dir, path, skip_unmapped=True)
    (record,) = records(data_dir)
    assert record.skipped == ("line 5: 贸易伙伴 某某国 (999) (unmapped)",)


def test_the_mapping_table_teaches_a_new_partner_name(data_dir: Path, tmp_path: Path) -> None:
    table = data_dir / "mappings" / "partners.csv"
    table.write_text(table.read_text(encoding="utf-8") + "某某国,DE,test alias\n", encoding="utf-8")
    rows = ["202506,85051110,稀土永磁铁,999,某某国,1000,千克,,,10"]
    do_import(data_dir, write(tmp_path, "customs.csv", customs_text(rows)))
    assert values(data_dir)[("2025-06", "DE", "tonnes")] == 1


# -- the checks: at least 15 kinds of malformed file, each rejected whole --------------------

C = CUSTOMS_ROWS[0]
T = COMTRADE_ROWS[1]
MALFORMED: list[tuple[str, str | bytes, int | None, str]] = [
    ("binary", b"\xff\xfe\x00\x01\xff garbage", None, "not text in UTF-8 or GBK"),
    ("excel", b"PK\x03\x04 a zipped workbook", None, "save the sheet as CSV"),
    ("old excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 workbook", None, "save the sheet as CSV"),
    ("column twice", customs_text([C + ",1"], CUSTOMS_HEADER + ",美元"), 1, "named twice: 美元"),
    ("empty", b"", None, "the file is empty"),
    ("header only", CUSTOMS_HEADER + "\n", 2, "no data rows"),
    ("unknown layout", "a,b,c\n1,2,3\n", 1, "not a China customs export"),
    (
        "missing column",
        customs_text([C]).replace("第一数量", "数量"),
        1,
        "missing column(s): 第一数量",
    ),
    ("no value column", customs_text([C]).replace(",美元", ",其他"), 1, "美元 (US dollars)"),
    ("ragged row", customs_text([C, C + ",extra"]), 3, "11 fields where the header has 10"),
    ("non-numeric quantity", customs_text([C.replace('"353,480"', "n/a")]), 2, "'n/a' is not"),
    ("negative quantity", customs_text([C.replace('"353,480"', "-5")]), 2, "-5 is negative"),
    ("bad separators", customs_text([C.replace('"353,480"', '"353.480,5"')]), 2, "not a number"),
    ("empty quantity", customs_text([C.replace('"353,480"', "")]), 2, "'empty' is not a number"),
    ("bad month", customs_text([C.replace("202506", "2025-13")]), 2, "not a month"),
    ("future month", customs_text([C.replace("202506", "202701")]), 2, "in the future"),
    ("wrong product", customs_text([C.replace("85051110", "85051190")]), 2, "is not 85051110"),
    ("wrong unit", customs_text([C.replace("千克", "个")]), 2, "is not 千克 (kg) or 吨"),
    (
        "imports not exports",
        customs_text([C + ",进口"], CUSTOMS_HEADER + ",进出口"),
        2,
        "is not 出口 (exports)",
    ),
    ("duplicate row", customs_text([C, CUSTOMS_ROWS[1], C]), 4, "repeats line 2"),
    ("wrong reporter", comtrade_text([T.replace(",156,CHN,", ",842,USA,")]), 2, "(China)"),
    ("wrong flow", comtrade_text([T.replace(",X,", ",M,")]), 2, "flowCode 'M' is not X"),
    ("annual data", comtrade_text([T.replace("C,M,", "C,A,")]), 2, "freqCode 'A' is not M"),
    ("wrong commodity", comtrade_text([T.replace("850511", "850519")]), 2, "is not 850511"),
    ("period mismatch", comtrade_text([T.replace("2025,6,", "2025,7,")]), 2, "does not match"),
    ("breakdown rows", comtrade_text([T.replace("C00,0,", "C00,2100,")]), 2, "is a breakdown"),
    ("duplicate partner", comtrade_text([T, T]), 3, "repeats line 2"),
    (
        "missing netWgt",
        comtrade_text([T], COMTRADE_HEADER.replace("netWgt", "weight")),
        1,
        "missing column(s): netWgt",
    ),
]


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_a_malformed_file_is_rejected_with_file_line_and_reason_and_changes_nothing(
    data_dir: Path, tmp_path: Path, content: str | bytes, line: int | None, reason: str
) -> None:
    served = DataStore(data_dir)
    version = served.current.version
    path = write(tmp_path, "bad.csv", content)
    code, report = cli_import(data_dir, path)
    assert code == 1
    assert report.startswith("Import rejected, nothing changed: bad.csv")
    assert (f"bad.csv, line {line}:" if line else "bad.csv:") in report
    assert reason in report
    assert not records(data_dir)
    assert served.reload() is None and served.current.version == version


def test_there_are_at_least_fifteen_kinds_of_malformed_file() -> None:
    assert len(MALFORMED) >= 15


def cli_import(data_dir: Path, path: Path) -> tuple[int, str]:
    from bot.data.ops import import_file

    return import_file(Settings(data_dir=data_dir), path, TODAY)


# -- the ledger: all or nothing, repeats, revisions -------------------------------------------


def test_an_interrupted_import_leaves_the_served_data_as_it_was(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = DataStore(data_dir)
    version = served.current.version
    batch = read_import(write(tmp_path, "customs.csv", customs_text()), data_dir, TODAY)

    def power_cut(*_args: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "rename", power_cut)
    with pytest.raises(OSError):
        record_import(data_dir, batch)
    monkeypatch.undo()
    assert list(imports_folder(data_dir).glob(".tmp-*"))  # the half-written import
    assert served.reload() is None and served.current.version == version
    outcome = record_import(data_dir, batch)  # the next import clears it and succeeds
    assert outcome.record.number == 1 and not list(imports_folder(data_dir).glob(".tmp-*"))


def test_the_same_file_twice_is_recorded_once(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "customs.csv", customs_text())
    do_import(data_dir, path)
    code, report = cli_import(data_dir, path)
    assert code == 0 and "already imported as import 1" in report
    assert len(records(data_dir)) == 1


def test_a_changed_figure_is_a_revision_that_keeps_the_old_value(
    data_dir: Path, tmp_path: Path
) -> None:
    do_import(data_dir, write(tmp_path, "june.csv", customs_text()))
    revised = [
        C.replace('"353,480"', '"360,000"').replace('"12,345,678"', '"12,400,000"'),
        *CUSTOMS_ROWS[1:],
    ]
    code, report = cli_import(data_dir, write(tmp_path, "june-revised.csv", customs_text(revised)))
    assert code == 0
    assert "0 new, 2 revised, 4 unchanged" in report
    assert "Revised: US 2025-06 tonnes: 353.48 → 360" in report
    assert "Revised: US 2025-06 usd: 12,345,678 → 12,400,000" in report
    (us,) = [f for f in load_imported(data_dir) if f.partner == "US" and f.metric == "tonnes"]
    assert us.value == 360
    assert [(r.value, r.imported[:22]) for r in us.history] == [(353.48, "import 1 (june.csv, 20")]
    answer = Lookup(load_snapshot(data_dir), lambda: TODAY).exports("US 2025-06")
    text = "\n".join(sources(answer))
    assert "Revised: 353.5 t (import 1 (june.csv, " in text and "→ 360 t now" in text
    assert len(records(data_dir)) == 2  # both imports stay on record


# -- the command line ---------------------------------------------------------------------------


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_data_import_and_imports_on_the_command_line(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(tmp_path, "customs-2025-06.csv", customs_text())
    code, out, _err = run_cli(monkeypatch, capsys, data_dir, "data", "import", str(path))
    assert code == 0 and out.startswith("Imported customs-2025-06.csv as import 1")
    code, out, _err = run_cli(monkeypatch, capsys, data_dir, "data", "imports")
    assert code == 0 and "customs-2025-06.csv" in out and "6 figures (6 new, 0 revised)" in out
    bad = write(tmp_path, "bad.csv", customs_text([C.replace("千克", "个")]))
    code, out, err = run_cli(monkeypatch, capsys, data_dir, "data", "import", str(bad))
    assert code == 1 and out == "" and "bad.csv, line 2: 第一计量单位 '个'" in err


def test_a_long_file_shows_a_progress_line(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    partners = ["美国", "德国", "日本", "韩国", "印度", "越南", "泰国", "墨西哥", "巴西", "法国"]
    rows = [
        f"{year}{month:02d},85051110,稀土永磁铁,1,{name},1000,千克,,,10"
        for year in range(2006, 2026)
        for month in range(1, 13)
        for name in partners
    ]
    path = write(tmp_path, "history.csv", customs_text(rows))
    code, out, err = run_cli(monkeypatch, capsys, data_dir, "data", "import", str(path))
    assert code == 0 and "2400 figures" not in out and "4800 figures" in out
    assert "checking history.csv: 1,000 of 2,400 rows" in err
    assert err.rstrip().endswith("2,400 of 2,400 rows")


def test_partners_map_from_codes_m49_numbers_and_english_or_chinese_names() -> None:
    from bot.data.partner_map import SKIP, PartnerTable

    table = PartnerTable.load(DATA_DIR)
    assert table.by_code("842", numeric_is_m49=True).code == "US"  # type: ignore[union-attr]
    assert table.by_code("276", numeric_is_m49=True).code == "DE"  # type: ignore[union-attr]
    assert table.by_code("DEU", numeric_is_m49=False).code == "DE"  # type: ignore[union-attr]
    assert table.by_code("899", numeric_is_m49=True).code == SKIP  # type: ignore[union-attr]
    assert table.by_code("304", numeric_is_m49=False) is None  # a customs code is not M49
    for name, code in [
        ("Germany", "DE"),
        ("Republic of Korea", "KR"),
        ("德国", "DE"),
        ("大韩民国", "KR"),
        ("中国台湾", "TW"),
        ("Viet Nam", "VN"),
    ]:
        assert table.by_name(name).code == code, name  # type: ignore[union-attr]
    assert table.by_name("中国").code == SKIP  # type: ignore[union-attr]  # re-imports
    assert table.by_name("Germny") is None  # nothing approximate
