"""Two or three companies side by side, answer by answer, differences highlighted.

Each run is read by its own checklist version (a version-1 run keeps its verdict and says
"v1"); a flagged answer carries its mark (``tui.run_text.LEGEND``, shown in the hint), a
risk question says it is one, and long evidence is cut with "…".
"""

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
from store.evidence import flags
from store.models import AnswerEntry, ChecklistRun, Company
from store.scoring import Result
from tui.format import cut, score_text
from tui.run_text import LEGEND, marks, run_result, version_note
from tui.widgets.footer import Footer

Side = tuple[Company, ChecklistRun | None]
EVIDENCE_CELLS = 40
"""Evidence in a cell is cut to this many cells, with "…"."""


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
            table.add_column(Text(company.name), ratio=2, no_wrap=True, overflow="ellipsis")
        for label, cells in self._summary():
            table.add_row(Text(label, style="bold"), *cells)
        table.add_row("", *("" for _ in self.sides))
        marked = [flags(run.answers) if run else {} for _, run in self.sides]
        for question in self.checklist.questions:
            entries = [
                run.answers.get(question.id, AnswerEntry()) if run else AnswerEntry()
                for _, run in self.sides
            ]
            style = differs if len({entry.answer for entry in entries}) > 1 else ""
            risk = " (risk)" if question.polarity == "risk" else ""
            cells = [Text(f"{question.id} {question.key}{risk}", style=style)]
            for entry, found in zip(entries, marked, strict=True):
                cell = Text(entry.answer.value.capitalize(), style=style)
                if question.id in found:
                    cell.append(f" {marks(found[question.id])}", "bold")
                if entry.evidence.strip():
                    cell.append(f" — {cut(entry.evidence, EVIDENCE_CELLS)}", "dim")
                cells.append(cell)
            table.add_row(*cells)
        return table

    def _summary(self) -> list[tuple[str, list[Text]]]:
        """The verdict (with "v1" for a run of another version), its score and range."""
        verdicts, scores = [], []
        for _, run in self.sides:
            if run is None:
                verdicts.append(Text("not scored", style="bold"))
                scores.append(Text("–"))
                continue
            _, result = run_result(run, self.checklist)
            version = version_note(run, self.checklist)
            verdicts.append(
                Text(run.verdict.label + (f" ({version})" if version else ""), style="bold")
            )
            scores.append(Text(f"{score_text(run.score)}{_range(result)} · {run.coverage:.0%}"))
        return [("Verdict", verdicts), ("Score (range) · coverage", scores)]


def _range(result: Result) -> str:
    """ " (40–88)", or "" when nothing is left Unknown."""
    if result.score is not None and round(result.low) == round(result.high):
        return ""
    return f" ({result.low:.0f}–{result.high:.0f})"


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
        yield Static(
            Text(f"Highlighted rows: the answers differ · {LEGEND}", style="dim"), classes="hint"
        )
        with VerticalScroll():
            yield CompareTable(self.sides, self.checklist)
        yield Footer()
