"""The moat checklist wizard: one question per page, one key per answer.

y / p / n / u answer and advance, ← / → move, tab reaches the evidence fields (text,
source, date, kind: ``tui.widgets.evidence``) and esc comes back from them, ctrl+s saves
the run and shows the result page (``tui.screens.run_result``). Starting again pre-fills
the last run's answers and evidence. Leaving (esc) or quitting (q, ctrl+q) with answers
not saved asks first: save them, discard them, or stay.

The help shown is the question's general help, then its stage's (from the company's
Stage field, ``tui.run_text.stage_of``), then its layer's. On the leak questions
(``Checklist.leak_questions``: C1, C2) the company's possible absorbers and the layers it sits
between follow the help (``tui.widgets.leak_block``), an invested absorber flagged as a
portfolio conflict. A date that is not a date is kept as typed, per question, and the run
is not saved until it is put right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from store.checklist import Checklist, Question
from store.leak_context import LeakContext
from store.models import Answer, AnswerEntry, ChecklistRun
from store.scoring import score, score_text
from tui.commands import Command, bindings
from tui.run_text import help_lines
from tui.screens.dialogs import Unsaved, UnsavedDialog
from tui.screens.run_result import RunResult
from tui.widgets.evidence import EvidenceFields, KindPicker, date_problem
from tui.widgets.footer import Footer
from tui.widgets.leak_block import ConflictLine, LeakBlock

SaveRun = Callable[[dict[str, AnswerEntry]], ChecklistRun | str]

ANSWER_KEYS = {"y": Answer.YES, "p": Answer.PARTLY, "n": Answer.NO, "u": Answer.UNKNOWN}


class AnswerBar(Static):
    """The four answers, the current one highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"answer-bar--chosen", "answer-bar--key"}

    def __init__(self) -> None:
        super().__init__(id="answers")
        self.chosen = Answer.UNKNOWN
        self.risk = False

    def show(self, chosen: Answer, risk: bool) -> None:
        """Highlight ``chosen``; ``risk`` notes that Yes counts against the company."""
        self.chosen, self.risk = chosen, risk
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")  # one line: cut with "…", not wrapped
        for key, answer in ANSWER_KEYS.items():
            label = f" {key} {answer.value.capitalize()} "
            style = (
                self.get_component_rich_style("answer-bar--chosen") if answer == self.chosen else ""
            )
            text.append(label, style)
            text.append("  ")
        if self.risk:
            note = "  a risk: Yes counts against the company"
            if text.cell_len + len(note) > self.size.width:  # (80 columns)
                note = "  a risk: Yes counts against it"
            text.append(note, "dim")
        return text


# fmt: off
WIZARD_COMMANDS: tuple[Command, ...] = (
    Command("y", "answer('yes')", "Yes", "wizard.yes", help="Answer Yes and go on"),
    Command("p", "answer('partly')", "Partly", "wizard.partly", help="Answer Partly and go on"),
    Command("n", "answer('no')", "No", "wizard.no", help="Answer No and go on"),
    Command("u", "answer('unknown')", "Unknown", "wizard.unknown",
            help="Answer Unknown (left out of the score) and go on"),
    Command("left", "move(-1)", "Back", "wizard.previous", help="Previous question"),
    Command("right", "move(1)", "Next", "wizard.next", help="Next question"),
    Command("ctrl+s", "save", "Save run", "wizard.save",
            help="Save the run and show the verdict"),
    Command("escape", "leave", "Cancel", "wizard.cancel",
            help="Leave the wizard (asks first if answers would be lost)"),
    Command("q", "app.quit", "Quit", "wizard.quit",
            help="Quit moatscope (asks first if answers would be lost)"),
)
"""The wizard's keys, one row each (see ``tui.commands``), in the footer's order."""
# fmt: on


class ChecklistWizard(Screen[None]):
    """Answer the checklist for one company."""

    BINDING_GROUP_TITLE = "Checklist"
    BINDINGS: ClassVar[list[BindingType]] = bindings(WIZARD_COMMANDS)

    def __init__(
        self,
        company_name: str,
        checklist: Checklist,
        previous: dict[str, AnswerEntry],
        save: SaveRun,
        *,
        stage: str = "",
        layer: str | None = None,
        leak: LeakContext | None = None,
    ) -> None:
        super().__init__(classes="wizard")
        self.company_name, self.checklist, self.save = company_name, checklist, save
        self.company_stage, self.company_layer = stage, layer
        """The company's Stage field as typed and its layer id: which help applies."""
        self.leak = leak
        """Its absorbers and neighbouring layers, shown on the leak questions."""
        self.answers: dict[str, AnswerEntry] = {
            q.id: previous.get(q.id, AnswerEntry()) for q in checklist.questions
        }
        self.initial = dict(self.answers)
        self.refused: dict[str, str] = {}
        """Dates typed that are not dates, by question id, kept as typed until put right."""
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="wizard-page"):
            yield Static(id="progress")
            yield Static(id="section")
            with VerticalScroll(id="question-box"):
                yield Static(id="question")
                yield Static(id="help-text")
                if self.leak is not None:
                    yield LeakBlock(self.leak, self.company_name)
            if self.leak is not None:
                yield ConflictLine(self.leak, self.company_name)
            yield AnswerBar()
            yield EvidenceFields(id="evidence-fields")
            yield Static(id="running-score")
        yield Footer()

    def on_mount(self) -> None:
        self.show_question()
        self.query_one("#question-box").focus()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_question)

    def _fit_question(self) -> None:
        """The question box (it scrolls) gets at most what the rest of the page leaves, so
        the answers, the evidence and the score stay on a short screen."""
        page, box = self.query_one("#wizard-page"), self.query_one("#question-box")
        others = sum(
            child.outer_size.height + child.styles.margin.height
            for child in page.children
            if child is not box and child.display
        )
        room = page.content_region.height - others - box.styles.margin.height
        box.styles.max_height = max(room, 3)

    @property
    def question(self) -> Question:
        """The question on screen."""
        return self.checklist.questions[self.index]

    def show_question(self) -> None:
        """Draw the current question, its answer and evidence."""
        question, total = self.question, len(self.checklist.questions)
        section = self.checklist.section_of(question.id)
        answered = sum(e.answer != Answer.UNKNOWN for e in self.answers.values())
        self.query_one("#progress", Static).update(
            Text(
                f"{self.company_name} · question {self.index + 1} of {total} · {answered} answered"
            )
        )
        self.query_one("#section", Static).update(Text(f"{section.id}. {section.title}"))
        self.query_one("#question", Static).update(
            Text(f"{question.id}  {question.text}  (weight {question.weight})", style="bold")
        )
        helps = help_lines(question, self.company_stage, self.company_layer)
        self.query_one("#help-text", Static).update(Text("\n".join(helps)))
        leaks = question.id in self.checklist.leak_questions
        for block in self.query(LeakBlock):
            block.display = leaks
        for line in self.query(ConflictLine):
            line.display = leaks and bool(line.line)
        entry = self.answers[question.id]
        self.query_one(AnswerBar).show(entry.answer, question.polarity == "risk")
        self.query_one(EvidenceFields).load(entry, self.refused.get(question.id))
        self._show_score()
        self.call_after_refresh(self._fit_question)

    def _show_score(self) -> None:
        result = score(self.checklist, {qid: e.answer for qid, e in self.answers.items()})
        self.query_one("#running-score", Static).update(
            Text(
                f"So far: {score_text(result)} · coverage {result.coverage:.0%} · "
                f"{result.verdict.label}",
                style="dim",
            )
        )

    def _keep_evidence(self) -> None:
        """Take what the evidence fields hold into the answer on screen."""
        fields, qid = self.query_one(EvidenceFields), self.question.id
        entry = fields.read(self.answers[qid])
        if entry != self.answers[qid]:
            self.answers[qid] = entry
        typed = fields.typed_date
        if date_problem(typed):
            self.refused[qid] = typed
        else:
            self.refused.pop(qid, None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, (TextArea, Input))
        if typing and action in ("answer", "move"):
            return False
        return True

    def action_answer(self, value: str) -> None:
        self._keep_evidence()
        entry = self.answers[self.question.id]
        self.answers[self.question.id] = entry.model_copy(update={"answer": Answer(value)})
        if self.index < len(self.checklist.questions) - 1:
            self.index += 1
        self.show_question()

    def action_move(self, step: int) -> None:
        self._keep_evidence()
        self.index = max(0, min(self.index + step, len(self.checklist.questions) - 1))
        self.show_question()

    def on_evidence_fields_changed(self, event: EvidenceFields.Changed) -> None:
        self._keep_evidence()

    def on_evidence_fields_reflowed(self, event: EvidenceFields.Reflowed) -> None:
        self.call_after_refresh(self._fit_question)  # (a date's message takes a line)

    def has_changes(self) -> bool:
        """True when leaving would lose answers, evidence or a date typed."""
        self._keep_evidence()
        return self.answers != self.initial or bool(self.refused)

    def action_leave(self) -> None:
        if isinstance(self.focused, (TextArea, Input, KindPicker)):
            self.query_one("#question-box").focus()
            return
        if not self.has_changes():
            self.dismiss()
            return
        question = "Discard the answers of this run?"
        self._ask(question, "Save run", "Discard", discarded=self.dismiss)

    def before_quit(self, quit: Callable[[], None]) -> bool:
        """Called by the app's quit: with answers not saved, ask first and return True;
        ``quit`` follows a save or a discard, never staying."""
        if not self.has_changes():
            return False
        question = "Quit and discard the answers of this run?"
        self._ask(question, "Save and quit", "Discard and quit", discarded=quit, saved=quit)
        return True

    def _ask(
        self,
        question: str,
        save: str,
        discard: str,
        *,
        discarded: Callable[[], object],
        saved: Callable[[], object] | None = None,
    ) -> None:
        """Ask what to do with the answers; ``discarded`` follows a discard, ``saved`` a
        save that succeeded (which shows the result page in place of the wizard)."""

        def decided(choice: Unsaved | None) -> None:
            if choice is Unsaved.DISCARD:
                discarded()
            elif choice is Unsaved.SAVE and self.save_run() and saved is not None:
                # After the switch to the result page, so quitting's summary covers it.
                self.app.call_later(saved)

        dialog = UnsavedDialog(question, save=save, discard=discard, stay="Keep answering")
        self.app.push_screen(dialog, decided)

    def action_save(self) -> None:
        self.save_run()

    def save_run(self) -> bool:
        """Record the run and show its result page; False (and a notice) if refused."""
        self._keep_evidence()
        if self.refused:
            self._show_refused()
            return False
        outcome = self.save(dict(self.answers))
        if isinstance(outcome, str):
            self.notify(outcome, severity="error", markup=False)
            return False
        self.app.switch_screen(
            RunResult(self.company_name, outcome, self.checklist, leak=self.leak)
        )
        return True

    def _show_refused(self) -> None:
        """Go to the first question whose date is refused, its date field focused."""
        first = next(q for q in self.checklist.questions if q.id in self.refused)
        self.index = self.checklist.questions.index(first)
        self.show_question()
        problem = self.query_one(EvidenceFields).check_date()
        self.query_one("#date", Input).focus()
        self.notify(f"Not saved: {first.id}: {problem}", severity="error", markup=False)
