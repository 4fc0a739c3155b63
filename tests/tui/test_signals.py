"""Closing the terminal, SIGTERM or SIGINT while the header says "saving…" keeps the edit.

``moatscope`` runs in a pseudo-terminal on a database large enough that a save takes a
while (``COMPANIES``). A company is added with ``n``, its name and enter; as soon as the
header shows "saving…", the signal is sent (or the terminal closed, which hangs it up and
sends SIGHUP). The app must exit on its own with status 128 + the signal, and the file
must then hold the company, load, and be free for the next writer.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from store.service import Workbench
from store.storage import MemoryStorage
from tests.benchmarks.data import build_tables
from tests.terminal import REPO_ROOT, Terminal

pytestmark = pytest.mark.slow

COMPANIES = 30_000
"""Companies in the database: a save takes a noticeable while (the header shows "saving…")."""
GENERATED = 1_000
"""Companies generated; the rest are copies of them under new ids (quicker to build)."""


def large_database(path: Path, companies: int) -> None:
    """Write a database of ``companies`` realistic companies to ``path``."""
    tables = build_tables(GENERATED)
    originals = list(tables["companies"].values())
    for number in range(companies - GENERATED):
        copy = dict(originals[number % GENERATED], id=f"co-{number:012x}")
        tables["companies"][copy["id"]] = copy
    path.parent.mkdir(parents=True, exist_ok=True)
    MemoryStorage(path, tables, on_disk=False).flush()


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The large database, built once for the module (tests work on copies)."""
    path = tmp_path_factory.mktemp("large") / "moatscope.json"
    large_database(path, COMPANIES)
    return path


def child_env(home: Path) -> dict[str, str]:
    """The environment of ``moatscope``: this repository, the test's own folders."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MOATSCOPE")}
    env.update(
        PYTHONPATH=f"{REPO_ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        HOME=str(home),
    )
    return env


def saved_state(terminal: Terminal) -> str:
    """What the header says of saving: "saved", "saving…", "NOT SAVED" or ""."""
    header = terminal.header
    for state in ("NOT SAVED", "saving…", "saved"):
        if header.endswith(f"· {state}"):
            return state
    return ""


def started(db: Path, home: Path) -> Terminal:
    """``moatscope`` open on ``db``, its first screen drawn and everything saved."""
    terminal = Terminal(db, child_env(home))
    terminal.wait_for(lambda screen: saved_state(terminal) == "saved")
    return terminal


def add_company(terminal: Terminal, name: str) -> None:
    """Quick-add ``name`` with the keys a user presses."""
    terminal.press("n")
    terminal.wait_for_text("Add a company to")
    terminal.type(name)
    terminal.press("enter")


def holds(db: Path, name: str) -> bool:
    """The file loads, is free for a writer, and lists ``name``."""
    workbench = Workbench.open(db)
    try:
        assert not workbench.read_only, "the app left the database locked"
        return name in {row.name for row in workbench.rows()}
    finally:
        workbench.close()


ENDINGS = {
    "SIGTERM": (signal.SIGTERM, False),
    "SIGINT": (signal.SIGINT, False),
    "SIGHUP": (signal.SIGHUP, False),
    "terminal closed": (signal.SIGHUP, True),
}


@pytest.mark.parametrize("signum, close_terminal", ENDINGS.values(), ids=ENDINGS.keys())
def test_a_signal_while_saving_exits_with_the_edit_saved(
    large: Path, tmp_path: Path, signum: int, close_terminal: bool
) -> None:
    db = tmp_path / "db" / "moatscope.json"
    db.parent.mkdir()
    shutil.copy(large, db)
    terminal = started(db, tmp_path)
    try:
        add_company(terminal, "Signal Test Co")
        terminal.wait_for(lambda screen: saved_state(terminal) == "saving…")
        if close_terminal:
            terminal.hang_up()
        else:
            terminal.send(signum)
        status = terminal.finish()
    finally:
        terminal.close()
    assert status == 128 + signum, terminal.tail
    assert holds(db, "Signal Test Co"), "the edit saved while the signal came is on disk"
    assert not (tmp_path / "data" / "moatscope" / "recovered").exists()
    if not close_terminal:
        # The terminal is given back as it was: the alternate screen left, the cursor shown.
        output = terminal.output
        assert output.rfind(b"\x1b[?1049l") > output.rfind(b"\x1b[?1049h") >= 0
        assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l") >= 0


@pytest.mark.parametrize("controlling", [True, False], ids=["with SIGHUP", "without SIGHUP"])
def test_closing_the_terminal_while_the_app_draws_exits_saved(
    large: Path, tmp_path: Path, controlling: bool
) -> None:
    """The app is drawing frame after frame (keys typed ahead) when the terminal closes:
    writes to the dead terminal fail and may stall the app's way out. It still ends,
    with the edit on disk and the lock free; without a SIGHUP, it notices the hang-up."""
    db = tmp_path / "db" / "moatscope.json"
    db.parent.mkdir()
    shutil.copy(large, db)
    terminal = Terminal(db, child_env(tmp_path), controlling=controlling)
    try:
        terminal.wait_for(lambda screen: saved_state(terminal) == "saved")
        add_company(terminal, "Hung Up Co")
        terminal.wait_for(lambda screen: saved_state(terminal) == "saving…")
        terminal.type("j" * 300)
        terminal.read(0.05)
        terminal.hang_up()
        status = terminal.finish()
    finally:
        terminal.close()
    assert status == 128 + signal.SIGHUP
    assert holds(db, "Hung Up Co")


def test_a_signal_during_start_up_exits_without_touching_the_file(
    large: Path, tmp_path: Path
) -> None:
    db = tmp_path / "db" / "moatscope.json"
    db.parent.mkdir()
    shutil.copy(large, db)
    before = db.read_bytes()
    terminal = Terminal(db, child_env(tmp_path))
    try:
        terminal.read(0.3)  # (the interpreter starts; the database may be opening)
        terminal.send(signal.SIGTERM)
        status = terminal.finish()
    finally:
        terminal.close()
    assert status in (128 + signal.SIGTERM, -signal.SIGTERM), terminal.tail
    assert db.read_bytes() == before
    assert holds(db, "Signal Test Co") is False
