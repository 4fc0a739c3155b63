"""Marking many companies at once: `*` marks every company in view (with a filter, every
one that matches), `*` again unmarks them, and a bulk action then acts on all of them."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import (
    POWER,
    SIZE,
    current,
    names_on_disk,
    screen_text,
    table,
    type_text,
    view_title,
)
from tui.screens.dialogs import ConfirmDialog
from tui.screens.main import MainScreen


async def test_star_marks_every_company_of_the_layer_and_again_unmarks(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("asterisk")
        assert table(app).marks == {row.id for row in table(app).rows}
        assert f"{len(POWER)} marked" in view_title(app)
        await pilot.press("asterisk")
        assert not table(app).marks and "marked" not in view_title(app)


async def test_star_with_a_filter_marks_only_the_matches(app, bench) -> None:
    for name in ("Crusoe", "Oklo"):
        bench.add_tag([bench.find(name).id], "nuclear")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "tag:nuclear")
        await pilot.press("enter", "asterisk")
        marked = {row.name for row in table(app).rows if row.id in table(app).marks}
        assert marked == {"Crusoe", "Oklo"}
        assert "2 marked" in view_title(app)


async def test_removing_all_starters_of_a_layer_is_filter_star_d(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "tag:starter")
        await pilot.press("enter", "asterisk", "d")
        assert isinstance(app.screen, ConfirmDialog)
        assert f"Delete {len(POWER)} marked companies?" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert not table(app).rows
    assert not set(POWER) & names_on_disk(app, db_path)


async def test_space_marks_and_moves_down_so_holding_it_marks_a_run(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "space")
        assert current(app) == POWER[3]
        marked = [row.name for row in table(app).rows if row.id in table(app).marks]
        assert marked == POWER[:3]
        table(app).cursor = len(POWER) - 1
        await pilot.press("space", "space")
        assert table(app).cursor == len(POWER) - 1, "the last row keeps the cursor"
        assert POWER[-1] not in [r.name for r in table(app).rows if r.id in table(app).marks]
