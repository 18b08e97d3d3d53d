"""Cold start to the first answer: ``python -m bot ask "/exports US"`` (the real Application,
the data, the database, one answer through the offline Bot API) vs a minimal PTB bot answering
the same update the same way (:mod:`bench.minimal_bot`), each a fresh process, interleaved.

Two starts of the bot are timed: with the data as built by an earlier start (kept in
``CACHE_DIR``, the usual restart; goal: at most 2x the minimal bot) and the first start after
the data changed (the cache empty: the files are read and computed, with pandas). The peak
memory of the bot's starts is printed too (goal: at most 150 MB).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import at_most, spread, verdict  # noqa: E402

ROUNDS = 5
MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
ASK = [sys.executable, "-m", "bot", "ask", "/exports US"]
MINIMAL = [sys.executable, str(ROOT / "bench" / "minimal_bot.py")]


def child_run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process, measured by a fresh parent in an
    empty folder (so no developer ``.env`` is read)."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *args],
            cwd=folder,
            env=_deployed(os.environ) | {"PYTHONPATH": str(ROOT)} | env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def _deployed(environ: os._Environ[str]) -> dict[str, str]:
    """The environment of a deployed bot: its bytecode is written once and reused, as for
    the installed packages (a shell with ``PYTHONDONTWRITEBYTECODE`` would have every start
    compile the bot's 150 modules again, and no other package)."""
    return {k: v for k, v in environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cold_start() -> None:
    with tempfile.TemporaryDirectory() as folder:
        state = {"DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bench.db"}
        kept = state | {"CACHE_DIR": f"{folder}/cache"}
        child_run(ASK, kept)  # builds the data and bytecode once and keeps them, as a first start
        child_run(MINIMAL, {})
        minimal, warm, fresh = [], [], []
        for round_ in range(ROUNDS):
            minimal.append(child_run(MINIMAL, {}))
            warm.append(child_run(ASK, kept))
            fresh.append(child_run(ASK, state | {"CACHE_DIR": f"{folder}/empty-{round_}"}))
    base = [m[0] for m in minimal]
    ratios = [w[0] / b for w, b in zip(warm, base, strict=True)]
    first = [f[0] / b for f, b in zip(fresh, base, strict=True)]
    peak = max(r[1] for r in warm + fresh)
    print(
        f'cold start to the first answer, `python -m bot ask "/exports US"`: '
        f"{spread([w[0] for w in warm], ' s')} vs a minimal PTB bot {spread(base, ' s')} = "
        f"{spread(ratios, 'x')} (goal <= 2x: {verdict(at_most(ratios, 2))}); the first start "
        f"after the data changed {spread([f[0] for f in fresh], ' s')} = {spread(first, 'x')}"
    )
    print(f"peak memory of those starts: {peak:.0f} MB (goal <= 150 MB: {verdict(peak <= 150)})")


if __name__ == "__main__":
    cold_start()
