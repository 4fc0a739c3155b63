"""Checklist answers to score, coverage, range and verdict: pure functions, no I/O.

Strength: Yes 1, Partly 0.5, No 0. Risk: Yes 0, Partly 0.5, No 1. Unknown is
left out. score = 100 * sum(weight * value) / sum(weight) over answered
questions; coverage = answered weight / total weight. The range is the score with
every Unknown answered worst (``low``) and best (``high``): answering any Unknown moves
the score only within it. The verdict and its reason come from the checklist's rules
(``store.verdicts``); ``deciders`` are the Unknown questions some answer to which would
change the verdict, and, while a run is Incomplete for want of them, the leak questions
rules 2 needs answered (one of two alone may not change it, yet both are needed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from store.checklist import Checklist
from store.models import Answer, Verdict
from store.verdicts import judge

VALUES = {
    "strength": {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0},
    "risk": {Answer.YES: 0.0, Answer.PARTLY: 0.5, Answer.NO: 1.0},
}
WORST = {"strength": Answer.NO, "risk": Answer.YES}
BEST = {"strength": Answer.YES, "risk": Answer.NO}
ANSWERS = (Answer.YES, Answer.PARTLY, Answer.NO)


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
    """One sentence saying why, the verdict's label first ("Anchor: scores 82 ...")."""
    low: float = 0.0
    """The score if every Unknown were answered worst (equals ``score`` with none left)."""
    high: float = 100.0
    """The score if every Unknown were answered best."""
    deciders: tuple[str, ...] = ()
    """Ids of the Unknown questions for which some answer changes the verdict, in order."""


def score(checklist: Checklist, answers: Mapping[str, Answer]) -> Result:
    """Score ``answers`` (question id to answer) against ``checklist``."""
    value, coverage = _points(checklist, answers)
    verdict, reason = judge(checklist, answers, value, coverage)
    unknown = [q for q in checklist.questions if _unknown(answers, q.id)]
    low, _ = _points(checklist, {**answers, **{q.id: WORST[q.polarity] for q in unknown}})
    high, _ = _points(checklist, {**answers, **{q.id: BEST[q.polarity] for q in unknown}})
    needed = set(checklist.leak_questions) if checklist.rules == 2 else set()
    deciders = tuple(
        q.id
        for q in unknown
        if (verdict is Verdict.INCOMPLETE and q.id in needed)
        or any(_verdict_with(checklist, answers, q.id, a) != verdict for a in ANSWERS)
    )
    return Result(value, coverage, verdict, reason, low or 0.0, high or 0.0, deciders)


def _unknown(answers: Mapping[str, Answer], question_id: str) -> bool:
    return answers.get(question_id, Answer.UNKNOWN) == Answer.UNKNOWN


def _points(checklist: Checklist, answers: Mapping[str, Answer]) -> tuple[float | None, float]:
    """The score (None with nothing answered) and the coverage of ``answers``."""
    answered = [(q, answers[q.id]) for q in checklist.questions if not _unknown(answers, q.id)]
    answered_weight = sum(question.weight for question, _ in answered)
    coverage = answered_weight / checklist.total_weight if checklist.total_weight else 0.0
    points = sum(q.weight * VALUES[q.polarity][answer] for q, answer in answered)
    return (100 * points / answered_weight if answered_weight else None), coverage


def _verdict_with(
    checklist: Checklist, answers: Mapping[str, Answer], question_id: str, answer: Answer
) -> Verdict:
    changed = {**answers, question_id: answer}
    return judge(checklist, changed, *_points(checklist, changed))[0]
