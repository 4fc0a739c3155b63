"""Checklist runs over time: what changed between two runs, re-scoring explicitly."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from store.checklist import Checklist
from store.models import Answer, AnswerEntry, ChecklistRun
from store.scoring import Result, score, score_text

if TYPE_CHECKING:
    from store.service import Workbench


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


def stored_result(run: ChecklistRun, own: Checklist) -> Result:
    """``run``'s result as saved (score, coverage, verdict untouched), with the range,
    reason and deciders its own checklist ``own`` gives its answers."""
    again = rescore(run, own)
    reason = again.reason
    if again.verdict != run.verdict:  # saved by other rules than ``own`` now holds
        reason = f"{run.verdict.label}: as saved with {run.checklist_id} v{run.checklist_version}."
    return replace(
        again, score=run.score, coverage=run.coverage, verdict=run.verdict, reason=reason
    )


@dataclass(frozen=True)
class Rescore:
    """What the current checklist makes of a run's answers, beside what the run saved."""

    run: ChecklistRun
    """The run as stored."""
    before: Result
    """The run's saved result (``stored_result``)."""
    after: Result
    """The current checklist's result for the answers it still asks."""
    version: int
    """The current checklist's version (the run's is ``run.checklist_version``)."""
    answers: dict[str, AnswerEntry]
    """The answers a new run would keep: the run's, for the questions still asked."""
    carried: tuple[str, ...]
    """Questions of the current checklist the run answered (Yes, Partly or No)."""
    missing: tuple[str, ...]
    """Questions of the current checklist the run leaves Unknown or never asked."""
    dropped: tuple[str, ...]
    """Questions the run answered that the current checklist no longer asks."""

    @property
    def changed(self) -> bool:
        """Whether the score, range or verdict would differ."""
        b, a = self.before, self.after
        return (b.score, b.low, b.high, b.verdict) != (a.score, a.low, a.high, a.verdict)


def rescore_difference(run: ChecklistRun, own: Checklist, current: Checklist) -> Rescore:
    """``run`` (made with ``own``) against ``current``; nothing is saved."""
    answers = carried_answers(run, current)
    asked = current.by_id
    return Rescore(
        run=run,
        before=stored_result(run, own),
        after=rescore(run, current),
        version=current.version,
        answers=answers,
        carried=tuple(qid for qid in asked if is_answered(answers.get(qid))),
        missing=tuple(qid for qid in asked if not is_answered(answers.get(qid))),
        dropped=tuple(q for q, e in run.answers.items() if q not in asked and is_answered(e)),
    )


def save_rescore(workbench: Workbench, difference: Rescore) -> ChecklistRun:
    """Keep ``difference``'s answers as a new run of the current checklist (one change)."""
    return workbench.record_run(difference.run.company_id, difference.answers)


def _standing(result: Result) -> str:
    return f"{result.verdict.label}, {score_text(result)}"


def difference_lines(difference: Rescore) -> list[str]:
    """The difference in words: versions, carried and missing questions, before → after."""
    run = difference.run
    lines = [
        f"Re-scoring the run of {run.created:%Y-%m-%d} ({run.checklist_id} "
        f"v{run.checklist_version}) with v{difference.version}:",
        f"  carried: {', '.join(difference.carried) or 'none'}",
        f"  missing: {', '.join(difference.missing) or 'none'}",
    ]
    if difference.dropped:
        lines.append(f"  no longer asked: {', '.join(difference.dropped)}")
    lines += [
        f"  before: {_standing(difference.before)}",
        f"  after:  {_standing(difference.after)}",
        f"  {difference.after.reason}",
    ]
    return lines
