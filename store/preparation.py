"""Making the files ready for a writer on a thread of its own, so the first frame never waits
for the backup copy (a whole snapshot, after every session that changed it).

What ``db_files.prepare_files`` does (stale temp files removed, the snapshot backed up
when it changed, a cut-short change cut off the journal) must come before the first
write, not before the first frame: the journal is appended to and the snapshot replaced
only by ``MemoryStorage.write_snapshot`` and ``compact``, and both call ``wait`` first.
So the backup is always of the snapshot as it was opened, and nothing is written when
preparing fails: every write then raises that failure (``WriteFailed``), and
``failure`` lets the app say so at once and stay read-only.
"""

from __future__ import annotations

import threading
from pathlib import Path

from store import journal
from store.db_files import prepare_files
from store.errors import WriteFailed


class Preparation:
    """``prepare_files`` running on the thread ``moatscope-prepare``."""

    def __init__(self, path: Path, replay: journal.Replay | None) -> None:
        self._error: WriteFailed | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path, replay), name="moatscope-prepare", daemon=True
        )
        self._thread.start()

    def _run(self, path: Path, replay: journal.Replay | None) -> None:
        try:
            prepare_files(path, replay)
        except WriteFailed as error:
            self._error = error
        except Exception as error:  # (any other failure must still keep writes away)
            self._error = WriteFailed(f"Cannot prepare {path} for writing ({error}).")

    def failure(self) -> WriteFailed | None:
        """Wait until the files are ready; the reason they could not be made ready, or None."""
        self._thread.join()
        return self._error

    def wait(self) -> None:
        """Wait until the files are ready; raise ``WriteFailed`` if they could not be."""
        error = self.failure()
        if error is not None:
            raise WriteFailed(str(error))


def prepare(path: Path, replay: journal.Replay | None, *, later: bool) -> Preparation | None:
    """Make the files ready for writing now, or (``later``) on a thread of their own."""
    if later:
        return Preparation(path, replay)
    prepare_files(path, replay)
    return None
