"""The append-only change log that makes every change undoable, deletes included.

Each change stores the before-image of every record it touched. Undo writes the
before-images back and marks the change undone; the log keeps the newest
``KEPT`` changes.
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


def restore(database: Database, ops: list[dict[str, Any]]) -> None:
    """Write the before-images of ``ops`` back."""
    by_table: dict[str, tuple[list[Record], list[str]]] = {}
    for op in ops:
        puts, deletes = by_table.setdefault(op["table"], ([], []))
        if op["before"] is None:
            deletes.append(op["key"])
        else:
            puts.append(orjson.loads(orjson.dumps(op["before"])))
    for table, (puts, deletes) in by_table.items():
        database.delete(table, deletes)
        if puts:
            database.put_many(table, puts)


def append(database: Database, change: ChangeSet) -> None:
    """Record ``change`` in the log and drop the oldest beyond ``KEPT``."""
    log = database.table(TABLE)
    sequence = int(max(log)) + 1 if log else 1
    database.put(
        TABLE,
        {
            "id": f"{sequence:010d}",
            "at": clock.stamp(),
            "label": change.label,
            "ops": change.ops,
            "undone": False,
        },
    )
    log = database.table(TABLE)  # the put replaced the table's dict: read it again
    if len(log) > KEPT:
        database.delete(TABLE, sorted(log)[: len(log) - KEPT])


def last_undoable(database: Database) -> Record | None:
    """The newest change not yet undone."""
    log = database.table(TABLE)
    for key in sorted(log, reverse=True):
        if not log[key]["undone"]:
            return log[key]
    return None


def undo_last(database: Database) -> Record | None:
    """Undo the newest change; returns it, or None when there is nothing to undo."""
    change = last_undoable(database)
    if change is None:
        return None
    restore(database, change["ops"])
    database.put(TABLE, {**change, "undone": True})
    return change


def drop_last(database: Database) -> None:
    """Remove the newest change from the log (its write failed, so it never happened)."""
    log = database.table(TABLE)
    if log:
        database.delete(TABLE, [max(log)])
