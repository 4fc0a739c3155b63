"""The database: open, lock, check, migrate, back up; records in and out of TinyDB.

This is the one module that touches TinyDB. Records are plain dicts keyed by
their own ``id``; callers must treat what ``get`` and ``table`` return as
read-only and write through ``put``/``delete``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document, Table

from store import backups, clock
from store.errors import StoreTooNew, StoreUnreadable, WriteFailed
from store.paths import backup_dir, data_dir, ensure_private_dir, lock_path
from store.storage import (
    FormatError,
    MemoryStorage,
    Snapshot,
    Tables,
    parse_database,
    remove_stale_temp_files,
    write_atomic,
)

APP_MARK = "moatscope"
SCHEMA_VERSION = 2
META = "meta"
META_KEY = "schema"

Record = dict[str, Any]


class RecordTable(Table):
    """A TinyDB table whose document ids are the records' own string ids."""

    document_id_class = str

    def _update_table(self, updater: Callable[[dict[str, Record]], None]) -> None:
        """TinyDB's, in place: its version copies the whole table twice to turn ids into
        ``document_id_class`` and back (5 ms a change at 10k records), a no-op for str ids."""
        tables = self._storage.read()
        updater(tables.setdefault(self.name, {}))
        self._storage.write(tables)
        self._query_cache.clear()


class _TinyDB(TinyDB):
    table_class = RecordTable


def _migrate_1_to_2(tables: Tables) -> None:
    """Schema 1 kept tags as one comma-separated string and had no change log."""
    for company in tables.get("companies", {}).values():
        if isinstance(company.get("tags"), str):
            company["tags"] = [tag.strip() for tag in company["tags"].split(",") if tag.strip()]
    tables.setdefault("changes", {})


MIGRATIONS: dict[int, Callable[[Tables], None]] = {1: _migrate_1_to_2}


def meta_record(version: int = SCHEMA_VERSION) -> Record:
    """The record that marks a file as a moatscope database of ``version``."""
    return {"id": META_KEY, "app": APP_MARK, "schema_version": version}


@contextmanager
def gc_paused():
    """Bulk loads create millions of objects; the cyclic GC slows them 3-4x."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.freeze()


def _unreadable(path: Path, reason: str) -> StoreUnreadable:
    newest = backups.newest_backup(path)
    recovery = f"the newest backup is {newest}" if newest else "there is no backup of it yet"
    return StoreUnreadable(
        f"Cannot open {path}: {reason}; the file was left untouched and {recovery}."
    )


def _schema_version(path: Path, tables: Tables) -> int:
    meta = tables.get(META, {}).get(META_KEY)
    if not meta or meta.get("app") != APP_MARK or not isinstance(meta.get("schema_version"), int):
        raise _unreadable(path, "it is not a moatscope database")
    version = meta["schema_version"]
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"Cannot open {path}: it was written by a newer moatscope (schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); upgrade moatscope. "
            "The file was left untouched."
        )
    return version


class Database:
    """An open database file: its lock, its in-memory tables and its storage."""

    def __init__(
        self, path: Path, storage: MemoryStorage, lock: FileLock | None, notice: str
    ) -> None:
        self.path = path
        self.storage = storage
        self._lock = lock
        self.notice = notice
        """Why the store is read-only, or an empty string."""
        self._tinydb = _TinyDB(storage=lambda: storage)

    @classmethod
    def open(
        cls, path: Path, *, read_only: bool = False, seed: Callable[[], Tables] | None = None
    ) -> Database:
        """Open ``path``, creating it from ``seed()`` when it does not exist.

        A second process gets a read-only database with a ``notice``. An unreadable,
        foreign or too-new file raises and is never written.
        """
        path = path.absolute()
        try:
            ensure_private_dir(path.parent)
        except OSError as error:
            raise StoreUnreadable(
                f"Cannot open {path}: its folder cannot be created "
                f"({error.strerror or error}); choose another place with --db."
            ) from None
        lock, notice = (None, "opened read-only") if read_only else cls._take_lock(path)
        try:
            return cls._load(path, lock, notice, seed)
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
    def _take_lock(path: Path) -> tuple[FileLock | None, str]:
        lock = FileLock(lock_path(path), mode=0o600)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return None, f"{path} is open in another moatscope session, so this one is read-only"
        except OSError as error:
            return None, f"cannot lock {path} ({error.strerror}), so this session is read-only"
        return lock, ""

    @classmethod
    def _load(
        cls, path: Path, lock: FileLock | None, notice: str, seed: Callable[[], Tables] | None
    ) -> Database:
        read_only = lock is None
        if not path.exists():
            if read_only or seed is None:
                raise StoreUnreadable(f"Cannot open {path}: the file does not exist.")
            remove_stale_temp_files(path)  # left by a first save that was interrupted
            tables = seed()
            tables[META] = {META_KEY: meta_record()}
            storage = MemoryStorage(path, tables, on_disk=False)
            storage.flush()
            return cls(path, storage, lock, notice)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise _unreadable(path, error.strerror or str(error)) from None
        with gc_paused():
            try:
                tables = parse_database(raw)
            except FormatError as error:
                raise _unreadable(path, str(error)) from None
        del raw
        version = _schema_version(path, tables)
        if not read_only:
            remove_stale_temp_files(path)
            try:
                backups.make_backup(path)
            except OSError as error:
                raise WriteFailed(
                    f"Cannot back up {path} into {backup_dir(path)} ({error.strerror or error}); "
                    "the file was left untouched."
                ) from None
        storage = MemoryStorage(path, tables, read_only=read_only)
        database = cls(path, storage, lock, notice)
        if version < SCHEMA_VERSION:
            database._migrate(version)
        return database

    def _migrate(self, version: int) -> None:
        tables = self.storage.read()
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](tables)
        tables[META][META_KEY] = meta_record()
        self.storage.mark_all()
        if not self.read_only:
            self.storage.write(tables)
            self.storage.flush()

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

    def snapshot(self) -> Snapshot:
        """Serialise the current state for a background write."""
        return self.storage.snapshot()

    def rescue(self) -> Path:
        """Write the in-memory state to a new file in the data folder; returns its path.

        Used when the database itself cannot be written, so nothing typed is lost.
        """
        folder = ensure_private_dir(data_dir() / "recovered")
        stamp = clock.now().strftime("%Y%m%dT%H%M%S")
        target = folder / f"{self.path.stem}-{stamp}.json"
        write_atomic(target, self.storage.snapshot().chunks())
        return target

    def close(self) -> None:
        """Flush outstanding changes, then release the lock. Later writes raise."""
        try:
            if not self.read_only:
                self.flush()
        finally:
            self.storage.close()
            if self._lock is not None:
                self._lock.release()
                self._lock = None
