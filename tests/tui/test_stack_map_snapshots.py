"""The stack map at 80×24 (its 160×48 snapshot is in test_snapshots.py): review each
picture against its test's docstring before accepting an update."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import quiet
from tests.tui.test_snapshots import scored  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("steady_header")


def test_stack_map_narrow(app, scored, snap_compare) -> None:  # noqa: F811
    """At 80×24, by status, the cursor moved to Compute's Diligence cell: the grid fills
    the width (layer names cut with "…" at about 20 cells, headings such as "Screen…"
    cut too, every count whole) and the notes sit under it behind a rule: "Compute",
    "Diligence: 1 company, average score 100 · enter lists them" and the start of the
    layer's summary. The footer shows tab, esc and enter."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("m", "tab", *"jjj", "l", "l")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_stack_map_at_120_columns(app, scored, snap_compare) -> None:  # noqa: F811
    """At 120×30, by verdict, the cursor on Compute's Leaks value cell ("1 · 60", accent):
    the grid takes the whole width, every heading of the six verdicts, "Not scored" and
    "All" whole (Anchor, Contender, Unproven, Long shot, Leaks value, Incomplete), every
    layer name whole too, and the notes sit under it behind a rule:
    "Compute", "Leaks value: 1 company, average score 60 · enter lists them", the layer's
    summary and its bottlenecks (pgdn scrolls the notes)."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("m", *"jjj", *"llll")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 30))
