"""What the main screen shows: the layer, the filter, the sort, and the screens that open
over it (inbox, new since last session, stack map), imported when first opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Input

from store.models import Status
from store.rows import CompanyRow
from tui.commands import key_for
from tui.widgets.detail import CompanyDetail
from tui.widgets.layer_list import UNSORTED, LayerList

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

SORTS: list[tuple[str, Callable[[CompanyRow], Any]]] = [
    ("name", lambda r: (r.name.casefold(), r.id)),
    ("score", lambda r: (r.score is None, -(r.score or 0), r.name.casefold(), r.id)),
    ("updated", lambda r: (_negated(r.updated), r.name.casefold(), r.id)),
    ("status", lambda r: (list(Status).index(r.status), r.name.casefold(), r.id)),
]
"""Each order is total (the id breaks ties), so a list kept in order change by change
is the list sorting every company again would give."""


def _negated(stamp: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in stamp)


ZOOMS = ("table", "detail", "layers")
"""The panes ``z`` can zoom."""


class ViewActions:
    """Actions that change the view, mixed into the main screen."""

    def action_layer(self: MainScreen, step: int) -> None:
        layers = self.query_one(LayerList)
        if layers.option_count:
            layers.highlighted = ((layers.highlighted or 0) + step) % layers.option_count

    def action_filter(self: MainScreen) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("-hidden")
        box.focus()

    def action_clear_filter(self: MainScreen) -> None:
        box = self.query_one("#filter", Input)
        if self.query_text or box.has_focus:
            current = self.table.current
            self.query_text = ""
            box.value = ""
            self.apply_filter(keep=current.id if current else None)  # found it: stay on it
            self.table.focus()
        elif self.table.marks:
            self.table.marks.clear()
            self.apply_filter()

    def action_sort(self: MainScreen) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refresh_view()
        self.say(f"Sorted by {SORTS[self.sort_index][0]}", timeout=1.5)

    def action_inbox(self: MainScreen) -> None:
        from tui.screens.inbox import InboxScreen

        self.app.push_screen(
            InboxScreen(self.workbench, "Inbox", self.workbench.inbox, self._inbox_zero)
        )

    def action_since(self: MainScreen) -> None:
        from tui.screens.inbox import InboxScreen

        previous = getattr(self.app, "previous_session", None)
        if not previous:
            self.say("This is the first session on this database: everything is new.", timeout=3)
            return
        self.app.push_screen(
            InboxScreen(
                self.workbench,
                f"New since {previous[:16].replace('T', ' ')}",
                lambda: self.workbench.changed_since(previous),
                lambda: Text("Nothing was added, changed or scored since the last session."),
            )
        )

    def _inbox_zero(self: MainScreen) -> Text:
        text = Text()
        text.append("Inbox zero.", style="bold")
        upcoming = self.workbench.upcoming_revisits()
        if upcoming:
            text.append("\n\nComing up for a revisit:\n")
            for row in upcoming:
                text.append(f"  {row.revisit}  {row.name}\n")
        else:
            add, load = key_for(self, "company.add"), key_for(self, "data.import")
            how = f" with {add} or an import ({load})" if add and load else ""
            text.append(f"\n\nNo revisits are scheduled. New names arrive{how}.")
        return text

    def action_stack_map(self: MainScreen) -> None:
        from store.layer_flows import flows_of
        from tui.screens.stack_map import StackMapScreen

        bench = self.workbench
        self.app.push_screen(
            StackMapScreen(bench.layers(), bench.rows(), lambda: flows_of(bench)), self._open_cell
        )

    def _open_cell(self: MainScreen, cell: tuple[str | None, str] | str | None) -> None:
        """Show the companies of the stack map's cell: its layer, filtered by its column; or
        the supplier chosen from a flow's relations."""
        if cell is None:
            return
        if isinstance(cell, str):
            self.jump_to(cell)
            return
        layer_id, query = cell
        self.layer_id = layer_id or UNSORTED
        self.query_text = query
        self.query_one("#filter", Input).value = query
        self.refresh_view()

    def action_zoom(self: MainScreen) -> None:
        """Zoom the focused pane to the whole screen; again, restore the layout."""
        if self.zoomed:
            self._zoom("")
            return
        focused = self.focused
        if isinstance(focused, CompanyDetail):
            self._zoom("detail")
        elif isinstance(focused, LayerList):
            self._zoom("layers")
        else:
            self._zoom("table")

    def _zoom(self: MainScreen, pane: str) -> None:
        for name in ZOOMS:
            self.set_class(name == pane, f"-zoom-{name}")
        self.zoomed = pane
