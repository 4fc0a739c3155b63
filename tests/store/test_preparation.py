"""The TUI's open (``background``): the backup and the rest of the files' preparation run on
a thread, and no write reaches the disk before it is done, or when it failed
(store/preparation.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from store import backups, db_files
from store.errors import ReadOnlyStore, WriteFailed
from store.journal import journal_path
from store.service import Workbench
from tests.store.conftest import Fingerprint


def _changed_on_disk(db_path: Path) -> bytes:
    """A database whose snapshot changed since its newest backup; its bytes."""
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)
    bench.add_company("Changed Since", layer="compute")
    bench.close()  # compacts: the next writable open backs the new snapshot up
    return db_path.read_bytes()


def test_the_backup_is_of_the_snapshot_as_opened_and_every_write_waits_for_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _changed_on_disk(db_path)
    gate = threading.Event()
    copy = db_files.backups.make_backup

    def slow_backup(path: Path) -> Path | None:
        gate.wait(5)
        return copy(path)

    monkeypatch.setattr(db_files.backups, "make_backup", slow_backup)
    bench = Workbench.open(db_path, background=True)
    try:
        assert bench.rows(), "the workbench reads before the backup is made"
        saving = threading.Thread(
            target=bench.add_company, args=("Waits",), kwargs={"layer": "data"}
        )
        saving.start()
        saving.join(0.3)
        assert saving.is_alive(), "a write went ahead of the backup"
        assert not journal_path(db_path).exists()
        gate.set()
        saving.join(5)
        assert journal_path(db_path).exists()
    finally:
        gate.set()
        bench.close()
    assert backups.list_backups(db_path)[-1].read_bytes() == opened
    assert "Waits" in db_path.read_text()


def test_a_backup_that_fails_leaves_the_file_untouched_and_the_session_read_only(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _changed_on_disk(db_path)
    before = Fingerprint.of(db_path)
    blocker = tmp_path / "data-home-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    bench = Workbench.open(db_path, background=True)
    assert bench.database.preparing is not None
    failure = bench.database.preparing.failure()
    assert failure is not None and "back up" in str(failure)
    with pytest.raises(WriteFailed, match="back up"):
        bench.database.preparing.wait()  # what every write meets before the disk
    bench.database.refuse_writes(str(failure).rstrip("."))
    assert bench.read_only and "back up" in bench.notice
    with pytest.raises(ReadOnlyStore, match="back up"):
        bench.add_company("Never Written", layer="data")
    bench.close()
    assert Fingerprint.of(db_path) == before
    assert not journal_path(db_path).exists()


def test_a_change_left_unsaved_by_a_failed_backup_is_reported_at_close(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(The TUI then writes it to a recovery file: ``tui.__main__.close_or_rescue``.)"""
    _changed_on_disk(db_path)
    blocker = tmp_path / "data-home-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    bench = Workbench.open(db_path, background=True)
    bench.commit = lambda: None  # as the TUI's writer: the change is queued, not yet written
    bench.add_company("Queued", layer="data")
    bench.database.refuse_writes("could not back up")
    with pytest.raises(WriteFailed, match="back up"):
        bench.close()
    assert "Queued" not in db_path.read_text()


def test_a_migration_still_prepares_the_files_before_it_writes(db_path: Path) -> None:
    """The upgraded file is written at open, so its backup cannot wait for a thread."""
    fixture = Path(__file__).parent / "fixtures" / "schema2.json"
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(fixture.read_bytes())
    bench = Workbench.open(db_path, background=True)
    try:
        assert bench.database.preparing is None
        assert backups.list_backups(db_path)[-1].read_bytes() == fixture.read_bytes()
    finally:
        bench.close()
