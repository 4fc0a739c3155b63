"""The moat checklist in the TUI, driven with Pilot and checked against the store.

The wizard (``c``), resuming a run, leaving with ``esc``, moving between
questions, the evidence field, the run history (``h``) and re-scoring. Each test
presses what a user would press and then reads the database file back to check
what was really saved. Comparing, the verdict filter, the memo and a broken
checklist file are in test_checklist_views.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input, TextArea

from store.checklist import builtin_checklist
from store.models import Answer, AnswerEntry, Verdict
from store.service import Workbench
from tests.tui.conftest import (
    FIXED_NOW,
    FOURTEEN,
    PERFECT,
    QUESTIONS,
    SIZE,
    at,
    current,
    detail_text,
    file_state,
    go_to,
    on_disk,
    recording,
    run_command,
    screen_text,
    table,
    text_of,
    told,
    type_text,
    wizard,
)
from tui.__main__ import make_app
from tui.screens.dialogs import ConfirmDialog, UnsavedDialog
from tui.screens.main import MainScreen
from tui.screens.run_result import RunResult
from tui.screens.runs import RunHistory
from tui.screens.wizard import AnswerBar

EARLIER = datetime(2026, 11, 13, 16, 5, tzinfo=UTC)


# Helpers ----------------------------------------------------------------------------------


V1_ANCHOR = {qid: "yes" for qid in ("A1", "A2", "A3", "B1", "B2", "B3", "B4", "D1")}
"""A, B and D1 Yes, every risk Unknown: Anchor 100 under version 1 (64 % covered), and
Incomplete under version 2 (C1 and C2, the two ways value leaks, are not answered)."""


@contextmanager
def version_1(bench: Workbench) -> Iterator[None]:
    """Runs recorded inside are made with the built-in checklist's version 1."""
    current = bench.checklist
    bench.checklist = builtin_checklist(1)
    try:
        yield
    finally:
        bench.checklist = current


# c: the wizard ------------------------------------------------------------------------------


async def test_fourteen_answers_and_ctrl_s_save_an_anchor_scored_100(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert current(app) == "Crusoe"
        await pilot.press("c")
        page = wizard(app)
        assert "Crusoe · question 1 of 14 · 0 answered" in text_of(page, "#progress")
        assert text_of(page, "#section") == "A. Where value accrues"
        assert text_of(page, "#question").startswith("A1  Does it relieve a constraint")
        assert "(weight 3)" in text_of(page, "#question")
        assert "Before revenue:" in text_of(page, "#help-text"), (
            "the help says what evidence looks like at each stage (Crusoe's is not set)"
        )

        await pilot.press(*FOURTEEN)
        assert {qid: entry.answer.value for qid, entry in page.answers.items()} == PERFECT
        assert "question 14 of 14 · 14 answered" in text_of(page, "#progress")
        assert "So far: score 100 · coverage 100% · Anchor" in text_of(page, "#running-score"), (
            "with nothing left Unknown the score has no range"
        )

        await pilot.press("ctrl+s")
        result = app.screen
        assert isinstance(result, RunResult)
        assert text_of(result, "#verdict") == "Anchor"
        assert result.query_one("#verdict").has_class("-anchor")
        assert text_of(result, "#result-numbers") == "Score 100 · coverage 100% · Moat checklist v2"
        assert text_of(result, "#reason") == (
            "Anchor: scores 100 (at least 70) with none of C1, C2, C3 answered Yes."
        )
        text = screen_text(app)
        assert "Crusoe · checklist saved" in text
        assert "No unanswered question would change the verdict." in text
        assert "C1  No        risk: thin-wrapper" in text, "the result page lists every answer"

        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert table(app).current.score == 100 and table(app).current.verdict is Verdict.ANCHOR
        assert "Anchor  score 100 · coverage 100%" in screen_text(app), (
            "the detail shows the verdict"
        )
    with on_disk(app, db_path) as stored:
        (run,) = stored.runs(stored.find("Crusoe").id)
        assert (run.score, run.coverage, run.verdict) == (100, 1.0, Verdict.ANCHOR)
        assert (run.checklist_id, run.checklist_version) == ("moat", 2)
        assert (run.author, run.created) == ("analyst", FIXED_NOW)
        assert {qid: entry.answer.value for qid, entry in run.answers.items()} == PERFECT


async def test_c_again_prefills_the_last_answers_and_evidence(app, db_path: Path) -> None:
    evidence = "No grid queue."
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Equinix")
        await pilot.press("c", "tab")
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, evidence)
        await pilot.press("escape")
        assert not isinstance(app.focused, TextArea), "esc leaves the evidence field"
        await pilot.press("y", "p", "right", "n", "ctrl+s", "escape")
        assert isinstance(app.screen, MainScreen)
        with on_disk(app, db_path) as stored:
            (run,) = stored.runs(stored.find("Equinix").id)
            assert run.answers["A1"].evidence == evidence
            assert [run.answers[qid].answer.value for qid in QUESTIONS[:5]] == [
                "yes",
                "partly",
                "unknown",
                "no",
                "unknown",
            ]

        await pilot.press("c")
        page = wizard(app)
        assert page.answers == {qid: run.answers.get(qid, AnswerEntry()) for qid in QUESTIONS}, (
            "every answer and evidence note is carried over"
        )
        assert "question 1 of 14 · 3 answered" in text_of(page, "#progress")
        assert page.query_one("#evidence", TextArea).text == evidence
        assert page.query_one(AnswerBar).chosen is Answer.YES
        assert evidence in screen_text(app)
        await pilot.press("right")
        assert page.query_one("#evidence", TextArea).text == "", "A2 had no evidence"
        # Nothing changed, so esc leaves without asking and saves nothing.
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        assert len(stored.runs(stored.find("Equinix").id)) == 1


async def test_esc_with_answers_asks_first(app, db_path: Path) -> None:
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "escape")
        assert isinstance(app.screen, MainScreen), "with nothing answered esc leaves at once"

        await pilot.press("c", "y", "p", "escape")
        assert isinstance(app.screen, UnsavedDialog)
        assert "Discard the answers of this run?" in screen_text(app)
        await pilot.press("n")
        page = wizard(app)
        assert (page.answers["A1"].answer, page.answers["A2"].answer) == (Answer.YES, Answer.PARTLY)
        assert page.index == 2, "n keeps answering where the user was"
        await pilot.press("y")
        assert page.answers["A3"].answer is Answer.YES

        await pilot.press("escape", "y")
        assert isinstance(app.screen, MainScreen)
        assert table(app).current.verdict is None
        app.wait_for_saves()
    assert file_state(db_path) == before, "a discarded run writes nothing"
    with on_disk(app, db_path) as stored:
        assert stored.runs(stored.find("Crusoe").id) == []


async def test_arrows_move_between_questions_and_stop_at_the_ends(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "right", "right")
        page = wizard(app)
        assert page.question.id == "A3"
        assert text_of(page, "#question").startswith("A3  ")
        await pilot.press("left")
        assert page.question.id == "A2"
        await pilot.press("left", "left")
        assert page.question.id == "A1", "← stops at the first question"
        await pilot.press(*["right"] * 14)
        assert page.question.id == "D3", "→ stops at the last question"
        assert text_of(page, "#section") == "D. Strategy and the frontier"
        assert all(entry.answer is Answer.UNKNOWN for entry in page.answers.values()), (
            "moving answers nothing"
        )


async def test_tab_reaches_the_evidence_and_y_p_n_u_are_typed_there(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "right", "tab")
        page = wizard(app)
        evidence = page.query_one("#evidence", TextArea)
        assert app.focused is evidence
        await type_text(pilot, "y p n u")
        await pilot.press("left", "right")
        assert evidence.text == "y p n u", "letters go into the text"
        assert page.question.id == "A2", "neither the letters nor the arrows left the question"
        assert all(entry.answer is Answer.UNKNOWN for entry in page.answers.values())

        await pilot.press("tab")
        assert app.focused is page.query_one("#source", Input), "tab goes on to the source"
        await type_text(pilot, "n")
        assert page.answers["A2"].answer is Answer.UNKNOWN, "n is typed into the source"
        await pilot.press("escape", "n")
        assert app.focused is not evidence
        assert page.answers["A2"].answer is Answer.NO, "out of the fields, n answers"
        assert (page.answers["A2"].evidence, page.answers["A2"].source) == ("y p n u", "n"), (
            "and the evidence and source are kept"
        )
        assert page.question.id == "A3"
        await pilot.press("escape", "y")
    with on_disk(app, db_path) as stored:
        assert stored.runs(stored.find("Crusoe").id) == []


# h: run history, re-score -------------------------------------------------------------------


def _two_runs(bench: Workbench, name: str) -> None:
    """A Contender on the 13th, then an Anchor today: A2, B3 and C2 changed."""
    company = bench.find(name).id
    with at(EARLIER):
        bench.record_run(company, {**PERFECT, "A2": "partly", "B3": "no", "C2": "yes"})
    bench.record_run(
        company,
        {
            **PERFECT,
            "C2": {"answer": "no", "evidence": "Hyperscalers buy it rather than build it."},
        },
    )


async def test_h_shows_both_runs_and_the_answers_that_changed(app, bench: Workbench) -> None:
    _two_runs(bench, "Lancium")
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Lancium")
        assert "Contender → Anchor, +18" in screen_text(app), (
            "the detail shows how the verdict moved"
        )
        await pilot.press("h")
        history = app.screen
        assert isinstance(history, RunHistory)
        text = screen_text(app)
        assert "Lancium · 2 checklist runs" in text
        assert text.index("2026-11-20 09:30  Anchor") < text.index("2026-11-13 16:05  Contender"), (
            "newest first"
        )
        assert "score 100" in text and "score  82" in text and "moat v2" in text
        assert "Contender → Anchor, +18 since the run before" in text
        changes = [
            line.split() for line in text.splitlines() if line.strip()[:2] in ("A2", "B3", "C2")
        ]
        assert [line[:4] for line in changes] == [
            ["A2", "unit-cost", "Partly", "Yes"],
            ["B3", "default", "No", "Yes"],
            ["C2", "convergence", "Yes", "No"],
        ]
        assert "Hyperscalers buy it rather than build it." in text
        assert not any(line.strip().startswith("A1 ") for line in text.splitlines()), (
            "unchanged answers are not listed"
        )

        await pilot.press("down")
        assert "Contender (first run)" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_h_without_runs_says_how_to_start(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, MainScreen)
        assert "Crusoe has no checklist runs yet: press c to run one." in told(app)


async def test_r_in_history_shows_the_difference_and_rescores_only_on_yes(
    bench: Workbench, db_path: Path
) -> None:
    equinix = bench.find("Equinix").id
    with at(EARLIER), version_1(bench):
        old = bench.record_run(equinix, V1_ANCHOR)
    assert (old.verdict, old.score, old.checklist_version) == (Verdict.ANCHOR, 100, 1)
    app = recording(make_app(bench))
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Equinix")
        assert "Anchor score 100 (range 64–100) · coverage 64% · v1" in detail_text(app), (
            "a version-1 run keeps its version-1 verdict and says so"
        )
        await pilot.press("h", "r")
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "Re-score Equinix with the current checklist?" in text
        assert "Re-scoring the run of 2026-11-13 (moat v1) with v2:" in text
        assert "carried: A1, A2, A3, B1, B2, B3, B4, D1" in text
        assert "missing: C1, C2, C3, C4, D2, D3" in text
        assert "before: Anchor, score 100 (range 64–100)" in text
        assert "after:  Incomplete, score 100 (range 60–100)" in text
        assert "Incomplete: C1, C2 are not answered" in text
        await pilot.press("n")
        assert isinstance(app.screen, RunHistory)
        app.wait_for_saves()
        assert [run.id for run in bench.runs(equinix)] == [old.id], "no saves nothing"

        await pilot.press("r", "y")
        assert isinstance(app.screen, RunHistory)
        assert "Re-scored Equinix: Incomplete 100 (moat v2)" in told(app)
        text = screen_text(app)
        assert "Equinix · 2 checklist runs" in text, "the history shows the new run"
        assert "Anchor → Incomplete, +0 since the run before" in text
    with on_disk(app, db_path) as stored:
        first, second = stored.runs(equinix)
        assert first.model_dump() == old.model_dump(), "the old run keeps its version and score"
        assert (second.checklist_version, second.score, second.verdict) == (
            2,
            100,
            Verdict.INCOMPLETE,
        )
        assert second.answers == first.answers
        assert stored.row(equinix).verdict is Verdict.INCOMPLETE


async def test_the_palette_rescores_after_the_difference_and_u_undoes_it(
    bench: Workbench, db_path: Path
) -> None:
    crusoe = bench.find("Crusoe").id
    with version_1(bench):
        bench.record_run(crusoe, V1_ANCHOR)
    app = recording(make_app(bench))
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "company: Re-score with current checklist", "re-score")
        assert isinstance(app.screen, ConfirmDialog)
        text = screen_text(app)
        assert "before: Anchor, score 100 (range 64–100)" in text
        assert "after:  Incomplete, score 100 (range 60–100)" in text
        await pilot.press("y")
        assert isinstance(app.screen, MainScreen)
        assert table(app).current.verdict is Verdict.INCOMPLETE
        app.wait_for_saves()
        assert [(run.checklist_version, run.verdict) for run in bench.runs(crusoe)] == [
            (1, Verdict.ANCHOR),
            (2, Verdict.INCOMPLETE),
        ]

        await pilot.press("u")
        assert table(app).current.verdict is Verdict.ANCHOR, "u takes the new run back"
        assert "Anchor score 100 (range 64–100) · coverage 64% · v1" in detail_text(app)
    with on_disk(app, db_path) as stored:
        assert [(run.checklist_version, run.score) for run in stored.runs(crusoe)] == [(1, 100)]
