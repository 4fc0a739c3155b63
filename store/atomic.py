"""Whole files written atomically and durably: a crash leaves the old file or the new one.

A file is written to a temp file in the same folder (mode 0600), forced to the disk, then
renamed over the target (or linked to a new name), and the folder is forced to the disk.
"""

from __future__ import annotations

import errno
import glob
import os
import tempfile
from collections.abc import Iterable
from itertools import count
from pathlib import Path

TEMP_MARK = ".tmp-"


def _write_temp(folder: Path, name: str, chunks: Iterable[bytes]) -> Path:
    """A new temporary file in ``folder`` (named after ``name``, mode 0600) holding
    ``chunks``, flushed to the disk."""
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}{TEMP_MARK}")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name)


def _link_new(temp: Path, target: Path) -> bool:
    """Give ``temp`` the name ``target`` too, unless a file has it (False). Linking fails
    rather than replace a file another writer made meanwhile; on a file system without
    hard links, ``temp`` is renamed once ``target`` is seen free."""
    try:
        os.link(temp, target)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(target):
            return False
        os.rename(temp, target)
    return True


def write_atomic(path: Path, chunks: Iterable[bytes], *, replace: bool = True) -> None:
    """Write ``chunks`` to ``path`` atomically and durably, mode 0600.

    With ``replace`` False an existing ``path`` is never replaced (FileExistsError),
    even one created while the chunks were being written.
    """
    temp = _write_temp(path.parent, path.name, chunks)
    try:
        if replace:
            os.replace(temp, path)
        elif not _link_new(temp, path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    finally:
        temp.unlink(missing_ok=True)
    fsync_folder(path.parent)


def write_new(folder: Path, base: str, chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` durably to a new file ``base.json`` in ``folder``, or ``base-2.json``
    and so on when that name is taken: never over an existing file; mode 0600."""
    temp = _write_temp(folder, base, chunks)
    try:
        target = publish_new(temp, folder, base)
    finally:
        temp.unlink(missing_ok=True)
    fsync_folder(folder)
    return target


def publish_new(temp: Path, folder: Path, base: str) -> Path:
    """Give the whole file ``temp`` (in ``folder``) the first free name of ``base.json``,
    ``base-2.json``...; never over a file another writer made meanwhile. ``temp`` is left
    for the caller to remove."""
    for number in count(1):
        target = folder / (f"{base}.json" if number == 1 else f"{base}-{number}.json")
        if _link_new(temp, target):
            return target
    raise AssertionError("unreachable")


_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK}


def fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Delete temp files an interrupted write left beside ``path`` (of it or its journal)."""
    removed = []
    for name in (path.name, path.name + ".journal"):
        for stale in path.parent.glob(f".{glob.escape(name)}{TEMP_MARK}*"):
            stale.unlink(missing_ok=True)
            removed.append(stale)
    return removed
