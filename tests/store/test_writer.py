"""The background writer reports every failure and lives on for the next commit.

A write can fail with anything: the store's own WriteFailed, an OSError the storage did
not wrap, MemoryError, a bug. Each reaches the outcome callback as one sentence, ``wait``
returns, the change stays unsaved (the database is dirty, so closing tries again), and
the next commit is written.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from store.errors import MoatscopeError, WriteFailed
from store.service import Workbench
from store.writer import BackgroundWriter
from tests.databases import names_in

Outcomes = list[tuple[int, MoatscopeError | None]]

FAILURES = {
    "a bug": (RuntimeError("snapshot lost its lines"), "an internal error (RuntimeError"),
    "an unwrapped OSError": (PermissionError(13, "Permission denied"), "Permission denied"),
    "out of memory": (MemoryError(), "the computer ran out of memory"),
    "the store's own": (WriteFailed("Could not save it: disk full."), "disk full"),
}


def writing(bench: Workbench) -> tuple[BackgroundWriter, Outcomes]:
    """A writer on ``bench``'s database, the workbench committing through it."""
    outcomes: Outcomes = []
    writer = BackgroundWriter(bench.database, lambda gen, error: outcomes.append((gen, error)))
    bench.commit = writer.commit
    return writer, outcomes


@pytest.mark.parametrize("failure, sentence", FAILURES.values(), ids=FAILURES.keys())
def test_any_failure_is_reported_and_the_next_commit_is_written(
    workbench: Workbench,
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    sentence: str,
) -> None:
    writer, outcomes = writing(workbench)
    storage = workbench.database.storage

    def broken(snapshot: object) -> bool:
        raise failure

    monkeypatch.setattr(storage, "write_snapshot", broken)
    workbench.add_company("Lost For Now", layer="compute")
    assert writer.wait(timeout=10), "wait returns after a failed write"
    ((_, error),) = outcomes
    assert isinstance(error, WriteFailed)
    assert sentence in str(error)
    assert "Traceback" not in str(error) and "\n" not in str(error)
    if not isinstance(failure, MoatscopeError):
        assert str(error).startswith(f"Could not save {db_path}: ")
        assert str(error).endswith("; the change is not saved.")
    assert storage.dirty, "the change is still to be saved"
    assert "Lost For Now" not in names_in(db_path)

    monkeypatch.undo()
    workbench.add_company("Saved Later", layer="compute")
    assert writer.wait(timeout=10)
    assert outcomes[-1][1] is None, "the thread lived on and wrote the next commit"
    assert not storage.dirty
    assert {"Lost For Now", "Saved Later"} <= names_in(db_path)
    writer.stop()


def test_an_outcome_callback_that_raises_does_not_stop_the_writer(
    workbench: Workbench, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_value))
    calls: list[int] = []

    def clumsy(generation: int, error: MoatscopeError | None) -> None:
        calls.append(generation)
        if len(calls) == 1:
            raise ValueError("the receiver is broken")

    writer = BackgroundWriter(workbench.database, clumsy)
    workbench.commit = writer.commit
    workbench.add_company("First", layer="compute")
    assert writer.wait(timeout=10)
    workbench.add_company("Second", layer="compute")
    assert writer.wait(timeout=10)
    writer.stop()
    assert len(calls) == 2
    assert [str(error) for error in reported] == ["the receiver is broken"], "not silent"
    assert {"First", "Second"} <= names_in(db_path)


def test_stop_after_a_failure_ends_the_thread(
    workbench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, outcomes = writing(workbench)

    def broken(snapshot: object) -> bool:
        raise RuntimeError("boom")

    monkeypatch.setattr(workbench.database.storage, "write_snapshot", broken)
    workbench.add_company("Never Written", layer="compute")
    writer.stop()  # returns: the thread is not stuck busy
    assert "moatscope-writer" not in {thread.name for thread in threading.enumerate()}
    assert [type(error) for _, error in outcomes] == [WriteFailed]
    monkeypatch.undo()  # (the fixture's close then saves the change)
