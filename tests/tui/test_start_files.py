"""The TUI opens with the backup on a thread (store/preparation.py): the first frame does
not wait for it, and when it fails the app says so, stays read-only and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import backups
from store.journal import journal_path
from store.service import Workbench
from tests.tui.conftest import SIZE, recording, settle, told, wait_until
from tui.__main__ import close_or_rescue, make_app


def _changed_since_backup(db_path: Path) -> bytes:
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)
    bench.add_company("Changed Since", layer="compute")
    bench.close()
    return db_path.read_bytes()


async def test_the_backup_is_made_while_the_app_runs(db_path: Path) -> None:
    opened = _changed_since_backup(db_path)
    workbench = Workbench.open(db_path, author="analyst", background=True)
    app = recording(make_app(workbench))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert app.save_state != "read-only"
        assert not told(app, "error")
    close_or_rescue(workbench)
    assert backups.list_backups(db_path)[-1].read_bytes() == opened


async def test_a_backup_that_fails_makes_the_session_read_only_and_says_why(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _changed_since_backup(db_path)
    blocker = tmp_path / "data-home-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    workbench = Workbench.open(db_path, author="analyst", background=True)
    app = recording(make_app(workbench))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: told(app, "error"), "the failed backup told")
        (sentence,) = told(app, "error")
        assert "Cannot back up" in sentence and sentence.endswith("This session is read-only.")
        assert app.save_state == "read-only"
        await pilot.press("n")
        await settle(pilot)
        assert any("Read-only session: Cannot back up" in line for line in told(app, "warning"))
    close_or_rescue(workbench)
    assert db_path.read_bytes() == before
    assert not journal_path(db_path).exists()
