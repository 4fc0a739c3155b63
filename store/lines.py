"""Each record's serialised line, kept while the record is unchanged.

A record's line (``"key": {...}``, keys sorted) is the same in the snapshot and in the
journal, so a change serialises only the records it touched, and a snapshot is the
lines already made, in key order. Owned by the thread that changes the records (the UI
thread); the lists ``ordered`` hands out are never changed in place afterwards (a
change replaces the list), so another thread may write them out.

A snapshot laid out as moatscope writes it (one record per line) is read table by table
(``split_snapshot``). A table of large records (a company with its notes) is parsed line by
line, and each line, a view into the file's bytes, *is* the record's line from then on,
so opening serialises nothing. A table of small records (relations: per-line work would
cost more than the parse) is parsed in one piece, and its lines are made only when first
needed (its first change, or the first snapshot). Lines are kept only when the file
parses to exactly the records a parse of the whole file gives; any other layout
(hand-edited, re-indented, CRLF) is parsed whole and its records serialised at open.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from store import journal
from store.errors import WriteFailed

Tables = dict[str, dict[str, dict[str, Any]]]
Line = bytes | memoryview
"""A record's line: bytes serialised here, or a view into the snapshot's bytes."""

_DUMP_OPTIONS = orjson.OPT_SORT_KEYS


def record_line(key: str, doc: dict[str, Any]) -> bytes:
    """A record's line in the snapshot: its key, a colon, the record with keys sorted."""
    return orjson.dumps(key) + b": " + orjson.dumps(doc, option=_DUMP_OPTIONS)


class RecordLines:
    """The lines of every record of one database, by table, and in key order."""

    def __init__(self, path: object) -> None:
        self.path = path
        self._lines: dict[str, dict[str, Line]] = {}
        self._order: dict[str, list[str]] = {}
        self._ordered: dict[str, list[Line]] = {}
        self._unmade: set[str] = set()
        """Tables whose lines are made (serialised) only when first needed."""

    @classmethod
    def adopt(cls, path: object, lines: dict[str, dict[str, Line] | None]) -> RecordLines:
        """The lines ``split_snapshot`` kept, as they are in the file (nothing serialised);
        a table without (None) gets its lines when first needed."""
        kept = cls(path)
        kept._unmade = {name for name, table in lines.items() if table is None}
        kept._lines = {name: table for name, table in lines.items() if table is not None}
        kept._order = {name: sorted(table) for name, table in kept._lines.items()}
        kept._ordered = {
            name: [kept._lines[name][key] for key in order] for name, order in kept._order.items()
        }
        return kept

    def _made(self, name: str, tables: Tables) -> None:
        """Serialise table ``name`` now if its lines were left to be made when needed."""
        if name in self._unmade:
            table = tables.get(name, {})
            self._lines[name] = {key: self._line(name, key, doc) for key, doc in table.items()}
            self._order[name] = sorted(table)
            self._ordered[name] = [self._lines[name][key] for key in self._order[name]]
            self._unmade.discard(name)

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
        self._lines, self._unmade = lines, set()
        self._order = {name: sorted(table) for name, table in tables.items()}
        self._ordered = {
            name: [lines[name][key] for key in order] for name, order in self._order.items()
        }

    def refresh(self, tables: Tables, changed: Mapping[str, Iterable[str]]) -> list[bytes]:
        """Serialise the ``changed`` records again; their journal lines, in order."""
        out: list[bytes] = []
        for name, keys in changed.items():
            self._made(name, tables)
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

    def ordered(self, tables: Tables) -> list[tuple[str, list[Line]]]:
        """Each table's lines in key order, tables in name order."""
        for name in self._unmade & tables.keys():
            self._made(name, tables)
        return [(name, self._ordered.get(name, [])) for name in sorted(tables)]


SMALL = 512
"""A table whose first record's line is shorter than this is parsed a table at a time, one
of longer records a line at a time (where the per-line work costs less than the parse)."""


def split_snapshot(raw: bytes) -> tuple[Tables, dict[str, dict[str, Line] | None]] | None:
    """The tables of a snapshot in moatscope's layout, with each record's line (a view
    into ``raw``; None for a table of small records, whose lines are made when needed);
    None when ``raw`` is laid out otherwise or is not valid JSON (the caller then parses
    it whole, which says what is wrong).

    The layout (``storage.Snapshot.chunks``): ``{``, then per table a line ``"name": {``,
    its records one per line, each but the last ending in a comma, and ``}`` (``},`` but
    for the last table), or the one line ``"name": {}`` (``{},``); then ``}``. Raw
    newlines never occur inside JSON strings, so with the commas checked each line is
    exactly one record and the records are those of the whole file.
    """
    if not (raw.startswith(b"{\n") and raw.endswith(b"\n}\n")):
        return None
    view, tables, kept = memoryview(raw), {}, {}
    position, end, more = 2, len(raw) - 2, True
    try:
        while more and position < end:
            newline = raw.index(b"\n", position)
            header = raw[position:newline]
            position = newline + 1
            if header.endswith(b": {"):
                name = _table_name(header[:-3])
                tables[name], kept[name], position, more = _table(raw, view, position)
                continue
            more = header.endswith(b",")
            empty = header[:-1] if more else header
            if not empty.endswith(b": {}"):
                return None
            name = _table_name(empty[:-4])
            tables[name], kept[name] = {}, {}
    except ValueError:  # (orjson's JSONDecodeError is one)
        return None
    return (tables, kept) if not more and position == end else None


def _table_name(text: bytes) -> str:
    name = orjson.loads(text)
    if type(name) is not str:
        raise ValueError("a table's name is not text")
    return name


def _table(raw: bytes, view: memoryview, position: int) -> tuple[dict, dict | None, int, bool]:
    """One table's records from ``position`` (its first record's line) and their lines;
    where the next line starts, and whether another table follows.

    A table whose first record is small is parsed whole, up to the first line that starts
    with ``}``: if what comes before it parses, its braces balance, so that line closes the
    table."""
    if raw.index(b"\n", position) - position >= SMALL:
        records: dict = {}
        lines: dict = {}
        position, more = _records(raw, view, position, records, lines)
        return records, lines, position, more
    close = raw.find(b"\n}", position - 1)
    if close < position:
        raise ValueError("a table's end is missing")
    records = orjson.loads(b"{" + view[position:close] + b"}")
    for doc in records.values():
        if type(doc) is not dict:
            raise ValueError("not a record")
    newline = raw.index(b"\n", close + 1)
    closer = raw[close + 1 : newline]
    if closer not in (b"}", b"},"):
        raise ValueError("not a table's end")
    return records, None, newline + 1, closer == b"},"


def _records(
    raw: bytes, view: memoryview, position: int, records: dict, lines: dict
) -> tuple[int, bool]:
    """Read one table's record lines from ``position`` up to its closing line; returns
    where the next line starts and whether another table follows."""
    loads, last = orjson.loads, False
    while True:
        newline = raw.index(b"\n", position)
        if raw[position] == 0x7D:  # "}": the table ends (after a last record, without comma)
            closer = raw[position:newline]
            if not last or closer not in (b"}", b"},"):
                raise ValueError("not a table's end")
            return newline + 1, closer == b"},"
        if last:
            raise ValueError("a record after the last")
        last = raw[newline - 1] != 0x2C  # ","
        line = view[position : newline if last else newline - 1]
        record = loads(b"{" + line + b"}")
        if len(record) != 1:
            raise ValueError("not one record")
        ((key, doc),) = record.items()
        if type(doc) is not dict:
            raise ValueError("not a record")
        records[key], lines[key] = doc, line
        position = newline + 1
