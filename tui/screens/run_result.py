"""The result page of a saved checklist run: what a partner reads before trusting it.

The verdict, its reason in one sentence, the score with its range over the Unknowns, the
coverage, the flagged evidence (claim only, older than a year) and, once a leak question is
answered, the possible absorbers with any portfolio conflict; the unanswered questions
that would change the verdict, then every answer. Everything is read from the checklist
the run was made with (``checklist_of``), so a version-1 run reads as version 1. An
answer that counts against the company (a strength answered No, a risk answered Yes) is
marked ✗, and a risk says it is one: "C3 Yes" never reads as good.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from store.checklist import Checklist
from store.evidence import Flag, evidence_line, flags
from store.leak_context import LeakContext
from store.models import Answer, AnswerEntry, ChecklistRun
from store.scoring import Result, score_text
from tui.format import cut
from tui.run_text import LEGEND, marks, run_result
from tui.widgets.footer import Footer
from tui.widgets.leak_block import LeakBlock

AGAINST = {"strength": Answer.NO, "risk": Answer.YES}
"""The answer that counts against the company, by polarity."""
AGAINST_MARK = "✗"


class RunResult(Screen[None]):
    """The verdict of a saved run, with its reason, range, flags and deciders."""

    BINDING_GROUP_TITLE = "Checklist result"
    DEFAULT_CSS = """
    RunResult #result-flags { margin-bottom: 1; }
    RunResult #deciders { margin-bottom: 1; }
    RunResult #answers-table { text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "app.pop_screen", "Done", id="result.close"),
    ]

    def __init__(
        self,
        company_name: str,
        run: ChecklistRun,
        checklist: Checklist,
        *,
        leak: LeakContext | None = None,
    ) -> None:
        super().__init__(classes="wizard result")
        self.company_name, self.run, self.leak = company_name, run, leak
        self.checklist, self.result = run_result(run, checklist)
        """The run's own checklist, and its result as saved."""

    def leak_answered(self) -> bool:
        """True when the run answers one of its checklist's leak questions (not Unknown)."""
        answers = self.run.answers
        unknown = AnswerEntry()
        return any(
            answers.get(qid, unknown).answer != Answer.UNKNOWN
            for qid in self.checklist.leak_questions
        )

    def compose(self) -> ComposeResult:
        run, result, own = self.run, self.result, self.checklist
        found = flags(run.answers)
        with Vertical(id="wizard-page"):
            yield Static(Text(f"{self.company_name} · checklist saved"), id="progress")
            yield Static(Text(run.verdict.label), id="verdict", classes=f"-{run.verdict.value}")
            yield Static(
                Text(
                    f"{score_text(result).capitalize()} · coverage {run.coverage:.0%} · "
                    f"{own.title} v{run.checklist_version}"
                ),
                id="result-numbers",
            )
            yield Static(Text(result.reason), id="reason")
            yield Static(flags_line(found), id="result-flags")
            if self.leak is not None and self.leak_answered():
                yield LeakBlock(self.leak, self.company_name, brief=True)
            with VerticalScroll(id="result-answers"):  # (scrolls on a short screen)
                yield Static(deciders_text(own, result), id="deciders")
                yield Static(answers_table(own, run, found), id="answers-table")
        yield Footer()


def flags_line(found: dict[str, tuple[Flag, ...]]) -> Text:
    """ "Flagged: A2 † claim only · B1 ‡ older than a year", or that none is."""
    if not found:
        return Text("No evidence flagged.", style="dim")
    text = Text("Flagged: ", style="bold")
    parts = [
        f"{qid} {marks(kinds)} {', '.join(flag.label for flag in kinds)}"
        for qid, kinds in found.items()
    ]
    text.append(" · ".join(parts))
    return text


def deciders_text(checklist: Checklist, result: Result) -> Text:
    """The Unknown questions an answer to which would change the verdict, with their
    texts; or that no single answer would."""
    if not result.deciders:
        return Text("No unanswered question would change the verdict.", style="dim")
    text = Text()
    text.append("Unanswered, and would change the verdict:", "bold")
    for qid in result.deciders:
        question = checklist.by_id.get(qid)
        text.append(f"\n{qid:<4}", "bold")
        text.append(question.text if question else "(not in this checklist)")
    return text


def answers_table(
    checklist: Checklist, run: ChecklistRun, found: dict[str, tuple[Flag, ...]] | None = None
) -> Text:
    """Each question with its answer, one per line: a risk says so, an answer that counts
    against the company is marked ✗, flagged evidence carries its marks."""
    found = flags(run.answers) if found is None else found
    text = Text(no_wrap=True, overflow="ellipsis")
    for question in checklist.questions:
        entry = run.answers.get(question.id, AnswerEntry())
        bad = entry.answer == AGAINST[question.polarity]
        text.append(f"{question.id:<4}{entry.answer.value.capitalize():<8}", "bold")
        text.append(f"{AGAINST_MARK if bad else ' '} ", "bold red" if bad else "")
        if question.polarity == "risk":
            text.append("risk: ", "italic")
        text.append(question.key)
        if question.id in found:
            text.append(f" {marks(found[question.id])}", "bold")
        evidence = evidence_line(entry)
        if evidence:
            text.append(f" — {cut(evidence, 100)}", "dim")
        text.append("\n")
    text.append(f"{AGAINST_MARK} counts against the company · {LEGEND}", "dim")
    return text
