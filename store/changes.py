"""The append-only change log that makes every change undoable, deletes included.

Each change stores the before-image of every record it touched, and the session that
made it (a TUI session or one command line run). Undo writes the before-images back,
marks the change undone and keeps what it replaced (``redo``); redo writes that back.
Only the changes undone since the last new change can be redone: a new change ends the
redo. The log keeps the newest ``KEPT`` changes.
"""

from __future__ import annotations

from typing import Any

import orjson

from store import clock
from store.db import Database, Record

TABLE = "changes"
KEPT = 500


class ChangeSet:
    """The records one user action touches, with their before-images."""

    def __init__(self, database: Database, label: str) -> None:
        self.database = database
        self.label = label
        self.ops: list[dict[str, Any]] = []
        self._seen: set[tuple[str, str]] = set()

    def _remember(self, table: str, key: str) -> None:
        if (table, key) not in self._seen:
            self._seen.add((table, key))
            self.ops.append({"table": table, "key": key, "before": self.database.copy(table, key)})

    def put(self, table: str, record: Record) -> None:
        """Insert or replace a record, remembering what was there."""
        self._remember(table, record["id"])
        self.database.put(table, record)

    def put_many(self, table: str, records: list[Record]) -> None:
        """Insert or replace many records in one store operation."""
        for record in records:
            self._remember(table, record["id"])
        self.database.put_many(table, records)

    def delete(self, table: str, keys: list[str]) -> None:
        """Delete records, remembering them so undo can bring them back."""
        for key in keys:
            self._remember(table, key)
        self.database.delete(table, keys)

    def revert(self) -> None:
        """Put every touched record back as it was (used when an action fails midway)."""
        restore(self.database, self.ops)


def _before_images(ops: list[dict[str, Any]]) -> dict[str, tuple[list[Record], list[str]]]:
    """Per table, the records to put back and the keys to delete, to undo ``ops``."""
    by_table: dict[str, tuple[list[Record], list[str]]] = {}
    for op in ops:
        puts, deletes = by_table.setdefault(op["table"], ([], []))
        if op["before"] is None:
            deletes.append(op["key"])
        else:
            puts.append(orjson.loads(orjson.dumps(op["before"])))
    return by_table


def restore(database: Database, ops: list[dict[str, Any]]) -> None:
    """Write the before-images of ``ops`` back."""
    for table, (puts, deletes) in _before_images(ops).items():
        database.delete(table, deletes)
        if puts:
            database.put_many(table, puts)


def append(database: Database, change: ChangeSet, session: str = "") -> ChangeSet:
    """Record ``change`` in the log and drop the oldest beyond ``KEPT``; returns the
    change to the log itself, which ``revert`` takes back whole."""
    log = database.table(TABLE)
    sequence = int(max(log)) + 1 if log else 1  # keys are numbers (store.open_check)
    entry = ChangeSet(database, "log")
    # A new change ends the redo: the changes undone before it can no longer be redone.
    ended = []
    for key in sorted(log, reverse=True):
        if not log[key]["undone"]:
            break
        if log[key].get("redo"):
            ended.append({**log[key], "redo": []})
    if ended:
        entry.put_many(TABLE, ended)
    entry.put(
        TABLE,
        {
            "id": f"{sequence:010d}",
            "at": clock.stamp(),
            "label": change.label,
            "ops": change.ops,
            "undone": False,
            "session": session,
            "redo": [],
        },
    )
    log = database.table(TABLE)  # the put replaced the table's dict: read it again
    if len(log) > KEPT:
        entry.delete(TABLE, sorted(log)[: len(log) - KEPT])
    return entry


def last_undoable(database: Database) -> Record | None:
    """The newest change not yet undone."""
    log = database.table(TABLE)
    for key in sorted(log, reverse=True):
        if not log[key]["undone"]:
            return log[key]
    return None


def _apply_images(change: ChangeSet, ops: list[dict[str, Any]]) -> None:
    """Put the images of ``ops`` in place through ``change``."""
    for table, (puts, deletes) in _before_images(ops).items():
        change.delete(table, deletes)
        if puts:
            change.put_many(table, puts)


def undo_last(change: ChangeSet) -> Record | None:
    """Undo the newest change through ``change`` (so it can be taken back in turn);
    returns the change undone, or None when there is nothing to undo."""
    undone = last_undoable(change.database)
    if undone is None:
        return None
    _apply_images(change, undone["ops"])
    redo = [op for op in change.ops if op["table"] != TABLE]
    change.put(TABLE, {**undone, "undone": True, "redo": redo})
    return undone


def last_redoable(database: Database) -> Record | None:
    """The change undone first among those undone since the last new change."""
    log = database.table(TABLE)
    found = None
    for key in sorted(log, reverse=True):
        if not log[key]["undone"] or not log[key].get("redo"):  # (a new change came after it)
            break
        found = log[key]
    return found


def redo_last(change: ChangeSet) -> Record | None:
    """Redo the change ``last_redoable`` names through ``change``; None if there is none."""
    redone = last_redoable(change.database)
    if redone is None:
        return None
    _apply_images(change, redone["redo"])
    change.put(TABLE, {**redone, "undone": False, "redo": []})
    return redone
