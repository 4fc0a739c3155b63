"""SVG snapshots of the triage inbox at 160 × 48.

Each test's docstring says what its picture must show; look at the SVG with that
list in hand before accepting an update (``--snapshot-update``). The database
is seeded on 2 November and five names are imported on 20 November (the fixed
clock); the per-run database folder shows as ``~/data`` in the header.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.pilot import Pilot

from store.models import Status
from store.service import Workbench
from tests.tui.conftest import (
    PERFECT,
    SIZE,
    at,
    quiet,
    settle,
    type_text,
)

pytestmark = [pytest.mark.seeded_early, pytest.mark.usefixtures("steady_header")]


def earlier_pass_reasons(bench: Workbench) -> None:
    """Three companies passed on earlier in the month, each with its reason."""
    for day, name, reason in (
        (12, "Vertiv", "Public company, outside the mandate"),
        (15, "Equinix", "Public company, outside the mandate"),
        (17, "Lancium", "Too early: no paying customers"),
        (18, "Oklo", "Regulatory timeline too long for the fund"),
    ):
        with at(datetime(2026, 11, day, 10, 0, tzinfo=UTC)):
            bench.set_status([bench.find(name).id], Status.PASSED, reason)


def test_inbox_with_items(snap_compare, app, bench: Workbench, five: dict[str, str]) -> None:
    """The inbox (i) with six companies waiting.

    Must show: the header "moatscope · Inbox 6"; the line of layer keys (1 Power &
    Facilities … 5 Orchestration & Inference); "Inbox · 6"; the columns Name, Layer,
    Status, Score, Verdict, Why and Updated; the five imported names (updated today:
    "09:30 UTC") first, in name order, each with its layer ("Unsorted" for Driftwood), with
    "new" in the Why column and "new, no layer" for Driftwood; then Crusoe, watched since
    the 2nd, with "revisit due"; the cursor on Arclight Optics and its detail on the
    right (one-liner, Network layer, status new, website); the footer with s Screen,
    w Watch, p Pass, 1-9 Layer, t Tag, a Note, c Checklist, r Revisit, u Undo and esc Back.
    """
    with at(datetime(2026, 11, 2, 9, 0, tzinfo=UTC)):
        crusoe = bench.find("Crusoe").id
        bench.set_status([crusoe], Status.WATCHING)
        bench.set_revisit([crusoe], date(2026, 11, 16))

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("i")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_inbox_zero_with_upcoming_revisits(
    snap_compare, app, bench: Workbench, five: dict[str, str]
) -> None:
    """The inbox once every name is triaged.

    Must show: the header "moatscope · Inbox 0"; "Inbox · 0"; no table and no
    column header; "Inbox zero.", then "Coming up for a revisit:" with three dated
    lines, soonest first: 2026-11-27 Basalt Storage, 2026-12-20 Ember Grid,
    2027-02-19 Cinder Compute; the detail pane empty ("Select a company to see its
    detail."). (The whole message is bold today; only the first line needs to be.)
    """
    bench.set_status([five["Arclight Optics"], five["Driftwood"]], Status.SCREENING)
    bench.set_layer([five["Driftwood"]], "data")
    bench.set_status([five["Basalt Storage"], five["Ember Grid"]], Status.WATCHING)
    bench.set_status([five["Cinder Compute"]], Status.PASSED, "Crowded market")
    bench.set_revisit([five["Basalt Storage"]], date(2026, 11, 27))
    bench.set_revisit([five["Ember Grid"]], date(2026, 12, 20))
    bench.set_revisit([five["Cinder Compute"]], date(2027, 2, 19))

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("i")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_pass_reason_prompt(snap_compare, app, bench: Workbench, five: dict[str, str]) -> None:
    """The pass prompt (i, then p) on Arclight Optics.

    Must show, over the dimmed inbox: "Pass on Arclight Optics: why?"; the recent
    reasons numbered 1-3, newest first and each once: "1  Regulatory timeline too
    long for the fund", "2  Too early: no paying customers", "3  Public company,
    outside the mandate", the first one highlighted; an empty field "A new reason
    (enter saves)"; the hint "1-5 picks a recent reason · type a new one · esc
    cancels".
    """
    earlier_pass_reasons(bench)

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("i", "p")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_the_session_summary(snap_compare, app, bench: Workbench, five: dict[str, str]) -> None:
    """The summary shown by q after a triage session.

    In the inbox the user advanced Arclight Optics (s), watched Basalt Storage (w),
    passed on Cinder Compute (p, "No moat") and put Driftwood in the Data layer
    and advanced it (4, s); Crusoe's checklist was re-run this session, moving it
    from Contender to Anchor. Must show, over the dimmed inbox: "This session: 2
    advanced, 1 watched, 1 passed, 1 scored"; sections "Advanced (2)" (Arclight
    Optics, Driftwood, new → screening, 2026-11-20), "Watching (1)", "Passed (1)"
    with ": No moat", "Pass reasons" with "No moat", "Verdicts (1 run)" with
    "Crusoe: Contender 82 → Anchor 100", and at the bottom of the scrolling body the
    heading "Added (5)"; the hint "enter or q quits · esc stays · moatscope report
    --since DATE for the week"; no toast.
    """
    crusoe = bench.find("Crusoe").id
    with at(datetime(2026, 11, 13, 16, 5, tzinfo=UTC)):
        bench.record_run(crusoe, {**PERFECT, "A2": "partly", "B3": "no", "C2": "yes"})
    bench.record_run(crusoe, PERFECT)

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("i", "s", "w", "p")
        await type_text(pilot, "No moat")
        await pilot.press("enter", "4", "s")
        await quiet(pilot)
        await pilot.press("q")
        await settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
