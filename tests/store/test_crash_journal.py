"""Kill -9 a session that saves as the app does (the background writer appending to the
journal, the compactor writing new snapshots): every change reported saved is there after
every kill, and the files always open.

The child lowers the compaction share so a compaction runs every few changes, on a file
big enough that writing it takes a while: kills land in appends, in the snapshot's temp
file, between its rename and the journal's cut, and in the cut.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from store.atomic import TEMP_MARK
from store.journal import journal_path
from tests.crash_ledger import Known, check_file
from tests.databases import large_database
from tests.store.conftest import Child

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("MOATSCOPE_JOURNAL_KILLS", "10"))
SEED = int(os.environ.get("MOATSCOPE_CRASH_SEED", "20261122"))

# A line is printed only once the writer reported the change on disk ("TRY del" first, so
# the parent knows a killed delete may have happened).
SESSION_CODE = r"""
import random, sys, threading
from pathlib import Path
from store import storage
from store.service import Workbench
from store.writer import BackgroundWriter

path, run, seed = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
storage.SHARE = 0.02
rnd = random.Random(seed)
bench = Workbench.open(path, author="crash")
assert not bench.read_only, bench.notice
saved = threading.Event()
errors = []

def outcome(generation, error):
    if error is not None:
        errors.append(error)
    saved.set()

writer = BackgroundWriter(bench.database, outcome)
bench.commit = writer.commit

def durable():
    assert writer.wait(30) and not errors, errors
    assert not bench.database.storage.dirty

mine = {row.name: row.id for row in bench.rows() if row.name.startswith("jc-")}
print("READY", flush=True)
step = 0
while True:
    step += 1
    roll = rnd.random()
    if roll < 0.4 or len(mine) < 3:
        name = f"jc-{run}-{step}"
        mine[name] = bench.add_company(name, layer="compute").id
        durable()
        print(f"OK add {name}", flush=True)
    elif roll < 0.85:
        name = rnd.choice(sorted(mine))
        words = rnd.randint(10, 3000)
        bench.add_note(mine[name], f"note {step} of {name} " + "word " * words)
        durable()
        print(f"OK note {name} {step} {words}", flush=True)
    else:
        name = rnd.choice(sorted(mine))
        print(f"TRY del {name}", flush=True)
        bench.delete_companies([mine.pop(name)])
        durable()
        print(f"OK del {name}", flush=True)
"""


def _feed(companies: dict[str, Known], output: str) -> int:
    """What the child's whole lines say; how many changes it reported saved."""
    saved = 0
    for line in output.splitlines(keepends=True):
        if not line.endswith("\n"):
            continue
        words = line.split()
        if words[:2] == ["OK", "add"]:
            companies[words[2]] = Known(exists=True)
        elif words[:2] == ["OK", "note"]:
            name, step, count = words[2], words[3], int(words[4])
            known = companies.setdefault(name, Known())  # (its add was killed unreported)
            known.exists = True
            known.notes.add(f"note {step} of {name} " + "word " * count)
        elif words[:2] == ["TRY", "del"]:
            companies[words[2]] = Known(exists=None)
        elif words[:2] == ["OK", "del"]:
            companies[words[2]] = Known(exists=False)
        saved += words[0] == "OK"
    return saved


def test_kill_9_during_appends_and_compactions_never_loses_a_saved_change(
    tmp_path: Path,
) -> None:
    rnd = random.Random(SEED)
    path = tmp_path / "db" / "moatscope.json"
    large_database(path, 1_500)
    companies: dict[str, Known] = {}
    saved = in_compaction = 0
    for kill in range(KILLS):
        child = Child(SESSION_CODE, str(path), str(kill), str(rnd.randrange(1 << 30)))
        try:
            child.wait_for_line("READY")
            time.sleep(rnd.uniform(0.05, 0.9))
        finally:
            child.kill()
        rest, err = child.finish()
        assert child.process.returncode == -signal.SIGKILL, err
        saved += _feed(companies, child.seen + rest)
        in_compaction += any(path.parent.glob(f".{path.name}*{TEMP_MARK}*"))
        check_file(path, companies)
    assert saved >= KILLS * 3, f"too few saved changes to mean much ({saved})"
    assert journal_path(path).exists() or in_compaction
    print(f"{KILLS} kills, {in_compaction} inside a compaction's write, {saved} saved changes")
