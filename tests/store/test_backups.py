"""Rolling backups: taken by a writer open when the file changed, at most five, real copies."""

from __future__ import annotations

import json
import os
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from store import backups, clock
from store.paths import backup_dir
from store.service import Workbench


def _change_and_reopen(path: Path, name: str) -> None:
    bench = Workbench.open(path)
    bench.add_company(name, layer="data")
    bench.close()


def test_first_open_has_no_backup_second_open_makes_one(db_path: Path) -> None:
    Workbench.open(db_path).close()
    assert backups.list_backups(db_path) == []
    Workbench.open(db_path).close()
    saved = backups.list_backups(db_path)
    assert len(saved) == 1
    assert saved[0].parent == backup_dir(db_path)
    assert saved[0].read_bytes() == db_path.read_bytes()


def test_no_new_backup_while_the_file_is_unchanged(db_path: Path) -> None:
    Workbench.open(db_path).close()
    for _ in range(4):
        bench = Workbench.open(db_path)
        bench.rows()
        bench.close()
    assert len(backups.list_backups(db_path)) == 1
    reader = Workbench.open(db_path, read_only=True)
    reader.close()
    assert len(backups.list_backups(db_path)) == 1


def test_each_writer_open_after_a_change_backs_up_the_version_it_found(db_path: Path) -> None:
    Workbench.open(db_path).close()
    versions = []
    for n in range(3):
        _change_and_reopen(db_path, f"Version {n}")
        versions.append(db_path.read_bytes())
    Workbench.open(db_path).close()
    saved = backups.list_backups(db_path)
    assert [path.read_bytes() for path in saved[-3:]] == versions
    assert backups.newest_backup(db_path) == saved[-1]


def test_at_most_five_backups_are_kept_newest_last(db_path: Path) -> None:
    Workbench.open(db_path).close()
    contents = []
    for n in range(8):
        _change_and_reopen(db_path, f"Rolling {n}")
        contents.append(db_path.read_bytes())
    Workbench.open(db_path).close()
    saved = backups.list_backups(db_path)
    assert len(saved) == backups.KEPT == 5
    assert [path.read_bytes() for path in saved] == contents[-5:]
    names = [json.loads(path.read_bytes())["companies"] for path in saved]
    assert "Rolling 7" in {c["name"] for c in names[-1].values()}


def test_backup_is_a_copy_that_survives_damage_to_the_database(db_path: Path) -> None:
    """Rewriting the database in place (an editor, a sync tool) must not reach the backup."""
    Workbench.open(db_path).close()
    Workbench.open(db_path).close()
    newest = backups.newest_backup(db_path)
    good = newest.read_bytes()
    assert os.stat(newest).st_ino != os.stat(db_path).st_ino
    with open(db_path, "r+b") as handle:  # in place, same inode
        handle.write(b"garbage")
    assert newest.read_bytes() == good
    json.loads(newest.read_bytes())


def test_backups_of_two_databases_with_the_same_name_do_not_mix(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "deals.json", tmp_path / "b" / "deals.json"
    for path in (first, second):
        Workbench.open(path).close()
        _change_and_reopen(path, f"Only in {path.parent.name}")
        Workbench.open(path).close()
    assert backup_dir(first) != backup_dir(second)
    for path in (first, second):
        names = {
            c["name"]
            for c in json.loads(backups.newest_backup(path).read_bytes())["companies"].values()
        }
        assert f"Only in {path.parent.name}" in names
        other = "b" if path.parent.name == "a" else "a"
        assert f"Only in {other}" not in names


def test_an_edited_file_of_the_same_size_gets_a_new_backup(db_path: Path) -> None:
    Workbench.open(db_path).close()
    Workbench.open(db_path).close()
    raw = db_path.read_bytes()
    time.sleep(0.01)
    db_path.write_bytes(raw.replace(b"NVIDIA", b"NVIDIa"))  # same size, new mtime
    Workbench.open(db_path).close()
    saved = backups.list_backups(db_path)
    assert len(saved) == 2
    assert b"NVIDIa" in saved[-1].read_bytes()


def test_backup_folder_that_cannot_be_made_is_one_clear_refusal(
    db_path: Path, tmp_path: Path, monkeypatch, cli
) -> None:
    from store.errors import WriteFailed
    from tests.store.conftest import Fingerprint, assert_one_line_error

    Workbench.open(db_path).close()
    before = Fingerprint.of(db_path)
    blocker = tmp_path / "data-home-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    with pytest.raises(WriteFailed) as caught:
        Workbench.open(db_path)
    assert str(db_path) in str(caught.value) and "back up" in str(caught.value)
    assert_one_line_error(cli("add", "X", "--layer", "data", "--db", str(db_path)), "back up")
    assert Fingerprint.of(db_path) == before
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fixed"))
    bench = Workbench.open(db_path)
    try:
        assert not bench.read_only, "the failed open released the lock"
    finally:
        bench.close()


# Retention across days, and names that never collide ---------------------------------------


class _Clock:
    """A clock the test moves: ``store.clock.moment`` and ``now`` read it, and each change
    is dated by it on disk too (the file's mtime is when its version was written)."""

    def __init__(self, monkeypatch, start: datetime) -> None:
        self.at = start
        monkeypatch.setattr(clock, "moment", lambda: self.at)
        monkeypatch.setattr(clock, "now", lambda: self.at.replace(microsecond=0))

    def change(self, path: Path, name: str) -> bytes:
        """A session adding ``name`` at this moment; the version it wrote."""
        _change_and_reopen(path, name)
        stamp = int(self.at.timestamp() * 1e9)
        os.utime(path, ns=(stamp, stamp))
        return path.read_bytes()


def test_the_last_version_of_each_of_the_last_seven_days_is_kept(
    db_path: Path, monkeypatch
) -> None:
    moments = _Clock(monkeypatch, datetime(2026, 11, 1, 8, 0, tzinfo=UTC))
    Workbench.open(db_path).close()
    os.utime(db_path, (moments.at.timestamp(), moments.at.timestamp()))
    last_of_day: dict[int, bytes] = {}
    for day in range(1, 21):  # two sessions on each of 20 days
        for hour in (9, 17):
            moments.at = datetime(2026, 11, day, hour, 0, tzinfo=UTC)
            last_of_day[day] = moments.change(db_path, f"Day {day} at {hour}")
    busy = []
    for minute in range(8):  # then a burst of scripted changes on the 21st
        moments.at = datetime(2026, 11, 21, 10, minute, tzinfo=UTC)
        busy.append(moments.change(db_path, f"Burst {minute}"))
    moments.at = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
    Workbench.open(db_path).close()
    kept = [path.read_bytes() for path in backups.list_backups(db_path)]
    assert kept[-backups.KEPT :] == busy[-backups.KEPT :], "the newest sessions"
    assert kept[: -backups.KEPT] == [last_of_day[day] for day in range(15, 21)]
    for path in backups.list_backups(db_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_burst_of_scripted_changes_keeps_yesterdays_file(db_path: Path, monkeypatch, cli) -> None:
    moments = _Clock(monkeypatch, datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    Workbench.open(db_path).close()
    os.utime(db_path, (moments.at.timestamp(), moments.at.timestamp()))
    yesterday = moments.change(db_path, "Yesterday's Last")
    moments.at = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    for number in range(8):
        moments.at += timedelta(seconds=1)
        assert cli("add", f"Scripted {number}", "--layer", "data", "--db", str(db_path)).code == 0
    saved = [path.read_bytes() for path in backups.list_backups(db_path)]
    assert yesterday in saved
    assert len(saved) == backups.KEPT + 1


def test_backups_made_in_the_same_microsecond_both_stay(db_path: Path, monkeypatch) -> None:
    _Clock(monkeypatch, datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    Workbench.open(db_path).close()
    versions = []
    for name in ("First", "Second", "Third"):
        _change_and_reopen(db_path, name)
        versions.append(db_path.read_bytes())
    Workbench.open(db_path).close()
    saved = backups.list_backups(db_path)
    assert [path.read_bytes() for path in saved[-3:]] == versions
    assert len({path.name for path in saved}) == len(saved)
    assert [path.name for path in saved[-2:]] == [
        f"{db_path.stem}-20261121T090000000000-3.json",
        f"{db_path.stem}-20261121T090000000000-4.json",
    ]
    for path in saved:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backups_of_an_earlier_version_are_listed_in_time_order(db_path: Path) -> None:
    """Names from before (no suffix, to the microsecond) sort with the new ones by time."""
    folder = backup_dir(db_path)
    folder.mkdir(parents=True)
    for name in (
        "moatscope-20261121T090000000000-2.json",
        "moatscope-20261120T235959999999.json",
        "moatscope-20261121T090000000000.json",
        "moatscope-20261121T090000000000-10.json",
        "other-20261122T000000000000.json",
        ".moatscope-20261123T000000000000.json.tmp-x",
        "notes.txt",
    ):
        (folder / name).write_text(name)
    assert [path.name for path in backups.list_backups(db_path)] == [
        "moatscope-20261120T235959999999.json",
        "moatscope-20261121T090000000000.json",
        "moatscope-20261121T090000000000-2.json",
        "moatscope-20261121T090000000000-10.json",
    ]
