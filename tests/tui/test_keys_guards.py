"""What the keys must not lose or let through: q quits with everything saved, markup in a
name stays text, a second session is read-only, and failed writes are reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from store import journal
from store.service import Workbench
from tests.tui.conftest import (
    POWER,
    SIZE,
    current,
    file_state,
    main,
    names_on_disk,
    recording,
    screen_text,
    settle,
    shown,
    told,
)
from tui.__main__ import make_app
from tui.screens.dialogs import PromptDialog
from tui.screens.main import MainScreen
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail

HOSTILE = "[@click=app.quit]Evil[/]"

# q quit -------------------------------------------------------------------------------------


async def test_q_quits_with_everything_saved(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"Quitter", "q")
        assert app.is_running and isinstance(app.screen, PromptDialog), "q in a dialog is typed"
        assert app.screen.query_one("#value", Input).value == "Quitterq"
        await pilot.press("enter")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert "Quitterq" in names_on_disk(app, db_path)


# Hostile text -------------------------------------------------------------------------------


async def test_markup_in_a_name_is_shown_literally_and_clicking_it_does_nothing(
    app, bench: Workbench
) -> None:
    bench.add_company(HOSTILE, layer="power", one_liner="[red]not red[/red]")
    async with app.run_test(size=SIZE) as pilot:
        assert HOSTILE in shown(app)
        index = shown(app).index(HOSTILE)
        text = screen_text(app)
        # The whole name fits the name column: it is shown exactly as typed, markup and all.
        assert f"  {HOSTILE}" in text and f"{HOSTILE}[" not in text, (
            "the table shows the name as typed"
        )
        assert await pilot.click(CompanyTable, offset=(4, index))
        await pilot.pause()
        assert app.is_running and current(app) == HOSTILE
        text = screen_text(app)
        assert f"│ {HOSTILE}" in text, "the detail shows the name as typed"
        assert "[red]not red[/red]" in text
        assert await pilot.click(CompanyDetail, offset=(3, 0))
        await pilot.click(CompanyDetail, offset=(3, 0), times=2)
        await pilot.pause()
        assert app.is_running
        await pilot.press("d")
        assert f"Delete {HOSTILE}?" in screen_text(app)
        await pilot.press("n")
        assert app.is_running


# Read-only session --------------------------------------------------------------------------


async def test_a_second_session_is_read_only_and_refuses_edits_politely(
    bench, db_path: Path
) -> None:
    # ``bench`` holds the writer lock; a second open in this process gets none.
    second = Workbench.open(db_path)
    try:
        assert second.read_only
        app = recording(make_app(second))
        before = file_state(db_path)
        async with app.run_test(size=SIZE) as pilot:
            notice = main(app).query_one("#notice", Static)
            assert notice.display and notice.has_class("-visible")
            assert "Read-only" in str(notice.render())
            assert "read-only" in app.sub_title
            await pilot.press("n", "a", "d", "e", "s", "t", "u")
            assert isinstance(app.screen, MainScreen), "no dialog opens"
            assert shown(app) == POWER
            warnings = told(app, "warning")
            assert len(warnings) == 7, "each refused key says why, politely"
            assert all(message.startswith("Read-only session:") for message in warnings)
            assert "Read-only:" in screen_text(app)
            await pilot.press("q")
        assert file_state(db_path) == before
    finally:
        second.close()


# Write failures -----------------------------------------------------------------------------


async def test_a_failed_write_is_reported_and_the_next_change_saves(
    app, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, data: Any, size: int) -> None:
        raise OSError(28, "No space left on device")

    async with app.run_test(size=SIZE) as pilot:
        with monkeypatch.context() as patch:
            patch.setattr(journal, "append", disk_full)
            await pilot.press("n", *"Lost Co", "enter")
            await settle(pilot)
            assert app.save_state == "failed"
            assert "NOT SAVED" in app.sub_title
            assert any("No space left on device" in message for message in told(app, "error"))
            assert "Lost Co" not in names_on_disk(app, db_path)
        await pilot.press("n", *"Found Co", "enter")
        await settle(pilot)
        assert app.save_state == "saved"
        assert "NOT SAVED" not in app.sub_title
        assert {"Lost Co", "Found Co"} <= names_on_disk(app, db_path)


async def test_a_vanished_folder_is_reported_as_not_saved(app, db_path: Path) -> None:
    folder, moved = db_path.parent, db_path.parent.with_name("moved-away")
    async with app.run_test(size=SIZE) as pilot:
        folder.rename(moved)
        try:
            await pilot.press("n", *"Lost Co", "enter")
            await settle(pilot)
            assert app.save_state == "failed" and "NOT SAVED" in app.sub_title
            assert any("not saved" in message for message in told(app, "error"))
        finally:
            moved.rename(folder)
        await pilot.press("u")
        await settle(pilot)
        assert app.save_state == "saved"
    assert "Lost Co" not in names_on_disk(app, db_path)
