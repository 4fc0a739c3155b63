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

from store.checklist import Checklist, Question
from store.models import Answer, Verdict
from store.verdicts import judge

VALUES = {
    "strength": {Answer.YES: 1.0, Answer.PARTLY: 0.5, Answer.NO: 0.0},
    "risk": {Answer.YES: 0.0, Answer.PARTLY: 0.5, Answer.NO: 1.0},
}
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
    total = checklist.total_weight
    unknown = [q for q in checklist.questions if _unknown(answers, q.id)]
    answered_weight = total - sum(q.weight for q in unknown)
    points = sum(
        q.weight * VALUES[q.polarity][answers[q.id]]
        for q in checklist.questions
        if not _unknown(answers, q.id)
    )
    value = 100 * points / answered_weight if answered_weight else None
    coverage = answered_weight / total if total else 0.0
    verdict, reason = judge(checklist, answers, value, coverage)
    # Worst is 0 points and best is the whole weight, for strengths and risks alike.
    low = 100 * points / total if total else 0.0
    high = 100 * (points + total - answered_weight) / total if total else 0.0
    needed = set(checklist.leak_questions) if checklist.rules == 2 else set()
    deciders = tuple(
        q.id
        for q in unknown
        if (verdict is Verdict.INCOMPLETE and q.id in needed)
        or _decides(checklist, answers, q, (points, answered_weight), verdict)
    )
    return Result(value, coverage, verdict, reason, low, high, deciders)


def _unknown(answers: Mapping[str, Answer], question_id: str) -> bool:
    return answers.get(question_id, Answer.UNKNOWN) == Answer.UNKNOWN


def _decides(
    checklist: Checklist,
    answers: Mapping[str, Answer],
    question: Question,
    sums: tuple[float, int],
    verdict: Verdict,
) -> bool:
    """Whether some answer to the Unknown ``question`` would change ``verdict``; ``sums``
    are the points and the weight answered so far."""
    points, weight = sums
    weight += question.weight
    for answer in ANSWERS:
        value = 100 * (points + question.weight * VALUES[question.polarity][answer]) / weight
        changed = {**answers, question.id: answer}
        if judge(checklist, changed, value, weight / checklist.total_weight)[0] != verdict:
            return True
    return False


def score_text(result: Result) -> str:
    """ "score 72 (range 55–78)"; the range only while Unknowns leave one."""
    text = "no score" if result.score is None else f"score {result.score:.0f}"
    if round(result.low) != round(result.high):
        text += f" (range {result.low:.0f}–{result.high:.0f})"
    return text
