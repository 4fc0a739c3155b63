"""The file format, and the memory-resident TinyDB storage that keeps it on disk.

The snapshot file is a JSON object of tables, each a JSON object of records, written with
one record per line and keys sorted, so it diffs cleanly in git::

    {
    "companies": {
    "co-3f9a1b2c4d5e": {"created": "...", "id": "co-3f9a1b2c4d5e", ...},
    ...
    },
    "meta": {
    "schema": {...}
    }
    }

Beside it, the journal (``store.journal``) holds the records changed since. TinyDB reads
and writes the whole database through ``read``/``write``; here both are in memory. A
change reaches the disk in two steps: ``commit`` (on the thread that changes the records)
serialises the records it touched into journal lines and queues them; ``write_snapshot``
(on any thread) appends every queued line to the journal and forces it to the disk. Once
the journal passes ``SHARE`` of the snapshot, a commit also carries a new snapshot (the
records' lines, already made), which ``compact`` writes as the new file (temp, fsync,
rename, fsync the folder) before cutting from the journal what it holds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from store import journal
from store.atomic import (
    TEMP_MARK,
    fsync_folder,
    publish_new,
    remove_stale_temp_files,
    write_atomic,
    write_new,
)
from store.errors import ReadOnlyStore, WriteFailed
from store.lines import RecordLines
from store.snapshot_file import FormatError, Parsed, line_of, parse_database

__all__ = [
    "TEMP_MARK",
    "FormatError",
    "MemoryStorage",
    "Parsed",
    "Snapshot",
    "line_of",
    "parse_database",
    "publish_new",
    "remove_stale_temp_files",
    "write_atomic",
    "write_new",
]

Tables = dict[str, dict[str, dict[str, Any]]]

SHARE = 0.25
"""The journal is compacted into a new snapshot once it is this share of the snapshot."""
SLICE = 2000
"""Lines joined into one piece of a snapshot being written: each join holds the
interpreter lock for well under a millisecond, and the writes between release it."""


def _make_private(path: Path) -> None:
    """Make the file user-only (0600) if it is more open."""
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass  # the change is saved all the same; its mode only keeps it private


class Snapshot:
    """The serialised lines of every record at one moment; immutable, thread-safe."""

    def __init__(self, generation: int, tables: list[tuple[str, list[bytes]]]) -> None:
        self.generation = generation
        self.tables = tables

    def chunks(self) -> Iterable[bytes]:
        """The file's bytes, in pieces of at most ``SLICE`` lines."""
        yield b"{\n"
        for index, (name, lines) in enumerate(self.tables):
            separator = b",\n" if index < len(self.tables) - 1 else b"\n"
            if not lines:
                yield orjson.dumps(name) + b": {}" + separator
                continue
            yield orjson.dumps(name) + b": {\n"
            for start in range(0, len(lines), SLICE):
                if start:
                    yield b",\n"
                yield b",\n".join(lines[start : start + SLICE])
            yield b"\n}" + separator
        yield b"}\n"


@dataclass(frozen=True)
class Commit:
    """Changes on their way to the disk: every change up to ``generation``."""

    generation: int
    snapshot: Snapshot | None = None
    """A new snapshot to write: the whole file (``whole``), or a compaction."""
    whole: bool = False
    """The file must be written whole (a new file, a migration), not appended to."""


class MemoryStorage(Storage):
    """TinyDB storage that keeps the tables in memory, and the snapshot and journal on disk.

    ``mark`` names the records a change touched; ``commit`` serialises only those.
    """

    def __init__(
        self,
        path: Path,
        tables: Tables,
        *,
        read_only: bool = False,
        on_disk: bool = True,
        sizes: tuple[int, int] = (0, 0),
        lines: RecordLines | None = None,
        ready: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.journal_path = journal.journal_path(path)
        self.read_only = read_only
        self._tables = tables
        self._lines = lines or RecordLines(path)
        self._stale = lines is None
        self._ready = ready  # waits until the files may be written, or raises
        self._rewrite = not on_disk
        self._changed: dict[str, set[str]] = {}
        self._generation = 0
        self._written_generation = 0 if on_disk else -1
        self._queue: list[tuple[int, bytes, dict[str, set[str]]]] = []
        """Changes committed but not yet in the journal: generation, lines, records."""
        self._queued = 0
        self._queue_lock = threading.Lock()
        self._disk_lock = threading.Lock()
        self._snapshot_size, self._journal_size = sizes
        self._ends: list[tuple[int, int]] = [(0, self._journal_size)] if self._journal_size else []
        """(generation, where its change ends in the journal), for compaction's cut; what
        the journal held at open is generation 0's."""
        self.compacting = False
        self._private = False
        self._closed = False
        if not read_only:
            self._first_lines()

    def _first_lines(self) -> None:
        """Every line now, while the app opens, rather than at the first save on the UI
        thread (none to make when the snapshot's own lines were kept). A record that cannot
        be written is left for that save to report."""
        try:
            self._fresh_lines()
        except WriteFailed:
            pass

    def replayed(self, replay: journal.Replay) -> None:
        """The lines of records the journal changed after the snapshot's lines were kept
        (they are in the journal already: nothing is queued)."""
        changed: dict[str, set[str]] = {}
        for change in replay.changes:
            for table, key, _ in change:
                changed.setdefault(table, set()).add(key)
        if not self._stale:
            try:
                self._lines.refresh(self._tables, changed)
            except WriteFailed:
                self._stale = True

    def read(self) -> Tables:
        return self._tables

    def write(self, data: Tables) -> None:
        if self._closed:
            raise WriteFailed(f"{self.path} is already closed; the change was not saved.")
        if self.read_only:
            raise ReadOnlyStore(f"{self.path} is open read-only; the change was not saved.")
        self._tables = data
        self._generation += 1

    def mark(self, table: str, keys: Iterable[str]) -> None:
        """Note records that were inserted, replaced or deleted since the last commit."""
        self._changed.setdefault(table, set()).update(keys)

    def mark_all(self) -> None:
        """Serialise every record again and write the file whole (after a migration)."""
        self._stale = self._rewrite = True

    def close(self) -> None:
        self._closed = True

    @property
    def dirty(self) -> bool:
        """True when memory holds changes not yet on disk."""
        return self._generation != self._written_generation

    def _fresh_lines(self) -> None:
        if self._stale:
            self._lines.rebuild(self._tables)
            self._stale = False

    def _serialise_changed(self) -> list[bytes]:
        try:
            self._fresh_lines()
            return self._lines.refresh(self._tables, self._changed)
        except BaseException:
            self._stale = True
            raise

    def commit(self, *, compact: bool = True) -> Commit:
        """Queue the records changed since the last commit as journal lines; call from the
        thread that changes the records. The commit carries a new snapshot when the file
        must be written whole, or (``compact``) when the journal is due for compaction."""
        lines = self._serialise_changed()
        changed, self._changed = self._changed, {}
        generation = self._generation
        if lines:
            lines.append(journal.commit_line(generation, len(lines)))
            batch = b"".join(lines)
            with self._queue_lock:
                self._queue.append((generation, batch, changed))
                self._queued += len(batch)
        whole = self._rewrite
        due = compact and not self.compacting and self.due()
        return Commit(generation, self.snapshot() if whole or due else None, whole)

    def due(self) -> bool:
        """True when the journal (with what is queued) has passed ``SHARE`` of the snapshot."""
        return self._journal_size + self._queued > SHARE * self._snapshot_size

    def snapshot(self) -> Snapshot:
        """Every record's line as it is now (for a new file, or a rescue); call from the
        thread that changes the records. Records changed since the last commit are
        serialised again at the next commit too."""
        if self._changed:
            self._serialise_changed()
        self._fresh_lines()
        return Snapshot(self._generation, self._lines.ordered(self._tables))

    def write_snapshot(self, commit: Commit) -> bool:
        """Make every change up to ``commit`` durable, unless a later write did (False);
        safe from any thread. Appends the queued journal lines, or writes the whole file."""
        if self.read_only:
            raise ReadOnlyStore(f"{self.path} is open read-only; the change was not saved.")
        if self._ready is not None:
            self._ready()
        with self._disk_lock:
            if commit.generation <= self._written_generation:
                return False
            try:
                if commit.whole and commit.snapshot is not None:
                    self._write_whole(commit.snapshot)
                else:
                    self._append(commit.generation)
            except OSError as error:
                raise WriteFailed(
                    f"Could not save {self.path}: {error.strerror or error}; "
                    "the change is not saved."
                ) from error
            self._written_generation = commit.generation
            return True

    def _take_queued(self, generation: int) -> list[tuple[int, bytes, dict[str, set[str]]]]:
        with self._queue_lock:
            taken = [batch for batch in self._queue if batch[0] <= generation]
            self._queue = self._queue[len(taken) :]
            self._queued -= sum(len(batch[1]) for batch in taken)
            return taken

    def _append(self, generation: int) -> None:
        with self._queue_lock:
            batches = [batch for batch in self._queue if batch[0] <= generation]
        data = b"".join(batch[1] for batch in batches)
        if data:
            journal.append(self.journal_path, data, self._journal_size)
            if not self._private:  # as a rewrite would: the database is the user's alone
                _make_private(self.path)
                self._private = True
        for queued, batch, _ in batches:
            self._journal_size += len(batch)
            self._ends.append((queued, self._journal_size))
        self._take_queued(generation)

    def _write_whole(self, snapshot: Snapshot) -> None:
        """The snapshot as the new file, then no journal: it holds every change."""
        write_atomic(self.path, snapshot.chunks())
        self._cut_journal(self._journal_size)
        self._take_queued(snapshot.generation)
        self._snapshot_size = os.stat(self.path).st_size
        self._rewrite = False

    def _cut_journal(self, upto: int) -> None:
        """Drop the journal's first ``upto`` bytes (changes the snapshot now holds):
        the rest is written as the new journal, atomically; none, and it is removed."""
        tail = b""
        if upto < self._journal_size:
            with open(self.journal_path, "rb") as handle:
                handle.seek(upto)
                tail = handle.read()
        if tail:
            write_atomic(self.journal_path, [tail])
        elif os.path.lexists(self.journal_path):
            os.unlink(self.journal_path)
            fsync_folder(self.path.parent)
        self._journal_size = len(tail)
        self._ends = [(generation, end - upto) for generation, end in self._ends if end > upto]

    def compact(self, snapshot: Snapshot) -> None:
        """Write ``snapshot`` as the new file, then cut from the journal the changes it
        holds. Safe from any thread, one at a time; appends go on while the file is
        written. A crash at any point leaves files that open to the same records: the
        journal is cut only once the new file is on disk, and replaying a change the
        file already holds changes nothing."""
        if self.read_only:
            raise ReadOnlyStore(f"{self.path} is open read-only; nothing was written.")
        if self._ready is not None:
            self._ready()
        try:
            write_atomic(self.path, snapshot.chunks())
            with self._disk_lock:
                held = [end for generation, end in self._ends if generation <= snapshot.generation]
                self._cut_journal(held[-1] if held else 0)
                self._snapshot_size = os.stat(self.path).st_size
        except OSError as error:
            raise WriteFailed(
                f"Could not compact {self.path}: {error.strerror or error}; every change "
                "is still in its journal."
            ) from error

    def flush(self) -> None:
        """Make every change durable now, if anything changed. When that fails, the
        changes leave the queue (the caller reverts them, or the next flush serialises
        them again as they are then): a change reported failed never reaches the journal
        behind a later one."""
        if self.dirty or self._rewrite:
            commit = self.commit(compact=False)
            try:
                self.write_snapshot(commit)
            except BaseException:
                for _, _, changed in self._take_queued(commit.generation):
                    for table, keys in changed.items():
                        self._changed.setdefault(table, set()).update(keys)
                raise

    def settle(self) -> None:
        """Make every change durable, then write what the journal holds into a new
        snapshot (when the database closes); call from the thread that changes the
        records. Only the first can fail: a compaction that fails loses nothing (the
        journal holds every change) and is tried again at the next close."""
        self.flush()
        if self._journal_size:
            try:
                self.compact(self.snapshot())
            except WriteFailed:
                pass
