"""Where an export may go: never over the database or what belongs to it, an existing
file only with --force and atomically, every file user-only, a trailing slash a folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from store import backups, paths
from store.outfiles import OutputRefused
from store.service import Workbench
from tests.store.conftest import STARTER_COUNT, Fingerprint, assert_one_line_error


@pytest.fixture
def db(db_path: Path) -> Path:
    """A database with one change made after its newest backup."""
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)  # an existing file: backed up as it opens
    try:
        bench.add_company("Late Change", layer="data")
    finally:
        bench.close()
    return db_path


@pytest.fixture(autouse=True)
def open_umask():
    """A typical umask (0022): files are 0644 unless moatscope makes them private."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def export(cli, db: Path, *options: str):
    return cli("export", "--db", str(db), *options)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def guarded_targets(db: Path) -> dict[str, Path]:
    """Paths that are the database, or belong to it, by every route a user might type."""
    backup = backups.newest_backup(db)
    assert backup is not None
    link = db.parent / "link-to-db.json"
    link.symlink_to(db)
    hard = db.parent / "hard-link.json"
    os.link(db, hard)
    return {
        "the database": db,
        "through ..": db.parent / "sub" / ".." / db.name,
        "a symlink to it": link,
        "a hard link to it": hard,
        "its lock": paths.lock_path(db),
        "its journal": db.with_name(db.name + ".journal"),
        "a save under way": db.with_name(f".{db.name}.tmp-abc123"),
        "its newest backup": backup,
        "a new file among the backups": backup.with_name("new.csv"),
        "a recovery copy": paths.data_dir() / "recovered" / "db-1.json",
    }


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_no_export_writes_over_the_database_or_what_belongs_to_it(cli, db: Path, fmt: str) -> None:
    (db.parent / "sub").mkdir()
    for what, target in guarded_targets(db).items():
        before = {path: Fingerprint.of(path) for path in db.parent.iterdir() if path.is_file()}
        newest = backups.newest_backup(db)
        for force in ((), ("--force",)):
            result = export(cli, db, "--format", fmt, "--output", str(target), *force)
            assert_one_line_error(result, f"Cannot write {target}")
            assert "choose another" in result.err, what
        after = {path: Fingerprint.of(path) for path in db.parent.iterdir() if path.is_file()}
        assert after == before, what
        assert backups.newest_backup(db) == newest
        assert not target.exists() or target.resolve() in {p.resolve() for p in before} | {
            newest.resolve()
        }
    assert "Late Change" in db.read_text()


def test_write_export_refuses_the_database_even_when_told_to_replace(db: Path) -> None:
    bench = Workbench.open(db)
    try:
        before = Fingerprint.of(db)
        company = bench.find("Late Change")
        for kind in ("csv", "json", "md"):
            with pytest.raises(OutputRefused, match="it is the database itself"):
                bench.write_export(db, kind, [company.id], replace=True)
        assert Fingerprint.of(db) == before
    finally:
        bench.close()


def test_an_existing_file_is_replaced_only_with_force(cli, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("my spreadsheet\n")
    os.chmod(target, 0o644)
    kept = Fingerprint.of(target)
    refused = export(cli, db, "--format", "csv", "--output", str(target))
    assert_one_line_error(refused, f"{target} exists already", "--force")
    assert Fingerprint.of(target) == kept
    forced = export(cli, db, "--format", "csv", "--output", str(target), "--force")
    assert forced.code == 0, forced.err
    assert target.read_text().startswith("id,name,")
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []


def test_a_file_merely_named_like_the_database_is_not_guarded(cli, db: Path) -> None:
    target = db.with_name(db.name + ".csv")
    result = export(cli, db, "--format", "csv", "--output", str(target))
    assert result.code == 0, result.err
    assert target.read_text().startswith("id,name,")


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_every_export_file_is_user_only(cli, db: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = export(cli, db, "--format", fmt, "--output", str(target))
    assert result.code == 0, result.err
    assert mode(target) == 0o600


def test_a_failed_replace_leaves_the_old_file_whole(
    cli, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous export\n")
    there = sorted(tmp_path.iterdir())

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = export(cli, db, "--format", "json", "--output", str(target), "--force")
    assert_one_line_error(result, f"Cannot write {target}", "No space left on device")
    assert target.read_text() == "previous export\n"
    assert sorted(tmp_path.iterdir()) == there, "no temp file is left behind"


def test_a_device_is_written_to_not_replaced(cli, db: Path) -> None:
    result = export(cli, db, "--format", "csv", "--output", os.devnull)
    assert result.code == 0, result.err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode), "/dev/null is still the device"


def test_a_trailing_slash_means_a_folder_of_memos(cli, db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "newdir" / "memos"
    result = export(cli, db, "--format", "md", "--output", f"{folder}/")
    assert result.code == 0, result.err
    assert folder.is_dir() and mode(folder) == 0o700
    memos = sorted(folder.iterdir())
    assert len(memos) == STARTER_COUNT + 1
    assert all(memo.suffix == ".md" and mode(memo) == 0o600 for memo in memos)
    assert (folder / "late-change.md").read_text().startswith("# Late Change\n")
    assert not (tmp_path / "newdir" / "memos.md").exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_folder_for_a_one_file_format_is_refused(cli, db: Path, tmp_path: Path, fmt: str) -> None:
    result = export(cli, db, "--format", fmt, "--output", f"{tmp_path / 'newdir'}/")
    assert_one_line_error(result, "is a folder", f"--format {fmt} writes one file")
    assert not (tmp_path / "newdir").exists()


def test_memos_over_existing_files_need_force_and_are_refused_whole(
    cli, db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "memos"
    folder.mkdir()
    (folder / "late-change.md").write_text("my own notes\n")
    refused = export(cli, db, "--format", "md", "--output", str(folder))
    assert_one_line_error(
        refused, "late-change.md exists already", "nothing was written", "--force"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["late-change.md"]
    forced = export(cli, db, "--format", "md", "--output", str(folder), "--force")
    assert forced.code == 0, forced.err
    assert (folder / "late-change.md").read_text().startswith("# Late Change\n")
    assert len(list(folder.iterdir())) == STARTER_COUNT + 1
