"""Closing the terminal, SIGTERM or SIGINT while the header says "saving…" keeps the edit.

``moatscope`` runs in a pseudo-terminal on a database large enough that a save takes a
while (``COMPANIES``). A company is added with ``n``, its name and enter; as soon as the
header shows "saving…", the signal is sent (or the terminal closed, which hangs it up and
sends SIGHUP). The app must exit on its own with status 128 + the signal, and the file
must then hold the company, load, and be free for the next writer. (On a machine so fast
that no frame shows "saving…", the signal follows the add shown saved: the test still
holds, but proves less.)
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from store.service import Workbench
from tests.databases import large_database
from tests.terminal import Terminal, moatscope_env

pytestmark = pytest.mark.slow

COMPANIES = 20_000
"""Companies in the database: a save takes a noticeable while (the header shows "saving…")."""


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The large database, built once for the module (tests work on copies)."""
    path = tmp_path_factory.mktemp("large") / "moatscope.json"
    large_database(path, COMPANIES)
    return path


def started(db: Path, home: Path) -> Terminal:
    """``moatscope`` open on ``db``, its first screen drawn and everything saved."""
    terminal = Terminal(db, moatscope_env(home))
    terminal.wait_for(lambda screen: screen.save_state == "saved")
    return terminal


def add_company(terminal: Terminal, name: str) -> None:
    """Quick-add ``name`` with the keys a user presses."""
    terminal.press("n")
    terminal.wait_for_text("Add a company to")
    terminal.type(name)
    terminal.press("enter")


def saving(terminal: Terminal, name: str) -> None:
    """Wait for the header to say "saving…" after the add of ``name`` (or, on a machine
    fast enough that no frame shows it, for the add to be shown saved)."""
    terminal.wait_for(
        lambda screen: (
            screen.save_state == "saving…"
            or (f"Added {name}" in screen.text and screen.save_state == "saved")
        )
    )


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
        saving(terminal, "Signal Test Co")
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


def test_closing_the_terminal_while_the_app_draws_exits_saved(large: Path, tmp_path: Path) -> None:
    """The app is drawing frame after frame (keys typed ahead) when the terminal closes,
    and no SIGHUP comes (the terminal is not the app's controlling one): writes to the
    dead terminal fail and may stall the app's way out. It notices the hang-up and
    ends, with the edit on disk and the lock free."""
    db = tmp_path / "db" / "moatscope.json"
    db.parent.mkdir()
    shutil.copy(large, db)
    terminal = Terminal(db, moatscope_env(tmp_path), controlling=False)
    try:
        terminal.wait_for(lambda screen: screen.save_state == "saved")
        add_company(terminal, "Hung Up Co")
        saving(terminal, "Hung Up Co")
        terminal.type("j" * 300)
        terminal.pause(0.05)
        terminal.hang_up()
        status = terminal.finish()
    finally:
        terminal.close()
    assert status == 128 + signal.SIGHUP
    assert holds(db, "Hung Up Co")
