"""Backups of a database file, kept in the data folder.

A writer open keeps a copy of the file as it found it (when it changed since the last
copy). The newest ``KEPT`` copies are kept, and also, for each of the last ``DAYS``
days, the copy of the last version written that day (a copy keeps the file's
modification time), so a burst of scripted changes cannot push out yesterday's file.
Copies are named after the time they were made (UTC, to the microsecond), never
replace one another and are user-only (0600).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from store import clock
from store.paths import backup_dir, ensure_private_dir
from store.storage import TEMP_MARK, publish_new

KEPT = 5
"""The newest backups kept whatever their day."""
DAYS = 7
"""For each of this many days, today included, the backup of that day's last version is
kept."""
_NAME = re.compile(r"(?P<stem>.*)-(?P<stamp>\d{8}T\d{6}\d{0,6})(?:-(?P<number>\d+))?\.json")


def list_backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, oldest first (by the time in their names)."""
    folder = backup_dir(db_path)
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for name in names:
        match = _NAME.fullmatch(name)
        if match and match["stem"] == db_path.stem:
            order = (match["stamp"].ljust(21, "0"), int(match["number"] or 1))
            found.append((order, folder / name))
    return [path for _, path in sorted(found)]


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup of ``db_path``, if there is one."""
    backups = list_backups(db_path)
    return backups[-1] if backups else None


def _same_file(a: Path, b: Path) -> bool:
    first, second = a.stat(), b.stat()
    return (first.st_size, first.st_mtime_ns) == (second.st_size, second.st_mtime_ns)


def make_backup(db_path: Path) -> Path | None:
    """Keep a copy of the file as it is now, unless the newest backup already is it.

    A backup is a real copy, never a hard link to the database: a link shares the file's
    data, so anything that rewrites the database in place (an editor, a sync tool, a disk
    error) would damage the backup with it. The copy keeps the file's mtime, which is how
    an unchanged file is recognised. It is not forced to disk: it copies a file that is
    there already, and waiting for the disk would slow every open that changes it.
    """
    if not db_path.exists():
        return None
    latest = newest_backup(db_path)
    if latest is not None and _same_file(latest, db_path):
        return latest
    folder = ensure_private_dir(backup_dir(db_path))
    now = clock.moment()
    base = f"{db_path.stem}-{now:%Y%m%dT%H%M%S%f}"
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{base}{TEMP_MARK}")
    os.close(fd)
    temp = Path(temp_name)
    try:
        shutil.copy2(db_path, temp)
        os.chmod(temp, 0o600)
        target = publish_new(temp, folder, base)
    finally:
        temp.unlink(missing_ok=True)
    prune(db_path, now.date())
    return target


def prune(db_path: Path, today: date) -> None:
    """Delete the backups of ``db_path`` that are neither among the newest ``KEPT`` nor
    the last version of one of the last ``DAYS`` days up to ``today`` (UTC)."""
    saved = list_backups(db_path)
    keep = set(saved[-KEPT:])
    last_of_day: dict[date, tuple[int, Path]] = {}
    for path in saved:
        written = _written(path)
        if written is None:
            keep.add(path)  # gone, or not ours to judge
            continue
        day = datetime.fromtimestamp(written / 1e9, UTC).date()
        recent = today - day < timedelta(days=DAYS)
        if recent and (day not in last_of_day or written >= last_of_day[day][0]):
            last_of_day[day] = (written, path)
    keep.update(path for _, path in last_of_day.values())
    for old in saved:
        if old not in keep:
            old.unlink(missing_ok=True)


def _written(path: Path) -> int | None:
    """When the version a backup holds was written (its mtime, in ns), if it can be read."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
