"""Each record's serialised line, kept while the record is unchanged.

A record's line (``"key": {...}``, keys sorted) is the same in the snapshot and in the
journal, so a change serialises only the records it touched, and a snapshot is the
lines already made, in key order. Owned by the thread that changes the records (the UI
thread); the lists ``ordered`` hands out are never changed in place afterwards (a
change replaces the list), so another thread may write them out.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from store import journal
from store.errors import WriteFailed

Tables = dict[str, dict[str, dict[str, Any]]]

_DUMP_OPTIONS = orjson.OPT_SORT_KEYS


def record_line(key: str, doc: dict[str, Any]) -> bytes:
    """A record's line in the snapshot: its key, a colon, the record with keys sorted."""
    return orjson.dumps(key) + b": " + orjson.dumps(doc, option=_DUMP_OPTIONS)


class RecordLines:
    """The lines of every record of one database, by table, and in key order."""

    def __init__(self, path: object) -> None:
        self.path = path
        self._lines: dict[str, dict[str, bytes]] = {}
        self._order: dict[str, list[str]] = {}
        self._ordered: dict[str, list[bytes]] = {}

    def _line(self, table: str, key: str, doc: dict[str, Any]) -> bytes:
        try:
            return record_line(key, doc)
        except orjson.JSONEncodeError as error:
            raise WriteFailed(
                f"Could not save {self.path}: record {key!r} of {table!r} cannot be "
                f"written as JSON ({error}); the change is not saved."
            ) from error

    def rebuild(self, tables: Tables) -> None:
        """Serialise every record (when a file opens, or after a migration)."""
        lines = {
            name: {key: self._line(name, key, doc) for key, doc in table.items()}
            for name, table in tables.items()
        }
        self._lines = lines
        self._order = {name: sorted(table) for name, table in tables.items()}
        self._ordered = {
            name: [lines[name][key] for key in order] for name, order in self._order.items()
        }

    def refresh(self, tables: Tables, changed: Mapping[str, Iterable[str]]) -> list[bytes]:
        """Serialise the ``changed`` records again; their journal lines, in order."""
        out: list[bytes] = []
        for name, keys in changed.items():
            table = tables.get(name, {})
            lines = self._lines.setdefault(name, {})
            order = self._order.setdefault(name, [])
            ordered = list(self._ordered.get(name, ()))
            for key in sorted(keys):
                doc = table.get(key)
                index = bisect_left(order, key)
                there = index < len(order) and order[index] == key
                if doc is None:
                    if there:
                        del order[index], ordered[index]
                        del lines[key]
                    out.append(journal.tombstone_line(name, key))
                    continue
                line = lines[key] = self._line(name, key, doc)
                if there:
                    ordered[index] = line
                else:
                    order.insert(index, key)
                    ordered.insert(index, line)
                out.append(journal.record_line(name, line))
            self._ordered[name] = ordered
        return out

    def ordered(self, names: Iterable[str]) -> list[tuple[str, list[bytes]]]:
        """Each table's lines in key order, tables in ``names``' order."""
        return [(name, self._ordered.get(name, [])) for name in names]
