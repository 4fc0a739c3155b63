"""Keys that edit one company, driven with Pilot and checked against the file: n quick-add,
e the edit form, a a note, s the status (with a reason for passing), t the tags.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from store.models import Status
from tests.tui.conftest import (
    FIXED_NOW,
    POWER,
    SIZE,
    clear_input,
    current,
    detail_text,
    file_state,
    go_to,
    names_on_disk,
    on_disk,
    paste,
    screen_text,
    settle,
    table,
    told,
    type_text,
)
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.edit_form import EditCompanyForm
from tui.screens.main import MainScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.status_picker import StatusPicker
from tui.widgets.company_table import CompanyTable

# Helpers ----------------------------------------------------------------------------------


def layer_counts(app: Any) -> dict[str, str]:
    """What the layer list on screen says under each layer's name."""
    lines = [line[1:33].strip() for line in screen_text(app).splitlines()[2:]]
    return {name: count for name, count in zip(lines, lines[1:], strict=False) if "compan" in count}


async def _open_field(pilot: Pilot, key: str) -> Input:
    field = pilot.app.screen.query_one(f"#field-{key}", Input)
    field.focus()
    await pilot.pause()
    await clear_input(pilot)
    return field


# n quick-add --------------------------------------------------------------------------------


async def test_n_quick_adds_to_the_current_layer_and_selects_it(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert layer_counts(app)["Compute"] == "12 reference companies"
        await pilot.press("right_square_bracket", "n")
        assert isinstance(app.screen, PromptDialog)
        assert "Add a company to Compute" in screen_text(app)
        await type_text(pilot, "Acme Photonics")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert current(app) == "Acme Photonics"
        assert isinstance(app.focused, CompanyTable)
        assert "Acme Photonics" in detail_text(app)
        assert "Added Acme Photonics" in told(app)
        await settle(pilot)
        assert app.save_state == "saved"
        assert layer_counts(app)["Compute"] == "1 company"
        assert layer_counts(app)["Data"] == "8 reference companies"
        with on_disk(app, db_path) as stored:
            added = stored.find("Acme Photonics")
            assert added.layer == "compute" and added.status is Status.NEW
            assert added.created == FIXED_NOW


async def test_n_with_an_empty_name_shows_an_error_and_keeps_the_dialog(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "enter")
        assert isinstance(app.screen, PromptDialog)
        error = app.screen.query_one("#error", Static)
        assert error.has_class("-visible") and str(error.render()).strip()
        await type_text(pilot, "   ")
        await pilot.press("enter")
        assert isinstance(app.screen, PromptDialog), "a blank name is refused too"
        await pilot.press("backspace", "backspace", "backspace", *"Later Co", "enter")
        assert isinstance(app.screen, MainScreen)
        assert current(app) == "Later Co"
    assert names_on_disk(app, db_path, layer="power") == {*POWER, "Later Co"}


async def test_n_with_a_duplicate_name_keeps_the_typed_name(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"oklo", "enter")
        assert isinstance(app.screen, PromptDialog)
        assert "already exists" in str(app.screen.query_one("#error", Static).render())
        assert app.screen.query_one("#value", Input).value == "oklo"
    assert names_on_disk(app, db_path, layer="power") == set(POWER)


# e edit -------------------------------------------------------------------------------------


async def test_e_edits_fields_and_saves(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        await pilot.press("e")
        assert isinstance(app.screen, EditCompanyForm)
        await _open_field(pilot, "one_liner")
        await paste(pilot, "Small fission reactors for data centers.")
        await _open_field(pilot, "website")
        await type_text(pilot, "oklo.ai")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert "Small fission reactors for data centers." in detail_text(app)
    with on_disk(app, db_path) as stored:
        oklo = stored.find("Oklo")
        assert oklo.one_liner == "Small fission reactors for data centers."
        assert oklo.website == "https://oklo.ai"
        assert oklo.updated == FIXED_NOW


async def test_e_with_bad_values_shows_errors_next_to_fields_and_saves_nothing(
    app, db_path: Path
) -> None:
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        await pilot.press("e")
        await _open_field(pilot, "one_liner")
        await paste(pilot, "Typed and not lost")
        await _open_field(pilot, "website")
        await type_text(pilot, "not a url")
        await _open_field(pilot, "founded_year")
        await type_text(pilot, "3000")
        await pilot.press("ctrl+s")
        form = app.screen
        assert isinstance(form, EditCompanyForm), "an invalid form stays open"
        website_error = form.query_one("#error-website", Static)
        year_error = form.query_one("#error-founded_year", Static)
        assert website_error.has_class("-visible") and "web address" in str(website_error.render())
        assert year_error.has_class("-visible") and "future" in str(year_error.render())
        assert not form.query_one("#error-one_liner", Static).has_class("-visible")
        assert form.query_one("#field-one_liner", Input).value == "Typed and not lost"
        assert form.query_one("#field-website", Input).value == "not a url"
        assert form.query_one("#field-founded_year", Input).value == "3000"
        website = form.query_one("#field-website", Input)
        assert app.focused is website, "focus goes to the first bad field"
        app.wait_for_saves()
        assert file_state(db_path) == before, "nothing is saved while the form is invalid"

        # Fixing the two fields saves everything, the untouched typed one-liner included.
        await _open_field(pilot, "website")
        await paste(pilot, "https://oklo.example.com")
        await _open_field(pilot, "founded_year")
        await type_text(pilot, "2013")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        oklo = stored.find("Oklo")
        assert (oklo.one_liner, oklo.website, oklo.founded_year) == (
            "Typed and not lost",
            "https://oklo.example.com",
            2013,
        )


# a note -------------------------------------------------------------------------------------


async def test_a_writes_a_note_saved_with_ctrl_s(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Lancium")
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, "Met them.")
        await pilot.press("enter")
        await paste(pilot, "Strong *grid* team.")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MainScreen)
        assert "Note saved" in told(app)
        await pilot.pause()
        assert "Met them." in screen_text(app), "the note is shown in the detail"
    with on_disk(app, db_path) as stored:
        (note,) = stored.find("Lancium").notes
        assert note.body == "Met them.\nStrong *grid* team."
        assert note.author == "analyst" and note.created == FIXED_NOW


async def test_esc_in_the_note_editor_asks_before_discarding(app, db_path: Path) -> None:
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Half a thought")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard what you typed?" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor), "n keeps the editor"
        assert app.screen.query_one(TextArea).text == "Half a thought"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, MainScreen)
        # An empty editor closes at once.
        await pilot.press("a", "escape")
        assert isinstance(app.screen, MainScreen)
        app.wait_for_saves()
    assert file_state(db_path) == before
    with on_disk(app, db_path) as stored:
        assert stored.find("Crusoe").notes == []


async def test_dialogs_opened_again_start_empty_for_their_new_subject(app, db_path: Path) -> None:
    """The note editor and the status picker are kept between openings: nothing of the
    last opening (its text, its error, a pass reason asked for) may show on the next."""
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Crusoe")
        await pilot.press("a", *"Half a thought", "escape", "y")
        await go_to(pilot, "Lancium")
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        assert "Note on Lancium" in screen_text(app) and "Half a thought" not in screen_text(app)
        assert app.screen.query_one(TextArea).text == "" and app.focused is not None
        await pilot.press(*"Grid queue", "ctrl+s")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("s", "up", "up", "enter")  # from reference up to passed: why?
        await pilot.press("enter")  # an empty reason is refused
        assert "reason is required" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("g")  # back to the top of the list
        await go_to(pilot, "Crusoe")
        await pilot.press("s")
        assert isinstance(app.screen, StatusPicker)
        text = screen_text(app)
        assert "Status of Crusoe" in text and "Why are we passing?" not in text
        assert "reason is required" not in text
        assert not app.screen.query_one("#reason", Input).display
        await pilot.press("escape")
    with on_disk(app, db_path) as stored:
        assert stored.find("Crusoe").notes == []
        assert [note.body for note in stored.find("Lancium").notes] == ["Grid queue"]
        assert stored.find("Lancium").status is Status.REFERENCE


# s status -----------------------------------------------------------------------------------


async def test_s_sets_the_status(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Equinix")
        await pilot.press("s")
        assert isinstance(app.screen, StatusPicker)
        assert re.search(r"Status +reference", screen_text(app))
        await pilot.press("home", "down", "enter")
        assert isinstance(app.screen, MainScreen)
        assert "screening" in detail_text(app)
        await settle(pilot)  # the detail's changed line is drawn on screen, not only kept
        assert re.search(r"Status +screening", screen_text(app))
        assert not re.search(r"Status +reference", screen_text(app))
    with on_disk(app, db_path) as stored:
        assert stored.find("Equinix").status is Status.SCREENING


async def test_s_passed_asks_for_a_reason_and_refuses_an_empty_one(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Vertiv")
        await pilot.press("s", "up", "up", "enter")  # from reference up to passed
        picker = app.screen
        assert isinstance(picker, StatusPicker)
        reason = picker.query_one("#reason", Input)
        assert reason.display and app.focused is reason
        await pilot.press("enter")
        assert isinstance(app.screen, StatusPicker), "an empty reason is refused"
        assert "reason is required" in str(picker.query_one("#error", Static).render())
        app.wait_for_saves()
        with on_disk(app, db_path) as stored:
            assert stored.find("Vertiv").status is Status.REFERENCE
        await paste(pilot, "Public company, outside our mandate")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert "passed — Public company, outside our mandate" in detail_text(app)
    with on_disk(app, db_path) as stored:
        vertiv = stored.find("Vertiv")
        assert vertiv.status is Status.PASSED
        assert vertiv.pass_reason == "Public company, outside our mandate"


# t tags -------------------------------------------------------------------------------------


async def test_t_saves_a_comma_separated_tag_list(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Fervo Energy")
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert dialog.query_one("#value", Input).value == "starter"
        await pilot.press("end")
        await paste(pilot, ", geothermal , firm power,")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert table(app).current.tags == ("starter", "geothermal", "firm power")
    with on_disk(app, db_path) as stored:
        assert stored.find("Fervo Energy").tags == ["starter", "geothermal", "firm power"]
