"""``store`` is usable headless: no module of it imports Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import store
from tests.store.conftest import REPO_ROOT, child_env


def _store_modules() -> list[str]:
    return sorted(f"store.{info.name}" for info in pkgutil.iter_modules(store.__path__))


def test_every_store_module_is_listed() -> None:
    modules = _store_modules()
    for expected in ("store.db", "store.service", "store.storage", "store.scoring", "store.models"):
        assert expected in modules


def test_importing_every_store_module_imports_no_textual() -> None:
    modules = _store_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('imported', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported")


def test_the_check_would_see_textual() -> None:
    """The subprocess check is real: importing textual is detected."""
    code = "import sys, textual; assert not any(m.startswith('textual') for m in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=child_env(), timeout=60
    )
    assert result.returncode != 0
