"""Export (X) and memo (w) from the TUI: the database and its copies are refused in the
prompt, an existing file is replaced only after a yes, and every file is user-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from store import backups
from store.service import Workbench
from tests.store.conftest import Fingerprint
from tests.tui.conftest import SIZE, paste, settle, told
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.main import MainScreen


async def answer(pilot, text: str) -> None:
    """Replace what the prompt offers with ``text`` and press enter."""
    await pilot.press("home", "ctrl+k")
    await paste(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


def prompt_error(app) -> str:
    return str(app.screen.query_one("#error", Static).render())


@pytest.fixture(autouse=True)
def open_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.parametrize("key", ["X", "w"])
async def test_the_database_is_refused_in_the_prompt(
    app, bench: Workbench, db_path: Path, key: str
) -> None:
    bench.add_company("Late Change", layer="power")
    before = Fingerprint.of(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = Fingerprint.of(db_path)
        await pilot.press(key)
        assert isinstance(app.screen, PromptDialog)
        name = "db.md" if key == "w" else "db.csv"
        link = db_path.parent / name
        link.symlink_to(db_path)
        await answer(pilot, str(link))
        assert isinstance(app.screen, PromptDialog), "the prompt stays open to correct it"
        assert prompt_error(app) == (
            f"Cannot write {link}: it is the database itself; choose another file."
        )
        assert app.screen.query_one("#value", Input).value == str(link)
        await pilot.press("escape", "y")  # discard what was typed
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert Fingerprint.of(db_path) == before
    assert link.is_symlink()


async def test_a_backup_is_refused_in_the_export_prompt(
    bench: Workbench, db_path: Path, app
) -> None:
    bench.close()
    reopened = Workbench.open(db_path)  # an existing file is backed up as it opens
    app.workbench = reopened
    backup = backups.newest_backup(db_path)
    assert backup is not None
    kept = Fingerprint.of(backup)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        await answer(pilot, str(backup.with_suffix(".csv")))
        assert "it is in moatscope's folder of backups" in prompt_error(app)
    reopened.close()
    assert Fingerprint.of(backup) == kept


async def test_export_writes_a_private_file_and_asks_before_replacing(app, tmp_path: Path) -> None:
    target = tmp_path / "power.csv"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        await answer(pilot, str(target))
        assert isinstance(app.screen, MainScreen)
        assert f"Exported 9 companies to {target}" in told(app)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        exported = target.read_bytes()
        target.write_text("my own sheet")
        await pilot.press("X")
        await answer(pilot, str(target))
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text() == "my own sheet"
        await pilot.press("X")
        await answer(pilot, str(target))
        await pilot.press("y")
        await settle(pilot)
        assert target.read_bytes() == exported
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
