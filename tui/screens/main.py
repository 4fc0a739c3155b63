"""The main screen: layers, the company list and the selected company's detail.

A key runs an action (its bindings come from the table in ``main_commands``); the
actions live in mixins by concern (``company_actions``, ``view_actions``,
``checklist_actions``, ``data_actions``, ``layer_actions``); each calls the service,
and the screen then refreshes its widgets from the store (here). Widgets only display
and post messages. Screens and dialogs that are not on the first frame are imported by
the action that opens them, so they are not read at the start.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from store.errors import MoatscopeError
from store.rows import CompanyRow
from store.service import Workbench
from tui import memory
from tui.commands import Command, bindings, key_for
from tui.screens.backdrop import SolidScreen
from tui.screens.chain_actions import ChainActions
from tui.screens.checklist_actions import ChecklistActions
from tui.screens.company_actions import CompanyActions
from tui.screens.data_actions import DataActions
from tui.screens.layer_actions import LayerActions
from tui.screens.main_commands import MAIN_COMMANDS
from tui.screens.service_calls import ServiceCalls
from tui.screens.view_actions import SORTS, ViewActions
from tui.search import SearchIndex
from tui.sorted_rows import SortedRows
from tui.widgets.columns import ALL_LAYERS, LAYER_VIEW, Columns, header_text
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail
from tui.widgets.filter_box import FilterBox
from tui.widgets.footer import Footer
from tui.widgets.header import Header
from tui.widgets.layer_list import ALL, UNSORTED, LayerList, LayerStats, LayerStrip
from tui.widgets.pane import Pane

DETAIL_DELAY = 0.12
"""Seconds the detail waits for the filter typing to pause before it follows the list."""

NEXT_TURN = 0.001
"""A delay that lets the event loop draw a frame and take keys before what comes next:
the view catching up with what a closed dialog changed, the detail following the list."""
NARROW, WIDE = 120, 160
"""Screen widths (cells) at which the layout changes (``MainScreen._fit``)."""
CATCH_UP_LIMIT = 200
"""Changed companies beyond which the list is sorted again rather than patched."""


class MainScreen(
    CompanyActions,
    ChainActions,
    ViewActions,
    ChecklistActions,
    DataActions,
    LayerActions,
    ServiceCalls,
    SolidScreen[None],
):
    """Browse the stack and triage companies."""

    BINDING_GROUP_TITLE = "Main"
    COMMAND_TABLE: ClassVar[tuple[Command, ...]] = MAIN_COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMAND_TABLE)

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench
        self.layer_id = ""
        self.sort_index = 0
        self.query_text = ""
        self.search = SearchIndex(workbench.notes_text)
        self._sorted = SortedRows((), SORTS[0][1])
        self._base: list[CompanyRow] = self._sorted.rows
        self._base_key: tuple[Any, ...] = ()
        self._header_width: tuple[int, Columns | None] = (0, None)
        self._detail_timer: Timer | None = None
        self.zoomed = ""
        """The pane ``z`` zoomed ("table", "detail" or "layers"), "" when none is."""
        self._catch_up: str | None = None
        """While a dialog covers the screen: the company to keep highlighted once the view
        catches up with the store ("" for the current one); None when nothing waits."""

    # Layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="notice")
        yield LayerStrip(id="layer-strip")
        with Horizontal(id="panes"):
            yield LayerList(id="layers")
            with Pane(id="center"):
                yield Static(id="view-title")
                yield FilterBox(
                    self.filter_typed,
                    placeholder="Filter: name, one-liner, tags, notes",
                    id="filter",
                )
                yield Static(id="table-header")
                yield CompanyTable(id="companies")
            yield CompanyDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        layers = self.workbench.layers()
        self.layer_id = layers[0].id if layers else UNSORTED
        if self.workbench.read_only:
            notice = self.query_one("#notice", Static)
            notice.update(Text(f"Read-only: {self.workbench.notice}. Changes are disabled."))
            notice.add_class("-visible")
        self.refresh_view()
        self.query_one(CompanyTable).focus()
        self.call_after_refresh(self._warm_search)
        self.workbench.listeners.append(memory.freeze_new)  # (the store's new lists)

    def _warm_search(self) -> None:
        """Index every company for the filter in a thread, so the first letter typed
        does not wait for ten thousand texts to be folded."""
        rows, sorted_rows, search = self.workbench.rows(), self._sorted, self.search
        self.run_worker(
            lambda: _warm(search, rows, sorted_rows),
            thread=True,
            group="search",
            exit_on_error=False,
        )

    def _warm_listing(self, base: SortedRows) -> None:
        """Make ``base`` (All layers: every company) ready to search in a thread, as the
        first list is at the start: its first letter would otherwise list every text and
        fold every name on the UI thread."""
        search = self.search
        self.run_worker(
            lambda: _warm(search, (), base), thread=True, group="search", exit_on_error=False
        )

    @property
    def table(self) -> CompanyTable:
        """The company list."""
        return self.query_one(CompanyTable)

    # Refreshing from the store ------------------------------------------------------------

    def refresh_view(self, keep: str | None = None) -> None:
        """Re-read the current layer's rows and redraw the list, layers and detail.

        Under a dialog (or another screen) this only notes that the view must catch up:
        it does so just after the frame that uncovers it, so a dialog's close and the
        change it made are drawn in two frames, not in one stall twice as long.
        """
        if self.is_mounted and not self.is_active:  # (is_active: False as the app closes)
            self._catch_up = keep or self._catch_up or ""
            return
        keep = keep or (self.table.current.id if self.table.current else None)
        key = (self.workbench.revision, self.layer_id, self.sort_index)
        if key != self._base_key:
            changed = None
            if self._base_key and key[1:] == self._base_key[1:]:
                changed = self.workbench.changed_after(self._base_key[0])
            if changed is not None and len(changed) <= CATCH_UP_LIMIT:
                self._patch_base(changed)
            else:
                rows = (row for row in self.workbench.rows() if self._shows(row))
                self._sorted = SortedRows(rows, SORTS[self.sort_index][1])
                self._base = self._sorted.rows
                if self.layer_id == ALL and self._base_key:
                    self._warm_listing(self._sorted)
            if not self._base_key or key[0] != self._base_key[0]:
                self._refresh_layers()
            self._show_strip()
            self._base_key = key
            self._show_layer_column()
        self.apply_filter(keep)

    def _shows(self, row: CompanyRow) -> bool:
        """Whether ``row`` belongs to the current view's layer."""
        if self.layer_id == ALL:
            return True
        if self.layer_id == UNSORTED:
            return row.layer is None
        return row.layer == self.layer_id or self.layer_id in row.secondary_layers

    def _show_layer_column(self) -> None:
        """In All layers, the list has a Layer column, each company's layer by name (and
        the tags when there is room); in a layer, only the tags."""
        every = self.layer_id == ALL
        self.table.plan = ALL_LAYERS if every else LAYER_VIEW
        self.table.layer_shown = None if every or self.layer_id == UNSORTED else self.layer_id
        layers = self.workbench.layers() if every else []
        self.table.layer_names = {layer.id: layer.name for layer in layers}

    def jump_to(self, company_id: str) -> None:
        """Show company ``company_id`` in its own layer, highlighted, with the filter
        cleared if it hides it (the palette's company search ends here)."""
        row = self.workbench.row(company_id)
        if row is None:
            self.say("That company is no longer in the database.", severity="warning")
            return
        self.layer_id = row.layer or UNSORTED
        layers = self.query_one(LayerList)
        ids = [option.id for option in layers.options]
        if self.layer_id in ids:
            layers.highlighted = ids.index(self.layer_id)  # (the view is already that layer)
        self._show_company(company_id)

    def _patch_base(self, changed: set[str]) -> None:
        """Move, add or drop the ``changed`` companies: bisections, not every row read."""
        old, row, shows = self._base, self.workbench.row, self._shows
        edits = self._sorted.patch(changed, lambda i: r if (r := row(i)) and shows(r) else None)
        self._base = self._sorted.rows
        self.search.patch(old, self._base, edits)
        memory.freeze_new()

    def _position(self, rows: list[CompanyRow], company_id: str) -> int | None:
        """Where company ``company_id`` is in ``rows``: by bisection in the whole list."""
        if rows is self._base:
            return self._sorted.position(self.workbench.row(company_id))
        return self.search.position(rows, company_id)

    def _refresh_layers(self) -> None:
        totals, references = self.workbench.layer_totals(), self.workbench.layer_references()
        stats = {
            layer: LayerStats(*totals.get(layer, (0, None)), references.get(layer, 0))
            for layer in totals.keys() | references.keys()
        }
        self.query_one(LayerList).show(self.workbench.layers(), stats, self.layer_id)

    def _show_strip(self) -> None:
        """The narrow screen's strip says what the layer list says."""
        layers = self.query_one(LayerList)
        self.query_one(LayerStrip).show(layers.names, layers.highlighted or 0)

    def apply_filter(self, keep: str | None = None, typed: bool = False) -> None:
        """Show the base rows that match the filter. When the user has just ``typed`` it,
        the list starts at the first match, and may show the first screenful of them in
        this frame and all of them once it is drawn."""
        first = self._screenful() if typed else None
        rows = self.search.filter(self._base, self.query_text, first)
        table = self.table
        if table.marks:  # (in place: the set is the table's)
            table.marks.difference_update(table.marks - self._sorted.by_id().keys())
        if not rows:
            table.empty_message = self._empty_message()
        table.set_rows(rows, keep, self._position, top=typed)
        self._update_titles(len(rows))
        if self.search.pending:
            self.call_after_refresh(self.finish_filter)

    def _empty_message(self) -> str:
        """What the empty list says, with the key that helps (as the user has it now)."""
        if self.query_text:
            clear = key_for(self, "view.clear-filter")
            hint = f": {clear} clears the filter" if clear else ""
            return f"Nothing matches {self.query_text!r}{hint}."
        add = key_for(self, "company.add")
        hint = f": press {add} to add one" if add else ""
        return f"No companies here yet{hint}."

    def finish_filter(self) -> None:
        """Show the whole result of a filter that stopped at its first screenful."""
        rows = self.search.finish()
        if rows is not None:
            self.table.set_rows(rows)  # (it begins with the rows shown: the cursor stays)
            self._update_titles(len(rows))

    def _screenful(self) -> int:
        """Rows the list shows from the top, and one more (so its scrollbar says more
        follow)."""
        return self.table.scrollable_content_region.height + 1

    def _update_titles(self, shown: int) -> None:
        name = self._layer_name(self.layer_id)
        count = "…" if self.search.pending else str(shown)  # (still counting)
        parts = [
            f"{name} · {count} of {len(self._base)}" if self.query_text else f"{name} · {count}"
        ]
        parts.append(f"sort: {SORTS[self.sort_index][0]}")
        if self.table.marks:
            parts.append(f"{len(self.table.marks)} marked")
        if self.query_text:
            parts.append(f"filter: {self.query_text}")
        # One line high whatever it says: no layout pass, which would cost more than the filter.
        self.query_one("#view-title", Static).update(Text(" · ".join(parts)), layout=False)
        box = self.query_one("#filter", Input)
        # Emptying the box while typing must not hide it: focus would jump to the
        # list and the next letters would run its keys. It hides when it loses focus.
        box.set_class(not self.query_text and not box.has_focus, "-hidden")
        width = self.table.scrollable_content_region.width or self.table.size.width or 80
        plan = self.table.plan
        if (width, plan) != self._header_width:
            self._header_width = (width, plan)
            header = Text(header_text(width, plan))
            self.query_one("#table-header", Static).update(header, layout=False)

    def _layer_name(self, layer_id: str | None) -> str:
        if layer_id == ALL:
            return "All layers"
        if not layer_id or layer_id == UNSORTED:
            return "Unsorted"
        try:
            return self.workbench.layer(layer_id).name
        except MoatscopeError:
            return layer_id

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)
        # The count is read when the titles are redrawn: a layer shown in between (a key
        # typed as the terminal opened) must not get the count of the one before.
        self.call_after_refresh(lambda: self._update_titles(len(self.table.rows)))

    def _fit(self, width: int) -> None:
        """Lay the panes out for a screen ``width`` cells wide (the rules are in app.tcss):
        below ``NARROW`` the layers are a one-line strip and the detail goes under the
        list; below ``WIDE`` the side panes are narrower; at ``WIDE`` and over, as drawn
        for a 160-column terminal."""
        narrow = width < NARROW
        if narrow and self.zoomed == "layers":
            self._zoom("")
        if narrow and self.focused is not None and self.query_one(LayerList) is self.focused:
            self.table.focus()  # (the list is hidden: the keys go to the companies)
        self.set_class(narrow, "-narrow")
        self.set_class(NARROW <= width < WIDE, "-medium")

    @on(CompanyTable.Highlighted)
    def show_detail(self, event: CompanyTable.Highlighted) -> None:
        # The detail follows in the next turn of the event loop, so the list's cursor is
        # drawn first and a key held down moves it without formatting every company on
        # the way. While the user types a filter, it waits for the typing to pause:
        # formatting a company's notes on every letter would double what a keystroke costs.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        typing = self.query_one("#filter", Input).has_focus
        self._detail_timer = self.set_timer(
            DETAIL_DELAY if typing else NEXT_TURN, lambda: self._show_detail(event.row)
        )

    def _show_detail(self, row: CompanyRow | None) -> None:
        self._detail_timer = None
        self.query_one(CompanyDetail).follow(row, self.workbench)

    @on(OptionList.OptionHighlighted, "#layers")
    def layer_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.layer_id:
            self.layer_id = event.option.id
            self.refresh_view()

    def on_screen_resume(self) -> None:
        keep, self._catch_up = self._catch_up or None, None
        # A timer, not call_after_refresh: that runs in the same turn of the event loop
        # as the frame, and the two would stall the keys as one.
        self.set_timer(NEXT_TURN, lambda: self.refresh_view(keep))

    # The filter box -----------------------------------------------------------------------

    def filter_typed(self, value: str) -> None:
        """The filter box's text changed: the list follows in the same turn as the key,
        so the box and the list are drawn in one frame, not one after the other."""
        if value != self.query_text:
            self.query_text = value
            self.apply_filter(typed=True)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.finish_filter()
        self.table.focus()

    @on(Input.Blurred, "#filter")
    def filter_left(self) -> None:
        self.finish_filter()
        self.query_one("#filter", Input).set_class(not self.query_text, "-hidden")
        if self._detail_timer is not None:  # no more typing to wait for: the next turn
            self._detail_timer.stop()
            self._detail_timer = self.set_timer(
                NEXT_TURN, lambda: self._show_detail(self.table.current)
            )


def _warm(search: SearchIndex, rows: Sequence[CompanyRow], shown: SortedRows) -> None:
    """In a worker thread: ``search.warm`` and ``shown``'s rows by id made ahead; then what
    they made (it lives on) frozen."""
    search.warm(rows, shown.rows)
    shown.by_id()
    memory.freeze_new()
