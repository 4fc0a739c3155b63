"""Leaving on a signal or a closed terminal, with every change saved.

SIGHUP (the terminal closed), SIGTERM and SIGINT end ``moatscope`` the way ``q`` does,
without asking: the background writer finishes the queued save, the database is closed
(flushing, or writing a recovery copy), then the process exits with status 128 + the
signal's number, as a shell reports a process ended by that signal.

While the app runs, its event loop takes the signals (``ExitSignals.attach``); before and
after, a signal is only noted, and acted on once the database is closed. A terminal that
hangs up without a SIGHUP is noticed by a thread (``watch_terminal``). A hung-up
terminal is swapped for /dev/null before the app starts leaving (``detach_terminal``),
and once everything is on disk ``exit_deadline`` ends the process if leaving is stuck.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

EXIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name)
)
EXIT_GRACE = 5.0
"""Seconds the app has to end on its own once everything is saved, after a signal: time
to give the terminal back as it was."""
HANGUP_GRACE = 1.0
"""The same once the terminal is gone: there is nothing left to give back."""
POLL = 0.05
"""Seconds between two looks at whether everything is saved."""


def exit_status(signum: int) -> int:
    """The exit status for a process ended by ``signum``."""
    return 128 + signum


class ExitSignals:
    """Within ``with``: each exit signal is noted in ``received`` (the first one), and,
    while an event loop is attached, handed to its ``leave`` callback on that loop."""

    def __init__(self) -> None:
        self.received: int | None = None
        """The first exit signal received, if any."""
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> ExitSignals:
        for signum in EXIT_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._note)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _note(self, signum: int, frame: FrameType | None = None) -> None:
        if self.received is None:
            self.received = signum

    def attach(self, loop: asyncio.AbstractEventLoop, leave: Callable[[int], None]) -> None:
        """From now on each exit signal calls ``leave(signum)`` on ``loop``; a signal
        received before is handed over at once."""
        for signum in EXIT_SIGNALS:
            loop.add_signal_handler(signum, self._deliver, int(signum), leave)
        if self.received is not None:
            loop.call_soon(leave, self.received)

    def _deliver(self, signum: int, leave: Callable[[int], None]) -> None:
        self._note(signum)
        leave(signum)

    def detach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Stop handing signals to ``loop``; they are noted again."""
        for signum in EXIT_SIGNALS:
            loop.remove_signal_handler(signum)  # (which puts the default handler back)
            signal.signal(signum, self._note)


def terminal_alive(fd: int = 0) -> bool:
    """False when ``fd`` (standard input) is a terminal that has hung up: its window
    closed, its ssh session ended. True for a live terminal, and for anything else."""
    try:
        import termios
    except ImportError:  # not a POSIX system
        return True
    try:
        termios.tcgetattr(fd)
    except termios.error as error:  # a hung-up terminal fails with EIO; a pipe, ENOTTY
        return error.args[0] != errno.EIO
    except (OSError, ValueError):
        return True
    return True


def watch_terminal(gone: Callable[[], None], every: float = 1.0) -> threading.Event:
    """Call ``gone`` on a thread of its own once standard input's terminal hangs up;
    setting the event returned stops watching.

    A thread, not a timer of the app: when the terminal hangs up, the event loop may be
    stuck writing to it (see ``detach_terminal``), and the hang-up must still be seen.
    """
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(every):
            if not terminal_alive():
                gone()
                return

    threading.Thread(target=watch, name="moatscope-terminal-watch", daemon=True).start()
    return stop


def detach_terminal() -> None:
    """Point standard input, output and error at /dev/null.

    A hung-up terminal fails every write and reads end-of-file forever. Once detached,
    what is written while leaving (the terminal's restoring sequences, an error sentence)
    goes nowhere instead of failing. Textual's output thread dies at its first failed
    write, and after that the app's writes wait for it forever: the exit deadline ends
    such a process once everything is saved.
    """
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            os.dup2(null, fd)
    finally:
        os.close(null)


_deadline = threading.Lock()
"""Held once the process's exit deadline is set (there is one: it ends the process)."""


def exit_deadline(saved: Callable[[], bool], status: int, grace: float = EXIT_GRACE) -> None:
    """Once ``saved()`` holds, give the process ``grace`` seconds to end on its own, then
    end it with ``status``. Later calls do nothing: the first deadline stands.

    Leaving can stall where nothing is at stake any more (a dead terminal's output, a
    thread that does not stop), and a process that stays holds the database's lock. The
    deadline waits for as long as something is not on disk: that is for the app's own
    closing to save, or to rescue in a recovery copy.
    """
    if not _deadline.acquire(blocking=False):
        return

    def watch() -> None:
        while True:
            while not saved():
                time.sleep(POLL)
            time.sleep(grace)
            if saved():
                os._exit(status)

    threading.Thread(target=watch, name="moatscope-exit-deadline", daemon=True).start()
