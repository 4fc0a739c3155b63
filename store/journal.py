"""The journal: the records changed since the snapshot, appended beside it.

A database is two files in one folder: the snapshot ``NAME`` (``store.storage``'s format)
and the journal ``NAME.journal``. Each change appends its changed records to the
journal, one line each, then a commit line; a line is its checksum (CRC32 of the rest,
8 hex digits), a space and a JSON value::

    1c291ca3 {"companies": {"co-3f9a1b2c4d5e": {"created": "...", "id": ...}}}
    5f3e02aa {"companies": {"co-77aa01020304": null}}
    0b1e39d6 [17, 2]

A record line holds the record's whole new state (``null``: it was deleted), written
exactly as its line in the snapshot; the commit line ``[generation, lines]`` closes the
change and counts its record lines. Opening applies every committed change in order, so
a change lands whole or not at all. Lines after the last commit (a change cut short) and
a damaged last line are what a kill leaves, and are ignored; a damaged line with lines
after it is damage, and the database is refused.

Applying a record is replacing it, so a journal replayed over a snapshot that already
holds some of its changes gives the same tables: compaction may leave both for a moment.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from store.atomic import fsync_folder

SUFFIX = ".journal"

Tables = dict[str, dict[str, dict[str, Any]]]


class JournalDamaged(ValueError):
    """A line before the last is not a whole, checksummed journal line."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line} {reason}")
        self.line = line
        self.reason = reason


def journal_path(db_path: Path) -> Path:
    """The journal beside the snapshot ``db_path``."""
    return db_path.with_name(db_path.name + SUFFIX)


def _checked(body: bytes) -> bytes:
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def record_line(table: str, record_line: bytes) -> bytes:
    """The journal line of one record, from its snapshot line (``"key": {...}``)."""
    return _checked(b"{" + orjson.dumps(table) + b": {" + record_line + b"}}")


def tombstone_line(table: str, key: str) -> bytes:
    """The journal line of a deleted record."""
    return _checked(b"{" + orjson.dumps(table) + b": {" + orjson.dumps(key) + b": null}}")


def commit_line(generation: int, records: int) -> bytes:
    """The line that closes a change of ``records`` record lines."""
    return _checked(orjson.dumps([generation, records]))


@dataclass
class Replay:
    """What a journal holds: its committed changes and how much of it is whole."""

    changes: list[list[tuple[str, str, dict[str, Any] | None]]] = field(default_factory=list)
    whole: int = 0
    """Bytes up to the end of the last commit line; anything after it is ignored."""
    ignored_lines: int = 0


def _parse(line: bytes) -> Any:
    """The JSON value of one line, or raises ValueError with the reason."""
    if len(line) < 10 or line[8:9] != b" ":
        raise ValueError("is not a journal line")
    try:
        checksum = int(line[:8], 16)
    except ValueError:
        raise ValueError("is not a journal line") from None
    body = line[9:]
    if zlib.crc32(body) != checksum:
        raise ValueError("does not match its checksum")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ValueError("is not valid JSON") from None


def _record(value: Any) -> tuple[str, str, dict[str, Any] | None]:
    if isinstance(value, dict) and len(value) == 1:
        ((table, records),) = value.items()
        if isinstance(records, dict) and len(records) == 1:
            ((key, doc),) = records.items()
            if doc is None or isinstance(doc, dict):
                return table, key, doc
    raise ValueError("is not a record of a table")


def _is_commit(value: Any) -> bool:
    return (
        isinstance(value, list) and len(value) == 2 and all(type(number) is int for number in value)
    )


def read(raw: bytes) -> Replay:
    """The committed changes of the journal ``raw``; raises JournalDamaged for a bad line
    that has lines after it."""
    replay = Replay()
    lines = raw.split(b"\n")
    torn = lines.pop()  # after the last newline: empty, or a line cut short
    pending: list[tuple[str, str, dict[str, Any] | None]] = []
    position = 0
    for number, line in enumerate(lines, 1):
        position += len(line) + 1
        try:
            value = _parse(line)
            if _is_commit(value):
                if value[1] != len(pending):
                    raise ValueError("closes a change whose lines are missing")
                replay.changes.append(pending)
                replay.whole, pending = position, []
            else:
                pending.append(_record(value))
        except ValueError as error:
            if number < len(lines) or torn:
                raise JournalDamaged(number, str(error)) from None
            pending.append(("", "", None))  # the damaged last line
    replay.ignored_lines = len(pending) + bool(torn)
    return replay


def apply(tables: Tables, replay: Replay) -> None:
    """Apply the committed changes to ``tables``, in order."""
    for change in replay.changes:
        for table, key, doc in change:
            records = tables.setdefault(table, {})
            if doc is None:
                records.pop(key, None)
            else:
                records[key] = doc


_APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


def append(path: Path, data: bytes, size: int) -> None:
    """Append ``data`` to the journal ``path`` (``size`` bytes long now) and force it to
    the disk. On failure the journal is cut back to ``size``, so a later append never
    follows half a change; a new journal's folder entry is forced to the disk too."""
    created = size == 0 and not os.path.lexists(path)
    fd = os.open(path, _APPEND_FLAGS, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        try:
            os.ftruncate(fd, size)
        except OSError:
            pass  # the next open ignores the cut-short change all the same
        raise
    finally:
        os.close(fd)
    if created:
        fsync_folder(path.parent)


def cut(path: Path, size: int) -> None:
    """Cut the journal back to its whole part (``size`` bytes), durably."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)
