"""The verdict rules: which verdict a scored set of answers earns, and why.

A checklist names its rule set (``Checklist.rules``) so a run is judged by the rules of
the checklist it was made with: version 1 runs keep version 1's verdicts, a user's own
checklist file keeps the rules it was written for. Pure functions, no I/O.

Rules 1, first that matches: Incomplete (coverage below the minimum), Leaks value (no
value test Yes, or the wrapper question Yes), Anchor (score at least the anchor score
and no risk Yes), Contender.

Rules 2 (DESIGN.md, "Checklist version 2"), first that matches: Incomplete (coverage
below the minimum, or a leak question unanswered), Leaks value (the wrapper question
Yes, or every value test answered No), Unproven (no value test Yes), Anchor (score at
least the anchor score and none of the anchor risks Yes), Contender (score at least the
contender score), Long shot.
"""

from __future__ import annotations

from collections.abc import Mapping

from store.checklist import Checklist
from store.models import Answer, Verdict

Judgement = tuple[Verdict, str]
"""A verdict and its reason: one sentence, the verdict's label first."""


def judge(
    checklist: Checklist, answers: Mapping[str, Answer], score: float | None, coverage: float
) -> Judgement:
    """The verdict ``answers`` earn under ``checklist``'s rules, with its reason."""
    rules = _rules_1 if checklist.rules == 1 else _rules_2
    verdict, why = rules(checklist, answers, score, coverage)
    return verdict, f"{verdict.label}: {why}"


def _incomplete(checklist: Checklist, coverage: float) -> Judgement | None:
    if coverage < checklist.min_coverage:
        return Verdict.INCOMPLETE, (
            f"{coverage:.0%} of the checklist's weight is answered, "
            f"{checklist.min_coverage:.0%} is needed for a verdict."
        )
    return None


def _wrapper(checklist: Checklist, answers: Mapping[str, Answer]) -> Judgement | None:
    if answers.get(checklist.wrapper_question) == Answer.YES:
        return Verdict.LEAKS_VALUE, (
            f"{checklist.wrapper_question} says it is a thin wrapper, which leaks its value "
            "to the layers above and below it."
        )
    return None


def _rules_1(
    checklist: Checklist, answers: Mapping[str, Answer], score: float | None, coverage: float
) -> Judgement:
    found = _incomplete(checklist, coverage)
    value_ids = [question.id for question in checklist.value_tests()]
    if found is None and not any(answers.get(qid) == Answer.YES for qid in value_ids):
        found = Verdict.LEAKS_VALUE, f"no value test ({', '.join(value_ids)}) is answered Yes."
    found = found or _wrapper(checklist, answers)
    if found:
        return found
    assert score is not None  # coverage above the minimum means something is answered
    risks = [q.id for q in checklist.questions if q.polarity == "risk"]
    return _anchor_or_contender(checklist, answers, score, risks) or (
        Verdict.CONTENDER,
        f"scores {score:.0f}, below the {checklist.anchor_score:.0f} an Anchor needs.",
    )


def _anchor_or_contender(
    checklist: Checklist, answers: Mapping[str, Answer], score: float, risks: list[str]
) -> Judgement | None:
    """Anchor when the score is high enough and no risk of ``risks`` is Yes; Contender
    when only a risk stands in the way; None when the score is too low."""
    if score < checklist.anchor_score:
        return None
    risks_yes = [qid for qid in risks if answers.get(qid) == Answer.YES]
    if not risks_yes:
        return Verdict.ANCHOR, (
            f"scores {score:.0f} (at least {checklist.anchor_score:.0f}) "
            f"with none of {', '.join(risks)} answered Yes."
        )
    return Verdict.CONTENDER, (
        f"scores {score:.0f}, but risk {', '.join(risks_yes)} is answered Yes, "
        "which bars an Anchor."
    )


def _rules_2(
    checklist: Checklist, answers: Mapping[str, Answer], score: float | None, coverage: float
) -> Judgement:
    unknown = Answer.UNKNOWN
    unchecked = [qid for qid in checklist.leak_questions if answers.get(qid, unknown) == unknown]
    if not (found := _incomplete(checklist, coverage)) and unchecked:
        found = (
            Verdict.INCOMPLETE,
            (
                f"{', '.join(unchecked)} {'is' if len(unchecked) == 1 else 'are'} not answered: "
                "a verdict needs both ways value leaks checked."
            ),
        )
    value = [answers.get(question.id) for question in checklist.value_tests()]
    if not (found := found or _wrapper(checklist, answers)) and all(a == Answer.NO for a in value):
        found = Verdict.LEAKS_VALUE, "every value test is answered No: nothing here holds value."
    if not found and Answer.YES not in value:
        found = (
            Verdict.UNPROVEN,
            "no value test is answered Yes yet, so its value is not shown; set a revisit.",
        )
    if found:
        return found
    assert score is not None  # coverage above the minimum means something is answered
    return _anchor_or_contender(checklist, answers, score, checklist.anchor_risks) or (
        (
            Verdict.CONTENDER,
            f"scores {score:.0f}, below the {checklist.anchor_score:.0f} an Anchor needs.",
        )
        if score >= checklist.contender_score
        else (
            Verdict.LONG_SHOT,
            f"scores {score:.0f}, below the {checklist.contender_score:.0f} a Contender needs.",
        )
    )
