"""Reading a database file into tables: parsed, the journal applied, upgraded in memory and
checked (``store.open_check``), or refused in a sentence that names the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from store import journal
from store.db_files import place, unreadable
from store.errors import StoreTooNew
from store.lines import parse_later
from store.migrations import MIGRATIONS
from store.open_check import first_problem
from store.shape import describe
from store.snapshot_file import FormatError, Parsed, parse_database

Tables = dict[str, dict[str, dict[str, Any]]]
Record = dict[str, Any]

APP_MARK = "moatscope"
SCHEMA_VERSION = 4
META = "meta"
META_KEY = "schema"


def meta_record(version: int = SCHEMA_VERSION) -> Record:
    """The record that marks a file as a moatscope database of ``version``."""
    return {"id": META_KEY, "app": APP_MARK, "schema_version": version}


def checked_tables(
    path: Path, raw: bytes, replay: journal.Replay | None, later: tuple[str, ...] = ()
) -> tuple[Parsed, int]:
    """The tables of ``raw`` with the journal's changes applied, upgraded in memory (with
    the snapshot's lines when it has moatscope's layout), and the schema version the file
    has; raises unless every record has the shape the app reads (``store.open_check``).
    The tables named in ``later`` are left unparsed (``store.later``) unless the journal
    changed them or the file must be upgraded."""
    if replay is not None:
        touched = {table for change in replay.changes for table, _, _ in change}
        later = tuple(name for name in later if name not in touched)
    try:
        parsed = parse_database(raw, path, later)
    except FormatError as error:
        raise unreadable(path, str(error)) from None
    tables = parsed.tables
    if replay is not None:
        journal.apply(tables, replay)
    version = _schema_version(path, tables, raw)
    if version < SCHEMA_VERSION and parsed.later:
        _parse_now(path, raw, parsed)
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


def _parse_now(path: Path, raw: bytes, parsed: Parsed) -> None:
    """Parse the tables left for later now (a file about to be upgraded and rewritten)."""
    for name, (start, close) in parsed.later.items():
        try:
            parsed.tables[name] = parse_later(raw, start, close)
        except ValueError as error:
            raise unreadable(path, f"it is not valid JSON ({error})") from None
    parsed.later.clear()


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
