"""What ``--db`` may name: a regular file (through links), never a FIFO, folder or device.

Links are followed once, at the top: the real file is read, locked, backed up and
replaced, and the link stays a link. A link that leads nowhere or in a loop, a folder
that cannot be searched, and anything but a regular file are refused in one sentence
with nothing created or changed. A file the user made read-only opens read-only.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from store import backups, paths
from store.errors import ReadOnlyStore, StoreUnreadable
from store.paths import backup_dir, lock_path
from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error, child_env
from tests.store.records import read_tables

COMMANDS = (["list"], ["show", "NVIDIA"], ["add", "Zeta", "--layer", "compute"], ["export"])


def _listing(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir())


def _refuses_everywhere(cli, capsys, path: Path, *fragments: str) -> None:
    """Every command and the TUI's way in refuse ``path`` in one sentence."""
    from tui.__main__ import open_tui
    from tui.cli import run

    for argv in COMMANDS:
        assert_one_line_error(cli(*argv, "--db", str(path)), *fragments)
    capsys.readouterr()
    assert run(["--db", str(path)], open_tui=open_tui) == 1
    err = capsys.readouterr().err
    assert err.startswith("moatscope: Cannot open ") and err.count("\n") == 1
    for fragment in fragments:
        assert fragment in err


# Not a regular file -----------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_and_nothing_is_created(tmp_path: Path, cli, capsys) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    before = _listing(tmp_path)
    with pytest.raises(StoreUnreadable) as caught:
        Workbench.open(fifo)
    assert str(caught.value) == (
        f"Cannot open {fifo}: it is a named pipe (FIFO), not a database file; "
        "nothing was read or changed."
    )
    _refuses_everywhere(cli, capsys, fifo, str(fifo), "named pipe (FIFO)")
    assert _listing(tmp_path) == before
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_is_refused_end_to_end_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for argv in (["list"], []):
        result = subprocess.run(
            [sys.executable, "-m", "tui", "--db", str(fifo), *argv],
            capture_output=True,
            text=True,
            env=child_env(),
            timeout=60,
        )
        assert result.returncode == 1
        assert result.stderr.startswith("moatscope: Cannot open ")
        assert "named pipe" in result.stderr and "Traceback" not in result.stderr


def test_a_fifo_swapped_in_after_the_check_is_not_read(db_path: Path, monkeypatch) -> None:
    """The file is checked again once open (without blocking), so a FIFO is never read."""
    Workbench.open(db_path).close()
    db_path.unlink()
    os.mkfifo(db_path)
    monkeypatch.setattr("store.db.existing_db_file", lambda path: None)
    with pytest.raises(StoreUnreadable, match="named pipe"):
        Workbench.open(db_path, read_only=True)


def test_a_folder_is_refused(db_path: Path, cli, capsys) -> None:
    db_path.mkdir(parents=True)
    before = _listing(db_path.parent)
    with pytest.raises(StoreUnreadable, match="it is a folder, not a database file"):
        Workbench.open(db_path)
    _refuses_everywhere(cli, capsys, db_path, str(db_path), "a folder")
    assert _listing(db_path.parent) == before


def test_a_socket_is_refused(tmp_path: Path, cli, capsys) -> None:
    path = tmp_path / "s.json"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        before = _listing(tmp_path)
        with pytest.raises(StoreUnreadable, match="it is a socket, not a database file"):
            Workbench.open(path)
        _refuses_everywhere(cli, capsys, path, "a socket")
        assert _listing(tmp_path) == before
    finally:
        server.close()


def test_a_device_is_refused(cli, capsys) -> None:
    for device in (Path("/dev/null"), Path("/dev/zero")):
        with pytest.raises(StoreUnreadable, match="it is a device, not a database file"):
            Workbench.open(device)
        _refuses_everywhere(cli, capsys, device, str(device), "a device")


# Links ------------------------------------------------------------------------------------


def test_a_linked_database_is_written_through_the_link(tmp_path: Path, cli) -> None:
    real = tmp_path / "real" / "db.json"
    Workbench.open(real).close()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    bench = Workbench.open(link)
    try:
        assert bench.database.path == real
        assert lock_path(real).exists() and not lock_path(link).exists()
        bench.add_company("Through The Link", layer="compute")
    finally:
        bench.close()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Through The Link" in real.read_text()
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["link.json", "real", "xdg-data"]
    result = cli("add", "Also Through", "--layer", "compute", "--db", str(link))
    assert result.code == 0, result.err
    assert link.is_symlink() and "Also Through" in real.read_text()
    assert backups.list_backups(real), "backups are kept for the real file"
    assert backup_dir(real).exists()
    located = cli("locate", "--db", str(link))
    assert f"database: {real}\n" in located.out
    assert f"lock:     {lock_path(real)}\n" in located.out


def test_a_link_and_its_target_share_one_lock(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    Workbench.open(real).close()
    link.symlink_to(real.name)  # a relative link
    writer = Workbench.open(real)
    try:
        second = Workbench.open(link)
        try:
            assert second.read_only, "the link's session sees the real file's lock"
            with pytest.raises(ReadOnlyStore):
                second.add_company("Lost Update", layer="compute")
        finally:
            second.close()
    finally:
        writer.close()


def test_a_linked_folder_is_followed(tmp_path: Path) -> None:
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    (tmp_path / "alias").symlink_to(real_folder, target_is_directory=True)
    bench = Workbench.open(tmp_path / "alias" / "new" / "db.json")
    bench.close()
    assert (real_folder / "new" / "db.json").is_file()
    assert bench.database.path == real_folder / "new" / "db.json"


def test_a_dangling_link_is_an_error_not_a_new_database(tmp_path: Path, cli, capsys) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "gone" / "db.json")
    before = _listing(tmp_path)
    with pytest.raises(StoreUnreadable) as caught:
        Workbench.open(link)
    assert str(caught.value) == (
        f"Cannot open {link}: it is a link to {tmp_path / 'gone' / 'db.json'}, which does not "
        "exist; fix or remove the link (nothing was created)."
    )
    _refuses_everywhere(cli, capsys, link, str(link), "which does not exist")
    assert _listing(tmp_path) == before
    assert not (tmp_path / "gone").exists()


def test_a_dangling_folder_link_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "alias").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    with pytest.raises(StoreUnreadable, match="alias is a link to .*nowhere, which does not"):
        Workbench.open(tmp_path / "alias" / "db.json")
    assert not (tmp_path / "nowhere").exists()


def test_a_loop_of_links_is_an_error(tmp_path: Path, cli, capsys) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.symlink_to(second)
    second.symlink_to(first)
    before = _listing(tmp_path)
    with pytest.raises(StoreUnreadable, match="it leads through a loop of links"):
        Workbench.open(first)
    _refuses_everywhere(cli, capsys, first, str(first), "loop of links")
    assert _listing(tmp_path) == before


# Folders without permission ---------------------------------------------------------------


def test_a_path_below_a_file_is_one_sentence(tmp_path: Path, cli, capsys) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    path = blocker / "db.json"
    with pytest.raises(StoreUnreadable) as caught:
        Workbench.open(path)
    assert str(caught.value) == (
        f"Cannot open {path}: {blocker} is a file, not a folder; choose another place with --db."
    )
    _refuses_everywhere(cli, capsys, path, str(path))
    assert blocker.read_text() == "x"


def test_a_folder_that_cannot_be_searched_is_one_sentence(
    tmp_path: Path, cli, capsys, monkeypatch
) -> None:
    """What a folder without execute permission does, simulated so it holds as root too."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_stat, real_lstat = os.stat, os.lstat

    def denied(real):
        def check(path, *args, **kwargs):
            if str(path).startswith(str(locked) + os.sep):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        return check

    monkeypatch.setattr(os, "stat", denied(real_stat))
    monkeypatch.setattr(os, "lstat", denied(real_lstat))
    path = locked / "db.json"
    with pytest.raises(StoreUnreadable) as caught:
        Workbench.open(path)
    assert str(caught.value) == (
        f"Cannot open {path}: permission denied for {path}; "
        "choose another place with --db or fix the folder's permissions."
    )
    _refuses_everywhere(cli, capsys, path, str(path), "permission denied")
    monkeypatch.undo()
    assert _listing(locked) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root is not held back by permission bits")
@pytest.mark.parametrize("mode", [0o000, 0o600, 0o100], ids=["none", "no-search", "no-list"])
def test_a_folder_without_permission_for_real(tmp_path: Path, cli, mode: int) -> None:
    folder = tmp_path / "private"
    folder.mkdir()
    path = folder / "db.json"
    if mode == 0o100:
        Workbench.open(path).close()
    os.chmod(folder, mode)
    try:
        for argv in COMMANDS:
            result = cli(*argv, "--db", str(path))
            assert "Traceback" not in result.err
            if result.code != 0:
                assert_one_line_error(result, str(path))
    finally:
        os.chmod(folder, 0o700)


# A file the user made read-only -----------------------------------------------------------


def test_a_read_only_file_opens_read_only_and_stays_as_it_is(db_path: Path, cli) -> None:
    Workbench.open(db_path).close()
    Workbench.open(db_path).close()
    os.chmod(db_path, 0o400)
    before = Fingerprint.of(db_path)
    backups_before = backups.list_backups(db_path)
    lock_path(db_path).unlink()
    bench = Workbench.open(db_path)
    try:
        assert bench.read_only
        assert bench.notice == (
            f"{db_path} is read-only (its permissions do not allow writing), "
            "so this session is read-only"
        )
        with pytest.raises(ReadOnlyStore):
            bench.add_company("Not Written", layer="compute")
        assert bench.rows()
    finally:
        bench.close()
    result = cli("add", "Not Written", "--layer", "compute", "--db", str(db_path))
    assert_one_line_error(result, "read-only", "make the file writable (chmod u+w) and try again")
    assert cli("list", "--db", str(db_path)).code == 0
    assert Fingerprint.of(db_path) == before
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o400
    assert not lock_path(db_path).exists(), "nothing is created beside a read-only file"
    assert backups.list_backups(db_path) == backups_before
    assert "Not Written" not in str(read_tables(db_path))
    os.chmod(db_path, 0o600)
    bench = Workbench.open(db_path)
    try:
        assert not bench.read_only
    finally:
        bench.close()


def test_resolve_db_path_gives_the_real_file(tmp_path: Path, monkeypatch) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    (tmp_path / "link.json").symlink_to(real)
    monkeypatch.setenv(paths.DB_ENV, str(tmp_path / "link.json"))
    assert paths.resolve_db_path(None) == real
    assert paths.resolve_db_path(tmp_path / "new.json") == tmp_path / "new.json"


def test_temp_files_of_another_database_are_left_alone(tmp_path: Path) -> None:
    """A name with glob characters matches only its own temp files when they are cleared."""
    other = tmp_path / ".deals1.json.tmp-k3j2"
    other.write_text("another writer's save in progress")
    Workbench.open(tmp_path / "deals[1].json").close()
    assert other.read_text() == "another writer's save in progress"
