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
    return (first.st_size, first.st_mtime_ns) == (second.st_size, second.st_mtime_ns)


def make_backup(db_path: Path) -> Path | None:
    """Keep a copy of the file as it is now, unless the newest backup already is it.

    A backup is a real copy, never a hard link: a link shares the file's data, so
    anything that rewrites the database in place (an editor, a sync tool, a disk
    error) would damage the backup with it. The copy keeps the file's mtime, which
    is how an unchanged file is recognised; it is renamed into place only once whole.
    """
    if not db_path.exists():
        return None
    latest = newest_backup(db_path)
    if latest is not None and _same_file(latest, db_path):
        return latest
    folder = ensure_private_dir(backup_dir(db_path))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{db_path.stem}-{stamp}.json"
    partial = folder / f".{target.name}.partial"
    try:
        shutil.copy2(db_path, partial)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    for old in list_backups(db_path)[:-KEPT]:
        old.unlink(missing_ok=True)
    return target
