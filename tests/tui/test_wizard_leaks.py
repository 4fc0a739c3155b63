"""The wizard on the leak questions (C1, C2): the company's possible absorbers with their
status and verdict, the layers it sits between, and an invested absorber flagged as a
portfolio conflict; nothing of it on the other questions; a line of it on the result page
once a leak question is answered."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from store.models import AnswerEntry
from store.service import Workbench
from tests.tui.conftest import SIZE, current, main, quiet, screen_text
from tui.screens.run_result import RunResult
from tui.screens.wizard import ChecklistWizard
from tui.widgets.leak_block import ConflictLine

CONFLICT = "Portfolio conflict: NVIDIA is invested and could absorb Groq"


@pytest.fixture
def absorbed(bench: Workbench) -> Workbench:
    groq = bench.find("Groq").id
    bench.link(bench.find("NVIDIA").id, groq, "could-absorb", "ships it as a feature")
    bench.link(bench.find("AWS Trainium").id, groq, "could-absorb")
    bench.link(bench.find("TSMC").id, groq, "supplies")  # not an absorber
    bench.set_status([bench.find("NVIDIA").id], "invested")
    bench.set_secondary_layers(groq, ["orchestration"])
    return bench


def wizard(app: Any) -> ChecklistWizard:
    assert isinstance(app.screen, ChecklistWizard), app.screen
    return app.screen


async def on_groq(pilot: Pilot, app: Any) -> None:
    main(app).jump_to(main(app).workbench.find("Groq").id)
    await quiet(pilot)
    assert current(app) == "Groq"


async def open_at(pilot: Pilot, app: Any, question: str) -> None:
    """The wizard on Groq, at ``question``."""
    await on_groq(pilot, app)
    await pilot.press("c")
    ids = [q.id for q in wizard(app).checklist.questions]
    await pilot.press(*["right"] * ids.index(question))
    await quiet(pilot)
    assert wizard(app).question.id == question


@pytest.mark.parametrize("question", ["C1", "C2"])
async def test_a_leak_question_shows_the_absorbers_and_the_layers_around(
    app, absorbed, question
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, app, question)
        text = screen_text(app)
        assert "Where value could leak" in text
        assert (
            "Layer: Compute, between Power & Facilities (below) and Networking & Interconnect "
            "(above); also listed in Orchestration & Inference"
        ) in text
        assert "• AWS Trainium (reference, not scored)" in text
        assert "• NVIDIA (invested, not scored) — ships it as a feature" in text
        assert "TSMC" not in text, "a supplier is not an absorber"
        assert CONFLICT in text


async def test_the_conflict_is_one_line_in_the_warning_colour(app, absorbed) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, app, "C1")
        line = wizard(app).query_one(ConflictLine)
        assert line.display and line.region.height == 1, "one line, outside the scrolling box"
        assert line.region.y + 1 < wizard(app).query_one("#answers").region.y + 1
        assert CONFLICT in screen_text(app).splitlines()[line.region.y]
        shown = line.render()
        assert shown.plain == CONFLICT
        warning = line.get_component_rich_style("conflict-line--warning")
        assert warning.color is not None and warning.bold
        assert warning.color.triplet.hex.casefold() == app.theme_variables["warning"].casefold()
        assert shown.style == warning


async def test_nothing_of_it_on_the_other_questions(app, absorbed) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, app, "C3")
        assert "Where value could leak" not in screen_text(app)
        await pilot.press("left")
        assert wizard(app).question.id == "C2" and CONFLICT in screen_text(app)
        await pilot.press("left", "left")
        assert "Possible absorbers" not in screen_text(app)
        assert not wizard(app).query_one(ConflictLine).display


async def test_no_absorber_and_no_conflict_say_so(app, bench) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, app, "C2")
        text = screen_text(app)
        assert "No possible absorber recorded." in text
        assert "Portfolio conflict" not in text


async def test_a_checklist_of_its_own_names_its_own_leak_questions(app, absorbed) -> None:
    own = absorbed.checklist.model_copy(update={"leak_questions": ["B1"]})
    async with app.run_test(size=SIZE) as pilot:
        await on_groq(pilot, app)
        app.push_screen(
            ChecklistWizard(
                "Groq",
                own,
                {},
                lambda answers: "not saved",
                layer="compute",
                leak=leak_of(absorbed),
            )
        )
        await quiet(pilot)
        ids = [q.id for q in own.questions]
        await pilot.press(*["right"] * ids.index("B1"))
        assert CONFLICT in screen_text(app)
        await pilot.press(*["right"] * (ids.index("C1") - ids.index("B1")))
        assert "Where value could leak" not in screen_text(app)


def leak_of(bench: Workbench) -> Any:
    from store.leak_context import leak_context

    return leak_context(bench, bench.find("Groq").id)


async def test_the_result_page_has_the_line_once_a_leak_question_is_answered(app, absorbed) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, app, "C1")
        await pilot.press("n", "ctrl+s")
        await quiet(pilot)
        assert isinstance(app.screen, RunResult)
        text = screen_text(app)
        assert CONFLICT in text
        assert (
            "Possible absorbers: AWS Trainium (reference, not scored), NVIDIA (invested, not "
            "scored) · Compute, between"
        ) in text


async def test_the_result_page_leaves_it_out_when_no_leak_question_is_answered(
    app, absorbed
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, app, "A1")
        await pilot.press("y", "ctrl+s")
        await quiet(pilot)
        assert isinstance(app.screen, RunResult)
        assert app.screen.run.answers.get("C1", AnswerEntry()).answer.value == "unknown"
        text = screen_text(app)
        assert "Possible absorbers" not in text and "Portfolio conflict" not in text


@pytest.mark.usefixtures("steady_header")
def test_wizard_on_c1_narrow(app, absorbed, snap_compare) -> None:
    """At 80×24, Groq's wizard on C1: the question in its (scrolling) box, the help and
    the block of absorbers below it in the box; outside the box, above the answers, the one
    conflict line in the warning colour (bold orange) "Portfolio conflict: NVIDIA is
    invested and could absorb Groq"; the answers, evidence and score stay on screen."""

    async def run_before(pilot: Pilot) -> None:
        await open_at(pilot, app, "C1")

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


@pytest.mark.usefixtures("steady_header")
def test_result_with_a_conflict_wide(app, absorbed, snap_compare) -> None:
    """At 160×45, the result page after C1 answered No: under "No evidence flagged." the
    conflict line in the warning colour, then "Possible absorbers: AWS Trainium (reference,
    not scored), NVIDIA (invested, not scored) · Compute, between …" dim, then the
    deciders and answers."""

    async def run_before(pilot: Pilot) -> None:
        await open_at(pilot, app, "C1")
        await pilot.press("n", "ctrl+s")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(160, 45))
