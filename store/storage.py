"""The file format and the atomic, memory-resident TinyDB storage.

The file is a JSON object of tables, each a JSON object of records, written with
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

TinyDB reads and writes the whole database through ``read``/``write``; here both
are in memory. Only ``flush`` touches the disk: it writes a temp file in the same
folder, fsyncs it, renames it over the database and fsyncs the folder, so a crash
leaves either the old file or the new one. Each record's serialised line is
cached and reused while the record is unchanged, so a save re-serialises only
what changed.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import tempfile
import threading
from bisect import bisect_left, insort
from collections.abc import Iterable
from itertools import count
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from store.errors import ReadOnlyStore, WriteFailed

Tables = dict[str, dict[str, dict[str, Any]]]
TEMP_MARK = ".tmp-"

_DUMP_OPTIONS = orjson.OPT_SORT_KEYS


class FormatError(ValueError):
    """The bytes are not a database file of the shape above."""


def _record_line(key: str, doc: dict[str, Any]) -> bytes:
    return orjson.dumps(key) + b": " + orjson.dumps(doc, option=_DUMP_OPTIONS)


def parse_database(raw: bytes) -> Tables:
    """Parse a database file, raising FormatError with a short reason.

    One ``orjson.loads`` of the whole file, not line by line: quicker, and it reads a
    hand-edited or re-indented file the same way as ours.
    """
    if not raw or raw.isspace():
        raise FormatError("the file is empty")
    try:
        tables = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise FormatError(f"it is not valid JSON ({error})") from None
    if not isinstance(tables, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in tables.values()
    ):
        raise FormatError("it is JSON but not a table of records")
    return tables


def line_of(raw: bytes, table: str, key: str) -> int | None:
    """The line of ``raw`` on which record ``key`` of ``table`` starts, if it can be found.

    Only for messages about a record at fault: it searches the bytes for the table's key,
    then for the record's key after it, as keys (followed by a colon, not inside a string).
    """
    start = _key_position(raw, table, 0)
    found = None if start is None else _key_position(raw, key, start)
    return None if found is None else raw.count(b"\n", 0, found) + 1


def _key_position(raw: bytes, key: str, start: int) -> int | None:
    pattern = re.compile(rb"(?<!\\)" + re.escape(orjson.dumps(key)) + rb"\s*:")
    match = pattern.search(raw, start)
    return None if match is None else match.start()


def _write_temp(folder: Path, name: str, chunks: Iterable[bytes]) -> Path:
    """A new temporary file in ``folder`` (named after ``name``, mode 0600) holding
    ``chunks``, flushed to the disk."""
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}{TEMP_MARK}")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name)


def _link_new(temp: Path, target: Path) -> bool:
    """Give ``temp`` the name ``target`` too, unless a file has it (False). Linking fails
    rather than replace a file another writer made meanwhile; on a file system without
    hard links, ``temp`` is renamed once ``target`` is seen free."""
    try:
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(target):
            return False
        os.rename(temp, target)
    return True


def write_atomic(path: Path, chunks: Iterable[bytes], *, replace: bool = True) -> None:
    """Write ``chunks`` to ``path`` atomically and durably, mode 0600.

    With ``replace`` False an existing ``path`` is never replaced (FileExistsError),
    even one created while the chunks were being written.
    """
    temp = _write_temp(path.parent, path.name, chunks)
    try:
        if replace:
            os.replace(temp, path)
        elif not _link_new(temp, path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    finally:
        temp.unlink(missing_ok=True)
    _fsync_folder(path.parent)


def write_new(folder: Path, base: str, chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` durably to a new file ``base.json`` in ``folder``, or ``base-2.json``
    and so on when that name is taken: never over an existing file; mode 0600."""
    temp = _write_temp(folder, base, chunks)
    try:
        target = publish_new(temp, folder, base)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_folder(folder)
    return target


def publish_new(temp: Path, folder: Path, base: str) -> Path:
    """Give the whole file ``temp`` (in ``folder``) the first free name of ``base.json``,
    ``base-2.json``...; never over a file another writer made meanwhile. ``temp`` is left
    for the caller to remove."""
    for number in count(1):
        target = folder / (f"{base}.json" if number == 1 else f"{base}-{number}.json")
        if _link_new(temp, target):
            return target
    raise AssertionError("unreachable")


_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Delete temp files an interrupted write left beside ``path``."""
    removed = []
    for stale in path.parent.glob(f".{glob.escape(path.name)}{TEMP_MARK}*"):
        stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


class Snapshot:
    """The serialised lines of every record at one moment; immutable, thread-safe."""

    def __init__(self, generation: int, tables: list[tuple[str, list[bytes]]]) -> None:
        self.generation = generation
        self.tables = tables

    def chunks(self) -> Iterable[bytes]:
        """The file's bytes, in pieces."""
        yield b"{\n"
        for index, (name, lines) in enumerate(self.tables):
            separator = b",\n" if index < len(self.tables) - 1 else b"\n"
            if not lines:
                yield orjson.dumps(name) + b": {}" + separator
                continue
            yield orjson.dumps(name) + b": {\n"
            yield b",\n".join(lines)
            yield b"\n}" + separator
        yield b"}\n"


class MemoryStorage(Storage):
    """TinyDB storage that keeps the tables in memory and writes them on ``flush``.

    Each record's serialised line and each table's sorted keys are kept between
    saves; ``mark`` names the records a change touched, so a snapshot serialises
    only those and costs little more than joining the lines.
    """

    def __init__(
        self, path: Path, tables: Tables, *, read_only: bool = False, on_disk: bool = True
    ) -> None:
        self.path = path
        self.read_only = read_only
        self._tables = tables
        self._lines: dict[str, dict[str, bytes]] = {}
        self._order: dict[str, list[str]] = {}
        self._ordered: dict[str, list[bytes]] = {}
        """Each table's lines in key order as of the last snapshot. Never changed in place
        (a snapshot being written holds it): a change replaces the list."""
        self._everything_dirty = True
        self._dirty: dict[str, set[str]] = {}
        self._generation = 0
        self._written_generation = 0 if on_disk else -1
        self._disk_lock = threading.Lock()
        self._closed = False
        if not read_only:
            # Every line now, while the app opens, rather than at the first save on the UI
            # thread. A record that cannot be written is left for that save to report.
            try:
                self._serialise_dirty()
            except WriteFailed:
                self._everything_dirty = True

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
        """Note records that were inserted, replaced or deleted since the last snapshot."""
        self._dirty.setdefault(table, set()).update(keys)

    def mark_all(self) -> None:
        """Serialise every record at the next snapshot (after a migration)."""
        self._everything_dirty = True

    def close(self) -> None:
        self._closed = True

    @property
    def dirty(self) -> bool:
        """True when memory holds changes not yet on disk."""
        return self._generation != self._written_generation

    def _line(self, table: str, key: str, doc: dict[str, Any]) -> bytes:
        try:
            return _record_line(key, doc)
        except orjson.JSONEncodeError as error:
            raise WriteFailed(
                f"Could not save {self.path}: record {key!r} of {table!r} cannot be "
                f"written as JSON ({error}); the change is not saved."
            ) from error

    def _serialise_dirty(self) -> None:
        if self._everything_dirty:
            self._lines = {
                name: {key: self._line(name, key, doc) for key, doc in table.items()}
                for name, table in self._tables.items()
            }
            self._order = {name: sorted(table) for name, table in self._tables.items()}
            self._ordered.clear()
            self._everything_dirty = False
            self._dirty.clear()
            return
        for name, keys in self._dirty.items():
            table = self._tables.get(name, {})
            lines = self._lines.setdefault(name, {})
            order = self._order.setdefault(name, [])
            ordered = self._ordered.pop(name, None)
            replaced: list[str] = []
            for key in keys:
                doc = table.get(key)
                if doc is None:
                    if lines.pop(key, None) is not None:
                        del order[bisect_left(order, key)]
                        ordered = None
                    continue
                if key not in lines:
                    insort(order, key)
                    ordered = None
                lines[key] = self._line(name, key, doc)
                replaced.append(key)
            if ordered is not None:
                # Only records replaced: a copy with their new lines, not a walk of the table.
                ordered = list(ordered)
                for key in replaced:
                    ordered[bisect_left(order, key)] = lines[key]
                self._ordered[name] = ordered
        self._dirty.clear()

    def snapshot(self) -> Snapshot:
        """Serialise the current state; call from the thread that changes the data."""
        try:
            self._serialise_dirty()
        except BaseException:
            self._everything_dirty = True
            raise
        tables = []
        for name in sorted(self._tables):
            ordered = self._ordered.get(name)
            if ordered is None:
                lines = self._lines.get(name, {})
                ordered = self._ordered[name] = [lines[key] for key in self._order.get(name, ())]
            tables.append((name, ordered))
        return Snapshot(self._generation, tables)

    def write_snapshot(self, snapshot: Snapshot) -> bool:
        """Put ``snapshot`` on disk unless a newer one is there; safe from any thread."""
        if self.read_only:
            raise ReadOnlyStore(f"{self.path} is open read-only; the change was not saved.")
        with self._disk_lock:
            if snapshot.generation <= self._written_generation:
                return False
            try:
                write_atomic(self.path, snapshot.chunks())
            except OSError as error:
                raise WriteFailed(
                    f"Could not save {self.path}: {error.strerror or error}; "
                    "the change is not saved."
                ) from error
            self._written_generation = snapshot.generation
            return True

    def flush(self) -> None:
        """Write the current state to disk now, if anything changed."""
        if self.dirty:
            self.write_snapshot(self.snapshot())
