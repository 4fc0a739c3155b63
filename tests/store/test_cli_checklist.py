"""``moatscope checklist`` and ``moatscope rescore``: a run saved headless, the difference
shown before anything is re-scored, and bad input refused in one sentence with the file
untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store.service import Workbench
from tests.store.conftest import FIXTURES, Fingerprint, assert_one_line_error

V1_ERA = FIXTURES / "v1_era.json"


def answers(spec: str) -> list[str]:
    """``"A1=yes C1=no"`` as ``--answer`` options."""
    return [option for pair in spec.split() for option in ("--answer", pair)]


def runs(db_path: Path, name: str):
    bench = Workbench.open(db_path, read_only=True)
    try:
        return bench.runs(bench.find(name).id)
    finally:
        bench.close()


def test_checklist_saves_a_run_and_prints_score_range_and_verdict(db_path: Path, cli) -> None:
    spec = "A1=yes A2=partly A3=no B1=y B2=yes C1=no C2=no"
    result = cli(
        "--db", str(db_path), "checklist", "Groq", *answers(spec),
        "--evidence", "A1=Waitlist of 40 MW", "--source", "A1=https://example.com/memo",
        "--kind", "A1=claim", "--date", "B1=2024-01-01", "--evidence", "B1=Analyst model",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "Scored Groq with moat v2.",
        "Score 75 (range 45–85), coverage 60%.",
        "Anchor: scores 75 (at least 70) with none of C1, C2, C3 answered Yes.",
        "Flagged: A1 claim only; B1 older than a year.",
        "Could change the verdict: B3, C3, C4, D1, D3.",
    ]
    (run,) = runs(db_path, "Groq")
    assert (run.checklist_version, run.verdict.value, run.score) == (2, "anchor", 75.0)
    a1 = run.answers["A1"]
    assert (a1.answer.value, a1.evidence, a1.source, a1.kind.value) == (
        "yes", "Waitlist of 40 MW", "https://example.com/memo", "claim",
    )  # fmt: skip
    assert run.answers["B1"].date.isoformat() == "2024-01-01"


@pytest.mark.parametrize(
    "options, fragments",
    [
        (answers("Z9=yes"), ["'Z9' is not a question of the checklist", "A1, A2"]),
        (answers("A1=maybe"), ["'maybe' is not an answer to A1", "yes, partly, no, unknown"]),
        (answers("A1=yes a1=no"), ["--answer is given twice for A1"]),
        (["--answer", "A1"], ["needs the form QID=VALUE"]),
        (answers("A1=yes") + ["--evidence", "Q1=x"], ["'Q1' is not a question"]),
        (answers("A1=yes") + ["--kind", "A1=rumour"], ["'rumour' is not a kind of evidence"]),
        (answers("A1=yes") + ["--date", "A1=soon"], ["'soon' is not a date like"]),
        (answers("A1=yes") + ["--date", "A1=2999-01-01"], ["2999-01-01 is in the future"]),
        (answers("A1=yes") + ["--source", "A1=two\nlines"], ["Source must be a single line"]),
        (["--evidence", "A1=only evidence"], ["Give at least one answer"]),
    ],
)
def test_bad_input_is_one_sentence_and_nothing_is_saved(
    db_path: Path, cli, options: list[str], fragments: list[str]
) -> None:
    Workbench.open(db_path).close()
    before = Fingerprint.of(db_path)
    assert_one_line_error(cli("--db", str(db_path), "checklist", "Groq", *options), *fragments)
    assert Fingerprint.of(db_path) == before


def test_an_unknown_company_gets_did_you_mean(db_path: Path, cli) -> None:
    Workbench.open(db_path).close()
    before = Fingerprint.of(db_path)
    result = cli("--db", str(db_path), "checklist", "Grok", *answers("A1=yes"))
    assert_one_line_error(result, "No company is named 'Grok'; did you mean Groq")
    assert_one_line_error(cli("--db", str(db_path), "rescore", "Gro"), "did you mean Groq")
    assert Fingerprint.of(db_path) == before


@pytest.fixture
def v1_db(tmp_path: Path) -> Path:
    path = tmp_path / "v1" / "moatscope.json"
    path.parent.mkdir()
    shutil.copy(V1_ERA, path)
    return path


def test_rescore_dry_run_shows_the_difference_and_saves_nothing(v1_db: Path, cli) -> None:
    cli("--db", str(v1_db), "list")  # let any migration happen first (read-only: none)
    before = Fingerprint.of(v1_db)
    result = cli("--db", str(v1_db), "rescore", "Oklo", "--dry-run")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "Re-scoring the run of 2026-06-01 (moat v1) with v2:",
        "  carried: A1, A2, B1, B2, B3, B4, C1, C2, C3, C4, D1, D2, D3",
        "  missing: A3",
        "  before: Leaks value, score 64 (range 57–68)",
        "  after:  Unproven, score 63 (range 57–67)",
        "  Unproven: no value test is answered Yes yet, so its value is not shown; set a revisit.",
        "Nothing saved (--dry-run).",
    ]
    assert Fingerprint.of(v1_db) == before


def test_rescore_saves_a_version_2_run_and_keeps_the_version_1_run(v1_db: Path, cli) -> None:
    result = cli("--db", str(v1_db), "rescore", "Groq")
    assert result.code == 0, result.err
    assert "  before: Anchor, score 100" in result.out
    assert "  after:  Incomplete, score 100" in result.out  # C1 and C2 were never answered
    assert result.out.endswith("Saved a new run of Groq: Incomplete.\n")
    old, new = runs(v1_db, "Groq")
    assert (old.checklist_version, old.verdict.value) == (1, "anchor")
    assert (new.checklist_version, new.verdict.value) == (2, "incomplete")
    again = cli("--db", str(v1_db), "rescore", "Groq")
    assert again.out.endswith("The latest run already uses moat v2; nothing saved.\n")
    assert len(runs(v1_db, "Groq")) == 2


def test_rescore_without_a_run_is_one_sentence(db_path: Path, cli) -> None:
    Workbench.open(db_path).close()
    assert_one_line_error(
        cli("--db", str(db_path), "rescore", "Groq"), "Groq has no checklist run to re-score."
    )
