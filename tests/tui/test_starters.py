"""The starter companies on screen: reference points out of the inbox and the layer counts,
the status picker's r, and "data: Remove all starters" asking once, then one undo."""

from __future__ import annotations

from pathlib import Path

from store.models import Status
from store.service import Workbench
from tests.tui.conftest import (
    POWER,
    SIZE,
    go_to,
    main,
    names_on_disk,
    on_disk,
    run_command,
    screen_text,
    settle,
    shown,
    told,
)
from tui.screens.dialogs import ConfirmDialog
from tui.screens.main import MainScreen
from tui.screens.status_picker import StatusPicker
from tui.widgets.layer_list import LayerList


def layer_lines(app) -> list[str]:
    layers = main(app).query_one(LayerList)
    return [str(layers.get_option_at_index(i).prompt) for i in range(layers.option_count)]


async def test_remove_all_starters_asks_once_and_one_u_brings_them_back(
    app, bench: Workbench, db_path: Path
) -> None:
    starters = {row.name for row in bench.rows()}
    bench.set_status([bench.find("Groq").id], Status.SCREENING)
    bench.add_company("Own Find", layer="power")
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "data: Remove all starters")
        assert isinstance(app.screen, ConfirmDialog)
        count = len(starters)
        assert app.screen.question == (
            f"Delete the {count} starter companies (tagged starter)? 1 of them is in the pipeline."
        )
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen) and shown(app) == sorted([*POWER, "Own Find"])
        await run_command(pilot, "data: Remove all starters")
        await pilot.press("y")
        assert isinstance(app.screen, MainScreen)
        assert shown(app) == ["Own Find"]
        assert f"Deleted {count} starter companies · u undoes" in told(app)
        await settle(pilot)
        assert names_on_disk(app, db_path) == {"Own Find"}
        await pilot.press("u")
        assert f"Undone: Deleted {count} starter companies" in told(app)
        assert shown(app) == sorted([*POWER, "Own Find"])
        await settle(pilot)
        assert names_on_disk(app, db_path) == starters | {"Own Find"}
    with on_disk(app, db_path) as stored:
        assert stored.find("Groq").status is Status.SCREENING


async def test_remove_all_starters_with_none_left_says_so(app, bench: Workbench) -> None:
    bench.remove_starters()
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "data: Remove all starters")
        assert isinstance(app.screen, MainScreen)
        assert "There are no starter companies." in told(app)


async def test_r_in_the_status_picker_makes_a_company_a_reference_point_again(
    app, bench: Workbench, db_path: Path
) -> None:
    bench.set_status([bench.find("Oklo").id], Status.NEW)
    async with app.run_test(size=SIZE) as pilot:
        assert app.title == "moatscope · Inbox 1"
        assert layer_lines(app)[1] == "Power & Facilities\n  1 company"
        await go_to(pilot, "Oklo")
        await pilot.press("s")
        assert isinstance(app.screen, StatusPicker)
        assert "r reference a comparable, not deal flow" in screen_text(app)
        await pilot.press("r")
        assert isinstance(app.screen, MainScreen)
        await settle(pilot)
        assert app.title == "moatscope · Inbox 0"
        assert layer_lines(app)[:2] == [
            "All layers\n  45 reference companies",
            "Power & Facilities\n  9 reference companies",
        ]
    with on_disk(app, db_path) as stored:
        assert stored.find("Oklo").status is Status.REFERENCE
