"""Kill -9 a writing process at random moments: the file loads, every reported write is there."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.errors import StoreUnreadable
from store.service import Workbench
from store.storage import TEMP_MARK
from tests.store.conftest import REPO_ROOT, STARTER_COUNT, Child, child_env

# The child prints a line only after the call has returned, i.e. after the
# service reported the change as saved. "TRY del" comes before a delete so the
# parent knows that name may be gone even if the kill lands before "OK del".
WRITER_CODE = r"""
import random, sys
from pathlib import Path
from store.service import Workbench

path, run, seed = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
bench = Workbench.open(path, author="crash")
assert not bench.read_only, bench.notice
mine = {row.name: row.id for row in bench.rows() if row.name.startswith("crash-")}
print("READY", flush=True)
step = 0
while True:
    step += 1
    roll = rnd.random()
    if roll < 0.45 or len(mine) < 2:
        name = f"crash-{run}-{step}"
        company = bench.add_company(name, layer="compute", one_liner="x" * rnd.randint(1, 400))
        mine[name] = company.id
        print(f"OK add {name}", flush=True)
    elif roll < 0.8 or len(mine) < 5:
        name = rnd.choice(sorted(mine))
        body = f"{name} step {step}\n" + "word " * rnd.randint(400, 4000)
        note = bench.add_note(mine[name], body)
        print(f"OK note {name} {note.id} {len(body)}", flush=True)
    else:
        name = rnd.choice(sorted(mine))
        print(f"TRY del {name}", flush=True)
        bench.delete_companies([mine.pop(name)])
        print(f"OK del {name}", flush=True)
"""

FILES = 6
KILLS_PER_FILE = 6


class Expected:
    """What the file must hold, from the lines the child printed."""

    def __init__(self) -> None:
        self.present: set[str] = set()
        self.absent: set[str] = set()
        self.notes: dict[str, tuple[str, int]] = {}
        self.confirmed = 0
        self.deletes = 0

    def feed(self, output: str) -> None:
        for line in output.splitlines(keepends=True):
            if not line.endswith("\n"):
                continue  # cut off by the kill: not reported
            words = line.split()
            if words[:2] == ["OK", "add"]:
                self.present.add(words[2])
                self.absent.discard(words[2])
                self.confirmed += 1
            elif words[:2] == ["OK", "note"]:
                self.notes[words[3]] = (words[2], int(words[4]))
                self.confirmed += 1
            elif words[:2] == ["TRY", "del"]:
                # Until "OK del", the name may be there or not.
                self.present.discard(words[2])
                self.notes = {k: v for k, v in self.notes.items() if v[0] != words[2]}
            elif words[:2] == ["OK", "del"]:
                self.absent.add(words[2])
                self.confirmed += 1
                self.deletes += 1

    def check(self, path: Path) -> None:
        if not path.exists():
            assert not self.present and not self.notes, "a reported write is missing: no file"
            return
        json.loads(path.read_bytes())  # always a whole, valid JSON document
        try:
            bench = Workbench.open(path, read_only=True)
        except StoreUnreadable as error:  # pragma: no cover - this is the failure we hunt
            pytest.fail(f"the file does not load after a kill: {error}")
        try:
            by_name = {row.name: row.id for row in bench.rows()}
            missing = sorted(self.present - set(by_name))
            assert not missing, f"reported adds missing after kill -9: {missing}"
            back = sorted(self.absent & set(by_name))
            assert not back, f"reported deletes undone after kill -9: {back}"
            for note_id, (name, length) in self.notes.items():
                assert name in by_name, f"company {name} of a reported note is missing"
                notes = {note.id: note for note in bench.company(by_name[name]).notes}
                assert note_id in notes, f"reported note {note_id} on {name} is missing"
                assert len(notes[note_id].body) == length
        finally:
            bench.close()


def _temp_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}{TEMP_MARK}*"))


@pytest.mark.slow
def test_kill_9_at_random_moments_never_loses_a_reported_write(tmp_path: Path) -> None:
    rnd = random.Random(int(os.environ.get("MOATSCOPE_CRASH_SEED", "20261122")))
    kills = 0
    confirmed = deletes = 0
    stale_seen = 0
    for file_number in range(FILES):
        path = tmp_path / f"crash-{file_number}" / "moatscope.json"
        expected = Expected()
        for round_number in range(KILLS_PER_FILE):
            run = f"{file_number}.{round_number}"
            child = Child(WRITER_CODE, str(path), run, str(rnd.randrange(1 << 30)))
            try:
                if round_number == 0 or rnd.random() < 0.2:
                    # Very soon after start: during imports, the first seeding write,
                    # the lock, the backup or the first changes.
                    time.sleep(rnd.uniform(0.0, 0.45))
                else:
                    child.wait_for_line("READY")
                    time.sleep(rnd.uniform(0.0, 0.5))
            finally:
                child.kill()
            rest, err = child.finish()
            assert child.process.returncode == -signal.SIGKILL, (child.process.returncode, err)
            kills += 1
            expected.feed(child.seen + rest)
            expected.check(path)
            if path.exists():
                stale_seen += len(_temp_files(path))
                # The next writer cleans what an interrupted write left behind.
                Workbench.open(path).close()
                assert _temp_files(path) == []
        confirmed += expected.confirmed
        deletes += expected.deletes
    assert kills >= 30
    # The test only means something if the child got real work done between kills.
    assert confirmed >= 60, confirmed
    assert deletes >= 3, deletes
    print(f"{kills} kills, {confirmed} confirmed writes, {stale_seen} stale temp files cleaned")


def test_next_writer_removes_stale_temp_files_reader_leaves_them(db_path: Path) -> None:
    Workbench.open(db_path).close()
    stale = [
        db_path.with_name(f".{db_path.name}{TEMP_MARK}abc123"),
        db_path.with_name(f".{db_path.name}{TEMP_MARK}"),
    ]
    stale[0].write_bytes(b'{\n"companies": {\n"co-1": {"na')  # a write cut short
    stale[1].write_bytes(b"")
    other = db_path.with_name(".other.json.tmp-xyz")  # another database's temp file
    other.write_bytes(b"x")
    before = db_path.read_bytes()

    reader = Workbench.open(db_path, read_only=True)
    reader.close()
    assert all(path.exists() for path in stale), "a reader must not touch the folder"

    writer = Workbench.open(db_path)
    try:
        assert not writer.read_only
        assert not any(path.exists() for path in stale)
        assert other.exists()
        assert db_path.read_bytes() == before
    finally:
        writer.close()


def test_writer_creating_the_file_removes_temp_files_of_an_interrupted_first_save(
    db_path: Path,
) -> None:
    db_path.parent.mkdir(parents=True)
    stale = db_path.with_name(f".{db_path.name}{TEMP_MARK}k1ll3d")
    stale.write_bytes(b'{\n"companies": {')
    bench = Workbench.open(db_path)
    try:
        assert not stale.exists()
        assert len(bench.rows()) == STARTER_COUNT
    finally:
        bench.close()


def test_a_failed_write_leaves_no_temp_file_and_the_old_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store import storage
    from store.errors import WriteFailed

    bench = Workbench.open(db_path)
    try:
        before = db_path.read_bytes()
        count = len(bench.rows())

        def broken_fsync(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(storage.os, "fsync", broken_fsync)
        with pytest.raises(WriteFailed, match="No space left on device"):
            bench.add_company("Never Saved", layer="compute")
        monkeypatch.undo()
        assert db_path.read_bytes() == before
        assert _temp_files(db_path) == []
        # The failed change is gone from memory too: nothing to see, nothing to undo.
        assert len(bench.rows()) == count
        assert "Never Saved" not in {row.name for row in bench.rows()}
        assert bench.undo() is None
    finally:
        bench.close()
    assert db_path.read_bytes() == before


def test_child_process_helper_reports_a_crash(tmp_path: Path) -> None:
    """The crash test's child really writes: a clean run leaves its adds on disk."""
    path = tmp_path / "helper.json"
    child = Child(WRITER_CODE, str(path), "h", "1")
    try:
        child.wait_for_line("READY")
        child.wait_for_line("OK add")
    finally:
        child.kill()
    rest, _ = child.finish()
    expected = Expected()
    expected.feed(child.seen + rest)
    assert expected.present
    expected.check(path)
    # and a name that was never written is detected as missing
    expected.present.add("crash-never-written")
    with pytest.raises(AssertionError, match="crash-never-written"):
        expected.check(path)


def test_spawn_uses_this_repository() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import store; print(store.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    assert Path(result.stdout.strip()).resolve() == REPO_ROOT / "store" / "__init__.py"
