"""Checklist runs over time: what changed between two runs, re-scoring explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from store.checklist import Checklist
from store.models import Answer, AnswerEntry, ChecklistRun
from store.scoring import Result, score


@dataclass(frozen=True)
class AnswerChange:
    """One question whose answer or evidence differs between two runs."""

    question_id: str
    before: AnswerEntry
    after: AnswerEntry


def answer_changes(before: ChecklistRun, after: ChecklistRun) -> list[AnswerChange]:
    """Questions answered differently (or with other evidence) in ``after``."""
    unknown = AnswerEntry()
    ids = list(dict.fromkeys([*before.answers, *after.answers]))
    changes = []
    for qid in ids:
        old, new = before.answers.get(qid, unknown), after.answers.get(qid, unknown)
        if (old.answer, old.evidence.strip()) != (new.answer, new.evidence.strip()):
            changes.append(AnswerChange(qid, old, new))
    return changes


def movement(before: ChecklistRun | None, after: ChecklistRun) -> str:
    """ "Contender → Anchor, +18", or just the verdict when there is no earlier run."""
    if before is None:
        return after.verdict.label
    text = f"{before.verdict.label} → {after.verdict.label}"
    if before.score is not None and after.score is not None:
        text += f", {after.score - before.score:+.0f}"
    return text


def rescore(run: ChecklistRun, checklist: Checklist) -> Result:
    """What ``run``'s answers would score under ``checklist`` (nothing is saved)."""
    answers = {qid: entry.answer for qid, entry in run.answers.items() if qid in checklist.by_id}
    return score(checklist, answers)


def carried_answers(run: ChecklistRun | None, checklist: Checklist) -> dict[str, AnswerEntry]:
    """A previous run's answers for the questions ``checklist`` still asks."""
    if run is None:
        return {}
    return {qid: entry for qid, entry in run.answers.items() if qid in checklist.by_id}


def is_answered(entry: AnswerEntry | None) -> bool:
    """True for Yes, Partly or No."""
    return entry is not None and entry.answer != Answer.UNKNOWN
