"""Recovery copies: one file per rescue, never over another, user-only; the lock is 0600 too."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store import clock
from store.errors import MoatscopeError, WriteFailed
from store.paths import data_dir, lock_path
from store.service import Workbench
from store.storage import MemoryStorage
from tui.__main__ import close_or_rescue


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _fail(self: MemoryStorage, snapshot: object) -> bool:
    raise WriteFailed(f"Could not save {self.path}: No space left on device; not saved.")


def test_two_rescues_in_one_second_keep_both(db_path: Path, monkeypatch) -> None:
    Workbench.open(db_path).close()
    monkeypatch.setattr(MemoryStorage, "write_snapshot", _fail)  # a full disk from here on
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 21, 9, 30, tzinfo=UTC))
    rescued = []
    for name in ("First Lost", "Second Lost"):
        bench = Workbench.open(db_path)
        bench.commit = lambda: None  # the TUI's background writer has not saved yet
        bench.add_company(name, layer="compute")
        with pytest.raises(MoatscopeError) as caught:
            close_or_rescue(bench)
        message = str(caught.value)
        assert "Your unsaved changes were written to " in message
        rescued.append(Path(message.rsplit(" ", 1)[1].rstrip(".")))
    assert rescued[0] != rescued[1]
    assert [path.parent for path in rescued] == [data_dir() / "recovered"] * 2
    assert rescued[0].name == f"{db_path.stem}-20261121T093000.json"
    assert rescued[1].name == f"{db_path.stem}-20261121T093000-2.json"
    for path, name in zip(rescued, ("First Lost", "Second Lost"), strict=True):
        assert _mode(path) == 0o600
        names = {c["name"] for c in json.loads(path.read_bytes())["companies"].values()}
        assert name in names
    assert _mode(data_dir() / "recovered") == 0o700


def test_a_rescue_never_replaces_a_file_already_there(db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 21, 9, 30, tzinfo=UTC))
    folder = data_dir() / "recovered"
    folder.mkdir(parents=True)
    taken = folder / f"{db_path.stem}-20261121T093000.json"
    taken.write_text("someone's file")
    bench = Workbench.open(db_path)
    try:
        rescued = bench.database.rescue()
    finally:
        bench.close()
    assert taken.read_text() == "someone's file"
    assert rescued == folder / f"{db_path.stem}-20261121T093000-2.json"
    assert sorted(p.name for p in folder.iterdir()) == sorted([taken.name, rescued.name])


def test_an_old_open_lock_file_is_made_private(db_path: Path) -> None:
    Workbench.open(db_path).close()
    lock = lock_path(db_path)
    os.chmod(lock, 0o644)
    bench = Workbench.open(db_path)
    try:
        assert not bench.read_only
        assert _mode(lock) == 0o600
    finally:
        bench.close()
