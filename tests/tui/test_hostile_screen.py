"""No escape sequence, control character or bidi override reaches the terminal from the
TUI, whatever the database holds, and what is typed or pasted is stored cleaned."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region

from store.service import Workbench
from tests.store.conftest import REPO_ROOT, child_env
from tests.store.test_hostile_text import CLEAR, HOSTILE, UNSAFE, legacy_records
from tests.tui.conftest import SIZE, names_on_disk, paste, settle
from tui.__main__ import make_app
from tui.screens.main import MainScreen

UNPRINTABLE = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def put_legacy(bench: Workbench) -> list[str]:
    """Hostile records as an older moatscope left them, in the first layer; their ids."""
    records = [{**record, "layer": "power"} for record in legacy_records()]
    bench.database.put_many("companies", records)
    bench.database.flush()
    return [record["id"] for record in records]


def unprintable_on_screen(app: Any) -> list[str]:
    """Every line any shown widget draws that holds a character a terminal acts on."""
    import re

    found = []
    for widget in app.screen.walk_children(with_self=True):
        if not widget.display or not widget.size.area:
            continue
        for strip in widget.render_lines(Region(0, 0, *widget.size)):
            text = "".join(segment.text for segment in strip if not segment.control)
            if re.search(UNPRINTABLE, text):
                found.append(f"{type(widget).__name__}: {text!r}")
    return found


async def test_hostile_bytes_in_the_database_are_drawn_inert(bench: Workbench) -> None:
    put_legacy(bench)
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        for _ in range(len(HOSTILE) + 9):
            assert unprintable_on_screen(app) == []
            assert UNSAFE.search(app.export_screenshot()) is None
            await pilot.press("j")
            await settle(pilot)
        await pilot.press("tab")  # the detail pane, notes and all
        await settle(pilot)
        assert unprintable_on_screen(app) == []


async def test_a_pasted_escape_is_shown_inert_and_stored_clean(
    bench: Workbench, db_path: Path
) -> None:
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await paste(pilot, CLEAR)
        assert unprintable_on_screen(app) == []
        await pilot.press("enter")
        await settle(pilot)
        assert "CliClear" in names_on_disk(app, db_path, "power")


# On a real terminal -------------------------------------------------------------------------


def run_in_terminal(db_path: Path, keys: list[bytes], seconds: float = 1.0) -> bytes:
    """Everything the app writes to a pseudo-terminal while ``keys`` are typed, one
    every ``seconds``, then q."""
    primary, secondary = pty.openpty()
    os.set_blocking(primary, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = child_env(TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(db_path)],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=REPO_ROOT,
        env=env,
        start_new_session=True,
    )
    os.close(secondary)
    output = bytearray()

    def read_for(duration: float) -> None:
        end = time.monotonic() + duration
        while time.monotonic() < end:
            ready, _, _ = select.select([primary], [], [], 0.05)
            if ready:
                try:
                    output.extend(os.read(primary, 65536))
                except OSError:
                    return

    try:
        read_for(4.0)  # the first frame
        for key in [*keys, b"q", b"q"]:
            os.write(primary, key)
            read_for(seconds)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(primary)
    return bytes(output)


@pytest.mark.slow
def test_a_real_terminal_never_receives_the_hostile_sequences(db_path: Path) -> None:
    bench = Workbench.open(db_path)
    try:
        put_legacy(bench)
    finally:
        bench.close()
    output = run_in_terminal(db_path, [b"j"] * 6 + [b"\t"], seconds=0.6)
    assert b"CliClear" not in output  # shown with its escape removed, not the sequence
    assert b"Cli[2JClear" in output, "the list shows the name, drawn inert"
    assert b"\x1b[2JClear" not in output
    assert b"\x1b]52;" not in output, "the clipboard is never written"
    assert "\u202e".encode() not in output and "\u2066".encode() not in output
    assert b"\x1b]8;;https://evil.example" not in output, "no hyperlink from a name"
