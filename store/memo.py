"""The memo's checklist section: what a partner reads before the table.

Built from the latest run and the checklist it was made with (``checklist_of``), so a
version 1 run shows version 1's questions, score and verdict as saved. Order: the
verdict and its reason, the two strongest answers, the two worst risks, every answer
(risks marked as risks, evidence with its kind, source, date and flags), then the
questions left unanswered, those that could change the verdict marked.
"""

from __future__ import annotations

from store.checklist import Checklist, Question, checklist_of
from store.evidence import Flag, evidence_line, flags
from store.models import Answer, AnswerEntry, ChecklistRun
from store.runs import stored_result
from store.scoring import VALUES, score_text

UNKNOWN = AnswerEntry()
RISK_ANSWER = {
    Answer.YES: "Yes (bad)",
    Answer.PARTLY: "Partly (bad in part)",
    Answer.NO: "No (good)",
}
"""A risk's answer in words that cannot be read the wrong way round."""
Pairs = list[tuple[Question, AnswerEntry]]
Marks = dict[str, tuple[Flag, ...]]


def checklist_section(run: ChecklistRun, active: Checklist) -> str:
    """The Markdown section for ``run``, in the words of its own checklist."""
    own = checklist_of(run, active)
    result = stored_result(run, own)
    parts = [
        f"\n## Moat checklist\n\n**{run.verdict.label}** · {score_text(result)} · coverage "
        f"{run.coverage:.0%} · {run.created:%Y-%m-%d} · "
        f"{run.checklist_id} v{run.checklist_version}\n\n{result.reason}\n",
    ]
    if run.checklist_version != active.version or run.checklist_id != active.id:
        parts.append(
            f"\nScored with {run.checklist_id} v{run.checklist_version}; the score and verdict "
            f"are as saved (re-score to see what v{active.version} makes of it).\n"
        )
    answered = [(q, run.answers[q.id]) for q in own.questions if _answered(run, q)]
    marks = flags(run.answers)
    strongest, worst = _strongest(answered), _worst_risks(answered)
    parts.append(_highlights("Strongest answers", strongest, marks, "no answer counts for it"))
    parts.append(_highlights("Worst risks", worst, marks, "no risk is answered Yes or Partly"))
    parts.append(_table(answered, marks))
    parts.append(_unanswered(own, run, result.deciders))
    return "".join(parts)


def _answered(run: ChecklistRun, question: Question) -> bool:
    return run.answers.get(question.id, UNKNOWN).answer != Answer.UNKNOWN


def _points(question: Question, entry: AnswerEntry) -> float:
    return question.weight * VALUES[question.polarity][entry.answer]


def _strongest(answered: Pairs) -> Pairs:
    """The two answers that count most for the company (stable: checklist order on ties)."""
    ranked = sorted(answered, key=lambda pair: -_points(*pair))
    return [pair for pair in ranked if _points(*pair) > 0][:2]


def _worst_risks(answered: Pairs) -> Pairs:
    """The two risks that count most against it: answered Yes or Partly, heaviest first."""
    risks = [(q, e) for q, e in answered if q.polarity == "risk" and e.answer != Answer.NO]
    return sorted(risks, key=lambda pair: -(pair[0].weight - _points(*pair)))[:2]


def _answer_text(question: Question, entry: AnswerEntry) -> str:
    if question.polarity == "risk":
        return RISK_ANSWER[entry.answer]
    return entry.answer.value.capitalize()


def _question_text(question: Question) -> str:
    return f"Risk: {question.text}" if question.polarity == "risk" else question.text


def _flag_text(question: Question, marks: Marks) -> str:
    return ", ".join(flag.label for flag in marks.get(question.id, ()))


def _highlights(title: str, pairs: Pairs, marks: Marks, none: str) -> str:
    lines = [f"\n### {title}\n\n"]
    for question, entry in pairs:
        evidence = evidence_line(entry)
        flagged = _flag_text(question, marks)
        line = f"- **{question.id}** {_question_text(question)} **{_answer_text(question, entry)}**"
        line += f". {evidence}" if evidence else ""
        line += f" (flagged: {flagged})" if flagged else ""
        lines.append(line + "\n")
    if not pairs:
        lines.append(f"- None: {none}.\n")
    return "".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(answered: Pairs, marks: Marks) -> str:
    lines = [
        "\n### Answers\n\n",
        "| # | Question | Answer | Evidence | Flags |\n|---|---|---|---|---|\n",
    ]
    for question, entry in answered:
        cells = (
            question.id,
            _question_text(question),
            _answer_text(question, entry),
            evidence_line(entry),
            _flag_text(question, marks),
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |\n")
    return "".join(lines)


def _unanswered(own: Checklist, run: ChecklistRun, deciders: tuple[str, ...]) -> str:
    missing = [q for q in own.questions if not _answered(run, q)]
    if not missing:
        return "\n### Unanswered\n\nNone: every question is answered.\n"
    lines = ["\n### Unanswered\n\n"]
    for question in missing:
        mark = " (could change the verdict)" if question.id in deciders else ""
        lines.append(f"- **{question.id}** {_question_text(question)}{mark}\n")
    return "".join(lines)
