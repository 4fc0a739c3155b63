"""Where moatscope keeps its files: database, backups and config.

``XDG_DATA_HOME`` and ``XDG_CONFIG_HOME`` are honoured on every platform, so tests
and users on macOS can redirect them as on Linux.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

import platformdirs

from store.errors import StoreUnreadable

APP_NAME = "moatscope"
DB_ENV = "MOATSCOPE_DB"


def data_dir() -> Path:
    """The folder for the default database and the backups (not created here)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg) / APP_NAME
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The folder for the user's config, keymap and checklist files (not created here)."""
    xdg = os.environ.get("XDG_CONFIG_HOME")
    if xdg:
        return Path(xdg) / APP_NAME
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``MOATSCOPE_DB`` is given."""
    return data_dir() / "moatscope.json"


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    """The database chosen by ``--db``, then ``MOATSCOPE_DB``, then the default, as the
    real file its links lead to (see ``real_db_path``)."""
    chosen = explicit or os.environ.get(DB_ENV)
    path = Path(chosen).expanduser() if chosen else default_db_path()
    return real_db_path(path)


def real_db_path(path: Path) -> Path:
    """``path`` made absolute with every link followed: the file that is read, locked,
    backed up and replaced, so a linked database is written through its link.

    A path that does not exist yet is allowed below existing folders. A link that leads
    nowhere or into a loop, a file where a folder should be, or a folder that cannot be
    searched raises StoreUnreadable: they are never taken for a new database.
    """
    path = path.absolute()
    try:
        return path.resolve(strict=True)
    except RuntimeError:  # Python before 3.13 reports a loop of links this way
        raise _loop(path) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _loop(path) from None
        if error.errno not in (errno.ENOENT, errno.ENOTDIR):
            raise _unusable(path, error) from None
    found = _deepest_existing(path)
    try:
        real = found.resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        which = "it" if found == path else str(found)
        raise StoreUnreadable(
            f"Cannot open {path}: {which} is a link to {os.readlink(found)}, which does not "
            "exist; fix or remove the link (nothing was created)."
        ) from None
    if not real.is_dir():
        raise StoreUnreadable(
            f"Cannot open {path}: {found} is a file, not a folder; choose another place with --db."
        )
    return real / path.relative_to(found)


def _deepest_existing(path: Path) -> Path:
    """The longest leading part of ``path`` that exists (as a link, a file or a folder)."""
    probe = path
    while True:
        try:
            os.lstat(probe)
        except (FileNotFoundError, NotADirectoryError):
            probe = probe.parent
        except OSError as error:
            raise _unusable(path, error) from None
        else:
            return probe


def _loop(path: Path) -> StoreUnreadable:
    return StoreUnreadable(
        f"Cannot open {path}: it leads through a loop of links; "
        "fix the links (nothing was created)."
    )


def _unusable(path: Path, error: OSError) -> StoreUnreadable:
    where = f" for {error.filename}" if error.filename else ""
    return StoreUnreadable(
        f"Cannot open {path}: {(error.strerror or str(error)).lower()}{where}; "
        "choose another place with --db or fix the folder's permissions."
    )


FILE_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def not_a_database_file(path: Path, mode: int) -> StoreUnreadable | None:
    """The refusal for ``path`` when its ``mode`` is not a regular file's, else None."""
    if stat.S_ISREG(mode):
        return None
    kind = FILE_KINDS.get(stat.S_IFMT(mode), "something other than a file")
    return StoreUnreadable(
        f"Cannot open {path}: it is {kind}, not a database file; nothing was read or changed."
    )


def existing_db_file(path: Path) -> os.stat_result | None:
    """The status of the database file at ``path`` (a real path), or None if there is none.

    Anything but a regular file (a folder, a FIFO, a socket, a device) raises
    StoreUnreadable, before anything is opened, created or locked.
    """
    try:
        found = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise _unusable(path, error) from None
    refusal = not_a_database_file(path, found.st_mode)
    if refusal is not None:
        raise refusal
    return found


def backup_dir(db_path: Path) -> Path:
    """The backups folder for one database file, keyed by its absolute path."""
    digest = hashlib.sha256(str(db_path.absolute()).encode()).hexdigest()[:8]
    return data_dir() / "backups" / f"{db_path.stem}-{digest}"


def lock_path(db_path: Path) -> Path:
    """The writer lock file that sits beside the database."""
    return db_path.with_name(db_path.name + ".lock")


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with user-only permissions if it is missing.

    Every folder created here is 0700, parents included (``mkdir(parents=True)``
    would give the parents the umask's default, typically 0755).
    """
    if not path.is_dir():
        if path.parent != path:
            ensure_private_dir(path.parent)
        path.mkdir(mode=0o700, exist_ok=True)
    return path
