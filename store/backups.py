"""Rolling backups of a database file, kept in the data folder."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from store.paths import backup_dir, ensure_private_dir

KEPT = 5


def list_backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, oldest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.json"))


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup of ``db_path``, if there is one."""
    backups = list_backups(db_path)
    return backups[-1] if backups else None


def _same_file(a: Path, b: Path) -> bool:
    first, second = a.stat(), b.stat()
    if (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino):
        return True
    return (first.st_size, first.st_mtime_ns) == (second.st_size, second.st_mtime_ns)


def make_backup(db_path: Path) -> Path | None:
    """Keep a copy of the file as it is now, unless the newest backup already is it.

    The database is only ever replaced by rename, never rewritten in place, so a
    hard link is a true copy of this version; a plain copy is the fallback.
    """
    if not db_path.exists():
        return None
    latest = newest_backup(db_path)
    if latest is not None and _same_file(latest, db_path):
        return latest
    folder = ensure_private_dir(backup_dir(db_path))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{db_path.stem}-{stamp}.json"
    try:
        os.link(db_path, target)
    except OSError:
        shutil.copy2(db_path, target)
    for old in list_backups(db_path)[:-KEPT]:
        old.unlink(missing_ok=True)
    return target
