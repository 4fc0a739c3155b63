"""The database files on disk: reading them safely, and saying what is wrong with them."""

from __future__ import annotations

import os
from pathlib import Path

from store import backups, journal
from store.atomic import remove_stale_temp_files
from store.errors import StoreUnreadable, WriteFailed
from store.paths import backup_dir, not_a_database_file
from store.shape import quote
from store.storage import line_of


def unreadable(path: Path, reason: str) -> StoreUnreadable:
    """The refusal of a file that is left as it is: what is wrong and where to recover."""
    newest = backups.newest_backup(path)
    recovery = f"the newest backup is {newest}" if newest else "there is no backup of it yet"
    return StoreUnreadable(
        f"Cannot open {path}: {reason}; the file was left untouched and {recovery}."
    )


def place(raw: bytes, table: str, key: str) -> str:
    """Where record ``key`` of ``table`` is: "line 14", or its key when the line is not found."""
    line = line_of(raw, table, key)
    return f"line {line}" if line is not None else f"the record {quote(key)} of {quote(table)}"


WRITABLE_REMEDY = "make the file writable (chmod u+w) and try again"


def read_only_file_notice(path: Path) -> str:
    """The notice of a session on a file whose permissions forbid writing."""
    return (
        f"{path} is read-only (its permissions do not allow writing), so this session is read-only"
    )


_READ_FLAGS = os.O_RDONLY | sum(
    getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOFOLLOW", "O_CLOEXEC", "O_BINARY")
)
"""Opening never blocks (on a FIFO), never follows a link put in the real file's place."""


def read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file ``path``, or None if it does not exist.

    The file is opened without blocking and checked once open, so a FIFO or a device
    put in its place is refused, never read (a FIFO would block forever).
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise unreadable(path, (error.strerror or str(error)).lower()) from None
    with os.fdopen(fd, "rb") as handle:
        refusal = not_a_database_file(path, os.fstat(fd).st_mode)
        if refusal is not None:
            raise refusal
        try:
            return handle.read()
        except OSError as error:
            raise unreadable(path, (error.strerror or str(error)).lower()) from None


def make_private(path: Path) -> None:
    """Make a file user-only (0600), such as a lock file an older version left 0644."""
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError:
        pass  # the lock works all the same; its mode only keeps it private


def read_journal(path: Path) -> journal.Replay | None:
    """The committed changes of the journal beside ``path``, or None when there is none.

    Read before the snapshot: a compaction renames the new snapshot into place before it
    cuts the journal, so a journal read first is never newer than the snapshot read after
    it (and an older one replays over it to the same records).
    """
    where = journal.journal_path(path)
    raw = read_regular(where)
    if raw is None:
        return None
    try:
        return journal.read(raw)
    except journal.JournalDamaged as error:
        raise unreadable(path, f"line {error.line} of its journal {where} {error.reason}") from None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(journal.journal_path(path))
    except OSError:
        return None
    return found.st_ino, found.st_dev


def read_files(path: Path) -> tuple[journal.Replay | None, bytes | None]:
    """The journal's committed changes and the snapshot's bytes, read as one state.

    The journal is read first (see ``read_journal``); if a compaction replaced it before
    the snapshot was read, the snapshot may hold changes made after that journal ends,
    which replaying it would take back, so both are read again.
    """
    for _ in range(5):
        before = _identity(path)
        replay = read_journal(path)
        raw = read_regular(path)
        if _identity(path) == before:
            break
    return replay, raw


def orphan_journal(path: Path) -> StoreUnreadable:
    """The refusal of a journal whose snapshot is missing: nothing is written."""
    newest = backups.newest_backup(path)
    recovery = f"the newest backup is {newest}" if newest else "there is no backup of it"
    return StoreUnreadable(
        f"Cannot open {path}: the file is missing but its journal "
        f"{journal.journal_path(path)} is there, so nothing was created or written; put the "
        f"file back ({recovery}) or move the journal away."
    )


def prepare_files(path: Path, replay: journal.Replay | None) -> None:
    """Before a writer's first change: no stale temp files, a backup of the snapshot
    (when it changed since the last one), and no cut-short change at the journal's end
    (the next change is appended after the last whole one)."""
    remove_stale_temp_files(path)
    try:
        backups.make_backup(path)
    except OSError as error:
        raise WriteFailed(
            f"Cannot back up {path} into {backup_dir(path)} ({error.strerror or error}); "
            "the file was left untouched."
        ) from None
    if replay is not None and replay.ignored_lines:
        try:
            journal.cut(journal.journal_path(path), replay.whole)
        except OSError as error:
            raise WriteFailed(
                f"Cannot open {path}: the cut-short change at the end of its journal "
                f"cannot be removed ({error.strerror or error})."
            ) from None
