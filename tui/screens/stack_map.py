"""The stack map: every layer as a band, each company a chip coloured by verdict."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from store.models import Layer, Status, Verdict
from store.rows import CompanyRow
from tui.format import VERDICT_CLASS
from tui.widgets.footer import Footer

CHIPS_PER_LAYER = 120
LEGEND = [
    (Verdict.ANCHOR, "anchor"),
    (Verdict.CONTENDER, "contender"),
    (Verdict.LEAKS_VALUE, "leaks"),
    (Verdict.INCOMPLETE, "incomplete"),
    (None, "unscored"),
]


class StackBand(Static):
    """One layer: its name, counts per status and verdict, and a chip per company."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"stack-band--{name}" for _, name in LEGEND} | {
        "stack-band--title",
        "stack-band--counts",
    }

    def __init__(self, name: str, rows: list[CompanyRow]) -> None:
        super().__init__(classes="band")
        self.layer_name, self.rows = name, rows

    def _chip_style(self, verdict: Verdict | None):
        name = VERDICT_CLASS[verdict] if verdict else "unscored"
        return self.get_component_rich_style(f"stack-band--{name}")

    def render(self) -> Text:
        text = Text()
        text.append(f"{self.layer_name}  ", self.get_component_rich_style("stack-band--title"))
        statuses = Counter(row.status for row in self.rows)
        counts = " · ".join(f"{statuses[s]} {s.value}" for s in Status if statuses[s]) or "empty"
        text.append(
            f"{len(self.rows)} companies: {counts}\n",
            self.get_component_rich_style("stack-band--counts"),
        )
        ordered = sorted(self.rows, key=lambda r: (-(r.score or -1), r.name.casefold()))
        for row in ordered[:CHIPS_PER_LAYER]:
            text.append(f" {row.name} ", self._chip_style(row.verdict))
            text.append(" ")
        if len(ordered) > CHIPS_PER_LAYER:
            text.append(
                f" +{len(ordered) - CHIPS_PER_LAYER:,} more",
                self.get_component_rich_style("stack-band--counts"),
            )
        return text


class Legend(StackBand):
    """The verdict colours, with how many companies have each."""

    def render(self) -> Text:
        verdicts = Counter(row.verdict for row in self.rows)
        text = Text()
        for verdict, _name in LEGEND:
            label = verdict.label if verdict else "Not scored"
            text.append(f" {label} {verdicts[verdict]} ", self._chip_style(verdict))
            text.append("  ")
        return text


class StackMapScreen(Screen[None]):
    """Every layer at a glance."""

    BINDING_GROUP_TITLE = "Stack map"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m,q", "app.pop_screen", "Back", id="map.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="map.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="map.up"),
    ]

    def __init__(self, layers: list[Layer], rows: list[CompanyRow]) -> None:
        super().__init__(classes="stack-map")
        self.stack_layers, self.rows = layers, rows

    def compose(self) -> ComposeResult:
        yield Static(Text("Stack map", style="bold"), classes="screen-title")
        yield Legend("", self.rows)
        with VerticalScroll(id="bands"):
            by_layer: dict[str | None, list[CompanyRow]] = {}
            for row in self.rows:
                by_layer.setdefault(row.layer, []).append(row)
            for layer in reversed(self.stack_layers):
                yield StackBand(layer.name, by_layer.get(layer.id, []))
            if by_layer.get(None):
                yield StackBand("Unsorted", by_layer[None])
        yield Footer()

    def action_scroll(self, step: int) -> None:
        self.query_one("#bands", VerticalScroll).scroll_relative(y=step * 3, animate=False)
