"""Data at scale: load, reload and the garbage collector, on synthetic data made by the run.

Each figure is printed against a baseline measured in the same run, with its spread (median
and min–max over the rounds):

1. Loading 200 partners × 240 months × 9 series (one file each, ~430,000 figures), read,
   checked, resolved and computed, vs pandas merely reading the same files (goal: under 1 s).
2. A reload that changed one of two series, and one that changed only an editor's note, vs
   loading the folder from nothing (goal: in proportion to what changed).
3. The worst pause of the garbage collector, and the worst update latency, while the data is
   reloaded under a stream of questions, vs the same stream with no reload (goal: no pause
   over 50 ms).
4. The growth table: load time and the cost of a mix of first-time questions at 1×, 10×,
   100× and 300× the real data file.
"""

from __future__ import annotations

import asyncio
import gc
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mix import mix_costs  # noqa: E402
from bench.mix_updates import KINDS  # noqa: E402
from bench.report import spread, verdict  # noqa: E402
from bench.synthetic import scaled_copy, write_grid  # noqa: E402
from bot.app import settle_heap  # noqa: E402
from bot.data.dataset import COMTRADE_SERIES, read_bytes  # noqa: E402
from bot.data.table import FigureTable, in_threads, load_table  # noqa: E402
from bot.datastore import DataStore, load_snapshot  # noqa: E402
from bot.metrics import Metrics  # noqa: E402

ROUNDS = 3
GROWTH_UPDATES = 1000
PARTNERS, MONTHS, SERIES = 200, 240, 9
DATA = ROOT / "data"


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def load_nine_series() -> None:
    """Goal 1: every series read, checked, resolved and computed."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [
            write_grid(Path(folder), PARTNERS, MONTHS, seed=s, name=f"series-{s}.csv")
            for s in range(SERIES)
        ]

        def load() -> None:  # as the data store loads its files and series
            tables = in_threads(load_table, paths)
            in_threads(lambda frame: Metrics(FigureTable(frame)), tables)

        def read() -> None:
            for path in paths:
                pd.read_csv(io.BytesIO(read_bytes(path)), dtype=object, keep_default_na=False)

        loads, reads = [], []
        for _ in range(ROUNDS):
            reads.append(timed(read))
            loads.append(timed(load))
    ratios = [a / b for a, b in zip(loads, reads, strict=True)]
    print(
        f"load of {PARTNERS} partners × {MONTHS} months × {SERIES} series: "
        f"{spread(loads, ' s')} vs pandas reading the files {spread(reads, ' s')} = "
        f"{spread(ratios, 'x')} (goal under 1 s: {verdict(max(loads) < 1)})"
    )


def proportional_reload() -> None:
    """Goal 2: a reload costs what changed."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(DATA, data)
        grid = write_grid(data, PARTNERS, MONTHS, seed=1)
        comtrade = write_grid(Path(folder), PARTNERS, MONTHS, series=COMTRADE_SERIES, seed=2)
        text = comtrade.read_text().replace("\n", f",{COMTRADE_SERIES}\n")
        (data / "comtrade.csv").write_text(text.replace(f"note,{COMTRADE_SERIES}", "note,series"))
        store = DataStore(data, settle_seconds=0)
        full, one, note, kept = [], [], [], []
        for round_ in range(ROUNDS):
            full.append(timed(lambda: load_snapshot(data)))
            served = store.current.comtrade
            with grid.open("a") as handle:  # one new figure in the customs series
                handle.write(f"2026-03,WORLD,usd,{1000 + round_},reported,normal,Bench,,,\n")
            one.append(timed(store.reload))
            customs = store.current.metrics
            kept.append(store.current.comtrade is served and served is not None)
            note_file = data / "notes" / "2025-06.md"
            note_file.write_text(note_file.read_text() + "\n")
            note.append(timed(store.reload))
            kept.append(store.current.metrics is customs and store.current.comtrade is served)
    print(
        f"reload after one of two series changed: {spread(one, ' s')}, after a note changed: "
        f"{spread(note, ' s')}, vs loading it all {spread(full, ' s')} = "
        f"{spread([a / b for a, b in zip(one, full, strict=True)], 'x')} and "
        f"{spread([a / b for a, b in zip(note, full, strict=True)], 'x')} "
        f"(goal: in proportion to what changed, the unchanged series kept: "
        f"{verdict(all(kept) and max(one) < min(full) and max(note) < min(full) / 3)})"
    )


async def gc_under_reload() -> None:
    """Goal 3: no update waits on the collector for more than 50 ms during a reload."""
    from bot.config import Settings
    from bot.console import LocalChat
    from bot.services import build_services

    pauses: list[float] = []
    started: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses.append(time.perf_counter() - started.pop())

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(DATA, data)
        write_grid(data, PARTNERS, MONTHS, seed=0, name="grid-1.csv")
        settings = Settings.from_env({"DATA_DIR": str(data)}, dotenv=None)
        services = build_services(settings)
        quiet, loaded, worst_pause = [], [], []
        async with LocalChat(services, check_html=False) as chat:
            for round_ in range(ROUNDS):
                quiet.append(await _worst_latency(chat, round_, reload=None))
                gc.callbacks.append(watch)
                try:
                    target = data / "grid-1.csv"
                    with target.open("a") as handle:
                        handle.write(f"2026-03,WORLD,usd,{2000 + round_},reported,normal,B,,,\n")
                    loaded.append(await _worst_latency(chat, round_, services.data.reload))
                finally:
                    gc.callbacks.remove(watch)
                worst_pause.append(max(pauses, default=0.0))
                pauses.clear()
    print(
        f"worst garbage-collector pause while reloading {PARTNERS * MONTHS:,} figures "
        f"under questions: {spread([p * 1e3 for p in worst_pause], ' ms')} (goal <= 50 ms: "
        f"{verdict(max(worst_pause) <= 0.05)}); worst update latency "
        f"{spread([x * 1e3 for x in loaded], ' ms')} vs {spread([x * 1e3 for x in quiet], ' ms')}"
        " with no reload"
    )


async def _worst_latency(chat: object, seed: int, reload: Callable[[], object] | None) -> float:
    """The slowest of a stream of distinct questions, with ``reload`` run in a thread."""
    from bench.many_users import PARTNERS as NAMES
    from bench.many_users import PERIODS

    task = asyncio.ensure_future(asyncio.to_thread(reload)) if reload else None
    worst = 0.0
    for i in range(300):
        text = f"/exports {NAMES[(i + seed) % len(NAMES)]} {PERIODS[(i * 7) % len(PERIODS)]}"
        start = time.perf_counter()
        await chat.send(text.strip())  # type: ignore[attr-defined]
        worst = max(worst, time.perf_counter() - start)
        await asyncio.sleep(0.002)
    if task is not None:
        await task
    return worst


def growth() -> None:
    """Goal 4: the growth table: load, and a first pass of the question mix vs the echo."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for factor in (1, 10, 100, 300):
            data = Path(folder) / f"x{factor}"
            figures = scaled_copy(DATA, data, factor)
            loads = [timed(partial(load_snapshot, data)) for _ in range(ROUNDS)]
            costs = asyncio.run(mix_costs(data, GROWTH_UPDATES, ROUNDS))
            rows.append((factor, figures, loads, costs))
    print(
        f"growth (the real file and synthetic partners' months; {GROWTH_UPDATES:,} distinct "
        "updates of the mix, first pass uncached, vs the echo):"
    )
    print("  data | figures | load | mix overall | /exports | /top | /summary | slowest kind")
    for factor, figures, loads, costs in rows:
        kinds = [k for k in KINDS if k in costs.ratios]
        slowest = max(kinds, key=lambda k: statistics.median(costs.ratios[k]))
        cells = [spread([x * 1e3 for x in loads], " ms"), spread(costs.overall, "x")]
        cells += [spread(costs.ratios[k], "x") for k in ("/exports", "/top", "/summary")]
        cells.append(f"{slowest} {spread(costs.ratios[slowest], 'x')}")
        print(f"  {factor}x | {figures:,} | " + " | ".join(cells))


def main() -> None:
    settle_heap()  # the bot's heap is set aside from the collector once it is up; so is this
    load_nine_series()
    proportional_reload()
    asyncio.run(gc_under_reload())
    growth()


if __name__ == "__main__":
    main()
