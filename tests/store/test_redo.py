"""Redo: what undo took back comes back, until a new change; and each change says which
session made it, so the TUI can ask before undoing another session's work."""

from __future__ import annotations

from pathlib import Path

from store.models import Status
from store.service import Workbench


def status_of(bench: Workbench, name: str) -> Status:
    return bench.find(name).status


def test_redo_makes_the_undone_change_again(workbench: Workbench) -> None:
    oklo = workbench.find("Oklo").id
    workbench.set_status([oklo], Status.SCREENING)
    workbench.add_note(oklo, "Met the founders.")
    undone = workbench.undo_change()
    assert undone is not None and undone.company_ids == [oklo]
    assert workbench.find("Oklo").notes == []
    redone = workbench.redo_change()
    assert redone is not None and redone.label == undone.label
    assert [note.body for note in workbench.find("Oklo").notes] == ["Met the founders."]
    assert workbench.redo_change() is None, "nothing left to redo"
    assert workbench.undo_change().label == undone.label, "a redone change can be undone again"


def test_changes_undone_in_a_row_are_redone_in_the_order_they_were_made(
    workbench: Workbench,
) -> None:
    oklo = workbench.find("Oklo").id
    workbench.set_status([oklo], Status.SCREENING)
    workbench.set_status([oklo], Status.WATCHING)
    workbench.undo_change()
    workbench.undo_change()
    assert status_of(workbench, "Oklo") is Status.REFERENCE
    workbench.redo_change()
    assert status_of(workbench, "Oklo") is Status.SCREENING
    workbench.redo_change()
    assert status_of(workbench, "Oklo") is Status.WATCHING


def test_a_new_change_ends_the_redo(workbench: Workbench) -> None:
    oklo = workbench.find("Oklo").id
    workbench.set_status([oklo], Status.SCREENING)
    workbench.undo_change()
    workbench.add_note(oklo, "A new thought.")
    assert workbench.redo_change() is None
    assert status_of(workbench, "Oklo") is Status.REFERENCE


def test_after_a_new_change_is_undone_redo_makes_that_change_not_an_earlier_one(
    workbench: Workbench,
) -> None:
    """Undo A, make B, undo B: redo brings B back; A, undone before B, stays undone."""
    oklo = workbench.find("Oklo").id
    before = status_of(workbench, "Oklo")
    workbench.set_status([oklo], Status.SCREENING)
    workbench.undo_change()
    workbench.add_note(oklo, "A new thought.")
    workbench.undo_change()
    redone = workbench.redo_change()
    assert redone is not None and redone.label == "Added a note to Oklo"
    assert [note.body for note in workbench.find("Oklo").notes] == ["A new thought."]
    assert status_of(workbench, "Oklo") is before
    assert workbench.redo_change() is None


def test_redo_holds_across_sessions_and_is_saved(db_path: Path) -> None:
    bench = Workbench.open(db_path, author="tester")
    bench.add_company("Kestrel", layer="compute")
    bench.undo_change()
    bench.close()
    again = Workbench.open(db_path, author="tester")
    assert again.redo_change() is not None
    again.close()
    reopened = Workbench.open(db_path, read_only=True)
    assert reopened.find("Kestrel").name == "Kestrel"
    reopened.close()


def test_the_next_undo_says_whether_this_session_made_it(db_path: Path) -> None:
    cli = Workbench.open(db_path, author="tester")
    cli.add_company("Kestrel", layer="compute")
    cli.close()
    tui = Workbench.open(db_path, author="tester")
    earlier = tui.next_undo()
    assert earlier is not None and earlier.label.endswith("Kestrel")
    assert earlier.this_session is False
    tui.add_note(tui.find("Kestrel").id, "Ours.")
    ours = tui.next_undo()
    assert ours is not None and ours.this_session is True
    tui.close()
