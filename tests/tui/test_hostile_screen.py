"""No escape sequence, control character or bidi override reaches the terminal from the
TUI, whatever the database holds, and what is typed or pasted is stored cleaned."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region

from store.service import Workbench
from tests.store.test_hostile_text import CLEAR, HOSTILE, UNSAFE, legacy_records
from tests.terminal import Terminal, moatscope_env
from tests.tui.conftest import SIZE, names_on_disk, paste, settle
from tui.__main__ import make_app
from tui.screens.main import MainScreen

UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def put_legacy(bench: Workbench) -> list[str]:
    """Hostile records as an older moatscope left them, in the first layer; their ids."""
    records = [{**record, "layer": "power"} for record in legacy_records()]
    bench.database.put_many("companies", records)
    bench.database.flush()
    return [record["id"] for record in records]


def unprintable_on_screen(app: Any) -> list[str]:
    """Every line any shown widget draws that holds a character a terminal acts on."""
    found = []
    for widget in app.screen.walk_children(with_self=True):
        if not widget.display or not widget.size.area:
            continue
        for strip in widget.render_lines(Region(0, 0, *widget.size)):
            text = "".join(segment.text for segment in strip if not segment.control)
            if UNPRINTABLE.search(text):
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


@pytest.mark.slow
def test_a_real_terminal_never_receives_the_hostile_sequences(
    db_path: Path, tmp_path: Path
) -> None:
    bench = Workbench.open(db_path)
    try:
        put_legacy(bench)
    finally:
        bench.close()
    terminal = Terminal(db_path, moatscope_env(tmp_path), SIZE)
    try:
        terminal.wait_for_text("Cli[2JClear")  # the list shows the name, drawn inert
        for _ in range(6):
            terminal.press("j")
            terminal.pause(0.3)
        terminal.press("tab")  # the detail pane, with the notes
        terminal.pause(0.5)
        terminal.press("q", "q")
        assert terminal.finish() == 0
    finally:
        terminal.close()
    output = terminal.output
    assert b"\x1b[2JClear" not in output
    assert b"\x1b]52;" not in output, "the clipboard is never written"
    assert "\u202e".encode() not in output and "\u2066".encode() not in output
    assert b"\x1b]8;;https://evil.example" not in output, "no hyperlink from a name"
