"""The app runs on Textual as it is: with its patches switched off, or on a Textual release
they were not written for (``tui/textual_patches.py``).

Patches stay in force for the rest of a process once applied, so each case runs the smoke
path in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.terminal import REPO_ROOT

CHILD = """
import asyncio, json, sys
from pathlib import Path
if sys.argv[1] == "moved-internals":  # a Textual whose private names are elsewhere
    import textual.app, textual.screen, textual.widget, textual._compositor, textual._styles_cache
    del textual._compositor.Compositor, textual._styles_cache.StylesCache
from tui import textual_patches
if sys.argv[1] == "other-release":
    textual_patches.installed_textual = lambda: "8.3.0"
from tests.tui.test_unpatched import smoke
print(json.dumps(asyncio.run(smoke(Path(sys.argv[2])))))
"""


async def smoke(db_path: Path) -> dict[str, Any]:
    """Open, move, filter, open a dialog, add a company, quit: what the user saw."""
    from store.service import Workbench
    from tests.tui.conftest import SIZE, type_text
    from tui import textual_patches
    from tui.__main__ import make_app

    seen: dict[str, Any] = {}
    workbench = Workbench.open(db_path, author="analyst")
    app = make_app(workbench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen["patches"] = sorted(textual_patches.apply())
        table = app.screen.table
        seen["first"] = table.current.name
        seen["listed"] = len(table.rows)
        await pilot.press("j")
        seen["moved"] = table.current.name
        await pilot.press("slash")
        await type_text(pilot, seen["first"][:5])
        await pilot.pause()
        seen["filtered"] = [row.name for row in table.rows]
        await pilot.press("escape", "question_mark")
        seen["dialog"] = type(app.screen).__name__
        await pilot.press("escape", "n")
        seen["add"] = type(app.screen).__name__
        await type_text(pilot, "Acme Photonics")
        await pilot.press("enter")
        await pilot.pause()
        seen["added"] = table.current.name
        seen["screen"] = type(app.screen).__name__
        await pilot.press("q")
        await pilot.pause()
    seen["saved"] = app.wait_for_saves()
    workbench.close()
    reopened = Workbench.open(db_path, author="analyst")
    seen["on_disk"] = reopened.find("Acme Photonics") is not None
    reopened.close()
    return seen


@pytest.mark.parametrize("how", ["off", "other-release", "moved-internals"])
def test_the_smoke_path_runs_on_textual_unpatched(how: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "MOATSCOPE_TEXTUAL_PATCHES": "off" if how == "off" else "",
    }
    env.pop("MOATSCOPE_DB", None)
    db_path = tmp_path / "moatscope.json"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, how, str(db_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["patches"] == [], "no patch applied"
    assert seen["moved"] != seen["first"]
    assert seen["first"] in seen["filtered"], "the filter finds the first company by name"
    assert len(seen["filtered"]) < seen["listed"]
    assert seen["dialog"] == "HelpScreen"
    assert seen["add"] != "MainScreen", "n opened the quick-add dialog"
    assert (seen["added"], seen["screen"]) == ("Acme Photonics", "MainScreen")
    assert seen["saved"] and seen["on_disk"]
    if how == "other-release":
        assert "Textual 8.3.0, not 8.2.8: no Textual patches applied" in done.stderr
    if how == "moved-internals":
        assert "moved what the patches change: no Textual patches applied" in done.stderr
