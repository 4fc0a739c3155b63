"""Kill -9 ``moatscope`` commands at random moments: every command that exited 0 is on disk,
and the file always loads.

One command runs at a time on a database of ``COMPANIES`` companies: add, note, status,
tag or delete, on companies this test added. Each is SIGKILLed after a random delay of
0.3 to 1.6 times a command's usual running time (measured on the first commands), so
kills land while it imports, opens, takes the lock, backs up, changes or writes; some
finish first (a temp file left beside the database shows a kill landed in a write). A
command that exited 0 is acknowledged: what it did must be in the file after every
later kill. A killed one may or may not have happened; later commands on the same
company tell. Raise ``KILLS`` (or set MOATSCOPE_CLI_KILLS) for a longer hunt.
"""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.models import Status
from store.service import Workbench
from store.storage import TEMP_MARK
from tests.crash_ledger import Known, check_file
from tests.databases import large_database
from tests.terminal import REPO_ROOT, moatscope_env

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("MOATSCOPE_CLI_KILLS", "30"))
"""Commands killed in one run of the test."""
COMPANIES = 2_000
"""Companies in the database: a write takes long enough for kills to land in it."""
SEED = int(os.environ.get("MOATSCOPE_CRASH_SEED", "20261122"))
STATUSES = [status for status in Status if status is not Status.PASSED]


class Ledger:
    """The companies the test added, and what every command's outcome says of them."""

    def __init__(self) -> None:
        self.companies: dict[str, Known] = {}
        self.acknowledged = 0

    def live(self, rnd: random.Random) -> list[str]:
        """Companies to change: those known to be there, now and then one that may be."""
        sure = sorted(name for name, known in self.companies.items() if known.exists)
        maybe = sorted(name for name, known in self.companies.items() if known.exists is None)
        return sure + maybe if rnd.random() < 0.15 else sure

    def record(self, step: int, argv: list[str], acked: bool) -> None:
        """What command ``argv`` did: surely (``acked``), or perhaps (killed)."""
        command, name = argv[0], argv[1]
        known = self.companies.setdefault(name, Known(statuses={Status.NEW}))
        if acked:
            self.acknowledged += 1
            known.exists = command != "delete"
        elif command in ("add", "delete"):
            known.exists = None
        if command == "note" and acked:
            known.notes.add(argv[2])
        elif command == "status":
            status = Status(argv[2])
            known.statuses = {status} if acked else known.statuses | {status}
        elif command == "tag":
            tag = argv[2][1:]
            known.tags[tag] = (argv[2][0] == "+") if acked else None

    def check(self, path: Path) -> None:
        """The file loads and holds everything acknowledged."""
        check_file(path, self.companies)


def next_command(rnd: random.Random, step: int, ledger: Ledger) -> list[str]:
    """A command on the companies added so far (an add when there are few)."""
    live = ledger.live(rnd)
    roll = rnd.random()
    if roll < 0.3 or len(live) < 3:
        return ["add", f"crash-cli-{step}", "--layer", "compute"]
    name = rnd.choice(live)
    if roll < 0.55:
        return ["note", name, f"note {step}: " + "word " * rnd.randint(10, 400)]
    if roll < 0.7:
        return ["status", name, rnd.choice(STATUSES).value]
    if roll < 0.88:
        tags = [tag for tag, there in ledger.companies[name].tags.items() if there]
        if tags and rnd.random() < 0.4:
            return ["tag", name, f"-{rnd.choice(tags)}"]
        return ["tag", name, f"+t{step}"]
    return ["delete", name, "--yes"]


def start(path: Path, home: Path, argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(path), *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=moatscope_env(home),
        cwd=REPO_ROOT,
    )


def run_to_the_end(path: Path, home: Path, argv: list[str]) -> float:
    """Run one command to its end; how long it took (to time the kills by)."""
    began = time.monotonic()
    process = start(path, home, argv)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return time.monotonic() - began


def test_kill_9_cli_commands_at_random_moments(tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    path = tmp_path / "db" / "moatscope.json"
    large_database(path, COMPANIES)
    ledger = Ledger()
    durations = []
    for step in range(3):  # a few companies to work on, and how long a command takes
        argv = ["add", f"crash-cli-{step}", "--layer", "compute"]
        durations.append(run_to_the_end(path, tmp_path, argv))
        ledger.record(step, argv, acked=True)
    typical = statistics.median(durations)

    kills = refused = mid_write = 0
    step = len(durations)
    while kills < KILLS:
        step += 1
        assert step < KILLS * 10, "the commands keep finishing before the kill"
        argv = next_command(rnd, step, ledger)
        began = time.monotonic()
        process = start(path, tmp_path, argv)
        # Half the kills anywhere in a command's life, half near its end, where it writes.
        share = rnd.uniform(0.3, 1.6) if rnd.random() < 0.5 else rnd.uniform(0.8, 1.1)
        try:
            process.wait(timeout=share * typical)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        _, err = process.communicate(timeout=120)
        if process.returncode == -signal.SIGKILL:
            kills += 1
            mid_write += any(path.parent.glob(f".{path.name}{TEMP_MARK}*"))
            ledger.record(step, argv, acked=False)
            ledger.check(path)
            typical *= 1.02  # (the machine may be busier than when it was measured)
        elif process.returncode == 0:
            ledger.record(step, argv, acked=True)
            durations.append(time.monotonic() - began)
            typical = statistics.median(durations[-9:])
        else:  # a refusal (its company's add was killed before it was written)
            assert process.returncode == 1 and b"No company is named" in err, err
            refused += 1
    ledger.check(path)
    assert ledger.acknowledged >= KILLS // 4, "too few commands finished to mean much"
    print(
        f"{kills} kills ({mid_write} in a write), {ledger.acknowledged} acknowledged commands, "
        f"{refused} refused"
    )


def test_the_ledger_notices_a_lost_or_undone_change(tmp_path: Path) -> None:
    """The check is not blind: an acknowledged add that is not in the file, or a company
    whose acknowledged delete did not hold, fails it."""
    path = tmp_path / "db" / "moatscope.json"
    large_database(path, 10)
    ledger = Ledger()
    ledger.record(1, ["add", "crash-cli-never", "--layer", "compute"], acked=True)
    with pytest.raises(AssertionError, match="acknowledged crash-cli-never is missing"):
        ledger.check(path)
    bench = Workbench.open(path)
    try:
        bench.add_company("crash-cli-back", layer="compute")
    finally:
        bench.close()
    ledger = Ledger()
    ledger.record(2, ["delete", "crash-cli-back", "--yes"], acked=True)
    with pytest.raises(AssertionError, match="delete of crash-cli-back was lost"):
        ledger.check(path)
