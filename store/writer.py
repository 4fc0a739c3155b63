"""A background writer: saves happen on a thread of their own and are coalesced.

The caller's thread serialises the records changed since the last commit into journal
lines (``Database.snapshot``, i.e. ``MemoryStorage.commit``); the writer thread appends
every queued line to the journal and forces it to the disk. A burst of changes while a
write is in flight becomes one more append, not many. When a commit carries a new
snapshot (the journal passed its share of the file), the thread ``moatscope-compactor``
writes it once the commit is durable, while appends go on; one compaction at a time.

Every write ends in exactly one outcome, whatever goes wrong: a failure of any kind
is reported as a ``WriteFailed`` sentence, the change's lines stay queued (the database
is still dirty: the next commit appends them first, and closing tries again or rescues
them), and the thread lives on for the next commit. A compaction that fails is not a
lost change (the journal holds every one): it is tried again later.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from store.db import Database
from store.errors import MoatscopeError, WriteFailed
from store.storage import Commit, Snapshot

Outcome = Callable[[int, MoatscopeError | None], None]


def write_failure(path: Path, error: BaseException) -> MoatscopeError:
    """``error`` from a write of ``path`` as one sentence a user can read."""
    if isinstance(error, MoatscopeError):
        return error
    if isinstance(error, OSError):
        reason = error.strerror or str(error) or type(error).__name__
    elif isinstance(error, MemoryError):
        reason = "the computer ran out of memory"
    else:
        reason = f"an internal error ({type(error).__name__}: {error})"
    return WriteFailed(f"Could not save {path}: {reason}; the change is not saved.")


class BackgroundWriter:
    """Writes a database's snapshots off the calling thread, newest wins."""

    def __init__(self, database: Database, on_outcome: Outcome) -> None:
        self._database = database
        self._on_outcome = on_outcome
        self._pending: Commit | None = None
        self._compactor: threading.Thread | None = None
        self._busy = False
        self._stopping = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="moatscope-writer", daemon=True)
        self._thread.start()

    def commit(self) -> None:
        """Queue the current state for writing; returns at once."""
        snapshot = self._database.snapshot()
        with self._condition:
            self._pending = snapshot
            self._condition.notify_all()

    def _run(self) -> None:
        while (snapshot := self._next()) is not None:
            try:
                error = self._write(snapshot)
            finally:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()
            self._report(snapshot.generation, error)
            if error is None and snapshot.snapshot is not None and not snapshot.whole:
                self._compact(snapshot.snapshot)

    def _next(self) -> Commit | None:
        """The next snapshot to write (now marked busy), or None once stopped and idle."""
        with self._condition:
            while self._pending is None and not self._stopping:
                self._condition.wait()
            if self._pending is None:
                return None
            snapshot, self._pending, self._busy = self._pending, None, True
            return snapshot

    def _compact(self, snapshot: Snapshot) -> None:
        """Start writing ``snapshot`` on the compactor thread, unless one is running."""
        storage = self._database.storage
        if storage.compacting:
            return
        storage.compacting = True

        def compact() -> None:
            try:
                storage.compact(snapshot)
            except Exception:  # noqa: S110
                # Not a lost change: the journal still holds every one. The next commit
                # past the share tries again, and closing compacts (or says why not).
                pass
            finally:
                storage.compacting = False

        self._compactor = threading.Thread(target=compact, name="moatscope-compactor", daemon=True)
        self._compactor.start()

    def _write(self, snapshot: Commit) -> MoatscopeError | None:
        try:
            self._database.storage.write_snapshot(snapshot)
        except Exception as failure:  # any failure must reach the user, not end the thread
            return write_failure(self._database.path, failure)
        return None

    def _report(self, generation: int, error: MoatscopeError | None) -> None:
        try:
            self._on_outcome(generation, error)
        except Exception:  # the receiver's bug: shown as a thread's error, the writer goes on
            threading.excepthook(
                threading.ExceptHookArgs((*sys.exc_info(), threading.current_thread()))
            )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or being appended; False on timeout (a
        compaction may still be writing: every change is durable already)."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self._pending is None and not self._busy, timeout=timeout
            )

    def stop(self) -> None:
        """Finish queued writes and any compaction, and end the threads."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._thread.join()
        if self._compactor is not None:
            self._compactor.join()
