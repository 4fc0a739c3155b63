"""SVG snapshots of the main screen at 80×24 and 120×30 (pytest-textual-snapshot).

Each test's docstring says what its SVG must show; review the picture against it before
accepting an update (``--snapshot-update``). The 160×48 main screen is in test_snapshots.py.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import QUESTIONS, quiet

pytestmark = pytest.mark.usefixtures("steady_header")

ANCHOR = "y y y y y y y n n n n y y y".split()


@pytest.fixture
def groq(bench: Workbench) -> Workbench:
    """Groq scored Anchor, in diligence, tagged, with a note; a long wide-letter name."""
    groq = bench.find("Groq").id
    bench.record_run(groq, dict(zip(QUESTIONS, ANCHOR, strict=True)))
    bench.set_status([groq], "diligence")
    bench.set_tags(groq, ["starter", "inference", "lpu"])
    bench.add_note(groq, "Met the CEO.\n\n- **Latency** under load is the pitch")
    layer = bench.find("Cerebras").layer
    bench.add_company("株式会社プリファードネットワークス Preferred Networks", layer)
    return bench


async def on_groq(pilot: Pilot) -> None:
    """The Compute layer, cursor on Groq (the seventh)."""
    await pilot.press("right_square_bracket", *"jjjjjj")
    await quiet(pilot)


def test_main_screen_at_80x24(app, groq, snap_compare) -> None:
    """80×24: the layers as one line under the header, "Compute" highlighted; the list
    spans the width with Name, Status, Score, Verdict, Tags and Updated, the cursor on
    Groq (Anchor, diligence, tags cut with "…"); the Japanese name cut with "…" with the
    columns after it aligned; Groq's detail under the list; the footer ends with
    "q Quit", "? Help" and "▏^p"."""
    assert snap_compare(app, run_before=on_groq, terminal_size=(80, 24))


def test_main_screen_at_80x24_zoomed(app, groq, snap_compare) -> None:
    """80×24 after z: the list alone between the header and the footer, no strip, no
    detail; the cursor on Groq."""

    async def run_before(pilot: Pilot) -> None:
        await on_groq(pilot)
        await pilot.press("z")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_main_screen_at_120x30(app, groq, snap_compare) -> None:
    """120×30: the layer list (30 cells) on the left with counts, the list in the middle
    with Name, Status, Score, Verdict and Updated (no Tags), names whole, the cursor on
    Groq; Groq's detail (34 cells) on the right; the footer with q Quit, ? Help and
    "▏^p palette"."""
    assert snap_compare(app, run_before=on_groq, terminal_size=(120, 30))
