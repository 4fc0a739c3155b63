"""Marks and bulk actions (space, then s, t or d on every marked row), d with its
confirmation, and u undoing the last change, each checked against the file.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from store.models import Status
from tests.tui.conftest import (
    POWER,
    SIZE,
    current,
    go_to,
    main,
    names_on_disk,
    on_disk,
    screen_text,
    settle,
    shown,
    table,
    told,
    type_text,
    view_title,
)
from tui.screens.dialogs import ConfirmDialog
from tui.screens.main import MainScreen

# Helpers ----------------------------------------------------------------------------------


async def _mark(pilot: Pilot, *names: str) -> None:
    for name in names:
        table(pilot.app).cursor = 0
        await go_to(pilot, name)
        await pilot.press("space")


# space marks and bulk actions ---------------------------------------------------------------


async def test_space_marks_and_s_sets_the_status_of_every_marked_row(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _mark(pilot, "Crusoe", "Lancium", "Oklo")
        assert table(app).marks and "3 marked" in view_title(app)
        assert current(app) == "Siemens Energy", "space marks and moves to the next row"
        await pilot.press("k", "space")
        assert "2 marked" in view_title(app), "space again unmarks"
        await pilot.press("k", "space")
        await pilot.press("s")
        assert "Status of 3 marked companies" in screen_text(app)
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, MainScreen)
        assert not table(app).marks and "marked" not in view_title(app)
    with on_disk(app, db_path) as stored:
        statuses = {row.name: row.status for row in stored.rows(layer="power")}
    marked = {"Crusoe", "Lancium", "Oklo"}
    assert {name for name, status in statuses.items() if status is Status.DILIGENCE} == marked
    assert {status for name, status in statuses.items() if name not in marked} == {Status.REFERENCE}


async def test_space_marks_and_t_tags_every_marked_row(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _mark(pilot, "Equinix", "Vertiv")
        await pilot.press("t")
        assert "Tag 2 marked companies" in screen_text(app)
        await type_text(pilot, "public")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        tagged = {row.name for row in stored.rows(tag="public")}
    assert tagged == {"Equinix", "Vertiv"}


async def test_bulk_delete_and_u_brings_every_company_back(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _mark(pilot, "Crusoe", "Oklo", "Vertiv")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete 3 marked companies?" in screen_text(app)
        await pilot.press("y")
        assert shown(app) == [
            "Digital Realty",
            "Equinix",
            "Fervo Energy",
            "GE Vernova",
            "Lancium",
            "Siemens Energy",
        ]
        await settle(pilot)
        left = set(POWER) - {"Crusoe", "Oklo", "Vertiv"}
        assert names_on_disk(app, db_path, layer="power") == left

        await pilot.press("u")
        assert shown(app) == POWER
        assert "Undone: Deleted 3 companies" in told(app)
        assert names_on_disk(app, db_path, layer="power") == set(POWER)


# d delete, u undo ---------------------------------------------------------------------------


async def test_d_deletes_only_after_confirmation(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Lancium")
        await pilot.press("d")
        assert "Delete Lancium?" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen) and "Lancium" in shown(app)
        assert "Lancium" in names_on_disk(app, db_path)
        await pilot.press("d", "y")
        assert "Lancium" not in shown(app)
        assert any("Deleted Lancium" in message for message in told(app))
    assert "Lancium" not in names_on_disk(app, db_path)


async def test_the_dimmed_screen_behind_a_dialog_shows_what_changes_beneath_it(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert "Delete Crusoe?" in screen_text(app)
        assert "Power & Facilities · 9" in screen_text(app)
        main(app).query_one("#view-title", Static).update(Text("Changed beneath the dialog"))
        await settle(pilot)
        assert "Changed beneath the dialog" in screen_text(app)
        assert "Power & Facilities · 9" not in screen_text(app)
        assert "Delete Crusoe?" in screen_text(app)


async def test_u_undoes_the_last_change_and_says_what(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        assert "Nothing to undo" in told(app)
        await go_to(pilot, "Oklo")
        await pilot.press("t", "end", *", nuclear", "enter")
        await pilot.press("s", "home", "down", "enter")
        await settle(pilot)
        with on_disk(app, db_path) as stored:
            oklo = stored.find("Oklo")
            assert (oklo.status, oklo.tags) == (Status.SCREENING, ["starter", "nuclear"])
        await pilot.press("u")
        assert "Undone: Set status screening: Oklo" in told(app)
        with on_disk(app, db_path) as stored:
            oklo = stored.find("Oklo")
            assert (oklo.status, oklo.tags) == (Status.REFERENCE, ["starter", "nuclear"])
        await pilot.press("u")
        assert table(app).current.tags == ("starter",)
    with on_disk(app, db_path) as stored:
        assert stored.find("Oklo").tags == ["starter"]
