"""The layout's rules (README, Architecture) hold, and import-linter would catch each kind of break.

``make test`` runs ``lint-imports`` on the tree. These tests plant one forbidden import at a
time in a copy of the code and check that the contract guarding that rule reports it, so a
contract that quietly checks nothing fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")
LAYERS = "Each floor imports only the floors below it"
HANDLERS = "Only the wiring imports the handlers"
NO_TELEGRAM = "Below the push wing nothing knows Telegram or the database"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the packages under ``root`` with the project's contracts."""
    environ = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run(
        [str(LINT), "--no-logo", "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for package in ("bot", "handlers"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("bot/render/format.py", "from bot.push import storage", LAYERS),
        ("bot/data/dataset.py", "from bot.render import format", LAYERS),
        ("bot/data/ops.py", "from bot.config import Settings", LAYERS),
        ("bot/reading/periods.py", "from bot.data import dataset", LAYERS),
        ("bot/metrics.py", "from bot import lookup", LAYERS),
        ("bot/push/releases.py", "from bot import services", LAYERS),
        ("bot/render/format.py", "from bot import logs", LAYERS),
        ("bot/cli.py", "import handlers.commands", HANDLERS),
        ("bot/metrics.py", "import telegram", NO_TELEGRAM),
        ("bot/render/answers.py", "from telegram import Update", NO_TELEGRAM),
        ("bot/lookup.py", "import sqlalchemy", NO_TELEGRAM),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    copy: Path, module: str, planted: str, contract: str
) -> None:
    path = copy / module
    path.write_text(path.read_text() + f"\n{planted}  # planted by the test\n")
    result = lint_imports(copy)
    assert result.returncode != 0, result.stdout
    assert f"{contract} BROKEN" in result.stdout, result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout
