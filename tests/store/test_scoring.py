"""Score, coverage and verdict of version 1 (rules 1) exactly as DESIGN.md defined them.

Version 1 runs keep these rules; version 2's are in ``test_verdicts.py``.
"""

from __future__ import annotations

import pytest

from store.checklist import Checklist, builtin_checklist
from store.models import Answer, Verdict
from store.scoring import score

MOAT = builtin_checklist(1)
ORDER = ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "D1", "D2", "D3"]
LETTER = {"y": Answer.YES, "p": Answer.PARTLY, "n": Answer.NO, "u": Answer.UNKNOWN}


def answers(spec: str) -> dict[str, Answer]:
    """``"A1=y C1=n"`` or fourteen letters for A1..D3 in order."""
    if "=" not in spec:
        letters = spec.split()
        assert len(letters) == len(ORDER)
        return {qid: LETTER[letter] for qid, letter in zip(ORDER, letters, strict=True)}
    return {part.split("=")[0]: LETTER[part.split("=")[1]] for part in spec.split()}


def test_builtin_checklist_version_1_matches_the_design() -> None:
    assert (MOAT.version, MOAT.rules) == (1, 1)
    assert [q.id for q in MOAT.questions] == ORDER
    weights = {q.id: q.weight for q in MOAT.questions}
    assert weights == {
        "A1": 3,
        "A2": 3,
        "A3": 3,
        "B1": 2,
        "B2": 2,
        "B3": 2,
        "B4": 1,
        "C1": 3,
        "C2": 2,
        "C3": 2,
        "C4": 1,
        "D1": 2,
        "D2": 1,
        "D3": 1,
    }
    assert {q.id for q in MOAT.questions if q.polarity == "risk"} == {"C1", "C2", "C3", "C4"}
    assert MOAT.total_weight == 28
    assert (MOAT.min_coverage, MOAT.anchor_score, MOAT.wrapper_question) == (0.6, 70, "C1")
    assert [q.id for q in MOAT.value_tests()] == ["A1", "A2", "A3"]


CASES = [
    # spec, score, coverage, verdict
    ("", None, 0.0, Verdict.INCOMPLETE),
    ("u u u u u u u u u u u u u u", None, 0.0, Verdict.INCOMPLETE),
    ("A1=y", 100.0, 3 / 28, Verdict.INCOMPLETE),
    ("A1=n", 0.0, 3 / 28, Verdict.INCOMPLETE),
    ("C1=y", 0.0, 3 / 28, Verdict.INCOMPLETE),
    ("C1=n", 100.0, 3 / 28, Verdict.INCOMPLETE),
    # 16 of 28 answered (57 %): still incomplete, however good
    ("A1=y A2=y A3=y B1=y B2=y B3=y B4=y", 100.0, 16 / 28, Verdict.INCOMPLETE),
    # 17 of 28 (61 %): enough for a verdict
    ("A1=y A2=y A3=y B1=y B2=y B3=y B4=y D2=y", 100.0, 17 / 28, Verdict.ANCHOR),
    ("y y y y y y y n n n n y y y", 100.0, 1.0, Verdict.ANCHOR),
    ("n n n n n n n y y y y n n n", 0.0, 1.0, Verdict.LEAKS_VALUE),
    # full coverage, no value test Yes: leaks value even with everything else perfect
    ("p p p y y y y n n n n y y y", 100 * (4.5 + 7 + 8 + 4) / 28, 1.0, Verdict.LEAKS_VALUE),
    ("n n n y y y y n n n n y y y", 100 * 19 / 28, 1.0, Verdict.LEAKS_VALUE),
    # C1 Yes with every other answer perfect: leaks value
    ("y y y y y y y y n n n y y y", 100 * 25 / 28, 1.0, Verdict.LEAKS_VALUE),
    # a risk other than C1 answered Yes with a high score: contender
    ("y y y y y y y n n n y y y y", 100 * 27 / 28, 1.0, Verdict.CONTENDER),
    ("y y y y y y y n y n n y y y", 100 * 26 / 28, 1.0, Verdict.CONTENDER),
    # exactly 70 with no risk Yes: anchor (W = 20, points = 14)
    ("A1=y A2=n A3=n B1=y B2=y C1=n C2=n C3=n", 70.0, 20 / 28, Verdict.ANCHOR),
    # just below 70: contender
    ("A1=y A2=n A3=n B1=y B2=p C1=n C2=n C3=n", 65.0, 20 / 28, Verdict.CONTENDER),
    ("A1=y A2=p A3=n B1=y B2=y B3=n C1=n C2=n C3=n D1=y", 100 * 17.5 / 24, 24 / 28, Verdict.ANCHOR),
    (
        "A1=y A2=n A3=n B1=y B2=y B3=n C1=n C2=n C3=p D1=y",
        100 * 15 / 24,
        24 / 28,
        Verdict.CONTENDER,
    ),
    # Partly is half, for strengths and risks alike
    ("p p p p p p p p p p p p p p", 50.0, 1.0, Verdict.LEAKS_VALUE),
    ("y p p p p p p p p p p p p p", 100 * 15.5 / 28, 1.0, Verdict.CONTENDER),
    # C1 Partly is not "C1 Yes"
    ("y y y y y y y p n n n y y y", 100 * 26.5 / 28, 1.0, Verdict.ANCHOR),
    # Unknown answers are left out of both sums
    ("y y y y y y y n n n n u u u", 100.0, 24 / 28, Verdict.ANCHOR),
    ("y u u u u u u n u u u u u u", 100.0, 6 / 28, Verdict.INCOMPLETE),
    ("y n u n u u u n n u u y n u", 100 * 10 / 16, 16 / 28, Verdict.INCOMPLETE),
    ("y n n n u u u n n u u y n u", 100 * 10 / 19, 19 / 28, Verdict.CONTENDER),
]


@pytest.mark.parametrize(
    "spec, expected_score, coverage, verdict", CASES, ids=[c[0] or "empty" for c in CASES]
)
def test_score_table(spec: str, expected_score, coverage: float, verdict: Verdict) -> None:
    result = score(MOAT, answers(spec) if spec else {})
    if expected_score is None:
        assert result.score is None
    else:
        assert result.score == pytest.approx(expected_score)
    assert result.coverage == pytest.approx(coverage)
    assert result.verdict == verdict
    assert result.reason.startswith(verdict.label + ":")


def test_exactly_seventy_is_exactly_seventy() -> None:
    result = score(MOAT, answers("A1=y A2=n A3=n B1=y B2=y C1=n C2=n C3=n"))
    assert result.score == 70.0  # no rounding slack needed for the threshold


def test_unknown_is_the_same_as_not_answering() -> None:
    explicit = score(MOAT, answers("A1=y A2=u B1=p C1=n C2=u D1=y"))
    omitted = score(MOAT, answers("A1=y B1=p C1=n D1=y"))
    assert explicit == omitted


def test_answers_for_unknown_questions_are_ignored() -> None:
    assert score(MOAT, {**answers("A1=y"), "Z9": Answer.YES}) == score(MOAT, answers("A1=y"))


def test_reasons_say_why() -> None:
    assert (
        "no value test (A1, A2, A3)" in score(MOAT, answers("n n n y y y y n n n n y y y")).reason
    )
    assert "C1" in score(MOAT, answers("y y y y y y y y n n n y y y")).reason
    assert "C4" in score(MOAT, answers("y y y y y y y n n n y y y y")).reason
    assert (
        "11%" in score(MOAT, answers("A1=y")).reason
        and "60%" in score(MOAT, answers("A1=y")).reason
    )


def _small(min_coverage: float = 0.6) -> Checklist:
    def question(qid: str, weight: int, polarity: str = "strength") -> dict:
        return {"id": qid, "key": qid.lower(), "weight": weight, "polarity": polarity, "text": qid}

    return Checklist.model_validate(
        {
            "id": "small",
            "version": 1,
            "title": "Small",
            "min_coverage": min_coverage,
            "sections": [
                {"id": "A", "title": "Value", "questions": [question("A1", 3), question("A2", 3)]},
                {"id": "B", "title": "More", "questions": [question("B1", 2)]},
                {"id": "C", "title": "Risk", "questions": [question("C1", 2, "risk")]},
            ],
        }
    )


def test_coverage_exactly_at_the_minimum_gets_a_verdict() -> None:
    small = _small()
    assert small.total_weight == 10
    at = score(small, {"A1": Answer.YES, "A2": Answer.YES})  # 6 of 10 = 60 %
    assert at.coverage == 0.6
    assert at.verdict == Verdict.ANCHOR
    below = score(small, {"A1": Answer.YES, "B1": Answer.YES})  # 5 of 10
    assert below.verdict == Verdict.INCOMPLETE


def test_verdict_labels() -> None:
    assert [v.label for v in Verdict] == [
        "Incomplete",
        "Leaks value",
        "Unproven",
        "Anchor",
        "Contender",
        "Long shot",
    ]


def test_rules_1_never_gives_the_verdicts_of_version_2() -> None:
    for spec, *_ in CASES:
        verdict = score(MOAT, answers(spec) if spec else {}).verdict
        assert verdict not in (Verdict.UNPROVEN, Verdict.LONG_SHOT)
