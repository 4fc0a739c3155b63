"""The palette's "team: Sync": the running app syncs the database it holds, in-process.

Ada's app holds the writer lock; Ben (another clone of the same bare remote, offline)
syncs from the command line's code. The app's sync must send what Ada typed, bring in
Ben's company, read the file again and show when it last synced.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store import git, team, team_sync
from store.service import Workbench
from tests.git_env import set_git_alone
from tests.tui.conftest import SIZE, quiet, recording, run_command, told, wait_until
from tui.__main__ import make_app
from tui.screens.main import MainScreen
from tui.screens.sync_dialog import SyncDialog
from tui.syncing import synced_words

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def git_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Git configured by the environment only: fixed identity, branch ``main``."""
    set_git_alone(monkeypatch)


def ben_syncs(path: Path, action=None) -> str:
    bench = Workbench.open(path, author="ben")
    try:
        if action:
            action(bench)
        team_sync.prepare(bench)
        return team_sync.exchange(path, "ben").summary()
    finally:
        bench.close()


@pytest.fixture
def shared(bench: Workbench, tmp_path: Path) -> tuple[Workbench, Path, Path]:
    """Ada's open workbench shared through a bare remote; Ben's clone with Beta synced."""
    remote = tmp_path / "remote.git"
    git.run(tmp_path, "init", "-q", "--bare", str(remote), doing="make the remote")
    bench.author = "ada"
    team_sync.prepare(bench)
    team.init(bench.database.path, str(remote), "ada")  # (the bench holds the lock)
    ben = tmp_path / "ben" / bench.database.path.name
    team.join(ben, str(remote))
    ben_syncs(ben, lambda b: b.add_company("Beta", layer="power"))
    return bench, ben, remote


async def synced(pilot) -> None:
    app = pilot.app
    await run_command(pilot, "team: Sync")
    await wait_until(
        pilot,
        lambda: not isinstance(app.screen, SyncDialog) and told(app),
        "the sync to end",
        tries=600,
    )


async def test_sync_from_the_palette_sends_and_reads_what_came_in(shared) -> None:
    bench, ben, _ = shared
    app = recording(make_app(bench))
    async with app.run_test(size=SIZE) as pilot:
        app.workbench.add_company("Acme", layer="compute")
        await synced(pilot)
        assert told(app) == ["Synced: sent 1 change; 1 company from ben."]
        assert app.workbench is not bench and not app.workbench.read_only
        assert isinstance(app.screen, MainScreen) and app.screen.workbench is app.workbench
        assert {"Acme", "Beta"} <= {row.name for row in app.workbench.rows()}
        assert app.sub_title.endswith("saved · synced 09:30")
        app.workbench.add_company("Gamma", layer="network")  # the new writer saves it
        assert app.wait_for_saves()
        assert app.workbench.next_undo().label == "Added Gamma"
    assert ben_syncs(ben) == "Synced: sent 0 changes; 1 company from ada."  # Acme, not Gamma


async def test_a_git_failure_in_the_app_is_a_notice_and_nothing_is_lost(shared) -> None:
    bench, _, remote = shared
    shutil.rmtree(remote)
    app = recording(make_app(bench))
    async with app.run_test(size=SIZE) as pilot:
        app.workbench.add_company("Acme", layer="compute")
        await synced(pilot)
        assert told(app, "error")[0].startswith("Cannot pull the team's changes: git says")
        assert "Acme" in {row.name for row in app.workbench.rows()}
        assert not app.workbench.read_only
        app.workbench.add_company("Delta", layer="power")
        assert app.wait_for_saves()
    reader = Workbench.open(bench.database.path, read_only=True)
    try:
        assert {"Acme", "Delta"} <= {row.name for row in reader.rows()}
    finally:
        reader.close()


@pytest.mark.usefixtures("steady_header")
def test_the_sync_dialog(app, snap_compare) -> None:
    """While "team: Sync" runs: over the dimmed main screen, a small box saying "Syncing
    with the team: committing, merging, pushing…", and a bottom bar with no keys of its
    own (no Quit, no Help: every key waits until the sync ends)."""

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(SyncDialog())
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


async def test_a_sync_that_cannot_start_keeps_the_session_as_it_was(bench: Workbench) -> None:
    """No work tree: a notice; the undo history stays and the same workbench saves on."""
    app = recording(make_app(bench))
    async with app.run_test(size=SIZE) as pilot:
        app.workbench.add_company("Acme", layer="compute")
        await synced(pilot)
        assert "is not a git work tree" in told(app, "error")[0]
        assert app.workbench is bench and app.workbench.next_undo().label == "Added Acme"
        app.workbench.add_company("Delta", layer="power")
        assert app.wait_for_saves()
    assert not bench.database.storage.dirty


def test_the_header_words_for_the_last_sync() -> None:
    """A time for a sync today (the clock is 2026-11-20 09:30), a date before, nothing never."""
    assert synced_words("2026-11-20T08:05:00Z") == " · synced 08:05"
    assert synced_words("2026-11-19T23:59:00Z") == " · synced 2026-11-19"
    assert synced_words(None) == ""
