"""Reading a snapshot file: its records, and each record's line when the file is in the
app's layout (``store.lines.split_snapshot``); where a record is, for messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from store.lines import RecordLines, split_snapshot

Tables = dict[str, dict[str, dict[str, Any]]]


class FormatError(ValueError):
    """The bytes are not a database file of the shape above."""


@dataclass(frozen=True)
class Parsed:
    """A snapshot's tables and, when it is in moatscope's layout, each record's line."""

    tables: Tables
    lines: RecordLines | None
    """The records' lines as they are in the file; None when it must be serialised."""


def parse_database(raw: bytes, path: object = None) -> Parsed:
    """Parse a database file, raising FormatError with a short reason.

    A file in moatscope's layout is read record by record, keeping each record's line
    (``store.lines.split_snapshot``); any other (a hand-edited or re-indented file) is
    read with one ``orjson.loads`` of the whole file, to the same records.
    """
    split = split_snapshot(raw)
    if split is not None:
        return Parsed(split[0], RecordLines.adopt(path, split[1]))
    return Parsed(_parse_whole(raw), None)


def _parse_whole(raw: bytes) -> Tables:
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
