"""The Textual application."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

from store.service import Workbench


class MoatscopeApp(App[None]):
    """Browse the AI-infrastructure stack."""

    TITLE = "moatscope"
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench

    def compose(self) -> ComposeResult:
        yield Header()
        counts: dict[str | None, int] = {}
        for row in self.workbench.rows():
            counts[row.layer] = counts.get(row.layer, 0) + 1
        yield OptionList(
            *(Option(f"{layer.name}  ({counts.get(layer.id, 0)})", id=layer.id)
              for layer in self.workbench.layers()),
            id="layers",
        )
        yield Footer()
