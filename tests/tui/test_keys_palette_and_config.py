"""The command palette (ctrl+p: every action, the layer commands) and the config file
(a keymap that remaps a key, a theme switch that persists).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import orjson
from textual.command import CommandList, CommandPalette

from store.service import Workbench
from tests.tui.conftest import (
    SIZE,
    clear_input,
    footer_text,
    help_text,
    main,
    names_on_disk,
    on_disk,
    paste,
    run_command,
    screen_text,
    shown,
    told,
    type_text,
    view_title,
    wait_until,
)
from tui.__main__ import make_app
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.main import MainScreen
from tui.widgets.layer_list import LayerList

# Helpers ----------------------------------------------------------------------------------


def _write_config(data: dict[str, Any]) -> Path:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "moatscope"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.json"
    path.write_bytes(orjson.dumps(data))
    return path


# ctrl+p palette -----------------------------------------------------------------------------


async def test_ctrl_p_lists_every_action_and_runs_layer_add(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        results = palette.query_one(CommandList)
        await wait_until(pilot, lambda: results.option_count > 0, "the palette to list commands")
        titles = {
            str(results.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(results.option_count)
        }
        assert {
            "company: Add",
            "company: Add note",
            "company: Set status",
            "edit: Undo",
            "view: Stack map",
            "layer: Add",
            "layer: Rename",
            "layer: Move up",
            "layer: Move down",
            "layer: Delete",
        } <= titles
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)

        await run_command(pilot, "layer: Add")
        assert isinstance(app.screen, PromptDialog)
        await type_text(pilot, "Cooling")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert view_title(app).startswith("Cooling · 0")
        assert "press n to add one" in screen_text(app)
    with on_disk(app, db_path) as stored:
        assert [layer.name for layer in stored.layers()][-1] == "Cooling"


async def test_palette_renames_and_reorders_layers(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "layer: Rename")
        await clear_input(pilot)
        await paste(pilot, "Energy & Sites")
        await pilot.press("enter")
        assert view_title(app).startswith("Energy & Sites · 9")
        with on_disk(app, db_path) as stored:
            assert stored.layer("power").name == "Energy & Sites"

        await run_command(pilot, "layer: Move down")
        with on_disk(app, db_path) as stored:
            assert [layer.id for layer in stored.layers()][:3] == ["compute", "power", "network"]
        assert main(app).query_one(LayerList).highlighted == 2, "the moved layer stays selected"
        await run_command(pilot, "layer: Move up")
        await run_command(pilot, "layer: Move up")
    with on_disk(app, db_path) as stored:
        assert [layer.id for layer in stored.layers()] == [
            "power",
            "compute",
            "network",
            "data",
            "orchestration",
        ]


async def test_palette_refuses_to_delete_a_layer_with_companies(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "layer: Delete")
        assert isinstance(app.screen, MainScreen), "no confirmation is offered"
        assert any("still has 9 companies" in message for message in told(app, "warning"))
        assert "power" in {layer.id for layer in app.workbench.layers()}

        await run_command(pilot, "layer: Add")
        await pilot.press(*"Scratch", "enter")
        await run_command(pilot, "layer: Delete")
        assert "Delete the empty layer Scratch?" in screen_text(app)
        await pilot.press("y")
        assert view_title(app).startswith("Power & Facilities")
    with on_disk(app, db_path) as stored:
        assert [layer.id for layer in stored.layers()] == [
            "power",
            "compute",
            "network",
            "data",
            "orchestration",
        ]


# Keymap and theme ---------------------------------------------------------------------------


async def test_a_keymap_in_the_config_file_remaps_delete(bench: Workbench, db_path: Path) -> None:
    _write_config({"keymap": {"company.delete": "x"}})
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, MainScreen), "d is no longer delete"
        await pilot.press("question_mark")
        assert re.search(r"\bx +Delete the company", help_text(app)), "help shows the new key"
        assert not re.search(r"\bd +Delete the company", help_text(app))
        await pilot.press("escape")
        assert " x Delete " in footer_text(app) and " d Delete " not in footer_text(app)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        assert "Crusoe" not in shown(app)
    assert "Crusoe" not in names_on_disk(app, db_path)


async def test_a_theme_switch_persists_in_the_config_file(bench: Workbench) -> None:
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "moatscope" / "config.json"
    assert orjson.loads(config.read_bytes())["theme"] == "nord"
    again = make_app(bench)
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == "nord"
