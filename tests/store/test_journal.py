"""The journal beside the file: what a change appends, what opening makes of damage, what a
crash at each step of a compaction leaves, and what a second session sees."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import backups, journal
from store.db import SCHEMA_VERSION
from store.errors import StoreUnreadable
from store.journal import journal_path
from store.service import Workbench
from tests.store.conftest import FIXTURES
from tests.store.ops import random_operation, tables


def _names(path: Path) -> set[str]:
    reader = Workbench.open(path, read_only=True)
    try:
        return {row.name for row in reader.rows()}
    finally:
        reader.close()


def _with_journal(db_path: Path, *names: str) -> bytes:
    """A file whose companies ``names`` are only in its journal; the journal's bytes."""
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)
    for name in names:
        bench.add_company(name, layer="compute")
    raw = journal_path(db_path).read_bytes()
    bench.database.storage.close()  # as a kill would: no compaction, the lock let go
    bench.database._lock.release()
    return raw


def test_a_change_appends_its_records_and_leaves_the_file(db_path: Path) -> None:
    Workbench.open(db_path).close()
    before = db_path.read_bytes()
    bench = Workbench.open(db_path)
    try:
        bench.add_company("Journalled", layer="compute")
        assert db_path.read_bytes() == before, "the snapshot is not rewritten by a change"
        lines = journal_path(db_path).read_bytes().splitlines()
        company, entry, commit = (json.loads(line[9:]) for line in lines)
        assert [*company] == ["companies"] and [*entry] == ["changes"]
        assert commit[1] == 2, "the commit line counts the change's two records"
        for line in lines:
            assert int(line[:8], 16) == zlib.crc32(line[9:])
        assert journal_path(db_path).stat().st_mode & 0o777 == 0o600
        assert "Journalled" in _names(db_path), "a second, read-only session sees it"
    finally:
        bench.close()
    assert not journal_path(db_path).exists(), "closing compacts the journal into the file"
    assert "Journalled" in {
        c["name"] for c in json.loads(db_path.read_bytes())["companies"].values()
    }


def test_a_delete_is_a_tombstone_line(db_path: Path) -> None:
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)
    try:
        victim = bench.rows()[0]
        bench.delete_companies([victim.id])
        raw = journal_path(db_path).read_bytes()
        assert b'{"companies": {"' + victim.id.encode() + b'": null}}' in raw
        assert victim.name not in _names(db_path)
    finally:
        bench.close()


@pytest.mark.parametrize("share", [0.01, 0.3, 0.7, 0.99])
def test_a_torn_last_change_is_ignored_and_cut_by_the_next_writer(
    db_path: Path, share: float
) -> None:
    raw = _with_journal(db_path, "Kept", "Torn")
    lines = raw.splitlines(keepends=True)
    whole, last = b"".join(lines[:-3]), b"".join(lines[-3:])  # a change is three lines here
    journal_path(db_path).write_bytes(whole + last[: max(1, int(len(last) * share))])
    assert _names(db_path) >= {"Kept"} and "Torn" not in _names(db_path)
    bench = Workbench.open(db_path)
    try:
        bench.add_company("After", layer="compute")
    finally:
        bench.database.storage.close()
        bench.database._lock.release()
    assert {"Kept", "After"} <= _names(db_path), "appended after the last whole change"
    assert "Torn" not in _names(db_path)


def test_a_bad_checksum_on_the_last_line_is_ignored(db_path: Path) -> None:
    raw = _with_journal(db_path, "Kept", "Damaged")
    lines = raw.splitlines(keepends=True)
    lines[-1] = b"00000000" + lines[-1][8:]  # the last change's commit line
    journal_path(db_path).write_bytes(b"".join(lines))
    names = _names(db_path)
    assert "Kept" in names and "Damaged" not in names


def test_a_bad_line_before_the_last_refuses_the_file_and_writes_nothing(db_path: Path) -> None:
    raw = _with_journal(db_path, "First", "Second")
    lines = raw.splitlines(keepends=True)
    lines[0] = lines[0].replace(b"First", b"Fir5t")  # the checksum no longer matches
    damaged = b"".join(lines)
    journal_path(db_path).write_bytes(damaged)
    snapshot = db_path.read_bytes()
    for read_only in (True, False):
        with pytest.raises(StoreUnreadable) as refused:
            Workbench.open(db_path, read_only=read_only)
        message = str(refused.value)
        assert f"line 1 of its journal {journal_path(db_path)}" in message
        assert "does not match its checksum" in message and "\n" not in message
    assert journal_path(db_path).read_bytes() == damaged
    assert db_path.read_bytes() == snapshot


def test_a_journal_without_its_file_is_refused_and_nothing_is_created(db_path: Path) -> None:
    _with_journal(db_path, "Orphaned")
    db_path.unlink()
    kept = journal_path(db_path).read_bytes()
    with pytest.raises(StoreUnreadable) as refused:
        Workbench.open(db_path)
    message = str(refused.value)
    assert f"the file is missing but its journal {journal_path(db_path)} is there" in message
    assert not db_path.exists()
    assert journal_path(db_path).read_bytes() == kept


@pytest.mark.parametrize("step", ["snapshot written", "journal cut"])
def test_a_crash_inside_a_compaction_opens_to_the_same_records(db_path: Path, step: str) -> None:
    """The two states a compaction passes through: the new file with the old journal
    (killed before the cut), and the new file with the cut journal."""
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)
    try:
        for n in range(3):
            bench.add_company(f"Before {n}", layer="compute")
        storage = bench.database.storage
        old_journal = journal_path(db_path).read_bytes()
        snapshot = storage.snapshot()
        bench.add_company("After the snapshot", layer="compute")
        expected = tables(bench)
        storage.compact(snapshot)
        assert journal_path(db_path).read_bytes().count(b"\n") == 3, "the later change stays"
        if step == "snapshot written":
            journal_path(db_path).write_bytes(old_journal + journal_path(db_path).read_bytes())
        reader = Workbench.open(db_path, read_only=True)
        try:
            assert tables(reader) == expected
        finally:
            reader.close()
    finally:
        bench.close()


def test_an_old_single_file_database_migrates_after_a_backup_then_journals(
    db_path: Path,
) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "schema1.json", db_path)
    original = db_path.read_bytes()
    bench = Workbench.open(db_path)
    try:
        assert [path.read_bytes() for path in backups.list_backups(db_path)] == [original]
        on_disk = json.loads(db_path.read_bytes())
        assert on_disk["meta"]["schema"]["schema_version"] == SCHEMA_VERSION
        assert not journal_path(db_path).exists(), "the migration writes the file whole"
        migrated = db_path.read_bytes()
        bench.add_company("After Migration", layer="network")
        assert db_path.read_bytes() == migrated
        assert b"After Migration" in journal_path(db_path).read_bytes()
    finally:
        bench.close()
    assert "After Migration" in _names(db_path)


def test_a_reader_sees_each_change_and_the_compacted_file(db_path: Path) -> None:
    Workbench.open(db_path).close()
    writer = Workbench.open(db_path)
    try:
        writer.add_company("Seen Once", layer="compute")
        assert "Seen Once" in _names(db_path)
        writer.delete_companies([c.id for c in writer.rows() if c.name == "Seen Once"])
        assert "Seen Once" not in _names(db_path)
        writer.add_company("Seen Twice", layer="compute")
        writer.database.storage.settle()
        assert not journal_path(db_path).exists()
        assert "Seen Twice" in _names(db_path)
    finally:
        writer.close()


def test_backups_copy_the_file_only_when_it_changed(db_path: Path) -> None:
    Workbench.open(db_path).close()
    Workbench.open(db_path).close()
    assert len(backups.list_backups(db_path)) == 1
    bench = Workbench.open(db_path)
    bench.add_company("In The Journal", layer="compute")
    bench.database.storage.close()  # no compaction: the file itself is unchanged
    bench.database._lock.release()
    Workbench.open(db_path).close()  # compacts on close
    assert len(backups.list_backups(db_path)) == 1, "the file was the same when opened"
    Workbench.open(db_path).close()
    assert len(backups.list_backups(db_path)) == 2, "the compacted file is backed up"


def test_journal_lines_round_trip() -> None:
    body = journal.record_line("companies", b'"co-1": {"id": "co-1"}')
    replay = journal.read(body + journal.commit_line(7, 1))
    assert replay.changes == [[("companies", "co-1", {"id": "co-1"})]]
    assert replay.whole == len(body) + len(journal.commit_line(7, 1))
    assert journal.read(body).changes == [], "a change without its commit line is not applied"


def _reopened_tables(path: Path) -> dict:
    reader = Workbench.open(path, read_only=True)
    try:
        return tables(reader)
    finally:
        reader.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from(["change", "change", "change", "compact", "reopen", "kill", "tear"]),
             min_size=1, max_size=25),
    st.integers(0, 2**32),
)  # fmt: skip
def test_any_sequence_of_changes_compactions_and_reopens_opens_to_memory(
    tmp_path: Path, steps: list[str], seed: int
) -> None:
    """The model is the records in memory: after every step, the files open to them."""
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "moatscope.json"
    rnd = random.Random(seed)
    bench = Workbench.open(path, author="model")
    try:
        for number, step in enumerate(steps):
            if step == "change":
                random_operation(bench, rnd, number)
            elif step == "compact":
                bench.database.storage.settle()
            elif step == "tear" and journal_path(path).exists():
                with journal_path(path).open("ab") as torn:  # a kill inside an append
                    torn.write(journal.record_line("companies", b'"co-x": {"id"')[:20])
            model = tables(bench)
            assert _reopened_tables(path) == model, f"after {steps[: number + 1]}"
            if step in ("reopen", "kill", "tear"):
                if step == "kill":  # gone without closing: the journal stays as it is
                    bench.database.storage.close()
                    bench.database._lock.release()
                else:
                    bench.close()
                bench = Workbench.open(path, author="model")
                assert tables(bench) == model
    finally:
        bench.close()
    assert _reopened_tables(path) == model
    assert not journal_path(path).exists()


def test_a_linked_database_keeps_its_journal_beside_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "real" / "moatscope.json"
    Workbench.open(real).close()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    bench = Workbench.open(link)
    try:
        bench.add_company("Through The Link", layer="compute")
        assert journal_path(real).exists() and not journal_path(link).exists()
        assert "Through The Link" in _names(link)
    finally:
        bench.close()
    assert link.is_symlink() and not journal_path(real).exists()


def test_a_compaction_that_fails_at_close_loses_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store import storage

    Workbench.open(db_path).close()
    before = db_path.read_bytes()
    bench = Workbench.open(db_path)
    bench.add_company("Only In The Journal", layer="compute")

    def disk_full(path: Path, chunks: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "write_atomic", disk_full)
    bench.close()  # the change was saved: closing does not fail
    monkeypatch.undo()
    assert db_path.read_bytes() == before
    assert "Only In The Journal" in _names(db_path)
    Workbench.open(db_path).close()  # the next close compacts
    assert not journal_path(db_path).exists()
    assert b"Only In The Journal" in db_path.read_bytes()


def test_an_import_is_one_change_one_append(db_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name,layer\n" + "".join(f"Imported {n},compute\n" for n in range(40)))
    Workbench.open(db_path).close()
    bench = Workbench.open(db_path)
    try:
        bench.apply_import(bench.plan_import(sheet))
        lines = journal_path(db_path).read_bytes().splitlines()
        commits = [json.loads(line[9:]) for line in lines if line[9:10] == b"["]
        assert len(commits) == 1, "one change, one commit line"
        assert commits[0][1] == len(lines) - 1 == 41, "40 companies and the undo entry"
        assert {f"Imported {n}" for n in range(40)} <= _names(db_path)
    finally:
        bench.close()
