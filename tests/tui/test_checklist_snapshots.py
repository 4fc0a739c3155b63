"""SVG snapshots of the moat checklist screens at 160 × 48.

Each test's docstring says what its picture must show; look at the SVG (or the
report pytest-textual-snapshot writes on failure) with that list in hand.
Regenerate with ``pytest tests/tui/test_checklist_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import (
    PERFECT,
    SIZE,
    at,
    type_text,
)

EARLIER = datetime(2026, 11, 13, 16, 5, tzinfo=UTC)


def test_a_question_page(snap_compare, app) -> None:
    """The wizard on Crusoe's question A2 (unit-cost), after A1 was answered Yes.

    Must show: "Crusoe · question 2 of 14 · 2 answered"; the section "A. Where value
    accrues"; the question text with "(weight 3)"; its help text (what Yes and
    Partly mean, what evidence looks like); the answer bar with "p Partly"
    highlighted; the evidence field focused with "Benchmarks only, no production
    data yet." typed in it and a visible cursor; "So far: score 75 · coverage 21% ·
    Incomplete"; the footer with y/p/n/u, ← →, ctrl+s and esc.
    """

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("c", "y", "p", "left", "tab")
        await type_text(pilot, "Benchmarks only, no production data yet.")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_result_page(snap_compare, app, bench: Workbench) -> None:
    """The result page after resuming Crusoe's run and changing C2 from Yes to No.

    Must show: "Crusoe · checklist saved"; a green "Anchor" block; "Score 100 ·
    coverage 100% · Moat checklist v1"; the reason "Anchor: scores 100 (at least
    70) with no risk answered Yes."; all fourteen answers, one per line, with the
    evidence carried over from the earlier run after A1 and C2 (dimmed); the
    footer with "Done".
    """
    with at(EARLIER):
        bench.record_run(
            bench.find("Crusoe").id,
            {
                **PERFECT,
                "A1": {"answer": "yes", "evidence": "Brings its own power: no grid queue."},
                "C2": {"answer": "yes", "evidence": "A hyperscaler could build the same sites."},
            },
        )

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("c", *["right"] * 8, "n", "ctrl+s")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_run_history_with_a_change(snap_compare, app, bench: Workbench) -> None:
    """Crusoe's run history (h): two runs, the newest highlighted.

    Must show: "Crusoe · 2 checklist runs"; the 2026-11-20 09:30 run (Anchor,
    score 100, coverage 100%, analyst · moat v1) above the 2026-11-13 16:05 run
    (Contender, score 80); "Contender → Anchor, +20 since the run before"; a
    table of the three answers that changed — A2 unit-cost Partly → Yes, B3
    default No → Yes, C2 convergence Yes → No with its new evidence — and no
    unchanged answer; the footer with "Back" and "Re-score".
    """
    crusoe = bench.find("Crusoe").id
    with at(EARLIER):
        bench.record_run(crusoe, {**PERFECT, "A2": "partly", "B3": "no", "C2": "yes"})
    bench.record_run(
        crusoe,
        {
            **PERFECT,
            "C2": {"answer": "no", "evidence": "Hyperscalers buy it rather than build it."},
        },
    )

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("h")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_compare_view(snap_compare, app, bench: Workbench) -> None:
    """Crusoe and Digital Realty side by side (space, space, C: space marks and moves down).

    Must show: "Compare: Crusoe · Digital Realty"; a column per company; the
    verdicts (Anchor, Contender) and "score · coverage" (100 · 100%, 88 · 100%)
    at the top; every question as a row; the rows A2 and C2, answered
    differently, highlighted (amber background, bold) and no other row; the
    evidence "Colocation giants could bundle it." after Digital Realty's C2 answer.
    """
    bench.record_run(bench.find("Crusoe").id, PERFECT)
    bench.record_run(
        bench.find("Digital Realty").id,
        {
            **PERFECT,
            "A2": "partly",
            "C2": {"answer": "yes", "evidence": "Colocation giants could bundle it."},
        },
    )

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("space", "space", "C")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
