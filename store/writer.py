"""A background writer: saves happen on a thread of their own and are coalesced.

The caller's thread serialises the changed records (``Database.snapshot``, a few
milliseconds); the writer thread puts the newest snapshot on disk. A burst of
changes while a write is in flight becomes one more write, not many.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from store.db import Database
from store.errors import MoatscopeError
from store.storage import Snapshot

Outcome = Callable[[int, MoatscopeError | None], None]


class BackgroundWriter:
    """Writes a database's snapshots off the calling thread, newest wins."""

    def __init__(self, database: Database, on_outcome: Outcome) -> None:
        self._database = database
        self._on_outcome = on_outcome
        self._pending: Snapshot | None = None
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
        while True:
            with self._condition:
                while self._pending is None and not self._stopping:
                    self._condition.wait()
                if self._pending is None:
                    return
                snapshot, self._pending, self._busy = self._pending, None, True
            error: MoatscopeError | None = None
            try:
                self._database.storage.write_snapshot(snapshot)
            except MoatscopeError as failure:
                error = failure
            with self._condition:
                self._busy = False
                self._condition.notify_all()
            self._on_outcome(snapshot.generation, error)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until nothing is queued or being written; False on timeout."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self._pending is None and not self._busy, timeout=timeout
            )

    def stop(self) -> None:
        """Finish queued writes and end the thread."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._thread.join()
