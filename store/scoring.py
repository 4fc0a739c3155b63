"""Checklist answers to score, coverage and verdict: pure functions, no I/O.

Strength: Yes 1, Partly 0.5, No 0. Risk: Yes 0, Partly 0.5, No 1. Unknown is
left out. score = 100 * sum(weight * value) / sum(weight) over answered
questions; coverage = answered weight / total weight. Verdict, first rule that
matches: Incomplete (coverage below the minimum), Leaks value (no value test
Yes, or the wrapper question Yes), Anchor (score at least the anchor score and
no risk answered Yes), Contender.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from store.checklist import Checklist
from store.models import Answer, Verdict

VALUES = {
    "strength": {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0},
    "risk": {Answer.YES: 0.0, Answer.PARTLY: 0.5, Answer.NO: 1.0},
}


@dataclass(frozen=True)
class Result:
    """The outcome of scoring one set of answers."""

    score: float | None
    """0-100 over answered questions, None when none is answered."""
    coverage: float
    """Answered weight over total weight, 0-1."""
    verdict: Verdict
    """The first verdict rule that matches."""
    reason: str
    """One sentence saying why, for the result page."""


def score(checklist: Checklist, answers: Mapping[str, Answer]) -> Result:
    """Score ``answers`` (question id to answer) against ``checklist``."""
    answered = [
        (question, answers[question.id])
        for question in checklist.questions
        if answers.get(question.id, Answer.UNKNOWN) != Answer.UNKNOWN
    ]
    answered_weight = sum(question.weight for question, _ in answered)
    coverage = answered_weight / checklist.total_weight if checklist.total_weight else 0.0
    points = sum(q.weight * VALUES[q.polarity][answer] for q, answer in answered)
    value = 100 * points / answered_weight if answered_weight else None
    verdict, reason = _verdict(checklist, answers, value, coverage)
    return Result(value, coverage, verdict, reason)


def _verdict(
    checklist: Checklist, answers: Mapping[str, Answer], value: float | None, coverage: float
) -> tuple[Verdict, str]:
    if coverage < checklist.min_coverage:
        return Verdict.INCOMPLETE, (
            f"Incomplete: {coverage:.0%} of the checklist's weight is answered, "
            f"{checklist.min_coverage:.0%} is needed for a verdict."
        )
    value_ids = [question.id for question in checklist.value_tests()]
    if not any(answers.get(qid) == Answer.YES for qid in value_ids):
        return Verdict.LEAKS_VALUE, (
            f"Leaks value: no value test ({', '.join(value_ids)}) is answered Yes."
        )
    if answers.get(checklist.wrapper_question) == Answer.YES:
        return Verdict.LEAKS_VALUE, (
            f"Leaks value: {checklist.wrapper_question} says it is a thin wrapper "
            "that others will absorb."
        )
    risks_yes = [
        q.id
        for q in checklist.questions
        if q.polarity == "risk" and answers.get(q.id) == Answer.YES
    ]
    assert value is not None  # coverage above the minimum means something is answered
    if value >= checklist.anchor_score and not risks_yes:
        return Verdict.ANCHOR, (
            f"Anchor: scores {value:.0f} (at least {checklist.anchor_score:.0f}) "
            "with no risk answered Yes."
        )
    if risks_yes:
        return Verdict.CONTENDER, (
            f"Contender: scores {value:.0f}, but risk {', '.join(risks_yes)} is answered Yes."
        )
    return Verdict.CONTENDER, (
        f"Contender: scores {value:.0f}, below the {checklist.anchor_score:.0f} an Anchor needs."
    )
