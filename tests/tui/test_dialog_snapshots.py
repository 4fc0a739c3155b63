"""SVG snapshots of the dialogs and the import screen at 160 × 48 (pytest-textual-snapshot).

Each test's docstring says what its SVG must show; look at the picture with that list in
hand before accepting an update (``--snapshot-update``). The clock is fixed, cursors do
not blink and the database folder shows as ``~/data`` (conftest).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

import tui.screens
from tests.tui.conftest import CSV, SIZE, paste, quiet, run_command, wait_until
from tui.screens.import_screen import ImportScreen

pytestmark = pytest.mark.usefixtures("steady_header")


def test_confirm_dialog(app, snap_compare) -> None:
    """d on Crusoe: over the dimmed main screen, a small box asking "Delete Crusoe?" with a
    red "Delete (y)" button and a plain "Keep (n)" button; the bottom line is the dialog's
    own bar, "y Delete  n Keep", with no Quit, Help or palette key."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("d")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_unsaved_dialog(app, snap_compare) -> None:
    """q in the checklist wizard after two answers: over the wizard, "Quit and discard the
    answers of this run?" with three buttons, "Save and quit (s)" in the primary colour,
    "Discard and quit (y)" in red and "Keep answering (n)", which has the focus; the bar
    at the bottom says "s Save and quit  y Discard and quit  n Keep answering"."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("c", "y", "p", "q")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_choice_dialog(app, snap_compare) -> None:
    """The palette's "company: Move to layer" on Crusoe: a box titled "Move Crusoe to"
    listing the five layers, Power & Facilities first and highlighted, and the hint
    "enter chooses · esc cancels"; the bar at the bottom says "⏎ Choose  ↑↓ Move  esc
    Cancel"."""

    async def run_before(pilot: Pilot) -> None:
        await run_command(pilot, "company: Move to layer")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_revisit_dialog(app, snap_compare) -> None:
    """r on Crusoe: "Revisit Crusoe", the choices "1  1 week (2026-11-27)", "2  1 month
    (2026-12-20)", "3  1 quarter (2027-02-19)" and "0  no revisit date", an empty date
    field with its placeholder, and the hint "1 week · 2 month · 3 quarter · 0 clear · or
    type a date"; the bar at the bottom says "1 Week 2 Month 3 Quarter 0 Clear ⏎ Choose
    tab Date esc Cancel"."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("r")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_import_preview(app, snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """I and a CSV of five new names: the import screen titled "Import companies.csv",
    the summary (five to add) ending "enter imports all of it as one change; esc
    cancels.", a full progress bar at 100%, then one preview line per row ("row 2
    added  Arclight Optics  Networking & Interconn…  matched optics, …"; Driftwood left
    unsorted), and a footer with ⏎ Import, esc Cancel and ? Help (no Quit: q cancels
    here), the palette's key at the right."""
    monkeypatch.chdir(tmp_path)  # the title shows the path as typed, the same on every run
    (tmp_path / "companies.csv").write_text(CSV, encoding="utf-8")

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("I")
        await paste(pilot, "companies.csv")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ImportScreen), "import")
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.plan is not None, "the import plan")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


SNAPSHOTS = Path(__file__).parent / "__snapshots__"
SNAPSHOT_OF = {
    "MainScreen": "test_snapshots/test_main_screen.svg",
    "PromptDialog": "test_snapshots/test_quick_add_dialog.svg",
    "EditCompanyForm": "test_snapshots/test_edit_form_with_validation_errors.svg",
    "NoteEditor": "test_snapshots/test_note_editor_with_text.svg",
    "StatusPicker": "test_snapshots/test_status_picker_asking_the_pass_reason.svg",
    "StackMapScreen": "test_snapshots/test_stack_map.svg",
    "HelpScreen": "test_snapshots/test_help_screen.svg",
    "ChecklistWizard": "test_checklist_snapshots/test_a_question_page.svg",
    "RunResult": "test_checklist_snapshots/test_the_result_page.svg",
    "RunHistory": "test_checklist_snapshots/test_the_run_history_with_a_change.svg",
    "CompareScreen": "test_checklist_snapshots/test_the_compare_view.svg",
    "InboxScreen": "test_inbox_snapshots/test_inbox_with_items.svg",
    "PassReasonDialog": "test_inbox_snapshots/test_the_pass_reason_prompt.svg",
    "SessionSummary": "test_inbox_snapshots/test_the_session_summary.svg",
    "ConfirmDialog": "test_dialog_snapshots/test_confirm_dialog.svg",
    "UnsavedDialog": "test_dialog_snapshots/test_unsaved_dialog.svg",
    "ChoiceDialog": "test_dialog_snapshots/test_choice_dialog.svg",
    "RevisitDialog": "test_dialog_snapshots/test_revisit_dialog.svg",
    "ImportScreen": "test_dialog_snapshots/test_import_preview.svg",
    "ChainScreen": "test_chain_snapshots/test_chain_picture_narrow.svg",
    "ChokepointsScreen": "test_chain_snapshots/test_chokepoints_view_narrow.svg",
    "LinkDialog": "test_chain_snapshots/test_link_dialog_at_the_kind_step.svg",
    "MultiPickDialog": "test_chain_snapshots/test_depends_on_chokepoints_dialog.svg",
    "SyncDialog": "test_cli_team_sync/test_the_sync_dialog.svg",
}
"""Each screen and dialog the app shows, and the snapshot that pictures it."""


def shown_screens() -> set[str]:
    """Every Screen class of tui/screens that the app pushes: those no other screen
    class builds on (Modal, SolidScreen, Dialog and KeptDialog are only bases)."""
    classes = set()
    for info in pkgutil.iter_modules(tui.screens.__path__, prefix="tui.screens."):
        module = importlib.import_module(info.name)
        classes |= {
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, Screen)
            and value.__module__ == module.__name__
        }
    bases = {base for cls in classes for base in cls.__mro__[1:]}
    return {cls.__name__ for cls in classes - bases}


def test_every_screen_and_dialog_has_a_snapshot() -> None:
    assert shown_screens() == set(SNAPSHOT_OF), "a screen without a snapshot, or one gone"
    missing = [svg for svg in SNAPSHOT_OF.values() if not (SNAPSHOTS / svg).is_file()]
    assert not missing, missing
