"""Version 2's verdicts, range and deciders exactly as DESIGN.md ("Checklist version 2") says.

Weights total 30, so 60 % coverage is 18. Specs give fourteen letters for A1..D3 in order
(y, p, n, u) or ``QID=letter`` pairs.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.checklist import Checklist, builtin_checklist
from store.models import Answer, Verdict
from store.scoring import score
from tests.store.test_scoring import ORDER, answers

V2 = builtin_checklist()
INC, L, U, A, C, S = (
    Verdict.INCOMPLETE,
    Verdict.LEAKS_VALUE,
    Verdict.UNPROVEN,
    Verdict.ANCHOR,
    Verdict.CONTENDER,
    Verdict.LONG_SHOT,
)


def test_version_2_has_the_designed_weights_and_rules() -> None:
    assert (V2.id, V2.version, V2.rules) == ("moat", 2, 2)
    assert [q.id for q in V2.questions] == ORDER
    weights = dict(zip(ORDER, (3, 3, 3, 2, 2, 2, 1, 3, 2, 2, 2, 2, 1, 2), strict=True))
    assert {q.id: q.weight for q in V2.questions} == weights
    assert V2.total_weight == 30
    assert (V2.min_coverage, V2.anchor_score, V2.contender_score) == (0.6, 70, 50)
    assert (V2.leak_questions, V2.anchor_risks) == (["C1", "C2"], ["C1", "C2", "C3"])


CASES = [
    # spec, score, coverage, verdict
    ("", None, 0.0, INC),
    # 1. Incomplete: coverage below 60 %, or C1 or C2 not answered
    ("A1=y A2=y A3=y B1=y B4=y C1=n C2=n", 100.0, 17 / 30, INC),
    ("A1=y A2=y A3=y B1=y B2=y C1=n C2=n", 100.0, 18 / 30, A),  # exactly 60 %
    ("y y y y y y y u n n n y y y", 100.0, 27 / 30, INC),  # C1 unanswered
    ("y y y y y y y n u n n y y y", 100.0, 28 / 30, INC),  # C2 unanswered
    ("y y y y y y y u u n n y y y", 100.0, 25 / 30, INC),
    ("A1=y A2=y A3=y B1=y B2=y B3=y B4=y D1=y", 100.0, 18 / 30, INC),  # the issue's Anchor
    ("n n n n n n n y y y y n n u", 0.0, 28 / 30, L),  # wrapper Yes beats everything below
    # 2. Leaks value: C1 Yes, or every one of A1-A3 answered No
    ("y y y y y y y y n n n y y y", 90.0, 1.0, L),
    ("n n n y y y y n n n n y y y", 70.0, 1.0, L),
    ("n n u y y y y n n n n y y y", 100 * 21 / 27, 27 / 30, U),  # A3 unknown: not "every No"
    # 3. Unproven: no A answer is Yes
    ("p p p y y y y n n n n y y y", 85.0, 1.0, U),  # all-Partly A
    ("p u n y y y y n n n n y y y", 100 * 22.5 / 27, 27 / 30, U),
    ("p p p p p p p p y y y p p p", 40.0, 1.0, U),  # Unproven whatever the score
    # 4. Anchor: score >= 70 and none of C1-C3 Yes
    ("y y y y y y y n n n y y y y", 100 * 28 / 30, 1.0, A),  # C4 Yes at 93 is Anchor
    ("y n n y y y y n n n n y n n", 70.0, 1.0, A),  # exactly 70
    ("y y y y y y y n y n n y y y", 100 * 28 / 30, 1.0, C),  # C2 Yes bars Anchor
    ("y y y y y y y n n y n y y y", 100 * 28 / 30, 1.0, C),  # C3 Yes bars Anchor
    ("y y y y y y y p p p p y y y", 100 * 25.5 / 30, 1.0, A),  # Partly is not Yes
    # 5. Contender: score >= 50
    ("y n n y y y p n n n n y n n", 100 * 20.5 / 30, 1.0, C),  # just below 70
    ("y n n n n p y n n n n n y n", 50.0, 1.0, C),  # exactly 50
    # 6. Long shot: otherwise
    ("y n n n n p p n n n n n y n", 100 * 14.5 / 30, 1.0, S),  # just below 50
    ("y n n n n n n y n y y n n n", 100 * 5 / 30, 1.0, L),
    ("y n n n n n n n y y y n n n", 100 * 6 / 30, 1.0, S),
]


@pytest.mark.parametrize("spec, expected, coverage, verdict", CASES, ids=[c[0] for c in CASES])
def test_verdict_table(spec: str, expected: float | None, coverage: float, verdict: Verdict):
    result = score(V2, answers(spec) if spec else {})
    assert result.score == (None if expected is None else pytest.approx(expected))
    assert result.coverage == pytest.approx(coverage)
    assert result.verdict == verdict
    assert result.reason.startswith(verdict.label + ": ")
    assert result.reason.count(". ") == 0 and result.reason.endswith(".")  # one sentence


def test_the_issue_examples_are_no_longer_called_leaks_value() -> None:
    # A pre-revenue deep-tech company: nothing in A is Yes yet, but nothing is No either.
    oklo = score(V2, answers("p p u p n p y n n p y y y y"))
    assert oklo.verdict == U and "revisit" in oklo.reason
    # Unknowns no longer flatter: the honest answers lower the range's low end.
    flattering = score(V2, answers("y u u u u u u n n u u y u u"))
    honest = score(V2, answers("y n n n n n n n n n n y n n"))
    assert flattering.low <= honest.score <= flattering.high


def test_reasons_name_what_decided() -> None:
    assert "C1, C2 are not answered" in score(V2, answers("y y y y y y y u u n n y y y")).reason
    assert "C2 is not answered" in score(V2, answers("y y y y y y y n u n n y y y")).reason
    assert "thin wrapper" in score(V2, answers("y y y y y y y y n n n y y y")).reason
    assert (
        "every value test is answered No"
        in score(V2, answers("n n n y y y y n n n n y y y")).reason
    )
    assert "risk C2 is answered Yes" in score(V2, answers("y y y y y y y n y n n y y y")).reason
    assert (
        "below the 50 a Contender needs" in score(V2, answers("y n n n n p p n n n n n y n")).reason
    )
    assert "60% is needed" in score(V2, answers("A1=y C1=n C2=n")).reason


def test_range_is_the_score_with_every_unknown_worst_and_best() -> None:
    result = score(V2, answers("A1=y C1=n"))  # 6 of 30 answered, all good
    assert (result.score, result.low, result.high) == (100.0, 20.0, 100.0)
    full = score(V2, answers("y n n y y y p n n n n y n n"))
    assert full.low == full.high == full.score
    assert (score(V2, {}).low, score(V2, {}).high) == (0.0, 100.0)


def test_deciders_are_the_unknowns_an_answer_to_which_changes_the_verdict() -> None:
    # Anchor at 85 with C3 unknown: C3 Yes would make it a Contender; D3 cannot matter.
    result = score(V2, answers("y y n y y y y n n u n y n u"))
    assert result.verdict == A
    assert result.deciders == ("C3",)
    # Incomplete for want of C1 and C2: both are needed, though neither alone decides.
    assert score(V2, answers("y y y y y y y u u n n y y y")).deciders == ("C1", "C2")
    assert score(V2, answers("y y y y y y y n n n n y y y")).deciders == ()


LETTERS = st.sampled_from(list(Answer))


@settings(max_examples=300, deadline=None)
@given(st.lists(LETTERS, min_size=14, max_size=14), st.integers(0, 13), LETTERS)
def test_answering_an_unknown_moves_the_score_only_within_the_range(
    letters: list[Answer], index: int, answer: Answer
) -> None:
    given_answers = dict(zip(ORDER, letters, strict=True))
    given_answers[ORDER[index]] = Answer.UNKNOWN
    before = score(V2, given_answers)
    after = score(V2, {**given_answers, ORDER[index]: answer})
    assert before.low <= before.high
    if after.score is not None:
        assert before.low - 1e-9 <= after.score <= before.high + 1e-9
    assert before.low - 1e-9 <= after.low and after.high <= before.high + 1e-9
    if after.verdict != before.verdict:
        assert ORDER[index] in before.deciders


def _user(**extra: object) -> Checklist:
    data = {"id": "mine", "version": 3, "title": "Mine", **extra}
    data["sections"] = [
        {
            "id": "A",
            "title": "Value",
            "questions": [
                {"id": "A1", "key": "a1", "weight": 2, "polarity": "strength", "text": "A1"}
            ],
        },
        {
            "id": "C",
            "title": "Risk",
            "questions": [
                {"id": "C1", "key": "c1", "weight": 1, "polarity": "risk", "text": "C1"},
                {"id": "C2", "key": "c2", "weight": 1, "polarity": "risk", "text": "C2"},
                {"id": "C3", "key": "c3", "weight": 1, "polarity": "risk", "text": "C3"},
            ],
        },
    ]
    return Checklist.model_validate(data)


def test_a_user_checklist_keeps_its_own_rules_version() -> None:
    partly = {"A1": Answer.PARTLY, "C1": Answer.NO, "C2": Answer.NO, "C3": Answer.NO}
    assert _user().rules == 1  # a file without the field
    assert score(_user(), partly).verdict == L  # rules 1: no value test Yes
    assert score(_user(rules=2), partly).verdict == U
    with pytest.raises(ValueError, match="C9 is not a question id"):
        _user(rules=2, leak_questions=["C1", "C9"])
