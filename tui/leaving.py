"""Leaving at once, with every change saved: on SIGHUP, SIGTERM or SIGINT (while the app
runs, its event loop takes the ``ExitSignals`` that ``open_tui`` gives it), or when the
terminal hangs up without a signal."""

from __future__ import annotations

import asyncio
import signal
import threading
from contextlib import suppress
from typing import TYPE_CHECKING

from tui.shutdown import (
    EXIT_GRACE,
    HANGUP_GRACE,
    ExitSignals,
    detach_terminal,
    exit_deadline,
    exit_status,
    terminal_alive,
    watch_terminal,
)

if TYPE_CHECKING:
    from tui.app import MoatscopeApp


class LeavesSaving:
    """Mixed into the app: leaving on a signal or a hung-up terminal."""

    exit_signals: ExitSignals | None = None
    """Signals to take while the app runs (``open_tui`` sets them; tests leave None)."""
    _terminal_watch: threading.Event | None = None
    """Set to stop watching for the terminal to hang up."""
    _event_loop: asyncio.AbstractEventLoop | None = None
    """The app's event loop, for the terminal watch's thread to reach it."""

    def take_exit_signals(self: MoatscopeApp) -> None:
        """Have the event loop hand exit signals to ``leave_now`` from now on (one that
        came before is handed over at once)."""
        if self.exit_signals is not None:
            self.exit_signals.attach(asyncio.get_running_loop(), self.leave_now)

    def release_exit_signals(self) -> None:
        """Let go of the exit signals (the app is closing): they are noted again."""
        if self.exit_signals is not None:
            self.exit_signals.detach(asyncio.get_running_loop())

    def watch_for_hang_up(self) -> None:
        """Start watching standard input's terminal; call from the app's event loop."""
        self._event_loop = asyncio.get_running_loop()
        self._terminal_watch = watch_terminal(self._terminal_gone)

    def stop_watching(self) -> None:
        """Stop watching the terminal (the app is closing)."""
        if self._terminal_watch is not None:
            self._terminal_watch.set()

    def _terminal_gone(self: MoatscopeApp) -> None:
        """On the terminal watch's thread: the terminal hung up, and no SIGHUP came or
        the event loop, stuck writing to the dead terminal, cannot take it. (Textual's
        input thread reads end-of-file from it in a busy loop: the app would live on,
        spinning a core and holding the database's lock.)"""
        detach_terminal()
        exit_deadline(self.saved_on_disk, exit_status(signal.SIGHUP), HANGUP_GRACE)
        assert self._event_loop is not None
        with suppress(RuntimeError):  # (the loop is closed: the app has ended already)
            self._event_loop.call_soon_threadsafe(self.leave_now, signal.SIGHUP)

    def leave_now(self: MoatscopeApp, signum: int) -> None:
        """Exit at once on ``signum``, as ``q`` does but without the summary or any
        question: the writer finishes the queued save as the app unmounts, and the
        database is closed after (``tui.__main__.open_tui``). A hung-up terminal is let
        go first; once everything is on disk, the process ends within a deadline."""
        grace = EXIT_GRACE
        if not terminal_alive():
            detach_terminal()
            grace = HANGUP_GRACE
        exit_deadline(self.saved_on_disk, exit_status(signum), grace)
        self.exit(return_code=exit_status(signum))

    def saved_on_disk(self: MoatscopeApp) -> bool:
        """Nothing is queued or being written, and the file holds every change (safe to
        call from any thread)."""
        idle = self._writer is None or self._writer.wait(timeout=0)
        return idle and not self.workbench.database.storage.dirty
