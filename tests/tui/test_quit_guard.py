"""Quitting never throws away what the user typed and has not saved.

In the checklist wizard, q (and ctrl+q, even from the evidence field) with answers not
saved asks first: save the run and quit, discard and quit, or keep answering. Without
answers, q quits as it does everywhere. Dialogs holding typed text (a note, the edit
form, tags) take q as a letter and ignore ctrl+q, so the text stays.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, TextArea

from store.models import Verdict
from tests.tui.conftest import (
    FOURTEEN,
    SIZE,
    on_disk,
    screen_text,
    type_text,
    wizard,
)
from tui.screens.dialogs import PromptDialog, UnsavedDialog
from tui.screens.edit_form import EditCompanyForm
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.summary import SessionSummary
from tui.screens.wizard import ChecklistWizard, RunResult


def crusoe_runs(app, db_path: Path) -> list:
    with on_disk(app, db_path) as stored:
        return stored.runs(stored.find("Crusoe").id)


# The checklist wizard ---------------------------------------------------------------------


async def test_q_with_answers_asks_and_keep_answering_loses_nothing(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "y", "p", "q")
        assert app.is_running
        assert isinstance(app.screen, UnsavedDialog)
        text = screen_text(app)
        assert "Quit and discard the answers of this run?" in text
        for label in ("Save and quit (s)", "Discard and quit (y)", "Keep answering (n)"):
            assert label in text
        await pilot.press("n")
        page = wizard(app)
        assert [page.answers[qid].answer.value for qid in ("A1", "A2")] == ["yes", "partly"]
        assert page.index == 2, "the user is back where they were"
        await pilot.press("q", "escape")
        assert wizard(app) is page, "esc on the question stays too"
        await pilot.press("q", "enter")
        assert wizard(app) is page, "enter presses the focused button: stay"
    assert crusoe_runs(app, db_path) == []


async def test_q_then_s_saves_the_run_and_quits(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *FOURTEEN, "q", "s")
        await pilot.pause()
        # The run is saved (the result page replaces the wizard); quitting then shows
        # the session summary, as it does after any decision.
        assert isinstance(app.screen, SessionSummary)
        assert isinstance(app.screen_stack[-2], RunResult)
        assert "1 scored" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    (run,) = crusoe_runs(app, db_path)
    assert (run.score, run.verdict) == (100, Verdict.ANCHOR)


async def test_q_then_y_discards_and_quits(app, db_path: Path) -> None:
    before = db_path.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "y", "y", "q", "y")
        await pilot.pause()
        assert not app.is_running, "nothing was decided: no summary, quit at once"
    assert db_path.read_bytes() == before
    assert crusoe_runs(app, db_path) == []


async def test_ctrl_q_in_the_evidence_field_asks_too(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "tab")
        page = wizard(app)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, "quarterly churn")
        assert page.query_one("#evidence", TextArea).text == "quarterly churn", "q is typed"
        await pilot.press("ctrl+q")
        assert app.is_running and isinstance(app.screen, UnsavedDialog)
        await pilot.press("n")
        assert wizard(app) is page
        assert page.answers["A1"].evidence == "quarterly churn"
        await pilot.press("ctrl+q", "s")
        await pilot.pause()
        assert isinstance(app.screen, SessionSummary)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running
    (run,) = crusoe_runs(app, db_path)
    assert run.answers["A1"].evidence == "quarterly churn"


async def test_q_without_answers_quits_at_once(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "right", "right")
        assert isinstance(app.screen, ChecklistWizard)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_esc_with_answers_offers_to_save_the_run(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *FOURTEEN, "escape")
        assert isinstance(app.screen, UnsavedDialog)
        text = screen_text(app)
        assert "Discard the answers of this run?" in text
        for label in ("Save run (s)", "Discard (y)", "Keep answering (n)"):
            assert label in text
        await pilot.press("s")
        assert isinstance(app.screen, RunResult), "saved: the verdict is shown"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
    (run,) = crusoe_runs(app, db_path)
    assert run.verdict is Verdict.ANCHOR


async def test_the_wizard_footer_and_help_say_what_q_does(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        footer = screen_text(app).splitlines()[-1]
        assert "esc Cancel" in footer and "q Quit" in footer
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Quit moatscope (asks first if answers would be lost)" in text
        assert "Leave the wizard (asks first if answers would be lost)" in text


# Dialogs holding typed text ---------------------------------------------------------------


async def test_q_and_ctrl_q_in_dialogs_keep_what_was_typed(app) -> None:
    """The note editor, the tags prompt and the edit form: q is a letter in a field and
    does nothing elsewhere; ctrl+q does nothing."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await type_text(pilot, "Half a thought")
        await pilot.press("q", "ctrl+q")
        assert app.is_running and isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#body", TextArea).text == "Half a thoughtq"
        await pilot.press("escape", "y", "t", "end")
        await type_text(pilot, ", quantum")
        await pilot.press("ctrl+q")
        assert app.is_running and isinstance(app.screen, PromptDialog)
        assert app.screen.query_one("#value", Input).value.endswith(", quantum")
        await pilot.press("escape", "y", "e")

        form = app.screen
        assert isinstance(form, EditCompanyForm)
        name = form.query_one("#field-name", Input)
        name.focus()
        await pilot.press("end")
        await type_text(pilot, " Inc")
        form.query_one("#field-layer", Select).focus()
        await pilot.press("q", "ctrl+q")
        assert app.is_running and app.screen is form, "off a text field, q does nothing"
        assert name.value == "Crusoe Inc"
        name.focus()
        await pilot.press("end", "q", "ctrl+q")
        assert app.is_running and app.screen is form
        assert name.value == "Crusoe Incq"
