"""The import screen: plan in the background with a progress bar, preview, then write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Log, ProgressBar, Static

from store.errors import MoatscopeError
from store.import_file import estimate_rows
from store.import_plan import ImportPlan, Outcome
from store.service import Workbench
from store.text import visible
from tui.format import cut
from tui.widgets.columns import cell
from tui.widgets.footer import Footer

ORDER = {"add": 0, "update": 1, "duplicate": 2, "skip": 3}
LABEL = {"add": "added", "update": "updated", "duplicate": "duplicate", "skip": "skipped"}


NAME_CELLS, LAYER_CELLS = 42, 24
"""The name's and the layer's columns in a preview line, a space after each included."""


def outcome_line(outcome: Outcome, layer_names: dict[str, str], width: int = 0) -> str:
    """One preview line: row, what happens, name, layer and why, each column measured in
    terminal cells and cut with "…"; the why is cut to fit ``width`` cells (0: not cut)."""
    layer = (
        layer_names.get(outcome.layer or "", "unsorted")
        if outcome.action in ("add", "update")
        else ""
    )
    why = "; ".join(
        filter(None, [outcome.layer_reason if outcome.action == "add" else "", outcome.reason])
    )
    start = f"row {outcome.row:>6}  {LABEL[outcome.action]:<9}  "
    start += cell(visible(outcome.name or "(no name)"), NAME_CELLS) + " "
    start += cell(layer, LAYER_CELLS) + " "
    room = width - cell_len(start)
    return start + (cut(visible(why), room) if width and room > 0 else visible(why))


class ImportScreen(Screen[bool]):
    """Preview an import; enter writes it all, esc leaves the database untouched."""

    BINDING_GROUP_TITLE = "Import"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,ctrl+s",
            "apply",
            "Import",
            id="import.apply",
            tooltip="Write the whole import (one change, undo with u)",
        ),
        Binding(
            "escape,q", "cancel", "Cancel", id="import.cancel", tooltip="Leave without importing"
        ),
    ]

    @dataclass
    class Progressed(Message):
        """Rows planned so far."""

        count: int

    @dataclass
    class Planned(Message):
        """The plan is ready (or failed with ``error``)."""

        plan: ImportPlan | None
        error: str = ""

    def __init__(
        self,
        workbench: Workbench,
        path: Path,
        layer: str | None,
        on_done: Callable[[ImportPlan], None],
    ) -> None:
        super().__init__(classes="import")
        self.workbench, self.path, self.layer_override, self.on_done = (
            workbench,
            path,
            layer,
            on_done,
        )
        self.plan: ImportPlan | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-page"):
            yield Static(
                Text(f"Import {self.path}", style="bold", no_wrap=True, overflow="ellipsis"),
                classes="screen-title",
            )
            yield Static(Text("Reading and checking rows…"), id="import-status")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Log(id="import-preview", highlight=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).update(total=max(estimate_rows(self.path), 1))
        self.plan_rows()

    @work(thread=True, exclusive=True, group="import")
    def plan_rows(self) -> None:
        try:
            plan = self.workbench.plan_import(
                self.path,
                self.layer_override,
                progress=lambda n: self.post_message(self.Progressed(n)),
            )
        except MoatscopeError as error:
            self.post_message(self.Planned(None, str(error)))
            return
        self.post_message(self.Planned(plan))

    def on_import_screen_progressed(self, message: Progressed) -> None:
        self.query_one(ProgressBar).update(progress=message.count)

    def on_import_screen_planned(self, message: Planned) -> None:
        status = self.query_one("#import-status", Static)
        bar = self.query_one(ProgressBar)
        bar.update(total=1, progress=1)
        if message.plan is None:
            status.update(Text(message.error + " Nothing was imported; esc goes back."))
            status.add_class("-error")
            return
        self.plan = plan = message.plan
        changes = plan.count("add") + plan.count("update")
        status.update(
            Text(
                f"{plan.summary}. "
                + (f"{plan.notice} " if plan.notice else "")
                + (
                    "enter imports all of it as one change; esc cancels."
                    if changes
                    else "Nothing to import; esc goes back."
                )
            )
        )
        names = {layer.id: layer.name for layer in self.workbench.layers()}
        ordered = sorted(plan.outcomes, key=lambda o: (ORDER[o.action], o.row))
        log = self.query_one(Log)
        width = log.scrollable_content_region.width
        log.write_lines(outcome_line(outcome, names, width) for outcome in ordered)

    def action_apply(self) -> None:
        if self.plan is None:
            return
        if self.workbench.read_only:
            self.notify(
                f"Read-only session: {self.workbench.notice}.", severity="warning", markup=False
            )
            return
        try:
            self.workbench.apply_import(self.plan)
        except MoatscopeError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.on_done(self.plan)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "import")
        self.dismiss(False)
