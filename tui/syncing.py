"""The palette's "team: Sync": the app syncs the database it holds open, in-process.

The TUI holds the writer lock, so a ``moatscope sync`` beside it refuses; the TUI syncs
through its own workbench instead, never letting the lock go while git works:

1. UI thread: refuse on a read-only session; show ``SyncDialog``, which takes every key,
   so nothing else changes a record until the sync ends.
2. A thread worker: stop the background writer (it finishes queued appends and any
   compaction); ``team_sync.check`` (a work tree, no unfinished merge); cut the undo log
   (``team_sync.cut_undo``, a change to records, so back on the UI thread, waited for);
   ``team_sync.settle`` (every change durable, the journal folded into the snapshot);
   then ``team_sync.exchange`` (commit, pull with the driver, push).
3. UI thread: the file may hold what came in, so the workbench is closed (nothing is
   pending: step 2 wrote it all) and opened again, the writer started on it, and a new
   main screen shown over it; a notice says what came in or why git failed.

If the check or settling fails (no work tree, a write refused), git is not run: the
writer restarts on the same workbench, whose unsaved changes stay in memory and are saved
with the next one.
Between closing and reopening the lock is free for an instant: another moatscope that
takes it then leaves this session read-only (and says so), never a lost change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store import clock
from store.errors import MoatscopeError
from store.service import Workbench
from store.team_sync import check, cut_undo, exchange, last_sync, settle
from store.writer import BackgroundWriter

if TYPE_CHECKING:
    from tui.app import MoatscopeApp


def synced_words(stamp: str | None) -> str:
    """The header's words for the last sync (UTC, as the list's times): " · synced 09:12"
    today, " · synced 2026-12-07" before, or "" when never."""
    if not stamp:
        return ""
    day, time = stamp[:10], stamp[11:16]
    return f" · synced {time if day == clock.stamp()[:10] else day}"


class SyncsTeam:
    """The app's side of "team: Sync" (mixed into ``MoatscopeApp``)."""

    synced = ""
    """The header's words for this database's last sync (``synced_words``)."""

    def note_last_sync(self: MoatscopeApp) -> None:
        """Read when this machine last synced the database, for the header."""
        self.synced = synced_words(last_sync(self.workbench.database.path))

    def action_team_sync(self: MoatscopeApp) -> None:
        from tui.screens.sync_dialog import SyncDialog

        workbench = self.workbench
        if workbench.read_only:
            message = f"This session is read-only ({workbench.notice}); nothing was synced."
            self.notify(message, title="Not synced", severity="error", markup=False)
            return
        writer, self._writer = self._writer, None
        workbench.commit = workbench.database.flush
        self.push_screen(SyncDialog())
        self.run_worker(
            lambda: self.sync_off_thread(workbench, writer),
            thread=True,
            group="team-sync",
            exit_on_error=False,
        )

    def sync_off_thread(self: MoatscopeApp, workbench: Workbench, writer: Any) -> None:
        """Step 2 (see the module docstring), then hand the outcome to the UI thread."""
        if writer is not None:
            writer.stop()
        try:
            check(workbench.database.path)
            self.call_from_thread(cut_undo, workbench)
            settle(workbench)
        except MoatscopeError as error:
            self.call_from_thread(self.sync_not_started, workbench, error)
            return
        try:
            outcome: str | MoatscopeError = exchange(
                workbench.database.path, workbench.author
            ).summary()
        except MoatscopeError as error:
            outcome = error
        self.call_from_thread(self.sync_finished, workbench, outcome)

    def restart_writer(self: MoatscopeApp, workbench: Workbench) -> None:
        """Save ``workbench``'s changes in the background again (as ``on_mount`` does)."""
        if workbench.read_only:
            self.save_state = "read-only"
            return
        self._writer = BackgroundWriter(workbench.database, self._writer_outcome)
        workbench.commit = self._commit

    def sync_not_started(self: MoatscopeApp, workbench: Workbench, error: Exception) -> None:
        self.restart_writer(workbench)
        self.pop_screen()
        self.notify(str(error), title="Not synced", severity="error", markup=False, timeout=15)

    async def sync_finished(
        self: MoatscopeApp, old: Workbench, outcome: str | MoatscopeError
    ) -> None:
        """Step 3: read the file again and show it on a new main screen."""
        from tui.screens.main import MainScreen

        old.close()
        try:
            workbench = Workbench.open(
                old.database.path, checklist=old.checklist, author=old.author
            )
        except MoatscopeError as error:
            self.exit(return_code=1, message=f"moatscope: {error}")
            return
        self.workbench = workbench
        workbench.listeners.append(self._update_title)
        self.restart_writer(workbench)
        self.note_last_sync()
        await self.pop_screen()
        await self.switch_screen(MainScreen(workbench))
        self._update_title()
        self.watch_save_state(self.save_state)
        if isinstance(outcome, MoatscopeError):
            self.notify(str(outcome), title="Not synced", severity="error", markup=False)
        else:
            self.notify(outcome, title="team: Sync", markup=False, timeout=10)
