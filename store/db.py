"""The database: open, lock, check, migrate, back up; records in and out of TinyDB.

This is the one module that touches TinyDB. Records are plain dicts keyed by
their own ``id``; callers must treat what ``get`` and ``table`` return as
read-only and write through ``put``/``delete``.
"""

from __future__ import annotations

import gc
import stat
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document, Table

from store import clock, journal
from store.db_files import (
    WRITABLE_REMEDY,
    make_private,
    orphan_journal,
    place,
    read_files,
    read_only_file_notice,
    unreadable,
)
from store.errors import StoreTooNew, StoreUnreadable
from store.migrations import MIGRATIONS
from store.open_check import first_problem
from store.paths import (
    data_dir,
    ensure_private_dir,
    existing_db_file,
    lock_path,
    real_db_path,
)
from store.preparation import Preparation, prepare
from store.shape import describe
from store.storage import (
    Commit,
    FormatError,
    MemoryStorage,
    Parsed,
    Tables,
    line_of,
    parse_database,
    remove_stale_temp_files,
    write_new,
)

APP_MARK = "moatscope"
SCHEMA_VERSION = 4
META = "meta"
META_KEY = "schema"

Record = dict[str, Any]


class RecordTable(Table):
    """A TinyDB table whose document ids are the records' own string ids."""

    document_id_class = str

    def _update_table(self, updater: Callable[[dict[str, Record]], None]) -> None:
        """TinyDB's, in place: its version copies the whole table twice to turn ids into
        ``document_id_class`` and back, which for str ids changes nothing."""
        tables = self._storage.read()
        updater(tables.setdefault(self.name, {}))
        self._storage.write(tables)
        self._query_cache.clear()


class _TinyDB(TinyDB):
    table_class = RecordTable


def meta_record(version: int = SCHEMA_VERSION) -> Record:
    """The record that marks a file as a moatscope database of ``version``."""
    return {"id": META_KEY, "app": APP_MARK, "schema_version": version}


@contextmanager
def gc_paused(*, freeze: bool = True):
    """Bulk loads create millions of objects that live as long as the database; the cyclic
    GC need not scan them while they are made, and they are frozen out of its way after
    (``freeze=False`` for work whose objects die when it ends, such as a merge)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            if freeze:
                gc.freeze()


def _checked_tables(path: Path, raw: bytes, replay: journal.Replay | None) -> tuple[Parsed, int]:
    """The tables of ``raw`` with the journal's changes applied, upgraded in memory (with
    the snapshot's lines when it has moatscope's layout), and the schema version the file
    has; raises unless every record has the shape the app reads (``store.open_check``)."""
    try:
        parsed = parse_database(raw, path)
    except FormatError as error:
        raise unreadable(path, str(error)) from None
    tables = parsed.tables
    if replay is not None:
        journal.apply(tables, replay)
    version = _schema_version(path, tables, raw)
    for step in range(version, SCHEMA_VERSION):
        try:
            MIGRATIONS[step](tables)
        except (AttributeError, KeyError, TypeError, ValueError):
            raise unreadable(
                path, f"it could not be upgraded from schema {version} (a record is malformed)"
            ) from None
    if version < SCHEMA_VERSION:
        tables[META][META_KEY] = meta_record()
    problem = first_problem(tables)
    if problem is not None:
        raise unreadable(path, f"{place(raw, problem.table, problem.key)}: {problem.message}")
    return parsed, version


def _schema_version(path: Path, tables: Tables, raw: bytes) -> int:
    meta = tables.get(META, {}).get(META_KEY)
    if not meta or meta.get("app") != APP_MARK:
        raise unreadable(path, "it is not a moatscope database")
    version = meta.get("schema_version")
    if type(version) is not int:
        found = "nothing" if version is None else describe(version)
        where = place(raw, META, META_KEY)
        raise unreadable(path, f"{where}: the schema version should be a whole number, not {found}")
    if version < 1:
        where = place(raw, META, META_KEY)
        raise unreadable(
            path, f"{where}: the schema version {version} is not one moatscope has written"
        )
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"Cannot open {path}: it was written by a newer moatscope (schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); upgrade moatscope. "
            "The file was left untouched."
        )
    return version


def _created(path: Path, seed: Callable[[], Tables]) -> MemoryStorage:
    """A new file from ``seed()``, written whole before anything else happens."""
    remove_stale_temp_files(path)  # left by a first save that was interrupted
    tables = seed()
    tables[META] = {META_KEY: meta_record()}
    storage = MemoryStorage(path, tables, on_disk=False)
    storage.flush()
    return storage


class Database:
    """An open database file: its lock, its in-memory tables and its storage."""

    def __init__(
        self,
        path: Path,
        storage: MemoryStorage,
        lock: FileLock | None,
        notice: str,
        remedy: str = "",
        preparing: Preparation | None = None,
    ) -> None:
        self.path = path
        self.storage = storage
        self._lock = lock
        self.preparing = preparing
        """The files being made ready for writing on a thread (``background``), or None."""
        self.notice = notice
        """Why the store is read-only, or an empty string."""
        self.remedy = remedy or "close it and try again"
        """What would let a later session write, for a read-only one ("close it and try
        again")."""
        self._tinydb = _TinyDB(storage=lambda: storage)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        seed: Callable[[], Tables] | None = None,
        background: bool = False,
    ) -> Database:
        """Open ``path``, creating it from ``seed()`` when it does not exist.

        ``path`` is followed through links to the real file. A second process, or a file
        whose permissions forbid writing, gets a read-only database with a ``notice``. An
        unreadable, foreign, malformed or too-new file, and anything but a regular file,
        raises and is never written. With ``background`` (the TUI), the backup and the
        rest of ``prepare_files`` run on a thread (``store.preparation``) instead of
        before this returns; a failure there is then a failed write, not a refusal here.
        """
        path = real_db_path(path)
        found = existing_db_file(path)
        try:
            ensure_private_dir(path.parent)
        except OSError as error:
            raise StoreUnreadable(
                f"Cannot open {path}: its folder cannot be created "
                f"({error.strerror or error}); choose another place with --db."
            ) from None
        if read_only:
            lock, notice, remedy = None, "opened read-only", ""
        elif found is not None and not found.st_mode & stat.S_IWUSR:
            lock, notice, remedy = None, read_only_file_notice(path), WRITABLE_REMEDY
        else:
            lock, notice, remedy = cls._take_lock(path)
        try:
            return cls._load(path, lock, (notice, remedy), seed, background)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def scratch(cls, path: Path, seed: Callable[[], Tables]) -> Database:
        """``seed()`` in memory, read-only, for a file that does not exist yet; writes nothing."""
        tables = seed()
        tables[META] = {META_KEY: meta_record()}
        storage = MemoryStorage(path, tables, read_only=True, on_disk=False)
        return cls(path.absolute(), storage, None, "the database is not created yet")

    @staticmethod
    def _take_lock(path: Path) -> tuple[FileLock | None, str, str]:
        lock = FileLock(lock_path(path), mode=0o600)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            notice = f"{path} is open in another moatscope session, so this one is read-only"
            return None, notice, ""
        except OSError as error:
            notice = f"cannot lock {path} ({error.strerror}), so this session is read-only"
            return None, notice, "make its folder writable and try again"
        make_private(lock_path(path))
        return lock, "", ""

    @classmethod
    def _load(
        cls,
        path: Path,
        lock: FileLock | None,
        access: tuple[str, str],
        seed: Callable[[], Tables] | None,
        background: bool = False,
    ) -> Database:
        read_only = lock is None
        replay, raw = read_files(path)
        if raw is None:
            if replay is not None:
                raise orphan_journal(path)
            if read_only or seed is None:
                raise StoreUnreadable(f"Cannot open {path}: the file does not exist.")
            return cls(path, _created(path, seed), lock, *access)
        with gc_paused():
            parsed, version = _checked_tables(path, raw, replay)
            sizes = (len(raw), replay.whole if replay else 0)
            del raw  # (the kept lines are views of it: it lives as long as they do)
            later = background and version == SCHEMA_VERSION  # (a migration writes now)
            preparing = None if read_only else prepare(path, replay, later=later)
            storage = MemoryStorage(
                path,
                parsed.tables,
                read_only=read_only,
                sizes=sizes,
                lines=parsed.lines,
                ready=preparing.wait if preparing else None,
            )
            if replay is not None:
                storage.replayed(replay)
        if version < SCHEMA_VERSION:
            storage.mark_all()
            if not read_only:
                storage.write(parsed.tables)
                storage.flush()
        return cls(path, storage, lock, *access, preparing=preparing)

    @property
    def read_only(self) -> bool:
        """True when this process may not write the file."""
        return self.storage.read_only

    def table(self, name: str) -> dict[str, Record]:
        """All records of a table, by id (read-only)."""
        return self.storage.read().get(name, {})

    def get(self, name: str, key: str) -> Record | None:
        """One record (read-only), or None."""
        return self.table(name).get(key)

    def put(self, name: str, record: Record) -> None:
        """Insert or replace one record, keyed by its ``id``."""
        self.put_many(name, [record])

    def put_many(self, name: str, records: Iterable[Record]) -> None:
        """Insert or replace records in one TinyDB operation per kind."""
        records = list(records)  # read twice below: a generator would lose the inserts
        table, existing = self._tinydb.table(name), self.table(name)
        replacements = {r["id"]: r for r in records if r["id"] in existing}
        inserts = [r for r in records if r["id"] not in existing] if replacements else list(records)
        if replacements:

            def replace(document: Record) -> None:
                new = replacements[document["id"]]
                document.clear()
                document.update(new)

            table.update(replace, doc_ids=list(replacements))
            self.storage.mark(name, replacements)
        if inserts:
            table.insert_multiple(Document(record, doc_id=record["id"]) for record in inserts)
            self.storage.mark(name, (record["id"] for record in inserts))

    def delete(self, name: str, keys: Iterable[str]) -> None:
        """Remove records by id; missing ids are ignored."""
        present = [key for key in keys if key in self.table(name)]
        if present:
            self._tinydb.table(name).remove(doc_ids=present)
            self.storage.mark(name, present)

    def copy(self, name: str, key: str) -> Record | None:
        """A deep copy of one record, safe to keep while the record changes."""
        record = self.get(name, key)
        return None if record is None else orjson.loads(orjson.dumps(record))

    def flush(self) -> None:
        """Write all changes to disk now (atomic, durable)."""
        self.storage.flush()

    def snapshot(self) -> Commit:
        """Queue the changes for a background write (``MemoryStorage.commit``)."""
        return self.storage.commit()

    def place(self, table: str, key: str) -> str:
        """Where a record is on disk: "line 14 of PATH", or PATH when its line is not found."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return str(self.path)
        line = line_of(raw, table, key)
        return f"line {line} of {self.path}" if line is not None else str(self.path)

    def rescue(self) -> Path:
        """Write the in-memory state to a new file in the data folder; returns its path.

        Used when the database itself cannot be written, so nothing typed is lost. Each
        rescue gets a file of its own (0600), however many happen in one second.
        """
        folder = ensure_private_dir(data_dir() / "recovered")
        base = f"{self.path.stem}-{clock.now():%Y%m%dT%H%M%S}"
        return write_new(folder, base, self.storage.snapshot().chunks())

    def refuse_writes(self, notice: str) -> None:
        """Make this session read-only from now on, saying why (the files could not be
        made ready for writing: ``store.preparation``)."""
        self.storage.read_only = True
        self.notice = notice
        self.remedy = "correct that and open it again"

    def close(self) -> None:
        """Flush outstanding changes and compact the journal into the snapshot, then
        release the lock (once the files' preparation, if any, is over). Later writes
        raise."""
        try:
            if not self.read_only:
                self.storage.settle()
            elif self.storage.dirty and self.preparing is not None:
                self.preparing.wait()  # a change made before preparing failed: not saved
        finally:
            if self.preparing is not None:
                self.preparing.failure()  # never let the lock go while a backup is written
            self.storage.close()
            if self._lock is not None:
                self._lock.release()
                self._lock = None
