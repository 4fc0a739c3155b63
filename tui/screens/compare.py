"""Two or three companies side by side, answer by answer, differences highlighted."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from store.checklist import Checklist
from store.models import AnswerEntry, ChecklistRun, Company
from tui.format import score_text
from tui.widgets.footer import Footer

Side = tuple[Company, ChecklistRun | None]


class CompareTable(Static):
    """The comparison table; rows whose answers differ take the highlight style."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"compare-table--differs"}

    def __init__(self, sides: list[Side], checklist: Checklist) -> None:
        super().__init__(id="compare-table")
        self.sides, self.checklist = sides, checklist

    def render(self) -> Table:
        differs = self.get_component_rich_style("compare-table--differs")
        table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold", expand=True)
        table.add_column("Question", ratio=3)
        for company, _ in self.sides:
            table.add_column(Text(company.name), ratio=2)
        table.add_row(
            Text("Verdict", style="bold"),
            *(
                Text(run.verdict.label if run else "not scored", style="bold")
                for _, run in self.sides
            ),
        )
        table.add_row(
            Text("Score · coverage", style="bold"),
            *(
                Text(f"{score_text(run.score)} · {run.coverage:.0%}" if run else "–")
                for _, run in self.sides
            ),
        )
        table.add_row("", *("" for _ in self.sides))
        for question in self.checklist.questions:
            entries = [
                run.answers.get(question.id, AnswerEntry()) if run else AnswerEntry()
                for _, run in self.sides
            ]
            style = differs if len({entry.answer for entry in entries}) > 1 else ""
            cells = [Text(f"{question.id} {question.key}", style=style)]
            for entry in entries:
                cell = Text(entry.answer.value.capitalize(), style=style)
                if entry.evidence.strip():
                    cell.append(f" — {entry.evidence.strip().splitlines()[0][:40]}", "dim")
                cells.append(cell)
            table.add_row(*cells)
        return table


class CompareScreen(Screen[None]):
    """Side-by-side checklist answers of two or three companies."""

    BINDING_GROUP_TITLE = "Compare"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="compare.close"),
    ]

    def __init__(self, sides: list[Side], checklist: Checklist) -> None:
        super().__init__(classes="compare")
        self.sides, self.checklist = sides, checklist

    def compose(self) -> ComposeResult:
        names = " · ".join(company.name for company, _ in self.sides)
        yield Static(Text(f"Compare: {names}", style="bold"), classes="screen-title")
        yield Static(Text("Highlighted rows: the answers differ.", style="dim"), classes="hint")
        with VerticalScroll():
            yield CompareTable(self.sides, self.checklist)
        yield Footer()
