"""Keys that arrive in one burst (fast typing, tmux, a paste of keystrokes) keep their order:
text typed just before ctrl+s is part of what is saved."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from tests.tui.conftest import SIZE, names_on_disk, on_disk
from tui.screens.edit_form import EditCompanyForm
from tui.screens.main import MainScreen
from tui.screens.note_editor import NoteEditor


def burst(app, text: str, *keys: str) -> None:
    """Queue every key at once, without waiting for the app between them."""
    for char in text:
        app.post_message(events.Key(_character_to_key(char), char))
    for key in keys:
        app.post_message(events.Key(key, None))


async def test_a_note_typed_and_saved_in_one_burst_keeps_every_letter(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        burst(app, "PPA signed for 2028", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        company = app.screen.table.current.id
    with on_disk(app, db_path) as stored:
        (note,) = stored.company(company).notes
        assert note.body == "PPA signed for 2028"


async def test_a_form_field_typed_and_saved_in_one_burst_keeps_every_letter(
    app, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, EditCompanyForm)
        field = app.screen.query_one("#field-name", Input)
        field.focus()
        await pilot.press("end")  # focus selects the name; keep it and type after it
        name = field.value
        burst(app, " 2028", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        company = app.screen.table.current.id
    with on_disk(app, db_path) as stored:
        assert stored.company(company).name == f"{name} 2028"


async def test_checklist_evidence_typed_and_saved_in_one_burst_keeps_every_letter(
    app, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "tab")
        company = app.screen_stack[-2].table.current.id
        burst(app, "Queue of 2028", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
    with on_disk(app, db_path) as stored:
        (run,) = stored.runs(company)
        assert run.answers["A1"].evidence == "Queue of 2028"


async def test_n_a_name_and_enter_in_one_burst_add_the_company(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "nAcme Photonics", "enter")
        for _ in range(5):
            await pilot.pause(0.1)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.table.current.name == "Acme Photonics", "listed and selected"
    assert "Acme Photonics" in names_on_disk(app, db_path)


async def test_add_note_and_filter_in_one_burst_as_tmux_sends_them(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "nAcme Photonics", "enter")
        burst(app, "aPPA signed", "ctrl+s")
        burst(app, "/acme")
        for _ in range(10):
            await pilot.pause(0.1)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one("#filter", Input).value == "acme"
        assert [row.name for row in app.screen.table.rows] == ["Acme Photonics"]
    with on_disk(app, db_path) as stored:
        (note,) = stored.find("Acme Photonics").notes
        assert note.body == "PPA signed"
