"""The chokepoints view: how much of the pipeline rests on each scarce input.

One entry per chokepoint (``Workbench.exposure``), the most depended on first: its layer,
how many pipeline companies depend on it, and how many of them are at each status and
verdict. Enter lists those companies (the reference set is outside the pipeline, and left
out, as in the counts) in the view; enter on one closes the view on it (the main screen shows it in
its layer), esc goes back to the chokepoints, and esc again (or q) closes the view.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.chokepoint_ops import OUTSIDE_PIPELINE, UNSCORED, Exposure
from store.service import Workbench
from tui.widgets.footer import Footer
from tui.widgets.pick_list import PickList
from tui.widgets.roll_up import Entry, RollUpList

NBSP = "\u00a0"
INDENT = NBSP * 6
"""Spaces a list's line keeps at its start (an option's lines lose plain ones)."""


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items())


def exposure_text(exposure: Exposure, layer: str) -> Text:
    """How many depend on it, the chokepoint and its layer; then, when any do, the
    counts by status and by verdict on a line each."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{exposure.companies:>4}  ".replace(" ", NBSP), style="bold")
    text.append(exposure.chokepoint.name, style="bold")
    text.append(f" · {layer}" if layer else "", style="dim")
    if exposure.companies:
        verdicts = {
            (k if k != UNSCORED else "not scored"): v for k, v in exposure.by_verdict.items()
        }
        text.append(f"\n{INDENT}by status: {_counts(exposure.by_status)}", style="dim")
        text.append(f"\n{INDENT}by verdict: {_counts(verdicts)}", style="dim")
    return text


class ChokepointsScreen(Screen[str | None]):
    """Each chokepoint with the pipeline's exposure to it; enter lists the companies."""

    BINDING_GROUP_TITLE = "Chokepoints"
    DEFAULT_CSS = """
    ChokepointsScreen PickList, ChokepointsScreen RollUpList { height: 1fr; }
    ChokepointsScreen .-hidden { display: none; }
    ChokepointsScreen .screen-title {
        height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="chokepoints.back"),
        Binding("q", "close", "Close", id="chokepoints.close"),
    ]

    def __init__(self, workbench: Workbench) -> None:
        super().__init__(classes="chokepoints-screen")
        self.workbench = workbench
        self.listing: str | None = None
        """The chokepoint whose companies are listed, or None (the chokepoints are)."""
        self._title = Text()

    def compose(self) -> ComposeResult:
        yield Static(id="chokepoints-title", classes="screen-title")
        yield RollUpList(id="chokepoints")
        yield PickList(id="companies", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        self.roll_up()
        self.show_chokepoints()

    def roll_up(self) -> None:
        """List every chokepoint with its roll-up, read again (on opening: nothing changes
        under the view, so going back from a list shows the roll-up as it was)."""
        layers = {layer.id: layer.name for layer in self.workbench.layers()}
        exposures = sorted(self.workbench.exposure(), key=lambda e: -e.companies)
        shown = [
            Entry(e.chokepoint.id, exposure_text(e, layers.get(e.chokepoint.layer or "", "")))
            for e in exposures
        ]
        total = sum(1 for e in exposures if e.companies)
        title = Text("Chokepoints", style="bold", no_wrap=True, overflow="ellipsis")
        title.append(f" · {len(exposures)}, {total} with companies depending on them")
        title.append(" · enter lists them · each count: pipeline companies", style="dim")
        self._title = title
        # Drawn as lines: only the entries whose text changed are drawn again.
        self.query_one("#chokepoints", RollUpList).show(shown)
        if self.listing is None:
            self._set_title(title)

    def show_chokepoints(self) -> None:
        """Show the roll-up again, the cursor where it was."""
        self.listing = None
        self._set_title(self._title)
        self.query_one("#companies").add_class("-hidden")
        roll_up = self.query_one("#chokepoints", RollUpList)
        roll_up.remove_class("-hidden")
        roll_up.focus()

    def show_companies(self, chokepoint_id: str) -> None:
        """List the companies that depend on a chokepoint."""
        rows = [
            row
            for row in self.workbench.depending_on(chokepoint_id)
            if row.status not in OUTSIDE_PIPELINE
        ]
        name = self.workbench.chokepoint(chokepoint_id).name
        if not rows:
            self.notify(f"No company in the pipeline depends on {name}.", timeout=3)
            return
        self.listing = chokepoint_id
        layers = {layer.id: layer.name for layer in self.workbench.layers()}
        options = []
        for row in rows:
            text = Text(row.name, no_wrap=True, overflow="ellipsis")
            verdict = row.verdict.label if row.verdict else "not scored"
            where = layers.get(row.layer or "", "Unsorted")
            text.append(f"  {where} · {row.status.value} · {verdict}", style="dim")
            options.append(Option(text, id=row.id))
        title = Text(f"Depend on {name}", style="bold", no_wrap=True, overflow="ellipsis")
        title.append(f" · {len(rows)} · enter shows one · esc: every chokepoint", style="dim")
        self._set_title(title)
        self.query_one("#chokepoints").add_class("-hidden")
        picks = self.query_one("#companies", PickList)
        picks.clear_options()
        picks.add_options(options)
        picks.highlighted = 0
        picks.remove_class("-hidden")
        picks.focus()

    def _set_title(self, title: Text) -> None:
        # One line high whatever it says: no layout pass for a new title.
        self.query_one("#chokepoints-title", Static).update(title, layout=False)

    @on(RollUpList.Selected, "#chokepoints")
    def chokepoint_chosen(self, event: RollUpList.Selected) -> None:
        self.show_companies(event.entry_id)

    @on(OptionList.OptionSelected, "#companies")
    def company_chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_back(self) -> None:
        if self.listing is None:
            self.dismiss(None)
        else:
            self.show_chokepoints()

    def action_close(self) -> None:
        self.dismiss(None)
