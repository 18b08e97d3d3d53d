"""The series descriptions (``data/series/*.toml``): each loads and gives its series' unit and
ceilings, kg figures stay kg, a bad description or a row that breaks its series' rules is
refused naming the file, a data folder may bring its own descriptions, and a changed
description is a new data version against which the files are checked again."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from bot.data.dataset import COLUMNS, CUSTOMS_SERIES, DataFileError, Figure, parse_row
from bot.data.series import (
    PROJECT_SERIES_DIR,
    SeriesError,
    load_catalog,
    project_catalog,
    read_description,
)
from bot.data.table import load_folder, load_table
from bot.datastore import DataChanges, DataStore, Snapshot, folder_version
from bot.lookup import Lookup
from bot.metrics import WORLD, Metrics
from bot.reading.partners import partner
from bot.reading.periods import Period
from bot.render.answers import exports
from bot.render.format import sourced_tonnes, tonnes_change, value_line
from bot.render.telegram_html import to_plain
from tests.conftest import DATA_DIR, TODAY
from tests.test_data_trust import FakeClock, settled_copy, store_for, written

#: Each series and its unit, as issue 14 gives them.
UNITS = {
    CUSTOMS_SERIES: "tonnes",
    "rare_earths": "tonnes",
    "gallium": "kg",
    "germanium": "kg",
    "antimony": "tonnes",
    "graphite": "tonnes",
    "tungsten": "tonnes",
    "dysprosium": "kg",
    "terbium": "kg",
    "HS850511": "tonnes",
}
MATERIALS = [key for key in UNITS if key != "HS850511"]
KG_SERIES = [key for key, unit in UNITS.items() if unit == "kg"]
HEADER = ",".join(["series", *COLUMNS])
#: A quantity in tonnes, as the renderers write it ("3,188 t", "≈5,150 t", "200+ t").
IN_TONNES = re.compile(r"\d\+? t(?![A-Za-z])")
IN_KG = re.compile(r"\d\+? kg(?![A-Za-z])")


def minerals_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "critical_minerals.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


# -- the project's descriptions ------------------------------------------------------------


def test_every_description_loads_with_the_unit_of_its_series() -> None:
    described = [read_description(path) for path in sorted(PROJECT_SERIES_DIR.glob("*.toml"))]
    assert {info.key: info.unit for info in described} == UNITS
    catalog = project_catalog()
    assert catalog.keys[0] == CUSTOMS_SERIES  # listed first: the default
    assert [info.key for info in catalog.materials] == [k for k in catalog.keys if k != "HS850511"]
    assert {info.key for info in catalog.materials} == set(MATERIALS)
    for info in described:
        assert info.name and info.name_zh and info.description
        assert catalog.find(info.name) == info and catalog.find(info.name_zh) == info


@pytest.mark.parametrize("key", MATERIALS)
def test_each_series_in_the_snapshot_has_its_descriptions_unit(
    snapshot: Snapshot, key: str
) -> None:
    metrics = snapshot.series[key]
    assert metrics.unit == metrics.info.unit == UNITS[key]
    assert metrics.info == snapshot.catalog[key]
    figures = metrics.figures
    assert {f.series for f in figures} == {key}
    metrics_found = {f.metric for f in figures}
    assert UNITS[key] in metrics_found and metrics_found <= set(metrics.info.metrics)
    assert not metrics_found & ({"tonnes", "kg"} - {UNITS[key]})  # never converted


def test_a_kg_figure_is_the_files_number_in_kg(snapshot: Snapshot) -> None:
    gallium = snapshot.series["gallium"]
    august = gallium.figure(WORLD, Period.month(2024, 8))
    assert august is not None and august.value == 11217 and august.metric == "kg"
    rows = [r for r in minerals_rows() if r["metric"] == "kg"]
    assert {r["series"] for r in rows} == set(KG_SERIES)
    for row in rows:
        found = snapshot.series[row["series"]].figure(
            row["partner"], Period.parse_code(row["period"]), "kg"
        )
        assert found is not None, row
        assert float(row["value"]) in [f.value for f in found.candidates], row
        if len(found.candidates) == 1:
            assert found.value == float(row["value"]), row
    assert not any(
        snapshot.series[key].figure(WORLD, Period.month(2024, 8), "tonnes") for key in KG_SERIES
    )


def test_a_kg_figure_renders_with_kg(snapshot: Snapshot) -> None:
    gallium = snapshot.series["gallium"]
    august = gallium.month(WORLD, Period.month(2024, 8))
    assert august.tonnes is not None and sourced_tonnes(august.tonnes) == "11,217 kg"
    assert august.mom is not None
    assert tonnes_change(august.tonnes.value - 11523, august.tonnes) == "-306 kg"
    # $2.18m from a page whose own 7,580 kg was rejected for Reuters' 5,150 kg: no $/kg
    july_2023 = gallium.month(WORLD, Period.month(2023, 7))
    assert july_2023.usd is not None and july_2023.tonnes is not None
    assert july_2023.usd_per_tonne is None
    why = july_2023.per_unit_why
    line = value_line(july_2023.usd, july_2023.usd_per_tonne, july_2023.tonnes, why)
    assert line.startswith(" (no value per kg: its source gives 7,580 kg for July 2023")
    total = gallium.total(WORLD, Period.parse_code("2024"))
    assert total.value is not None and sourced_tonnes(total.value) == "60,880 kg"


def test_a_total_not_used_says_why_in_kg() -> None:
    """A published total whose own source gives a month the chosen figure contradicts."""

    def kg(period: str, value: float, url: str, reliability: str = "normal") -> Figure:
        return Figure(
            period, WORLD, "kg", value, 0, "reported", reliability, url, f"https://{url}",
            "", "", "f.csv", 2, "gallium",
        )  # fmt: skip

    figures = [
        kg("2024-01", 1000, "a.org"),
        kg("2024-01", 1500, "b.org", "low"),
        kg("2024-02", 900, "a.org"),
        kg("2024-YTD02", 2400, "b.org"),
    ]
    total = Metrics(figures, info=project_catalog()["gallium"]).total(
        WORLD, Period.parse_code("2024-YTD02")
    )
    assert total.basis == "sum" and total.value is not None and total.value.value == 1900
    assert str(total.rejected_why) == (
        "its source counts January 2024 as 1,500 kg, where the sources' 1,000 kg is used"
    )


@pytest.mark.parametrize("key", KG_SERIES)
def test_a_kg_series_answer_states_kg_never_tonnes(snapshot: Snapshot, key: str) -> None:
    lookup = Lookup(snapshot, lambda: TODAY, key)
    latest = lookup.metrics.latest_month()
    assert latest is not None
    for period in (latest, Period.parse_code(str(latest.year))):
        text = "\n".join(to_plain(m) for m in exports(lookup.exports_for(partner(WORLD), period)))
        assert IN_KG.search(text), text
        assert not IN_TONNES.search(text), text


def test_tungsten_has_only_spans(snapshot: Snapshot) -> None:
    tungsten = snapshot.series["tungsten"]
    assert tungsten.latest_month() is None and tungsten.months_with_data(WORLD) == []
    assert tungsten.coverage.first_month == Period.month(2024, 1)
    assert tungsten.coverage.last_month == Period.month(2025, 11)
    lookup = Lookup(snapshot, lambda: TODAY, "tungsten")
    answer = lookup.exports_for(partner(WORLD), Period.parse_code("2024"))
    text = "\n".join(to_plain(m) for m in exports(answer))
    assert "China's exports of tungsten (APT), 2024" in text and "782 t" in text
    japan = lookup.exports_for(partner("JP"), Period.parse_code("2025-YTD11"))
    assert "138 t" in "\n".join(to_plain(m) for m in exports(japan))


# -- descriptions that break a rule ---------------------------------------------------------


def gallium_text() -> str:
    return (PROJECT_SERIES_DIR / "gallium.toml").read_text(encoding="utf-8")


BAD_DESCRIPTIONS = [
    ('unit = "kg"\n', "", "gallium.toml: unit missing"),
    ("ceiling]", "limits]", "gallium.toml: ceiling missing"),
    ('unit = "kg"', 'unit = "lb"', "gallium.toml: unit 'lb' is not one of tonnes, kg"),
    ('release = "detail"', 'release = "monthly"', "gallium.toml: release 'monthly' is not"),
    ("kg = 1_000_000", "kg = -5", "gallium.toml: ceiling kg = -5 is not a positive"),
    ("kg = 1_000_000", "kg = 0", "gallium.toml: ceiling kg = 0 is not a positive"),
    ("kg = 1_000_000", "kg = nan", "gallium.toml: ceiling kg = nan is not a positive"),
    ("kg = 1_000_000", "kg = inf", "gallium.toml: ceiling kg = inf is not a positive"),
    ("kg = 1_000_000", 'kg = "lots"', "gallium.toml: ceiling kg = 'lots' is not a positive"),
    ("kg = 1_000_000", "kg = true", "gallium.toml: ceiling kg = True is not a positive"),
    ("kg = 1_000_000", "tonnes = 1_000", "gallium.toml: [ceiling] must give a month's kg"),
    ("usd = ", "tonnes = 5\nusd = ", "gallium.toml: ceiling tonnes = 5 is not a positive kg"),
    ('key = "gallium"', 'key = ""', "gallium.toml: key is empty"),
    ('name = "gallium"', 'name = "  "', "gallium.toml: name is empty"),
    ('controlled_since = "2023-08"', 'controlled_since = "Aug 2023"', "gallium.toml: controlled_"),
    ('controlled_since = "2023-08"', 'controlled_since = "2023"', "gallium.toml: controlled_"),
    ('words = ["gallium"', 'words = "gallium" #', "gallium.toml: words must be a list"),
    ('key = "gallium"', 'key = "gallium', "gallium.toml: "),  # not TOML
    ('marker = "wrought gallium"', "", "gallium.toml: [narrower_scope] needs a marker"),
    ('key = "gallium"', 'key = "gal-lium"', "gallium.toml: key 'gal-lium' must be 1 to 24"),
    ('key = "gallium"', 'key = "digest"', "gallium.toml: key 'digest' must be 1 to 24"),
    ('key = "gallium"', f'key = "{"g" * 25}"', "gallium.toml: key 'ggggg"),
    ("order = 3", 'order = "3"', "gallium.toml: order must be a whole number"),
    ("order = 3", "order = 3\nreference = 'false'", "gallium.toml: reference must be true or"),
    ('unit = "kg"', 'unit = "kg"\nunti = "kg"', "gallium.toml: unti: not a field"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_DESCRIPTIONS)
def test_a_bad_description_is_refused_naming_its_file(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = gallium_text()
    assert old in text
    path = tmp_path / "gallium.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SeriesError) as error:
        read_description(path)
    assert str(error.value).startswith(message)


def series_copy(tmp_path: Path) -> Path:
    """A copy of ``data/`` with its own copy of the descriptions."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


@pytest.mark.parametrize(("old", "new", "message"), BAD_DESCRIPTIONS[:4])
def test_a_data_folder_with_a_bad_description_is_refused(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    folder = series_copy(tmp_path)
    (folder / "series" / "gallium.toml").write_text(gallium_text().replace(old, new, 1))
    with pytest.raises(DataFileError) as error:
        DataStore(folder)
    assert str(error.value).startswith(f"series: {message}")


def test_a_key_described_twice_is_refused_naming_both_files(tmp_path: Path) -> None:
    folder = series_copy(tmp_path)
    shutil.copy(folder / "series" / "gallium.toml", folder / "series" / "metal.toml")
    with pytest.raises(SeriesError) as error:
        load_catalog(folder)
    assert "metal.toml: key 'gallium' is already described in gallium.toml" in str(error.value)
    with pytest.raises(DataFileError) as refused:
        DataStore(folder)
    assert str(refused.value).startswith("series: metal.toml: key 'gallium' is already described")


# -- rows that break their series' rules ------------------------------------------------------

ROW_TAIL = "reported,normal,Some report,https://example.org/a,,"
GOOD_ROW = f"gallium,2024-08,WORLD,kg,11217,{ROW_TAIL}"


@pytest.mark.parametrize(
    ("header", "row", "problem"),
    [
        (HEADER, f"lithium,2024-08,WORLD,tonnes,5,{ROW_TAIL}", "series 'lithium' is not described"),
        (HEADER, f"gallium,2024-08,WORLD,tonnes,11,{ROW_TAIL}", "metric 'tonnes' is not one of"),
        (HEADER, f"gallium,2024-08,WORLD,tonnes_monthly_avg,1,{ROW_TAIL}", "metric 'tonnes_mo"),
        (HEADER, f"rare_earths,2024-08,WORLD,kg,5,{ROW_TAIL}", "metric 'kg' is not one of"),
        (HEADER, f"{CUSTOMS_SERIES},2024-08,US,kg,5,{ROW_TAIL}", "metric 'kg' is not one of"),
        (",".join(COLUMNS), f"2024-08,US,kg,5,{ROW_TAIL}", "metric 'kg' is not one of"),
    ],
)
def test_a_row_against_its_series_is_refused_the_same_both_ways(
    tmp_path: Path, header: str, row: str, problem: str
) -> None:
    good = GOOD_ROW if header == HEADER else f"2024-08,US,tonnes,669,{ROW_TAIL}"
    path = tmp_path / "figures.csv"
    path.write_text(f"{header}\n{good}\n{row}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as by_column:
        load_table(path)
    record = dict(zip(header.split(","), next(csv.reader([row])), strict=True))
    with pytest.raises(DataFileError) as by_row:
        parse_row(path, 3, record)
    assert str(by_column.value) == str(by_row.value)
    assert str(by_column.value).startswith(f"figures.csv, line 3: {problem}")


def one_row(tmp_path: Path, series: str, metric: str, period: str, value: float) -> Path:
    path = tmp_path / f"{series}-{period}.csv"
    row = f"{series},{period},WORLD,{metric},{value:.0f},{ROW_TAIL}"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("key", MATERIALS)
@pytest.mark.parametrize("period", ["2025-06", "2024", "2025-YTD11"])
def test_each_series_ceiling_is_its_descriptions(tmp_path: Path, key: str, period: str) -> None:
    info = project_catalog()[key]
    month = dict(info.ceilings)[info.unit]
    top = month * len(Period.parse_code(period).months())
    assert info.ceiling(info.unit, period) == top
    assert len(load_table(one_row(tmp_path, key, info.unit, period, top))) == 1
    with pytest.raises(DataFileError, match=f"line 2: value {top + 1:.0f} is above {top:,.0f}"):
        load_table(one_row(tmp_path, key, info.unit, period, top + 1))


@pytest.mark.parametrize(
    ("key", "metric", "accepted"),
    [("gallium", "kg", True), ("rare_earths", "tonnes", False), ("graphite", "tonnes", True)],
)
def test_the_same_number_is_judged_by_each_series_ceiling(
    tmp_path: Path, key: str, metric: str, accepted: bool
) -> None:
    path = one_row(tmp_path, key, metric, "2025-06", 150_000)  # 150 t of gallium; 150,000 t
    if accepted:
        assert load_table(path)["value"].tolist() == [150_000]
    else:
        with pytest.raises(DataFileError, match="above 100,000, more tonnes than any 2025-06"):
            load_table(path)


def test_a_word_naming_two_series_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "series"
    shutil.copytree(DATA_DIR / "series", folder)
    germanium = folder / "germanium.toml"
    germanium.write_text(germanium.read_text().replace('"锗",', '"锗", "镓",'))
    with pytest.raises(SeriesError, match="'镓' also names the series of"):
        load_catalog(tmp_path)


def test_the_project_descriptions_a_folder_uses_are_part_of_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data folder without its own series/ is described by the project's: editing one of
    those changes the data version (and so the snapshot kept between starts)."""
    folder = series_copy(tmp_path)
    shutil.rmtree(folder / "series")
    project = tmp_path / "project-series"
    shutil.copytree(DATA_DIR / "series", project)
    monkeypatch.setattr("bot.datastore.PROJECT_SERIES_DIR", project)
    before = folder_version(folder)
    gallium = project / "gallium.toml"
    gallium.write_text(gallium.read_text().replace('name = "gallium"', 'name = "gallium metal"'))
    assert folder_version(folder) != before


# -- a data folder's own descriptions ------------------------------------------------------

LITHIUM = """key = "lithium"
name = "lithium carbonate"
name_zh = "碳酸锂"
unit = "tonnes"
description = "A series added as data: its figures and this description."
release = "detail"

[ceiling]
tonnes = 50_000
"""


def test_a_folder_without_series_uses_the_projects(tmp_path: Path) -> None:
    folder = series_copy(tmp_path)
    shutil.rmtree(folder / "series")
    snapshot = DataStore(folder).current
    assert snapshot.catalog == project_catalog()
    assert snapshot.series["gallium"].unit == "kg"
    (folder / "lithium.csv").write_text(f"{HEADER}\nlithium,2025-06,WORLD,tonnes,5,{ROW_TAIL}\n")
    with pytest.raises(DataFileError) as refused:
        DataStore(folder)
    assert str(refused.value).startswith("lithium.csv, line 2: series 'lithium' is not described")
    with pytest.raises(DataFileError, match="series 'lithium' is not described"):
        load_folder(folder)


def test_a_folder_with_its_own_series_uses_them(tmp_path: Path) -> None:
    folder = series_copy(tmp_path)
    (folder / "series" / "lithium.toml").write_text(LITHIUM, encoding="utf-8")
    gallium = folder / "series" / "gallium.toml"
    gallium.write_text(gallium_text().replace('name = "gallium"', 'name = "gallium metal"'))
    (folder / "lithium.csv").write_text(f"{HEADER}\nlithium,2025-06,WORLD,tonnes,5,{ROW_TAIL}\n")
    snapshot = DataStore(folder).current
    assert snapshot.catalog != project_catalog() and "lithium" not in project_catalog()
    assert snapshot.catalog["gallium"].name == "gallium metal"
    lithium = snapshot.series["lithium"]
    assert lithium.info.name_zh == "碳酸锂" and lithium.unit == "tonnes"
    assert lithium.latest_month() == Period.month(2025, 6)
    assert snapshot.catalog.find("碳酸锂") == lithium.info
    assert [f.value for f in load_folder(folder) if f.series == "lithium"] == [5]


def test_a_value_without_a_ceiling_in_its_description_is_refused_not_a_crash(
    tmp_path: Path,
) -> None:
    """Value ceilings are optional in a description; a usd row for a series whose
    description gives none is a named refusal, never a KeyError."""
    folder = series_copy(tmp_path)
    (folder / "series" / "lithium.toml").write_text(LITHIUM, encoding="utf-8")
    (folder / "lithium.csv").write_text(f"{HEADER}\nlithium,2025-06,WORLD,usd,5,{ROW_TAIL}\n")
    with pytest.raises(DataFileError) as refused:
        DataStore(folder)
    assert str(refused.value) == (
        "lithium.csv, line 2: metric 'usd' is not one of the metrics of lithium carbonate: "
        "tonnes, tonnes_monthly_avg"
    )


# -- a changed description ---------------------------------------------------------------------


def first_gallium_line_above(ceiling: float) -> int:
    """The file line of the first gallium kg figure above a month ceiling of ``ceiling``."""
    for line, row in enumerate(minerals_rows(), start=2):
        months = len(Period.parse_code(row["period"]).months())
        gallium = row["series"] == "gallium" and row["metric"] == "kg"
        if gallium and float(row["value"]) > ceiling * months:
            return line
    raise AssertionError("no gallium figure above it")


def test_a_changed_description_is_a_new_version_and_the_files_are_checked_again(
    tmp_path: Path,
) -> None:
    folder = settled_copy(tmp_path)
    store = store_for(folder, FakeClock())
    before = store.current
    path = folder / "series" / "gallium.toml"
    text = path.read_text(encoding="utf-8")
    # Same size and same modification time: only the content tells the change.
    lowered = text.replace("kg = 1_000_000", "kg = 10_000.00")
    assert len(lowered) == len(text)
    written(path, lowered)
    assert folder_version(folder) != before.version
    refused = store.reload_and_compare()
    assert isinstance(refused, DataFileError)
    line = first_gallium_line_above(10_000)
    assert str(refused).startswith(f"critical_minerals.csv, line {line}: value ")
    assert "is above 10,000, more kg than any" in str(refused)
    assert store.current is before
    written(path, text)
    assert folder_version(folder) == before.version
    written(path, text.replace("kg = 1_000_000", "kg = 2_000_000"))
    changes = store.reload_and_compare()
    assert isinstance(changes, DataChanges) and not changes.held and not changes.all_changes
    after = store.current
    assert after.version == folder_version(folder) != before.version
    assert after.catalog["gallium"].ceiling("kg", "2025-06") == 2_000_000
    assert after.series["gallium"] is not before.series["gallium"]  # built on the new one
    assert after.series["gallium"].info == after.catalog["gallium"]
