"""Where moatscope keeps its files: database, backups and config.

``XDG_DATA_HOME`` and ``XDG_CONFIG_HOME`` are honoured on every platform, so tests
and users on macOS can redirect them as on Linux.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

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
    """The database path chosen by ``--db``, then ``MOATSCOPE_DB``, then the default."""
    chosen = explicit or os.environ.get(DB_ENV)
    path = Path(chosen).expanduser() if chosen else default_db_path()
    return path.absolute()


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
