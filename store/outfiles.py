"""Files a user asks for (exports, memos): whole or not at all, user-only (0600), and
never written over the database or what belongs to it.

What belongs to a database: the file itself (by any name or link), the files beside it
named after it (its lock, its journal, a save in progress), and everything in
moatscope's folders of backups and recovery copies.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from store.errors import MoatscopeError
from store.paths import data_dir, ensure_private_dir, lock_path
from store.storage import TEMP_MARK, write_atomic


class OutputRefused(MoatscopeError):
    """A file the user asked for was not written; nothing was changed."""


class OutputExists(OutputRefused):
    """The file is there already and replacing it was not asked for."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _beside(name: str, database: str) -> bool:
    """Whether ``name`` is one of the files kept beside the database file ``database``:
    its lock, its journal, or a save under way."""
    return name == lock_path(Path(database)).name or name.startswith(
        (f"{database}.journal", f".{database}{TEMP_MARK}")
    )


def guarded(target: Path, database: Path) -> str | None:
    """Why writing ``target`` would harm ``database`` or a copy of it, or None."""
    real, db = target.resolve(), database.resolve()
    if real == db or (real.exists() and db.exists() and os.path.samefile(real, db)):
        return "it is the database itself"
    if real.parent == db.parent and _beside(real.name, db.name):
        return f"it belongs to the database {db.name} (its lock, journal or a save under way)"
    home = data_dir().resolve()
    for folder, what in ((home / "backups", "backups"), (home / "recovered", "recovery copies")):
        if _inside(real, folder):
            return f"it is in moatscope's folder of {what}"
    return None


def _is_stream(path: Path) -> bool:
    """A device, pipe or socket that is written to, not replaced (``/dev/stdout``)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_file(
    target: Path, data: bytes | Iterable[bytes], database: Path, *, replace: bool = False
) -> Path:
    """Write ``data`` (bytes, or pieces written as they come) to ``target`` atomically,
    mode 0600; returns where it went.

    The pieces go to a temp file beside ``target``, renamed over it only once they are all
    written and on the disk: an export that fails or is interrupted midway leaves no part
    of itself under ``target`` (and removes its temp file, unless the process is killed).
    An existing file is replaced only with ``replace``; a link is written through.
    Raises OutputRefused (OutputExists for an existing file) with one sentence.
    """
    if reason := guarded(target, database):
        raise OutputRefused(f"Cannot write {target}: {reason}; choose another file.")
    if target.is_dir():
        raise OutputRefused(f"Cannot write {target}: it is a folder; give a file name.")
    real = target.resolve()
    chunks = [data] if isinstance(data, bytes) else data
    try:
        if _is_stream(real):
            with real.open("wb") as stream:
                for chunk in chunks:
                    stream.write(chunk)
            return real
        if not real.parent.is_dir():
            raise OutputRefused(f"Cannot write {target}: the folder {real.parent} does not exist.")
        if not replace and real.exists():
            raise FileExistsError  # found before the export is made, not after
        write_atomic(real, chunks, replace=replace)
    except FileExistsError:
        raise OutputExists(f"{target} exists already and was not replaced.") from None
    except OSError as error:
        raise OutputRefused(f"Cannot write {target}: {error.strerror or error}.") from None
    return real


def write_folder(
    folder: Path,
    names: Sequence[str],
    contents: Iterable[bytes],
    database: Path,
    *,
    replace: bool = False,
) -> Path:
    """Write each of ``contents`` into ``folder`` under the name of ``names`` in the same
    place, creating the folder (0700); each content is made only when its file is written.

    Every name is checked before any file is written: a guarded or (without ``replace``)
    existing one refuses them all.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputRefused(f"Cannot write into {folder}: it is a file, not a folder.")
    if reason := guarded(folder, database):
        raise OutputRefused(f"Cannot write into {folder}: {reason}; choose another folder.")
    targets = [folder / name for name in names]
    for target in targets:
        if reason := guarded(target, database):
            raise OutputRefused(f"Cannot write {target}: {reason}; choose another folder.")
        if not replace and (target.exists() or target.is_symlink()):
            there = sum(path.exists() for path in targets)
            raise OutputExists(
                f"{target} exists already ({there} of the {len(targets)} files are there); "
                "nothing was written."
            )
    try:
        ensure_private_dir(folder)
    except OSError as error:
        raise OutputRefused(f"Cannot create {folder}: {error.strerror or error}.") from None
    for target, data in zip(targets, contents, strict=True):
        write_file(target, data, database, replace=replace)
    return folder
