"""Fixtures for the Pilot and snapshot tests of the TUI.

Every test runs on a fresh seeded database in ``tmp_path`` (the root conftest
already points the XDG folders there), at a fixed moment, with cursors that do
not blink, so what the screen shows is the same on every run.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from store import clock
from store.service import Workbench
from tui.__main__ import make_app

FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SIZE = (160, 48)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every timestamp the store writes is 2026-11-20 09:30 UTC."""
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors stay visible instead of blinking, so screenshots are stable."""

    def stay_visible(self: Any) -> None:
        self._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", stay_visible)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", stay_visible)


@pytest.fixture
def bench(db_path: Path) -> Iterator[Workbench]:
    """A seeded workbench on a fresh database, closed after the test."""
    workbench = Workbench.open(db_path, author="analyst")
    yield workbench
    workbench.close()


def recording(app: Any) -> Any:
    """Keep every notification as (severity, message) in ``app.told``.

    ``run_test`` hides toasts, and toasts expire; this list does neither.
    """
    app.told = []
    notify = app.notify

    def recording_notify(message: str, *args: Any, **kwargs: Any) -> Any:
        app.told.append((kwargs.get("severity", "information"), str(message)))
        return notify(message, *args, **kwargs)

    app.notify = recording_notify
    return app


@pytest.fixture
def app(bench: Workbench):
    """The app built by the one factory, recording every notification it shows."""
    return recording(make_app(bench))


def told(app: Any, severity: str | None = None) -> list[str]:
    """The messages the app notified so far (of one severity, if given)."""
    return [message for level, message in app.told if severity in (None, level)]


@contextmanager
def on_disk(app: Any, path: Path) -> Iterator[Workbench]:
    """What the database file holds once the app's queued saves are written."""
    assert app.wait_for_saves(), "saves did not finish"
    reader = Workbench.open(path, read_only=True)
    try:
        yield reader
    finally:
        reader.close()


def names_on_disk(app: Any, path: Path, layer: str | None = None) -> set[str]:
    """Company names stored in the file (of one layer, if given)."""
    with on_disk(app, path) as stored:
        return {row.name for row in stored.rows(layer=layer)}


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` key by key, as a user would."""
    await pilot.press(*text)


async def paste(pilot: Pilot, text: str) -> None:
    """Paste ``text`` as a terminal does: the app forwards it to the focused widget.

    One event instead of a key per character keeps long texts fast.
    """
    assert pilot.app.focused is not None, "nothing has focus to paste into"
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def settle(pilot: Pilot) -> None:
    """Let queued messages, refreshes and background saves finish."""
    await pilot.pause()
    pilot.app.wait_for_saves()
    await pilot.pause()


_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[^"]*" textLength="[^"]*" '
    r'clip-path="url\(#[\w-]*-line-(\d+)\)">([^<]*)</text>'
)
CELL_WIDTH = 12.2  # rich's SVG export: one terminal cell is 12.2 units wide


def screen_text(app: Any) -> str:
    """The characters on screen, one line per row, read back from the SVG screenshot."""
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, row, chunk in _TEXT.findall(app.export_screenshot()):
        column = round(float(x) / CELL_WIDTH)
        for offset, char in enumerate(html.unescape(chunk).replace("\xa0", " ")):
            if column + offset < width and int(row) < height:
                grid[int(row)][column + offset] = char
    return "\n".join("".join(line).rstrip() for line in grid)
