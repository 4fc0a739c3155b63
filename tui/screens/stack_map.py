"""The stack map: a grid of layer × verdict (or × status) with a cursor that moves over
its cells, and beside it (below it on a narrow terminal) the layer under the cursor: its
summary and the bottlenecks its companies relieve.

Enter closes the map with the cell chosen, as (layer id, filter): the main screen goes to
that layer and filters it with the cell's column (``verdict:anchor``), so it lists exactly
the companies the cell counted (``store.stack_grid``).

``f`` shows the flows between layers instead (``store.layer_flows``): layer × layer, each
cell the supply relations from the row's layer to the column's. No filter word lists the
suppliers of one layer to another, so enter there lists the relations themselves, "supplier
→ customer" with the note, and choosing one closes the map on that supplier (its id: the
main screen's ``jump_to``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from store.layer_flows import Flow, LayerFlows, layer_flows
from store.models import Layer
from store.rows import CompanyRow
from store.stack_grid import Axis, GridRow, StackGrid, stack_grid
from tui.format import score_text
from tui.screens.stack_grid_view import StackGridView
from tui.widgets.footer import Footer

NARROW = 140
"""Below this many columns the layer's notes go under the grid, not beside it."""

CellChoice = tuple[str | None, str] | str
"""A chosen cell: the layer id (None for companies without a layer) and the filter; or, from
the flows, the id of the supplier chosen."""
LISTED = 1000
"""The most relations enter lists from one flow cell (the title says how many there are)."""


class StackMapScreen(Screen[CellChoice | None]):
    """Every layer at a glance, counted by verdict or by status."""

    BINDING_GROUP_TITLE = "Stack map"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m,q", "close", "Back", id="map.close"),
        Binding("enter", "open", "List them", id="map.open"),
        Binding("tab,v", "toggle", "Verdict/status", id="map.toggle"),
        Binding("f", "flows", "Flows", id="map.flows"),
        Binding("k,up", "move(-1, 0)", "Up", show=False, id="map.up"),
        Binding("j,down", "move(1, 0)", "Down", show=False, id="map.down"),
        Binding("h,left", "move(0, -1)", "Left", show=False, id="map.left"),
        Binding("l,right", "move(0, 1)", "Right", show=False, id="map.right"),
        Binding("pagedown", "notes(1)", "Notes down", show=False, id="map.notes-down"),
        Binding("pageup", "notes(-1)", "Notes up", show=False, id="map.notes-up"),
    ]

    def __init__(
        self,
        layers: list[Layer],
        rows: list[CompanyRow],
        flows: Callable[[], LayerFlows] | None = None,
    ) -> None:
        super().__init__(classes="stack-map")
        self.stack_layers, self.rows = layers, rows
        self.read_flows = flows or (lambda: layer_flows(layers, rows, []))
        """The flows between layers (``store.layer_flows.flows_of``: kept per revision), read
        once the map is drawn, while the user looks at it, so ``f`` finds them ready."""
        self.flows: LayerFlows | None = None
        self.axis = Axis.VERDICT

    @property
    def grid(self) -> StackGrid:
        """The grid shown."""
        return self.query_one(StackGridView).grid

    def compose(self) -> ComposeResult:
        yield Static(id="map-title", classes="screen-title")
        with Horizontal(id="map-body"):
            with VerticalScroll(id="map-grid"):
                yield StackGridView(stack_grid(self.stack_layers, self.rows, self.axis))
            with VerticalScroll(id="map-side"):
                yield Static(id="map-notes")
        yield Footer()

    def on_mount(self) -> None:
        for scroll in self.query(VerticalScroll):  # the screen's keys move the cursor
            scroll.can_focus = False
        self._describe()
        self.call_after_refresh(self._ready_flows)

    def _ready_flows(self) -> None:
        """Read the flows and the names their notes sort by, after the map's first frame and
        before ``f`` is pressed (a change since the last read computes them afresh)."""
        self.read_flows().ready()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move(self, rows: int, columns: int) -> None:
        view = self.query_one(StackGridView)
        row, column = view.cursor
        row = max(0, min(row + rows, len(self.grid.rows) - 1))
        column = max(0, min(column + columns, len(self.grid.columns) - 1))
        view.cursor = (row, column)
        self._describe()

    def action_notes(self, step: int) -> None:
        side = self.query_one("#map-side", VerticalScroll)
        side.scroll_relative(y=step * max(side.size.height - 1, 1), animate=False)

    def action_toggle(self) -> None:
        self._show(Axis.STATUS if self.axis is Axis.VERDICT else Axis.VERDICT)

    def action_flows(self) -> None:
        self._show(Axis.VERDICT if self.axis is Axis.FLOWS else Axis.FLOWS)

    def _show(self, axis: Axis) -> None:
        self.axis = axis
        if axis is Axis.FLOWS:
            self.flows = self.read_flows()
            grid = self.flows.grid
        else:
            grid = stack_grid(self.stack_layers, self.rows, axis)
        self.query_one(StackGridView).show(grid)
        self._describe()

    def action_open(self) -> None:
        row, column = self.query_one(StackGridView).cursor
        if not self.grid.cells[row][column].count:
            what = "supply relations" if self.axis is Axis.FLOWS else "companies"
            self.notify(f"No {what} in this cell.", timeout=2)
            return
        if self.axis is Axis.FLOWS:
            self._list_flows(row, column)
            return
        self.dismiss((self.grid.rows[row].layer_id, self.grid.columns[column].query))

    def _list_flows(self, row: int, column: int) -> None:
        """The relations behind a flow cell in a list; choosing one goes to its supplier."""
        from tui.screens.dialogs import ChoiceDialog

        assert self.flows is not None
        flows = self.flows.behind(row, column, first=LISTED)
        title = flow_title(self.grid, row, column)
        if self.grid.cells[row][column].count > LISTED:
            title += f" (the first {LISTED:,})"
        title += " · enter goes to the supplier"
        chosen: list[str] = []

        def submit(key: str) -> None:
            chosen.append(flows[int(key)].supplier_id)

        def decided(done: bool | None) -> None:
            if done and chosen:
                self.dismiss(chosen[0])

        choices = [(str(n), flow_line(flow)) for n, flow in enumerate(flows[:LISTED])]
        self.app.push_screen(ChoiceDialog(title, choices, submit), decided)

    def _describe(self) -> None:
        """The title and the notes on the layer and cell under the cursor."""
        title = Text("Stack map", style="bold")
        if self.axis is Axis.FLOWS:
            title.append(" · flows · supply relations, row's layer → column's")
            title.append(" · f: by verdict", style="dim")
        else:
            other = "status" if self.axis is Axis.VERDICT else "verdict"
            title.append(f" · by {self.axis.value} · each cell: companies · average score")
            title.append(f" · tab: by {other}", style="dim")
        self.query_one("#map-title", Static).update(title)
        row, column = self.query_one(StackGridView).cursor
        notes = self._flow_notes if self.axis is Axis.FLOWS else self._notes
        self.query_one("#map-notes", Static).update(notes(row, column))

    def _flow_notes(self, row: int, column: int) -> Text:
        assert self.flows is not None
        flows = self.flows.behind(row, column, first=NOTED)
        text = Text(flow_title(self.grid, row, column), style="bold")
        if not flows:
            return text.append("\nNone recorded.", style="dim")
        text.append(" · enter lists them\n", style="dim")
        for flow in flows:
            text.append_text(Text(f"\n• {flow_line(flow)}"))
        more = self.grid.cells[row][column].count - len(flows)
        if more > 0:
            text.append(f"\n… and {more:,} more", style="dim")
        return text

    def _notes(self, row: int, column: int) -> Text:
        layer: GridRow = self.grid.rows[row]
        cell, heading = self.grid.cells[row][column], self.grid.columns[column]
        text = Text(layer.name, style="bold")
        count = f"{cell.count:,} {'company' if cell.count == 1 else 'companies'}"
        text.append(f"\n{heading.label}: {count}")
        if cell.average is not None:
            text.append(f", average score {score_text(cell.average)}")
        text.append(" · enter lists them\n" if cell.count else "\n", style="dim")
        summary = layer.summary or (
            "Companies without a layer (an import left them unsorted)."
            if layer.layer_id is None
            else "No summary for this layer."
        )
        text.append(f"\n{summary}\n")
        if layer.bottlenecks:
            text.append("\nBottlenecks\n", style="bold")
            for line in layer.bottlenecks:
                text.append(f"• {line}\n")
        return text


NOTED = 12
"""The relations a flow cell's notes name (enter lists them all)."""


def flow_title(grid: StackGrid, row: int, column: int) -> str:
    """ "Compute supplies Networking & Interconnect: 3 relations" (or "every layer")."""
    count = grid.cells[row][column].count
    source, target = grid.rows[row].name, grid.columns[column]
    to = "every layer" if column == len(grid.columns) - 1 else target.label
    return f"{source} supplies {to}: {count:,} relation{'' if count == 1 else 's'}"


def flow_line(flow: Flow) -> str:
    """ "Supplier → Customer — note"."""
    line = f"{flow.supplier} → {flow.customer}"
    return f"{line} — {flow.note}" if flow.note else line
