"""SVG snapshots of the moat checklist screens at 160 × 48.

Each test's docstring says what its picture must show; look at the SVG (or the
report pytest-textual-snapshot writes on failure) with that list in hand.
Regenerate with ``pytest tests/tui/test_checklist_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from textual.pilot import Pilot

from store.checklist import builtin_checklist
from store.service import Workbench
from tests.tui.conftest import (
    PERFECT,
    SIZE,
    at,
    type_text,
)
from tests.tui.test_inbox_wizard_snapshots import crusoe_earlier_run

EARLIER = datetime(2026, 11, 13, 16, 5, tzinfo=UTC)


def test_a_question_page(snap_compare, app) -> None:
    """The wizard on Crusoe's question A2 (unit-cost), after A1 was answered Yes.

    Must show: "Crusoe · question 2 of 14 · 2 answered"; the section "A. Where value
    accrues"; the question text with "(weight 3)"; its help text (what Yes and
    Partly mean), then "Stage not set: pre-seed, seed and Series A count as pre-revenue;
    …" with both stages' help ("Before revenue: …", "In production: …"), then the power
    layer's ("Power: $/MWh delivered …"); the answer bar with "p Partly"
    highlighted; the evidence field focused with "Benchmarks only, no production
    data yet." typed in it and a visible cursor; under it "Source", "Date" (with their
    placeholders) and "Kind not said"; "So far: score 75 (range 15–95) · coverage 20% ·
    Incomplete"; the footer with y/p/n/u, ← →, ctrl+s and esc.
    """

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("c", "y", "p", "left", "tab")
        await type_text(pilot, "Benchmarks only, no production data yet.")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_result_page(snap_compare, app, bench: Workbench) -> None:
    """The result page after resuming Crusoe's run and changing C2 from Yes to No.

    Must show: "Crusoe · checklist saved"; a green "Anchor" block; "Score 79 (range
    73–80) · coverage 93% · Moat checklist v2"; the reason "Anchor: scores 79 (at least
    70) with none of C1, C2, C3 answered Yes."; "Flagged: A1 †‡ claim only, older than a
    year"; the leak questions answered, a dim line "No possible absorber recorded · Power &
    Facilities, next to Compute (above)"; "Unanswered, and would change the verdict:" with C3
    and its text; all
    fourteen answers, one per line: A1 "†‡" and its evidence "(founder or vendor claim;
    Founder call; 2025-09-02)", B1-B3 "No ✗", the risks "risk: …", C2's evidence
    carried over, C3 "Unknown"; the legend "✗ counts against the company · † claim only ·
    ‡ older than a year"; the footer with "Done".
    """
    crusoe_earlier_run(bench)

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("c", *["right"] * 8, "n", "ctrl+s")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_run_history_with_a_change(snap_compare, app, bench: Workbench) -> None:
    """Crusoe's run history (h): two runs, the newest highlighted.

    Must show: "Crusoe · 2 checklist runs"; the 2026-11-20 09:30 run (Anchor,
    score 100, coverage 100%, analyst · moat v2) above the 2026-11-13 16:05 run
    (Contender, score 82); "Contender → Anchor, +18 since the run before"; a
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
    """Crusoe, Digital Realty and Equinix side by side (space ×3, C: space marks and
    moves down).

    Must show: "Compare: Crusoe · Digital Realty · Equinix"; the hint with the legend
    "† claim only · ‡ older than a year"; a column per company; the verdicts (Anchor,
    Unproven, Long shot) and "Score (range) · coverage" (100 · 100%, 85 · 100%, 20 ·
    100%); every question as a row, the risks with "(risk)"; every row but C1
    highlighted (amber background, bold: the answers differ); Digital Realty's A1
    "Partly †" with its evidence cut with "…" at the column's edge; Crusoe's C2 "No"
    with "Colocation giants could bundle it." and "‡"."""
    bench.record_run(
        bench.find("Crusoe").id,
        {
            **PERFECT,
            "C2": {
                "answer": "no",
                "evidence": "Colocation giants could bundle it.",
                "date": "2024-02-01",
            },
        },
    )
    long_evidence = "Signed a letter of intent with " + "a very large utility " * 6
    bench.record_run(
        bench.find("Digital Realty").id,
        {
            **PERFECT,
            **{qid: "partly" for qid in ("A1", "A2", "A3")},
            "A1": {"answer": "partly", "evidence": long_evidence, "kind": "claim"},
        },
    )
    bench.record_run(
        bench.find("Equinix").id,
        {
            **{qid: "no" for qid in PERFECT},
            "A1": "yes",
            **{qid: "yes" for qid in ("C2", "C3", "C4")},
        },
    )

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("space", "space", "space", "C")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_rescore_difference_at_80x24(snap_compare, app, bench: Workbench) -> None:
    """h then r on Crusoe, whose only run was made with version 1 (A, B and D1 Yes, the
    risks Unknown), at 80×24: over the history, the question "Re-score Crusoe with the
    current checklist?", then "Re-scoring the run of 2026-11-13 (moat v1) with v2:",
    "carried: A1, A2, A3, B1, B2, B3, B4, D1", "missing: C1, C2, C3, C4, D2, D3",
    "before: Anchor, score 100 (range 64–100)", "after:  Incomplete, score 100 (range
    60–100)", the reason "Incomplete: C1, C2 are not answered …", "The old run is kept;
    the new one becomes the current score." and the buttons "Save new run (y)" and
    "Cancel (n)", all inside the dialog's border."""
    current = bench.checklist
    bench.checklist = builtin_checklist(1)
    with at(EARLIER):
        bench.record_run(
            bench.find("Crusoe").id,
            {qid: "yes" for qid in ("A1", "A2", "A3", "B1", "B2", "B3", "B4", "D1")},
        )
    bench.checklist = current

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("h", "r")

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
