"""A company's checklist runs: the history, what changed, and an explicit re-score."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.checklist import Checklist, checklist_of
from store.models import ChecklistRun
from store.runs import answer_changes, movement
from tui.format import cut, score_text, when
from tui.widgets.footer import Footer
from tui.widgets.pick_list import PickList


def run_label(run: ChecklistRun) -> Text:
    """One line per run: date, verdict, score, author, checklist version."""
    text = Text(no_wrap=True)
    text.append(f"{when(run.created)}  ")
    text.append(f"{run.verdict.label:<12}", "bold")
    text.append(f"score {score_text(run.score):>3}  coverage {run.coverage:.0%}  ")
    text.append(f"{run.author} · {run.checklist_id} v{run.checklist_version}", "dim")
    return text


def changes_table(checklist: Checklist, before: ChecklistRun, after: ChecklistRun) -> Table | Text:
    """The answers that changed from ``before`` to ``after``."""
    changes = answer_changes(before, after)
    if not changes:
        return Text("Same answers and evidence as the run before.", style="dim")
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    for column in ("Question", "Before", "After", "Evidence now"):
        table.add_column(column)
    for change in changes:
        question = checklist.by_id.get(change.question_id)
        name = f"{change.question_id} {question.key}" if question else change.question_id
        table.add_row(
            Text(name),
            Text(change.before.answer.value.capitalize()),
            Text(change.after.answer.value.capitalize(), style="bold"),
            Text(cut(change.after.evidence, 60)),
        )
    return table


class RunHistory(Screen[None]):
    """Every run of a company, newest first, with what changed since the run before."""

    BINDING_GROUP_TITLE = "Checklist history"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="history.close"),
        Binding(
            "r",
            "rescore",
            "Re-score",
            id="history.rescore",
            tooltip=(
                "Re-score the latest run with the current checklist (shows the difference first)"
            ),
        ),
    ]

    def __init__(
        self,
        company_name: str,
        runs: Callable[[], list[ChecklistRun]],
        checklist: Checklist,
        rescore: Callable[[], None],
    ) -> None:
        super().__init__(classes="history")
        self.company_name, self.load_runs, self.checklist = company_name, runs, checklist
        self.runs = runs()
        self.request_rescore = rescore

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="history-title", classes="screen-title")
        with Vertical(id="history-body"):
            yield PickList(
                *(Option(run_label(run), id=run.id) for run in reversed(self.runs)), id="run-list"
            )
            with VerticalScroll(id="run-changes"):
                yield Static(id="movement")
                yield Static(id="changes")
        yield Footer()

    def _title(self) -> Text:
        count = len(self.runs)
        return Text(
            f"{self.company_name} · {count} checklist run{'' if count == 1 else 's'}", style="bold"
        )

    def on_mount(self) -> None:
        runs = self.query_one("#run-list", OptionList)
        if self.runs:
            runs.highlighted = 0
        runs.focus()

    def on_screen_resume(self) -> None:
        """Back from the re-score confirmation: show a run it saved, newest first."""
        runs = self.load_runs()
        if [run.id for run in runs] == [run.id for run in self.runs]:
            return
        self.runs = runs
        self.query_one("#history-title", Static).update(self._title())
        listing = self.query_one("#run-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(run_label(run), id=run.id) for run in reversed(runs)])
        listing.highlighted = 0 if runs else None

    @on(OptionList.OptionHighlighted, "#run-list")
    def run_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = next(i for i, run in enumerate(self.runs) if run.id == event.option.id)
        run = self.runs[index]
        before = self.runs[index - 1] if index else None
        self.query_one("#movement", Static).update(
            Text(
                f"{movement(before, run)}"
                + (" since the run before" if before else " (first run)"),
                style="bold",
            )
        )
        changes = self.query_one("#changes", Static)
        own = checklist_of(run, self.checklist)  # the questions as that run asked them
        changes.update(changes_table(own, before, run) if before else Text(""))

    def action_rescore(self) -> None:
        self.request_rescore()
