"""SVG snapshots of the inbox and the checklist wizard at 80×24 and 120×30 (and the inbox
at 160×45), pytest-textual-snapshot.

Each test's docstring says what its SVG must show; review the picture against it before
accepting an update (``--snapshot-update``). The 160×48 inbox is in
test_inbox_snapshots.py, the 160×48 wizard in test_checklist_snapshots.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import PERFECT, at, quiet, type_text

pytestmark = pytest.mark.usefixtures("steady_header")

SMALL, MEDIUM, LARGE = (80, 24), (120, 30), (160, 45)


@pytest.fixture
def waiting(bench: Workbench, five: dict[str, str]) -> Workbench:
    """The five imported names (Driftwood in no layer) and a long Japanese name."""
    bench.add_company("株式会社プリファードネットワークス Preferred Networks", "compute")
    return bench


async def open_inbox(pilot: Pilot) -> None:
    await pilot.press("i")
    await quiet(pilot)


@pytest.mark.seeded_early
def test_inbox_at_80x24(app, waiting, snap_compare) -> None:
    """80×24: "Layer keys: 1 Power  2 Compute  3 Networking  4 Data  5 Orchestration"
    (first words: the whole names do not fit); "Inbox · 6"; the list spans the width with
    Name, Layer, Score, Verdict and Why (no Status, no Updated); names whole but the
    Japanese one, cut with "…" and the columns after it aligned; layers cut with "…"
    ("Networking & Inte…"); Driftwood's layer "Unsorted" and its why "new, no layer"
    whole; the cursor on Arclight Optics, whose detail is under the list; the footer with
    s Screen … and "q Quit", "? Help"."""
    assert snap_compare(app, run_before=open_inbox, terminal_size=SMALL)


@pytest.mark.seeded_early
def test_inbox_at_120x30(app, waiting, snap_compare) -> None:
    """120×30: the layer keys whole; the list with Name, Layer, Status, Score, Verdict and
    Why (no Updated), names of 20 cells or more; Arclight Optics' detail (34 cells) on
    the right."""
    assert snap_compare(app, run_before=open_inbox, terminal_size=MEDIUM)


@pytest.mark.seeded_early
def test_inbox_at_160x45(app, waiting, snap_compare) -> None:
    """160×45: as the inbox always was, detail 46 cells on the right, plus the Layer
    column: Name, Layer, Status, Score, Verdict, Why and Updated ("09:30 UTC")."""
    assert snap_compare(app, run_before=open_inbox, terminal_size=LARGE)


async def on_a_question(pilot: Pilot) -> None:
    """Crusoe's question C1 (a risk), answered Partly, its evidence, source, date and kind
    filled in (tab from field to field), esc back out."""
    await pilot.press("c", *["right"] * 7, "p", "left", "tab")
    await type_text(pilot, "Sells capacity, not a model: little to absorb.")
    await pilot.press("tab")
    await type_text(pilot, "Crusoe 2025 annual report")
    await pilot.press("tab")
    await type_text(pilot, "2026-03-31")
    await pilot.press("tab", "3", "escape")
    await quiet(pilot)


def test_wizard_question_at_80x24(app, snap_compare) -> None:
    """80×24: "Crusoe · question 8 of 14 · 1 answered"; "C. …" the section; the question
    box (the question, the start of its help, a scrollbar: the rest, and below it the block
    on where value could leak, scrolls; no conflict line: Crusoe has no absorber); the answer
    bar with "p Partly" highlighted and "a risk: Yes counts against it" on the same line;
    "Evidence (tab: next field · kind: ←/→ or 1–5 · esc: back to the answers)"; the
    evidence field whole, both borders, the typed text; one line "Source Crusoe 20…
    Date 2026-03-31 Kind filing" (the source's start, cut by its field); "So far: score 50 (range
    5–95) · coverage 10% · Incomplete"; the footer with y Yes, p Partly, n No,
    u Unknown, ^s Save run, esc Cancel, q Quit and ? Help."""
    assert snap_compare(app, run_before=on_a_question, terminal_size=SMALL)


def test_wizard_question_at_120x30(app, snap_compare) -> None:
    """120×30: as at 80×24, with more of the help shown above the answer bar, the whole
    risk note "a risk: Yes counts against the company" and the whole source "Crusoe 2025
    annual report"."""
    assert snap_compare(app, run_before=on_a_question, terminal_size=MEDIUM)


def crusoe_earlier_run(bench: Workbench) -> Workbench:
    """Crusoe's earlier run: A1 rests on the founder's word of 2025 (flagged claim only and
    older than a year), B1-B3 No, C2 Yes with evidence, C3 left Unknown."""
    answers = {qid: value for qid, value in PERFECT.items() if qid != "C3"}
    with at(datetime(2026, 11, 13, 16, 5, tzinfo=UTC)):
        bench.record_run(
            bench.find("Crusoe").id,
            {
                **answers,
                "A1": {
                    "answer": "yes",
                    "evidence": "Brings its own power: no grid queue.",
                    "source": "Founder call",
                    "date": "2025-09-02",
                    "kind": "claim",
                },
                **{qid: "no" for qid in ("B1", "B2", "B3")},
                "C2": {"answer": "yes", "evidence": "A hyperscaler could build the same sites."},
            },
        )
    return bench


@pytest.fixture
def earlier_run(bench: Workbench) -> Workbench:
    """``crusoe_earlier_run`` on the test's workbench."""
    return crusoe_earlier_run(bench)


async def on_the_result(pilot: Pilot) -> None:
    await pilot.press("c", *["right"] * 8, "n", "ctrl+s")
    await quiet(pilot)


def test_wizard_result_at_80x24(app, earlier_run, snap_compare) -> None:
    """80×24, after C2 is answered No: "Crusoe · checklist saved"; the green "Anchor"
    block; "Score 79 (range 73–80) · coverage 93% · Moat checklist v2"; the reason
    "Anchor: scores 79 (at least 70) with none of C1, C2, C3 answered Yes."; "Flagged:
    A1 †‡ claim only, older than a year"; the dim line "No possible absorber recorded ·
    Power & Facilities, next to Compute (above)"; then, scrolling (a scrollbar): "Unanswered, and
    would change the verdict:" with C3 and its text, and the answers from A1 (its
    evidence with kind, source and date, cut with "…"); B1-B3 marked ✗; the footer with
    "esc Done" and "? Help"."""
    assert snap_compare(app, run_before=on_the_result, terminal_size=SMALL)


def test_wizard_result_at_120x30(app, earlier_run, snap_compare) -> None:
    """120×30: as at 80×24, more answers shown: B1-B3 "No ✗", the risks "risk: …", C3
    "Unknown"."""
    assert snap_compare(app, run_before=on_the_result, terminal_size=MEDIUM)
