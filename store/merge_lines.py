"""A snapshot read as records' canonical bytes, without keeping millions of objects.

The merge compares records, and most records are the same in the three files: it needs
each record's canonical bytes (``orjson``, keys sorted), not the record. A file in the
snapshot's own layout (``store.storage``: one record per line) is split into its lines;
each distinct line is parsed once, to check it and to make its canonical bytes, and the
parsed record is dropped at once (so memory is reused, not grown by three whole files).
A line shared by two files is parsed once. The layout is checked strictly (braces, commas,
one record per line), so a file it accepts is valid JSON made of exactly those records.

A file in any other layout (re-indented by hand, say) is parsed whole and each record
serialised: the same result, only slower.
"""

from __future__ import annotations

from typing import Any

import orjson

from store.storage import FormatError, parse_database

Lines = dict[str, dict[str, bytes]]
"""Each record's canonical bytes, by table and key."""
SORTED = orjson.OPT_SORT_KEYS


def canonical_lines(raw: bytes, seen: dict[bytes, tuple[str, bytes]]) -> Lines:
    """The records of ``raw`` as canonical bytes; ``seen`` is shared between the files
    of one merge. Raises ``FormatError`` when it is not a database file."""
    tables = _split(raw, seen)
    if tables is not None:
        return tables
    parsed = parse_database(raw).tables
    return {
        name: {key: orjson.dumps(doc, option=SORTED) for key, doc in table.items()}
        for name, table in parsed.items()
    }


def _split(raw: bytes, seen: dict[bytes, tuple[str, bytes]]) -> Lines | None:
    """The tables of a file in the snapshot's layout; None when it is laid out otherwise."""
    if not raw.startswith(b"{\n") or not raw.endswith(b"\n}\n"):
        return None
    tables: Lines = {}
    position, end = 2, len(raw) - 2
    while position < end:
        line_end = raw.find(b"\n", position)
        header = raw[position:line_end]
        cut = header.rfind(b": {")
        name = _text(header[:cut]) if cut > 0 else None
        if name is None:
            return None
        if header[cut:] in (b": {}", b": {},"):
            tables[name], closing = {}, header[cut + 4 :]
            position = line_end + 1
        elif header[cut:] == b": {":
            close = raw.find(b"\n}", line_end)  # no record line starts with a brace
            records = _records(raw[line_end + 1 : close], seen)
            if records is None:
                return None
            tables[name] = records
            closing = raw[close + 2 : close + 3]
            position = close + (4 if closing == b"," else 3)
        else:
            return None
        if (closing == b",") == (position >= end):  # a comma after every table but the last
            return None
    return tables


def _records(body: bytes, seen: dict[bytes, tuple[str, bytes]]) -> dict[str, bytes] | None:
    """A table's records, from its lines (``body``: every line but the last ends in a
    comma); None when they are not one record per line."""
    lines = body.split(b",\n")
    if body.count(b"\n") != len(lines) - 1:
        return None  # a line without its comma: not one record per line
    records: dict[str, bytes] = {}
    for line in lines:
        record = seen.get(line) or _record(line, seen)
        if record is None:
            return None
        records[record[0]] = record[1]
    return records


def _record(line: bytes, seen: dict[bytes, tuple[str, bytes]]) -> tuple[str, bytes] | None:
    """A record line's key and canonical bytes; None when it is not one record."""
    if not line.startswith(b'"'):
        return None
    try:
        parsed = orjson.loads(b"{" + line + b"}")
    except orjson.JSONDecodeError:
        return None
    if len(parsed) != 1:
        return None
    ((key, doc),) = parsed.items()
    if type(doc) is not dict:
        return None
    made = seen[line] = (key, orjson.dumps(doc, option=SORTED))
    return made


def _text(raw: bytes) -> str | None:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return value if type(value) is str else None


def parse(lines: Lines) -> dict[str, dict[str, Any]]:
    """Every record parsed (to upgrade an older file)."""
    return {name: {k: orjson.loads(v) for k, v in table.items()} for name, table in lines.items()}


def serialise(tables: dict[str, dict[str, Any]]) -> Lines:
    """Every record's canonical bytes."""
    return {
        name: {key: orjson.dumps(doc, option=SORTED) for key, doc in table.items()}
        for name, table in tables.items()
    }


__all__ = ["FormatError", "Lines", "canonical_lines", "parse", "serialise"]
