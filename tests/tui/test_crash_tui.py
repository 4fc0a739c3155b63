"""Kill -9 the TUI at random moments: every change the header showed as saved survives, and
the file always loads.

``moatscope`` runs in a pseudo-terminal on a database of ``COMPANIES`` companies. Each
round starts it, makes a few changes with the keys a user presses (``n`` a name enter;
``a`` a note ctrl+s; ``t`` a tag enter; ``d`` ``y``), and SIGKILLs it: now and then while
it starts, now and then with a dialog open, mostly just after the key that makes a
change, while it is drawn, queued or written. A change is acknowledged once the screen
shows it (its name, note, tag, or "Deleted …") with the header saying "saved": it must
be in the file after every later kill. Raise ``KILLS`` (or set MOATSCOPE_TUI_KILLS) for
a longer hunt.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from store.service import Workbench
from tests.crash_ledger import Known, check_file
from tests.databases import large_database
from tests.terminal import ScreenGrid, Terminal, moatscope_env

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("MOATSCOPE_TUI_KILLS", "16"))
"""Rounds, each ending in a kill."""
COMPANIES = 1_000
"""Companies in the database: a save takes long enough for kills to land in it."""
SEED = int(os.environ.get("MOATSCOPE_CRASH_SEED", "20261122"))
LATE = 0.12
"""Seconds after a change's last key within which its kill lands."""


@dataclass
class Change:
    """One change made with keys: what to press, the dialog it opens, and what the screen
    shows once it is made."""

    kind: str
    company: str
    token: str
    dialog: str
    keys: list[str]
    shown: str

    def acknowledged(self, screen: ScreenGrid) -> bool:
        """The dialog is closed, the screen shows the change, and the header says all is
        saved. (While the dialog is open, the token may be what is typed in it.)"""
        text = screen.text
        return self.dialog not in text and self.shown in text and screen.save_state == "saved"


class Ledger:
    """The companies the test added and what the screen acknowledged of each."""

    def __init__(self) -> None:
        self.companies: dict[str, Known] = {}
        self.acknowledged = 0

    def record(self, change: Change, acked: bool) -> None:
        known = self.companies.setdefault(change.company, Known())
        if change.kind in ("add", "delete"):
            known.exists = (change.kind == "add") if acked else None
        elif change.kind == "note" and acked:
            known.notes.add(change.token)
        elif change.kind == "tag":
            known.tags[change.token] = True if acked else None
        self.acknowledged += acked

    def check(self, path: Path) -> None:
        """The file loads and holds every change the header acknowledged."""
        check_file(path, self.companies)


def next_change(rnd: random.Random, step: int, current: str | None) -> Change:
    """A change to the highlighted company (the one added last), or an add."""
    roll = rnd.random()
    if current is None or roll < 0.3:
        name = f"Crash{step:04d}q"
        return Change("add", name, name, "Add a company to", ["n", name, "enter"], f"Added {name}")
    if roll < 0.6:
        note = f"note{step:04d}q"
        return Change("note", current, note, f"Note on {current}", ["a", note, "ctrl+s"], note)
    if roll < 0.85:
        tag = f"tag{step:04d}q"
        keys = ["t", "end", f", {tag}", "enter"]  # (after the tags it has)
        return Change("tag", current, tag, f"Tags of {current}", keys, tag)
    dialog = f"Delete {current}?"
    return Change("delete", current, current, dialog, ["d", "y"], f"Deleted {current}")


def one_round(rnd: random.Random, path: Path, home: Path, ledger: Ledger, step: int) -> int:
    """Start the app, make changes, kill it; the next step number."""
    terminal = Terminal(path, moatscope_env(home))
    try:
        if rnd.random() < 0.15:  # while it starts: imports, the lock, the backup, the screen
            terminal.pause(rnd.uniform(0.0, 0.8))
            return step
        terminal.wait_for(lambda screen: screen.save_state == "saved")
        current: str | None = None
        count = rnd.randint(1, 4)
        for number in range(count):
            step += 1
            change = next_change(rnd, step, current)
            opener, *typed, last = change.keys
            terminal.press(opener)
            terminal.wait_for_text(change.dialog)
            terminal.press(*typed)
            final = number == count - 1
            if final and rnd.random() < 0.1:  # with the dialog open, nothing sent yet
                terminal.pause(rnd.uniform(0.0, LATE))
                return step
            terminal.press(last)
            if final and rnd.random() < 0.8:  # the change is on its way: drawn, queued, written
                terminal.pause(rnd.uniform(0.0, LATE))
                ledger.record(change, acked=False)
                return step
            terminal.wait_for(change.acknowledged)
            ledger.record(change, acked=True)
            current = None if change.kind == "delete" else change.company
        return step  # (killed idle, just after a change shown saved)
    finally:
        terminal.kill()
        terminal.hang_up()


def test_kill_9_the_tui_at_random_moments(tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    path = tmp_path / "db" / "moatscope.json"
    large_database(path, COMPANIES)
    ledger = Ledger()
    step = 0
    for _ in range(KILLS):
        step = one_round(rnd, path, tmp_path, ledger, step)
        ledger.check(path)
    assert ledger.acknowledged >= KILLS // 2, "too few changes were shown saved to mean much"
    print(f"{KILLS} kills, {ledger.acknowledged} changes shown saved, {step} begun")


def test_the_ledger_notices_a_change_shown_saved_but_lost(tmp_path: Path) -> None:
    """The check is not blind: a note or a tag acknowledged on screen but not in the file
    fails it."""
    path = tmp_path / "db" / "moatscope.json"
    large_database(path, 10)
    bench = Workbench.open(path)
    try:
        bench.add_company("Crash0001q", layer="power")
    finally:
        bench.close()
    for change in (
        Change("note", "Crash0001q", "note0002q", "", [], ""),
        Change("tag", "Crash0001q", "tag0002q", "", [], ""),
    ):
        ledger = Ledger()
        ledger.record(Change("add", "Crash0001q", "", "", [], ""), acked=True)
        ledger.check(path)
        ledger.record(change, acked=True)
        with pytest.raises(AssertionError, match="acknowledged (notes|tags) of Crash0001q are"):
            ledger.check(path)
