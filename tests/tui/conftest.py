"""Fixtures and helpers shared by the Pilot and snapshot tests of the TUI.

Every test runs on a fresh seeded database in ``tmp_path`` (the root conftest
already points the XDG folders there), at a fixed moment, with cursors that do
not blink, so what the screen shows is the same on every run. A module marked
``seeded_early`` gets a database seeded on 2 November instead (the inbox tests:
the starter companies are then older than anything imported "today").

The helpers below are the one definition of each: test modules import them from
here and never from one another.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from store import clock
from store.service import Workbench
from tui.__main__ import make_app
from tui.app import MoatscopeApp
from tui.screens.help import HelpScreen, bindings_table
from tui.screens.inbox import InboxScreen
from tui.screens.main import MainScreen
from tui.screens.wizard import ChecklistWizard
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail

FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SIZE = (160, 48)

SEEDED_EARLY = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
"""When a ``seeded_early`` database was created: the starters predate the imports."""

QUESTIONS = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "D1", "D2", "D3"]
FOURTEEN = "y y y y y y y n n n n y y y".split()
"""Every strength Yes, every risk No: the perfect run, as keys."""
PERFECT = dict(zip(QUESTIONS, ["yes"] * 7 + ["no"] * 4 + ["yes"] * 3, strict=True))
"""The perfect run, as answers."""

CSV = """Organization Name,Website,Description,Industries
Arclight Optics,arclight.example,Co-packaged optics for GPU clusters,Photonics
Basalt Storage,basalt.example,Flash storage that feeds training data to accelerators,Storage
Cinder Compute,cinder.example,Inference accelerator chips,Semiconductors
Driftwood,driftwood.example,Meeting notes for founders,Software
Ember Grid,embergrid.example,Modular substations and on-site power for data centers,Energy
"""
POWER = [
    "Crusoe",
    "Digital Realty",
    "Equinix",
    "Fervo Energy",
    "GE Vernova",
    "Lancium",
    "Oklo",
    "Siemens Energy",
    "Vertiv",
]
"""The starter companies of the Power & Facilities layer, the first one shown."""

FIVE = ["Arclight Optics", "Basalt Storage", "Cinder Compute", "Driftwood", "Ember Grid"]
"""The names of ``CSV``, which the ``five`` fixture imports."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "seeded_early: the bench fixture's database is seeded on 2 November"
    )


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


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Let the store write ``moment`` as the current time for a while."""
    fixed = clock.now
    clock.now = lambda: moment
    try:
        yield
    finally:
        clock.now = fixed


def seeded_early(db_path: Path) -> Iterator[Workbench]:
    """A workbench seeded on 2 November, so the starters predate everything else."""
    with at(SEEDED_EARLY):
        workbench = Workbench.open(db_path, author="analyst")
    yield workbench
    workbench.close()


@pytest.fixture
def bench(db_path: Path, request: pytest.FixtureRequest) -> Iterator[Workbench]:
    """A seeded workbench on a fresh database, closed after the test (seeded on
    2 November in a module marked ``seeded_early``)."""
    if request.node.get_closest_marker("seeded_early"):
        yield from seeded_early(db_path)
        return
    workbench = Workbench.open(db_path, author="analyst")
    yield workbench
    workbench.close()


def import_five(workbench: Workbench, folder: Path) -> dict[str, str]:
    """Import the five names of ``CSV`` (today) from a file; name to id."""
    path = folder / "new-names.csv"
    path.write_text(CSV, encoding="utf-8")
    workbench.apply_import(workbench.plan_import(path))
    return {name: workbench.find(name).id for name in FIVE}


@pytest.fixture
def five(bench: Workbench, tmp_path: Path) -> dict[str, str]:
    """The five names of ``CSV``, imported today; name to id."""
    return import_five(bench, tmp_path)


@pytest.fixture
def steady_header(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Show the per-run temporary folder as ``~/data`` so the header never changes
    (snapshot modules use it: ``pytestmark = pytest.mark.usefixtures("steady_header")``)."""
    original = MoatscopeApp.watch_save_state

    def watch_save_state(self: MoatscopeApp, state: str) -> None:
        original(self, state)
        self.sub_title = self.sub_title.replace(str(db_path.parent), "~/data")

    monkeypatch.setattr(MoatscopeApp, "watch_save_state", watch_save_state)


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


async def quiet(pilot: Pilot) -> None:
    """Finish saves and drop toasts, whose timeouts would make a snapshot vary."""
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def wait_until(pilot: Pilot, condition: Any, what: str, tries: int = 100) -> None:
    """Pause until ``condition()`` holds (a worker or a search finishing), or fail."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def run_command(pilot: Pilot, title: str, typed: str | None = None) -> None:
    """Open the palette (ctrl+p), enter ``typed`` (key by key) or else paste ``title``,
    wait for ``title`` to be the top hit and run it with enter."""
    app = pilot.app
    await pilot.press("ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    if typed is None:
        await paste(pilot, title)
    else:
        await type_text(pilot, typed)
    results = app.screen.query_one(CommandList)

    def top_hit() -> bool:
        return bool(results.option_count) and str(results.get_option_at_index(0).prompt).startswith(
            title + "\n"
        )

    await wait_until(pilot, top_hit, f"the palette to list {title!r}")
    await pilot.press("enter")
    await pilot.pause()


async def clear_input(pilot: Pilot) -> None:
    """Empty the focused Input: go to the start, delete everything to the right."""
    await pilot.press("home", "ctrl+k")


# Where things are -------------------------------------------------------------------------


def main(app: Any) -> MainScreen:
    """The main screen, wherever it is in the stack."""
    return next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))


def table(app: Any) -> CompanyTable:
    """The main screen's company list."""
    return main(app).query_one(CompanyTable)


def shown(app: Any) -> list[str]:
    """Names in the company list, top to bottom."""
    return [row.name for row in table(app).rows]


def current(app: Any) -> str | None:
    """The name under the company list's cursor."""
    row = table(app).current
    return row.name if row else None


async def go_to(pilot: Pilot, name: str) -> None:
    """Move the cursor onto ``name`` with j, as a user would."""
    app = pilot.app
    while current(app) != name:
        assert table(app).cursor < len(table(app).rows) - 1, f"{name} is not in the list"
        await pilot.press("j")


def view_title(app: Any) -> str:
    """The line above the company list: layer, count, sort and filter."""
    return text_of(main(app), "#view-title")


def detail_text(app: Any) -> str:
    """The detail pane's words, as wrapped on screen, each line joined to the next by a space."""
    return " ".join(main(app).query_one(CompanyDetail).text.split())


def footer_text(app: Any) -> str:
    """The bottom row of the screen: the key bar."""
    return screen_text(app).splitlines()[-1]


def help_text(app: Any) -> str:
    """Every row of the open help screen, scrolled or not, as plain text."""
    assert isinstance(app.screen, HelpScreen)
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(bindings_table(app, app.screen.bindings_snapshot))
    return console.export_text()


def company_id(bench: Workbench, name: str) -> str:
    return bench.find(name).id


def inbox(app: Any) -> InboxScreen:
    """The inbox, which must be the screen on top."""
    assert isinstance(app.screen, InboxScreen), app.screen
    return app.screen


def listed(app: Any) -> list[str]:
    """Names in the inbox, top to bottom."""
    return [row.name for row in inbox(app).query_one(CompanyTable).rows]


def highlighted(app: Any) -> str | None:
    """The name the inbox highlights (its own cursor, not the main list's)."""
    row = inbox(app).query_one(CompanyTable).current
    return row.name if row else None


def wizard(app: Any) -> ChecklistWizard:
    """The checklist wizard, which must be the screen on top."""
    assert isinstance(app.screen, ChecklistWizard), app.screen
    return app.screen


def text_of(screen: Any, selector: str) -> str:
    """What the Static at ``selector`` on ``screen`` shows."""
    return str(screen.query_one(selector, Static).render())


def file_state(path: Path) -> tuple[bytes, int]:
    """The database file's bytes and modification time, to prove nothing was written."""
    return path.read_bytes(), path.stat().st_mtime_ns


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
