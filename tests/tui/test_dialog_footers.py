"""Each dialog's key bar: the bottom line shows the dialog's own keys (those its fields
handle too), never the app's Quit and Help that do not work under a dialog; the import
preview offers Cancel on q, not Quit.

Every key read here is also pressed, so the bar is checked against what the key does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from store.models import Status
from store.service import Workbench
from store.settings import Settings, save_settings
from tests.tui.conftest import (
    CSV,
    SIZE,
    file_state,
    footer_text,
    paste,
    quiet,
    run_command,
    type_text,
    wait_until,
)
from tui.__main__ import make_app
from tui.screens.backdrop import Modal
from tui.screens.dialogs import ChoiceDialog, ConfirmDialog, PromptDialog, UnsavedDialog
from tui.screens.edit_form import EditCompanyForm
from tui.screens.help import HelpScreen
from tui.screens.import_screen import ImportScreen
from tui.screens.main import MainScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.status_picker import StatusPicker
from tui.screens.summary import SessionSummary
from tui.screens.triage_dialogs import PassReasonDialog, RevisitDialog
from tui.widgets.footer import Footer

APP_KEYS = ("Quit", "? Help", "^p")
"""The main screen's keys that do not work under a dialog."""


async def bar(pilot: Pilot, kind: type) -> str:
    """The bottom line once ``kind`` is on top: its own footer, drawn."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await quiet(pilot)
    assert len(pilot.app.screen.query(Footer)) == 1
    return footer_text(pilot.app)


def only_its_own(line: str, *keys: str) -> None:
    """``line`` names ``keys`` in that order and none of the app's."""
    at = [line.find(key) for key in keys]
    assert -1 not in at, f"{keys} in {line!r}"
    assert at == sorted(at), f"{keys} in that order in {line!r}"
    assert not [key for key in APP_KEYS if key in line], line


async def test_confirm_names_its_buttons_and_y_answers(app, bench: Workbench) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        only_its_own(await bar(pilot, ConfirmDialog), "y Delete", "n Keep")
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen)
        assert bench.find("Crusoe") is not None, "n keeps the company"


async def test_unsaved_work_names_its_three_answers(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "y", "p", "q")
        line = await bar(pilot, UnsavedDialog)
        only_its_own(line, "s Save and quit", "y Discard and quit", "n Keep answering")
        await pilot.press("n")
        assert not isinstance(app.screen, UnsavedDialog)


async def test_quick_add_names_enter_and_esc(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        only_its_own(await bar(pilot, PromptDialog), "⏎ OK", "esc Cancel")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_tags_name_the_arrow_that_completes_a_tag(app, bench: Workbench) -> None:
    bench.set_tags(bench.find("Lambda").id, ["gpu-cloud"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        only_its_own(await bar(pilot, PromptDialog), "⏎ OK", "→ Complete", "esc Cancel")
        field = app.screen.query_one("#value", Input)
        field.value = ""
        await type_text(pilot, "gpu-c")
        await pilot.press("right")
        assert field.value == "gpu-cloud"


async def test_file_prompts_name_what_enter_does(app, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("I")
        only_its_own(await bar(pilot, PromptDialog), "⏎ Import", "esc Cancel")
        await pilot.press("escape")
        await pilot.press("X")
        only_its_own(await bar(pilot, PromptDialog), "⏎ Export", "esc Cancel")


async def test_choice_names_enter_and_the_arrows(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "company: Move to layer")
        only_its_own(await bar(pilot, ChoiceDialog), "⏎ Choose", "↑↓ Move", "esc Cancel")


async def test_layer_prompt_has_its_own_bar(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "layer: Add")
        only_its_own(await bar(pilot, PromptDialog), "⏎ OK", "esc Cancel")


async def test_edit_form_names_save_and_tab_and_on_tags_the_arrow(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        line = await bar(pilot, EditCompanyForm)
        only_its_own(line, "^s Save", "tab Next field", "esc Cancel")
        assert "Complete" not in line
        app.screen.query_one("#field-tags", Input).focus()
        await quiet(pilot)
        only_its_own(footer_text(app), "^s Save", "tab Next field", "→ Complete", "esc Cancel")


async def test_note_editor_names_ctrl_s(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        only_its_own(await bar(pilot, NoteEditor), "^s Save note", "esc Cancel")


async def test_status_picker_names_its_letters_then_the_reason_key(app, bench: Workbench) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        line = await bar(pilot, StatusPicker)
        only_its_own(line, "n s d i p w r Status", "⏎ Choose", "esc Cancel")
        footer = app.screen.query_one(Footer)
        await pilot.press("p")
        await quiet(pilot)
        line = footer_text(app)
        only_its_own(line, "⏎ Save reason", "esc Cancel")
        assert "Status" not in line, "letters are typed into the reason now"
        await pilot.press("escape")
        await quiet(pilot)
        # Opened again (the same kept dialog), the bar is back to the letters.
        await pilot.press("s")
        only_its_own(await bar(pilot, StatusPicker), "n s d i p w r Status", "⏎ Choose")
        assert app.screen.query_one(Footer) is footer, "a kept dialog keeps its bar"
        await pilot.press("w")
        await pilot.pause()
        assert bench.find("Crusoe").status is Status.WATCHING


async def test_pass_reason_names_as_many_numbers_as_reasons(
    app, bench: Workbench, five: dict[str, str]
) -> None:
    bench.set_status([bench.find("Vertiv").id], Status.PASSED, "Public company")
    bench.set_status([bench.find("Oklo").id], Status.PASSED, "Too early for us")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "p")
        line = await bar(pilot, PassReasonDialog)
        only_its_own(line, "1-2 Reason", "⏎ Choose", "tab New reason", "esc Cancel")
        await pilot.press("tab")
        await quiet(pilot)
        only_its_own(footer_text(app), "⏎ Save reason", "esc Cancel")


async def test_one_recent_reason_is_one_number(app, bench: Workbench, five: dict[str, str]) -> None:
    bench.set_status([bench.find("Oklo").id], Status.PASSED, "Too early for us")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "p")
        line = await bar(pilot, PassReasonDialog)
        only_its_own(line, " 1 Reason", "⏎ Choose")
        assert "1-" not in line, line


async def test_the_bar_names_the_keys_of_the_keymap(bench: Workbench) -> None:
    """A status letter and a revisit number remapped in the settings: the bar names the
    new keys, which work, and not the old ones."""
    save_settings(Settings(keymap={"status.w": "W", "revisit.clear": "x"}))
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        only_its_own(await bar(pilot, StatusPicker), "n s d i p r W Status")
        await pilot.press("escape")
        await pilot.press("r")
        line = await bar(pilot, RevisitDialog)
        only_its_own(line, "1 Week", "x Clear")
        assert "0 Clear" not in line
        await pilot.press("escape")
        await pilot.press("s", "W")
        await pilot.pause()
        assert bench.find("Crusoe").status is Status.WATCHING


async def test_revisit_names_its_numbers_until_a_date_is_typed(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        line = await bar(pilot, RevisitDialog)
        only_its_own(line, "1 Week", "2 Month", "3 Quarter", "0 Clear", "⏎ Choose", "tab Date")
        await pilot.press("tab")
        await quiet(pilot)
        line = footer_text(app)
        only_its_own(line, "⏎ Save date", "esc Cancel")
        assert "Week" not in line, "digits are typed into the date now"


async def test_help_names_scroll_and_close(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        only_its_own(await bar(pilot, HelpScreen), "↑↓ Scroll", "esc Close")


async def test_session_summary_names_its_quit_and_stay(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "w", "q")
        line = await bar(pilot, SessionSummary)
        # Quit is the summary's own key here (enter, q or y leave), so only help is absent.
        assert "⏎ Quit" in line and "esc Stay" in line and "Help" not in line, line
        await pilot.press("escape")
        assert app.is_running


async def test_every_dialog_kind_has_one_bar() -> None:
    """A dialog draws its bar through ``Modal.compose``: none composes itself."""
    kinds = [ConfirmDialog, UnsavedDialog, PromptDialog, ChoiceDialog, EditCompanyForm]
    kinds += [NoteEditor, StatusPicker, PassReasonDialog, RevisitDialog, HelpScreen]
    kinds += [SessionSummary]
    for kind in kinds:
        assert issubclass(kind, Modal)
        assert "compose" not in vars(kind), f"{kind.__name__} would lose its key bar"


async def test_a_click_on_a_named_key_presses_it(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        footer = app.screen.query_one(Footer)
        await bar(pilot, RevisitDialog)
        start = footer_text(app).index("⏎ Choose")
        await pilot.click(footer, offset=(start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), "the click chose the highlighted week"


@pytest.fixture
def csv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "companies.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


async def test_q_in_the_import_preview_cancels(app, csv_file: Path, db_path: Path) -> None:
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("I")
        await paste(pilot, csv_file.name)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen), "import")
        screen = app.screen
        await wait_until(pilot, lambda: screen.plan is not None, "the import plan")
        await quiet(pilot)
        line = footer_text(app)
        assert "⏎ Import" in line and "esc Cancel" in line and "? Help" in line, line
        assert "Quit" not in line, line
        await pilot.press("q")
        await quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.is_running
        assert app.wait_for_saves()
    assert file_state(db_path) == before, "nothing was imported"
