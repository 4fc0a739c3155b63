"""Private files: the database, its lock, backups and folders are the user's alone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from store import backups
from store.paths import backup_dir, data_dir, default_db_path, lock_path
from store.service import Workbench


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_is_0600_in_a_0700_folder(db_path: Path) -> None:
    assert not db_path.parent.exists()
    bench = Workbench.open(db_path)
    try:
        assert _mode(db_path) == 0o600
        assert _mode(db_path.parent) == 0o700
        assert _mode(lock_path(db_path)) & 0o077 == 0
        bench.add_company("Saved Co", layer="compute")
        assert _mode(db_path) == 0o600
    finally:
        bench.close()
    assert _mode(db_path) == 0o600


def test_a_save_makes_a_too_open_file_private(db_path: Path) -> None:
    Workbench.open(db_path).close()
    os.chmod(db_path, 0o644)
    bench = Workbench.open(db_path)
    try:
        bench.add_company("Tightened", layer="compute")
        assert _mode(db_path) == 0o600
    finally:
        bench.close()


def test_default_location_data_dir_and_backups_are_private(isolated_dirs: Path) -> None:
    path = default_db_path()
    assert path.is_relative_to(isolated_dirs)
    assert not data_dir().exists()
    Workbench.open(path).close()
    Workbench.open(path).close()  # a second writer open makes the first backup
    assert _mode(data_dir()) == 0o700
    assert _mode(path) == 0o600
    newest = backups.newest_backup(path)
    assert newest is not None
    assert _mode(newest) == 0o600
    folder = backup_dir(path)
    while folder != data_dir().parent:
        assert _mode(folder) == 0o700, folder
        folder = folder.parent


def test_data_dir_created_by_backups_of_a_db_elsewhere_is_private(db_path: Path) -> None:
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)
    bench.add_company("Changed", layer="compute")
    bench.close()
    Workbench.open(db_path).close()
    for folder in (data_dir(), data_dir() / "backups", backup_dir(db_path)):
        assert folder.is_dir()
        assert _mode(folder) == 0o700, (folder, oct(_mode(folder)))
    for saved in backups.list_backups(db_path):
        assert _mode(saved) == 0o600


def test_existing_parent_folders_are_not_changed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    path = shared / "deals" / "moatscope.json"
    Workbench.open(path).close()
    assert _mode(shared) == 0o755, "a folder the user already had keeps its mode"
    assert _mode(path.parent) == 0o700
