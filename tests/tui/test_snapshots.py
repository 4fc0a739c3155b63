"""SVG snapshots of the main screen and the dialogs it opens most (pytest-textual-snapshot).

The checklist, inbox and remaining dialogs have their own snapshot modules;
test_dialog_snapshots.py checks that every screen and dialog has one.

Each test's docstring says what its SVG must show; review the picture against
it before accepting an update (``--snapshot-update``). The clock is fixed and
cursors do not blink (conftest); the database folder, which differs per run,
is shown as ``~/data`` in the header.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import (
    QUESTIONS,
    SIZE,
    paste,
    quiet,
    type_text,
)

pytestmark = pytest.mark.usefixtures("steady_header")

#                A1 A2 A3 B1 B2 B3 B4 C1 C2 C3 C4 D1 D2 D3
ANCHOR = "y y y y y y y n n n n y y y"
CONTENDER = "y p y p y n p n y n n y p n"
LEAKS_VALUE = "n n n y y y y y n n n y y y"
INCOMPLETE = "y y"


def score(bench: Workbench, name: str, answers: str) -> None:
    """Record a checklist run from a row of y/p/n shorthands, A1 onwards."""
    bench.record_run(bench.find(name).id, dict(zip(QUESTIONS, answers.split(), strict=False)))


@pytest.fixture
def scored(bench: Workbench) -> Workbench:
    """A few companies with verdicts of every kind, a status or two and a note."""
    score(bench, "Groq", ANCHOR)
    score(bench, "Cerebras", CONTENDER)
    score(bench, "Etched", LEAKS_VALUE)
    score(bench, "Lambda", INCOMPLETE)
    score(bench, "Crusoe", ANCHOR)
    score(bench, "Pinecone", LEAKS_VALUE)
    groq = bench.find("Groq").id
    bench.set_status([groq], "diligence")
    bench.set_status([bench.find("Etched").id], "passed", "Bet on one architecture")
    bench.set_tags(groq, ["starter", "inference", "lpu"])
    bench.add_note(
        groq, "Met the CEO.\n\n- **Latency** under load is the pitch\n- Check supply of the LPU"
    )
    return bench


async def on_groq(pilot: Pilot) -> None:
    """The Compute layer, cursor on Groq (the seventh)."""
    await pilot.press("right_square_bracket", *"jjjjjj")


def test_main_screen(app, scored, snap_compare) -> None:
    """Main screen on the Compute layer: the layer list on the left with the pipeline's
    counts and average scores (Compute "2 companies · avg 79": Groq and Etched, moved
    into the pipeline; the other layers "N reference companies"), the company table
    with status ("reference" for the starters nobody moved), score, coloured verdict, tags and
    updated time ("09:30 UTC": changed today) and the cursor on Groq (Anchor,
    diligence); on the right Groq's detail with its one-liner, status, tags, the
    Anchor checklist summary and the note rendered as Markdown (bold "Latency", a
    bullet list). Footer with keys; the header ends in "~/data/moatscope.json · saved"."""

    async def run_before(pilot: Pilot) -> None:
        await on_groq(pilot)
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_quick_add_dialog(app, snap_compare) -> None:
    """The quick-add dialog over the dimmed main screen, titled "Add a company to
    Power & Facilities", with "Acme Photonics" typed in the field and the cursor after
    it, and the hint "enter saves · esc cancels"; the bottom line is the dialog's own bar,
    "⏎ OK  esc Cancel" (no Quit, Help or palette key)."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("n")
        await type_text(pilot, "Acme Photonics")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_edit_form_with_validation_errors(app, snap_compare) -> None:
    """The edit form for Oklo after ctrl+s with a bad website and year: under
    Website "'not a url' is not a web address…" and under Founded "3000 is in the
    future", both in the error colour; the typed values "not a url" and "3000" still
    in their fields; the Website field focused; the bar at the bottom says "^s Save  tab
    Next field  esc Cancel"."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press(*"jjjjjj", "e")
        for field, value in (("website", "not a url"), ("founded_year", "3000")):
            pilot.app.screen.query_one(f"#field-{field}").focus()
            await pilot.pause()
            await paste(pilot, value)
        await pilot.press("ctrl+s")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_note_editor_with_text(app, snap_compare) -> None:
    """The note editor titled "Note on Crusoe", a large text area holding three lines
    of Markdown (a heading, a sentence, a bullet) with the cursor at the end, and the
    hint "Markdown · ctrl+s saves · esc cancels"; the bar says "^s Save note  esc Cancel"."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("a")
        await paste(
            pilot, "## First call\nStranded gas powers the sites.\n- ask about grid interconnect"
        )
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_status_picker_asking_the_pass_reason(app, snap_compare) -> None:
    """The status picker for Crusoe with the seven statuses, each after its letter (n s d i
    p w r; r reference "a comparable, not deal flow"), and their descriptions,
    "passed" highlighted, and below it the open reason field "Why are we passing?
    (enter saves)" holding "Thin wrapper on a hyperscaler", focused; the bar says "⏎ Save
    reason  esc Cancel" (the letters are typed now)."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("s", "up", "up", "enter")  # from reference up to passed
        await paste(pilot, "Thin wrapper on a hyperscaler")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_filter_active(app, scored, snap_compare) -> None:
    """The Compute layer filtered by "grq": the filter box is open and focused with
    "grq" in it, the view title reads "Compute · 1 of 12 · sort: name · filter: grq",
    the table holds only Groq and the detail shows Groq."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("right_square_bracket", "slash", *"grq")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_stack_map(app, scored, snap_compare) -> None:
    """The stack map at 160×48: the title "Stack map · by verdict · each cell: companies ·
    average score · tab: by status", a grid with a row per layer from Orchestration &
    Inference down to Power & Facilities (every name whole) and the columns Anchor,
    Contender, Unproven, Long shot, Leaks value, Incomplete, Not scored and All. Compute
    reads "1 · 100", "1 · 68", "·", "·", "1 · 60", "1 · 100", "4" and "8 · 82", the counts
    right-aligned in cells shaded in the primary colour (the fuller, the stronger), the
    empty cells a dim "·", All in bold and unshaded, and the cursor (accent) on
    Orchestration & Inference's Anchor cell. Beside the grid, behind a thin rule:
    "Orchestration & Inference", "Anchor: 0 companies", the layer's summary and its
    bottlenecks as bullets. Footer: tab, esc, enter."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("m")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_help_screen(app, snap_compare) -> None:
    """Help for the main screen: "Keys: Main", the company-list keys (j, ↓ Down…),
    then the main keys with their descriptions ("n  Quick-add a company to this layer",
    "u  Undo the last change…"), generated from the bindings; "esc closes · ctrl+p
    lists every action" at the bottom; the bar says "↑↓ Scroll  esc Close"."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("question_mark")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
