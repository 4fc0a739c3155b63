"""Checklist version 2 in the TUI, driven with Pilot and checked against the file on disk.

The wizard's evidence fields (source, date, kind; a bad date refused with a message and
nothing typed lost), the help by stage and by layer, the result page (reason, range,
flags, the questions that would change the verdict), the compare view and the stack map
with the new verdicts, and the ``verdict:`` filter. Re-scoring is in test_checklist.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from store.checklist import builtin_checklist
from store.models import EvidenceKind, Verdict
from store.service import Workbench
from tests.tui.conftest import (
    PERFECT,
    SIZE,
    go_to,
    main,
    on_disk,
    run_command,
    screen_text,
    shown,
    text_of,
    told,
    type_text,
    wizard,
)
from tui.__main__ import make_app
from tui.format import cut
from tui.run_text import help_lines, stage_of
from tui.screens.compare import CompareScreen
from tui.screens.dialogs import ChoiceDialog
from tui.screens.run_result import RunResult
from tui.screens.stack_map import StackMapScreen
from tui.screens.wizard import ChecklistWizard
from tui.widgets.evidence import KindPicker

UNPROVEN = {**PERFECT, "A1": "partly", "A2": "partly", "A3": "partly"}
"""Every value test Partly: Unproven, score 85 (value not shown yet)."""
LONG_SHOT = {
    **{qid: "no" for qid in PERFECT},
    "A1": "yes",
    **{qid: "yes" for qid in ("C2", "C3", "C4")},
}
"""A1 Yes and little else: Long shot, score 20."""
ONE_RISK_OPEN = {
    **{qid: value for qid, value in PERFECT.items() if qid != "C3"},
    "B1": "no",
    "B2": "no",
    "B3": "no",
}
"""Anchor 79, range 73–80, with C3 Unknown: a Yes there would make it a Contender."""


# The wizard's evidence fields ---------------------------------------------------------------


async def test_source_date_and_kind_are_saved_with_the_answer(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "tab")
        await type_text(pilot, "Two hyperscalers signed 10-year PPAs.")
        await pilot.press("tab")
        page = wizard(app)
        assert app.focused is page.query_one("#source", Input)
        await type_text(pilot, "https://example.com/ppa")
        await pilot.press("tab")
        assert app.focused is page.query_one("#date", Input)
        await type_text(pilot, "2026-10-01")
        await pilot.press("tab")
        assert isinstance(app.focused, KindPicker)
        await pilot.press("right", "right", "left")
        assert app.focused.kind is EvidenceKind.CUSTOMER_CALL, "→ → ← steps to the first kind"
        await pilot.press("4")
        assert "founder or vendor claim" in screen_text(app)
        await pilot.press("2")
        await pilot.press("escape", "y")
        assert page.question.id == "A2", "out of the fields, y answers and goes on"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, RunResult)
    with on_disk(app, db_path) as stored:
        (run,) = stored.runs(stored.find("Crusoe").id)
        entry = run.answers["A1"]
        assert entry.answer.value == "yes"
        assert entry.evidence == "Two hyperscalers signed 10-year PPAs."
        assert entry.source == "https://example.com/ppa"
        assert entry.date == date(2026, 10, 1)
        assert entry.kind is EvidenceKind.BENCHMARK


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-02-30", "Date '2026-02-30' is not a date: write it as YYYY-MM-DD."),
        ("2027-01-05", "Date 2027-01-05 is in the future"),
    ],
)
async def test_a_bad_date_is_refused_with_a_message_and_nothing_is_lost(
    app, db_path: Path, typed: str, message: str
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "y", "tab")
        await type_text(pilot, "Pilot at a 40 MW campus.")
        await pilot.press("tab", "tab")
        await type_text(pilot, typed)
        await pilot.press("tab")  # leaving the field checks it
        page = wizard(app)
        assert message in text_of(page, "#date-problem"), "the message is under the field"
        await pilot.press("escape", "p")
        assert page.question.id == "A3"
        await pilot.press("left")
        assert page.query_one("#date", Input).value == typed, "the date is kept as typed"
        assert message in text_of(page, "#date-problem")

        await pilot.press("right", "ctrl+s")
        assert isinstance(app.screen, ChecklistWizard), "a bad date is not saved"
        assert page.question.id == "A2", "the wizard goes back to the question at fault"
        assert app.focused is page.query_one("#date", Input)
        assert any(f"Not saved: A2: {message}" in note for note in told(app, "error"))
        assert page.answers["A2"].evidence == "Pilot at a 40 MW campus.", "nothing is lost"
        app.wait_for_saves()
        with on_disk(app, db_path) as stored:
            assert stored.runs(stored.find("Crusoe").id) == []

        await pilot.press("home", "ctrl+k")
        await type_text(pilot, "2026-02-28")
        assert not page.query_one("#date-problem").display, "a right date clears the message"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, RunResult)
    with on_disk(app, db_path) as stored:
        (run,) = stored.runs(stored.find("Crusoe").id)
        assert (run.answers["A2"].answer.value, run.answers["A2"].date) == (
            "partly",
            date(2026, 2, 28),
        )
        assert run.answers["A2"].evidence == "Pilot at a 40 MW campus."


# Help by stage and by layer -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "shown_stage", "hidden"),
    [
        ("Seed", "(Stage Seed: pre-revenue.)", "production"),
        ("Series C", "(Stage Series C: in production.)", "pre-revenue"),
        ("", "Stage not set: pre-seed, seed and Series A count as pre-revenue;", None),
    ],
)
async def test_the_help_follows_the_company_s_stage_and_layer(
    bench: Workbench, stage: str, shown_stage: str, hidden: str | None
) -> None:
    bench.edit_company(bench.find("Crusoe").id, stage=stage)
    first = builtin_checklist().questions[0]
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        help_text = " ".join(text_of(wizard(app), "#help-text").split())
        assert help_text.startswith(first.help[:40]), "the general help first"
        assert shown_stage in help_text
        for name, text in first.help_by_stage.items():
            assert (text[:40] in help_text) == (name != hidden), name
        power = first.help_by_layer["power"]
        assert help_text.endswith(" ".join(power.split())), "Crusoe's layer's help last"
        assert first.help_by_layer["compute"][:30] not in help_text, "no other layer's"
        await pilot.press("escape", "right_square_bracket")  # (the Compute layer)
        await go_to(pilot, "Groq")
        await pilot.press("c")
        help_text = " ".join(text_of(wizard(app), "#help-text").split())
        assert help_text.endswith(" ".join(first.help_by_layer["compute"].split()))


def test_the_stage_rule() -> None:
    for early in ("Seed", "pre-seed", "Series A", "Pre-revenue", "stealth", "Grant-funded"):
        assert stage_of(early) == "pre-revenue", early
    for later in ("Series B", "series-c", "Public (NASDAQ)", "Acquired by AMD", "Growth"):
        assert stage_of(later) == "production", later
    for unclear in ("", "n/a", "Spin-out"):
        assert stage_of(unclear) is None, unclear
    question = builtin_checklist().questions[0]
    assert help_lines(question, "Seed", "power") == [
        question.help,
        f"{question.help_by_stage['pre-revenue']} (Stage Seed: pre-revenue.)",
        question.help_by_layer["power"],
    ]
    assert help_lines(question, "", None)[1:] == [
        "Stage not set: pre-seed, seed and Series A count as pre-revenue; Series B on, growth,"
        " public or acquired as in production. Both:",
        question.help_by_stage["pre-revenue"],
        question.help_by_stage["production"],
    ]


def test_cut_ends_long_text_with_an_ellipsis() -> None:
    assert cut("short", 10) == "short"
    assert cut("a" * 12, 10) == "a" * 9 + "…"
    assert cut("first line\nsecond", 40) == "first line…", "more lines: cut too"
    assert cut("数据中心数据中心", 9) == "数据中心…", "measured in terminal cells"


# The result page ----------------------------------------------------------------------------


async def test_the_result_page_shows_reason_range_flags_and_deciders(app, bench: Workbench) -> None:
    oklo = bench.find("Oklo").id
    claim = {"answer": "yes", "evidence": "Says fuel is secured.", "kind": "claim"}
    stale = {"answer": "yes", "evidence": "Grid study.", "date": "2024-06-01"}
    bench.record_run(oklo, {**ONE_RISK_OPEN, "A2": claim, "D1": stale})
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        await pilot.press("c", "ctrl+s")
        page = app.screen
        assert isinstance(page, RunResult)
        assert text_of(page, "#verdict") == "Anchor"
        assert text_of(page, "#result-numbers") == (
            "Score 79 (range 73–80) · coverage 93% · Moat checklist v2"
        )
        assert text_of(page, "#reason") == (
            "Anchor: scores 79 (at least 70) with none of C1, C2, C3 answered Yes."
        )
        assert text_of(page, "#result-flags") == (
            "Flagged: A2 † claim only · D1 ‡ older than a year"
        )
        deciders = text_of(page, "#deciders")
        assert deciders.startswith("Unanswered, and would change the verdict:")
        assert f"C3  {builtin_checklist().by_id['C3'].text}" in deciders
        text = screen_text(app)
        assert "A2  Yes       unit-cost † — Says fuel is secured. (founder or vendor claim)" in (
            text
        )
        assert "D1  Yes       focus ‡ — Grid study. (2024-06-01)" in text
        assert "B1  No      ✗ cost-curve" in text, "a strength answered No counts against"
        assert "C3  Unknown   risk: architecture-bet" in text
        assert "✗ counts against the company · † claim only · ‡ older than a year" in text


async def test_a_risk_answered_yes_reads_as_bad(app, bench: Workbench) -> None:
    bench.record_run(bench.find("Crusoe").id, LONG_SHOT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "ctrl+s")
        text = screen_text(app)
        assert "Long shot: scores 20, below the 50 a Contender needs." in text
        assert "C3  Yes     ✗ risk: architecture-bet" in text
        assert "C1  No        risk: thin-wrapper" in text, "a risk answered No is not marked"
        assert "No unanswered question would change the verdict." in text


# Compare, stack map and the verdict filter ---------------------------------------------------


def _new_verdicts(bench: Workbench) -> None:
    long_evidence = "Signed a letter of intent with " + "a very large utility " * 6
    bench.record_run(
        bench.find("Crusoe").id,
        {**UNPROVEN, "A1": {"answer": "partly", "evidence": long_evidence, "kind": "claim"}},
    )
    bench.record_run(bench.find("Digital Realty").id, LONG_SHOT)
    bench.record_run(bench.find("Equinix").id, PERFECT)


async def test_compare_shows_unproven_and_long_shot_with_flags_and_cut_evidence(
    app, bench: Workbench
) -> None:
    _new_verdicts(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "space", "C")
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
        verdicts = next(line for line in text.splitlines() if line.strip().startswith("Verdict"))
        assert verdicts.split()[1:] == ["Unproven", "Long", "shot", "Anchor"]
        scores = next(line for line in text.splitlines() if line.strip().startswith("Score"))
        assert scores.split()[4:] == ["85", "·", "100%", "20", "·", "100%", "100", "·", "100%"]
        assert "† claim only · ‡ older than a year" in text, "the legend of the marks"
        a1 = next(line for line in text.splitlines() if line.strip().startswith("A1"))
        cell = a1.split("Partly † — ")[1].split("  ")[0]
        assert cell.startswith("Signed a letter of") and cell.endswith("…"), a1
        assert "C3 architecture-bet (risk)" in text


async def test_the_stack_map_counts_unproven_and_long_shot(app, bench: Workbench) -> None:
    _new_verdicts(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, StackMapScreen)
        text = screen_text(app)
        heading = next(line for line in text.splitlines() if line.strip().startswith("Layer"))
        for label in ("Anchor", "Contender", "Unproven", "Long shot", "Leaks val", "Incomplet"):
            assert label in heading, label  # (cut with "…" where the notes take room)
        assert heading.index("Unproven") < heading.index("Long shot") < heading.index("Leaks")
        power = next(x for x in text.splitlines() if x.strip().startswith("Power & Facilities"))
        # Anchor 1 (100), Contender none, Unproven 1 (85), Long shot 1 (20).
        assert power.split()[3:13] == ["1", "·", "100", "·", "1", "·", "85", "1", "·", "20"], power
        await pilot.press(*"jjjj", "l", "l", "enter")
        assert isinstance(app.screen, type(main(app)))
        assert shown(app) == ["Crusoe"], "enter lists the Unproven cell"


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("verdict:unproven", ["Crusoe"]),
        ("verdict:long-shot", ["Digital Realty"]),
        ("verdict:long_shot", ["Digital Realty"]),
        ("verdict:anchor", ["Equinix"]),
    ],
)
async def test_the_verdict_filter_takes_the_new_verdicts(
    app, bench: Workbench, query: str, names: list[str]
) -> None:
    _new_verdicts(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, query)
        assert shown(app) == names


async def test_the_palette_s_verdict_filter_lists_all_six(app, bench: Workbench) -> None:
    _new_verdicts(bench)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "view: Filter by verdict", "verdict")
        assert isinstance(app.screen, ChoiceDialog)
        text = screen_text(app)
        for verdict in Verdict:
            assert verdict.label in text, verdict
        await pilot.press(*["down"] * 5, "enter")
        assert shown(app) == ["Digital Realty"], "the sixth is Long shot"
