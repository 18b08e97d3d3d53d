"""Published percentages: loaded and checked like figures, stated as the sources gave them,
and never contradicted by a base figure derived from them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.console import LocalChat, replies
from bot.data.changes import PublishedChange, choose, load_changes
from bot.data.dataset import DataFileError, exact
from bot.datastore import DataStore, Snapshot
from bot.reading.periods import Period
from bot.render.telegram_html import to_plain
from tests.conftest import DATA_DIR

HEADER = "period,partner,comparison,pct,base,source_title,source_url,note\n"


async def text_of(chat: LocalChat, command: str) -> str:
    return "\n".join(to_plain(t) for t in replies(await chat.send(command)))


@pytest.mark.parametrize(
    ("command", "said", "never"),
    [
        # Reuters: US March 2026 -9.5% m/m; ≈449 t was derived from it, 406/449 gives -9.6%.
        ("/exports US 2026-03", "m/m: -9.5%, as reported", "-9.6%"),
        # Yahoo TW / CTi: South Korea October 2025 +31.3% y/y; 569/433 gives +31.4%.
        ("/exports KR 2025-10", "y/y: +31.3%, as reported", "+31.4%"),
        # Reuters: Japan December 2025 +31.4% y/y; 280/213 gives +31.5%.
        ("/exports JP 2025-12", "y/y: +31.4%, as reported", "+31.5%"),
        ("/exports 2025-H1", "y/y: -18.9%, as reported", "computed from these figures"),
        ("/exports 2026-Q1", "y/y: +4.8%, as reported", "computed from these figures"),
    ],
)
async def test_a_published_percentage_is_stated_as_published(
    chat: LocalChat, command: str, said: str, never: str
) -> None:
    text = await text_of(chat, command)
    assert said in text and never not in text


async def test_the_recomputed_value_stands_beside_a_published_one_it_differs_from(
    chat: LocalChat,
) -> None:
    # Reuters: +660%; 353 t from the 46 t the sources name is +667.4%.
    text = await text_of(chat, "/exports US 2025-06")
    assert "m/m: +660%, as reported" in text and "+667.4% computed from these figures" in text
    # SMM: April 2025 "down 51% MoM"; from ≈5,323 t (another source) it is -50.65%, which is
    # -51% at the published precision, so nothing is added.
    april = await text_of(chat, "/exports 2025-04")
    assert "m/m: -51%, as reported" in april and "computed from these figures" not in april


async def test_sources_name_who_published_each_percentage(chat: LocalChat) -> None:
    text = await text_of(chat, "/sources US 2026-03")
    assert "Change m/m, on February 2026: -9.5% — as reported" in text
    assert "Not recomputed: a figure compared was derived from this percentage." in text
    june = await text_of(chat, "/sources US 2025-06")
    assert "Change m/m, on May 2025: +660% — as reported" in june
    assert "Also published: +660% China's Rare Earth Exports to US Surge 660%" in june
    assert "Base named by the source: 46 t" in june


def test_metrics_json_gives_the_published_percentage(snapshot: Snapshot) -> None:
    data = snapshot.metrics.month("US", Period.month(2026, 3)).as_dict()
    assert data["mom_pct"] == -9.5 and data["mom_pct_published"] == -9.5
    assert data["mom_pct_computed"] is None  # 449 t was derived from -9.5%: no echo
    [published, _] = data["published_changes"]
    assert published["comparison"] == "m/m" and published["source_title"].startswith("China's")
    half = snapshot.metrics.span("WORLD", Period.parse_code("2025-H1")).as_dict()
    assert half["yoy_pct_published"] == -18.9


def test_a_base_derived_from_this_change_never_contradicts_it(snapshot: Snapshot) -> None:
    """Every base a source derived from the current figure and a rate ("406 t / (1-0.095)")
    has that source's published percentage, which is the one stated, without an echo."""
    metrics, checked = snapshot.metrics, 0
    for (code, partner, metric), _ in metrics.resolved.items():
        period = Period.parse_code(code)
        if metric != "tonnes":
            continue
        result = (
            metrics.month(partner, period) if period.is_month else metrics.span(partner, period)
        )
        current = result.tonnes if period.is_month else result.total.value  # type: ignore[union-attr]
        changes = [result.yoy, *([result.mom] if period.is_month else [])]  # type: ignore[union-attr]
        for change in changes:
            base = change.base.used if change is not None else None
            if current is None or base is None or base.is_reported:
                continue
            if not re.match(rf"{re.escape(exact(current.value))} t\b[^=]*/", base.derivation):
                continue
            checked += 1
            assert change is not None and change.published is not None, (code, partner)
            assert change.pct == change.published.pct and change.recomputed is None
    assert checked >= 20


def _write(folder: Path, rows: str) -> Path:
    data = folder / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "changes" / "published_changes.csv").write_text(HEADER + rows, encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2025-H1,WORLD,m/m,-18.9,,Src,,", "line 2: an m/m change is for a month"),
        ("2025-06,US,w/w,+660,,Src,,", "line 2: comparison 'w/w' is not one of m/m, y/y"),
        ("2025-06,US,m/m,lots,,Src,,", "line 2: pct 'lots' is not a number"),
        ("2025-06,US,m/m,+660,,,,", "line 2: source_title is empty"),
        ("2025-06,US,m/m,-120,,Src,,", "line 2: pct -120 is -100% or less"),
        ("2025-06,XX1,m/m,+660,,Src,,", "line 2: partner 'XX1' is not an ISO 2 code"),
        ("2025-06,US,m/m,+660,,Src,ftp://x,", "line 2: source_url 'ftp://x' is not an http"),
    ],
)
def test_a_bad_changes_file_is_rejected_whole_with_its_line(
    tmp_path: Path, row: str, problem: str
) -> None:
    data = _write(tmp_path, row + "\n")
    with pytest.raises(DataFileError) as error:
        DataStore(data)
    assert "published_changes.csv" in str(error.value) and problem in str(error.value)


def test_a_new_published_change_is_served_after_a_reload(tmp_path: Path) -> None:
    data = _write(tmp_path, "2025-06,DE,m/m,+265,,Example source,https://example.org/x,\n")
    store = DataStore(data)
    month = store.current.metrics.month("DE", Period.month(2025, 6))
    assert month.mom is not None and month.mom.pct == 265
    (data / "changes" / "published_changes.csv").write_text(HEADER, encoding="utf-8")
    store.reload()  # the changes folder is part of the data version
    month = store.current.metrics.month("DE", Period.month(2025, 6))
    assert month.mom is not None and month.mom.published is None


def _change(pct: str, source: str, line: int) -> PublishedChange:
    decimals = len(pct.split(".")[1]) if "." in pct else 0
    return PublishedChange(
        "2025-06", "WORLD", "m/m", float(pct), decimals, None, 0, source, "", "", "f.csv", line
    )


def test_agreeing_percentages_are_one_and_the_most_precise_is_stated() -> None:
    chosen = choose([_change("158", "Lapaas", 2), _change("157.5", "Reuters", 3)], None)
    assert chosen.pct == 157.5 and len(chosen.agreeing) == 2
    assert tuple(map(str, chosen.rules)) == ("2 sources agree within rounding: the most precise",)


def test_disagreeing_percentages_prefer_the_source_of_the_figure() -> None:
    options = [_change("150", "Other", 2), _change("157.5", "Reuters", 3)]
    assert choose(options, "Reuters").pct == 157.5
    assert choose(options, None).pct == 150  # then the first in the file
    assert "the source of this period's figure" in str(choose(options, "Reuters").rules[0])


def test_every_published_change_is_loaded_from_the_data(snapshot: Snapshot) -> None:
    loaded = load_changes(DATA_DIR)
    assert len(loaded) >= 50 and all(c.source_title for c in loaded)
    keys = {(c.period, c.partner, c.comparison) for c in loaded}
    assert set(snapshot.metrics.changes) == keys
