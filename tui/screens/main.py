"""The main screen: layers, the company list and the selected company's detail.

A key runs an action here; the action calls the service; the screen then
refreshes its widgets from the store. Widgets only display and post messages.

Screens and dialogs that are not on the first frame are imported by the action that
opens them: together they add ~60 ms (TextArea, Markdown, the wizard) to the start.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from store.errors import MoatscopeError
from store.models import Status
from store.rows import CompanyRow
from store.service import Workbench
from tui.screens.backdrop import SolidScreen
from tui.screens.checklist_actions import ChecklistActions
from tui.screens.data_actions import DataActions
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.layer_actions import LayerActions
from tui.search import SearchIndex
from tui.widgets.company_table import CompanyTable, header_text
from tui.widgets.detail import CompanyDetail
from tui.widgets.filter_box import FilterBox
from tui.widgets.footer import Footer
from tui.widgets.header import Header
from tui.widgets.layer_list import UNSORTED, LayerList, LayerStats
from tui.widgets.pane import Pane

DETAIL_DELAY = 0.12
"""Seconds the detail waits for the filter typing to pause before it follows the list."""

SORTS: list[tuple[str, Callable[[CompanyRow], Any]]] = [
    ("name", lambda r: (r.name.casefold(), r.id)),
    ("score", lambda r: (r.score is None, -(r.score or 0), r.name.casefold(), r.id)),
    ("updated", lambda r: (_negated(r.updated), r.name.casefold(), r.id)),
    ("status", lambda r: (list(Status).index(r.status), r.name.casefold(), r.id)),
]
"""Each order is total (the id breaks ties), so a list kept in order change by change
is the list sorting every company again would give."""
NEXT_TURN = 0.001
"""A delay that lets the event loop draw a frame and take keys before what comes next:
the view catching up with what a closed dialog changed, the detail following the list."""
CATCH_UP_LIMIT = 200
"""Changed companies beyond which the list is sorted again rather than patched."""


def _negated(stamp: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in stamp)


class MainScreen(ChecklistActions, DataActions, LayerActions, SolidScreen[None]):
    """Browse the stack and triage companies."""

    BINDING_GROUP_TITLE = "Main"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "left_square_bracket",
            "layer(-1)",
            "Prev layer",
            show=False,
            id="layer.previous",
            tooltip="Show the previous layer",
        ),
        Binding(
            "right_square_bracket",
            "layer(1)",
            "Next layer",
            show=False,
            id="layer.next",
            tooltip="Show the next layer",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="view.filter",
            tooltip="Filter by name, one-liner, tags and notes",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            priority=True,
            id="view.clear-filter",
            tooltip="Clear the filter (then the marks)",
        ),
        Binding(
            "n", "quick_add", "Add", id="company.add", tooltip="Quick-add a company to this layer"
        ),
        Binding("e", "edit", "Edit", id="company.edit", tooltip="Edit every field of the company"),
        Binding("a", "note", "Note", id="company.note", tooltip="Add a Markdown note"),
        Binding(
            "s",
            "status",
            "Status",
            id="company.status",
            tooltip="Set the pipeline status (of the marked companies, if any)",
        ),
        Binding(
            "t",
            "tags",
            "Tags",
            id="company.tags",
            tooltip="Edit tags (or tag the marked companies)",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            id="company.mark",
            tooltip="Mark or unmark for a bulk status, tag or delete",
        ),
        Binding(
            "d",
            "delete",
            "Delete",
            id="company.delete",
            tooltip="Delete the company (or the marked ones), after confirmation",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            id="edit.undo",
            tooltip="Undo the last change, bulk and deletes included",
        ),
        Binding(
            "o",
            "sort",
            "Sort",
            id="view.sort",
            tooltip="Cycle the sort: name, score, updated, status",
        ),
        Binding(
            "m",
            "stack_map",
            "Map",
            id="view.map",
            tooltip="Stack map: every layer, coloured by verdict",
        ),
        Binding(
            "c",
            "checklist",
            "Checklist",
            id="company.checklist",
            tooltip="Run the moat checklist (pre-filled from the last run)",
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,
            id="company.history",
            tooltip="Checklist runs of the company and what changed",
        ),
        Binding(
            "C",
            "compare",
            "Compare",
            show=False,
            id="company.compare",
            tooltip="Compare the two or three marked companies answer by answer",
        ),
        Binding(
            "w",
            "memo",
            "Memo",
            show=False,
            id="company.memo",
            tooltip="Write a one-page Markdown memo to a file",
        ),
        Binding(
            "i",
            "inbox",
            "Inbox",
            id="view.inbox",
            tooltip="Inbox: new names, revisits due, companies without a layer",
        ),
        Binding(
            "r",
            "revisit",
            "Revisit",
            show=False,
            id="company.revisit",
            tooltip="Set a revisit date (1 week, 1 month, 1 quarter, a date)",
        ),
        Binding(
            "N",
            "since",
            "New since",
            show=False,
            id="view.since",
            tooltip="Companies added, changed or scored since the last session",
        ),
        Binding(
            "I",
            "import",
            "Import",
            show=False,
            id="data.import",
            tooltip="Import a provider CSV or a moatscope JSON, with a preview first",
        ),
        Binding(
            "X",
            "export",
            "Export",
            show=False,
            id="data.export",
            tooltip="Export the companies in view to CSV, JSON or Markdown",
        ),
    ]

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.workbench = workbench
        self.layer_id = ""
        self.sort_index = 0
        self.query_text = ""
        self.search = SearchIndex(workbench.notes_text)
        self._base: list[CompanyRow] = []
        self._base_key: tuple[Any, ...] = ()
        self._header_width = 0
        self._detail_timer: Timer | None = None
        self._ahead_timer: Timer | None = None
        self._catch_up: str | None = None
        """While a dialog covers the screen: the company to keep highlighted once the view
        catches up with the store ("" for the current one); None when nothing waits."""

    # Layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="notice")
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

    def _warm_search(self) -> None:
        """Index every company for the filter in a thread, so the first letter typed
        does not wait for ten thousand texts to be folded."""
        rows, shown = self.workbench.rows(), self._base
        self.run_worker(
            lambda: self.search.warm(rows, shown),
            thread=True,
            group="search",
            exit_on_error=False,
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
                self._base = self._patched_base(changed)
            else:
                rows = [row for row in self.workbench.rows() if self._shows(row)]
                self._base = sorted(rows, key=SORTS[self.sort_index][1])
            if not self._base_key or key[0] != self._base_key[0]:
                self._refresh_layers()
            self._base_key = key
        self.apply_filter(keep)

    def _shows(self, row: CompanyRow) -> bool:
        """Whether ``row`` belongs to the current view's layer."""
        return row.layer is None if self.layer_id == UNSORTED else row.layer == self.layer_id

    def _patched_base(self, changed: set[str]) -> list[CompanyRow]:
        """The current list with ``changed`` companies moved, added or dropped: after one
        change, a few bisections instead of sorting ten thousand rows again."""
        order = SORTS[self.sort_index][1]
        base = [row for row in self._base if row.id not in changed]
        for company_id in changed:
            row = self.workbench.row(company_id)
            if row is not None and self._shows(row):
                insort(base, row, key=order)
        return base

    def _refresh_layers(self) -> None:
        stats = {
            layer: LayerStats(count, average)
            for layer, (count, average) in self.workbench.layer_totals().items()
        }
        self.query_one(LayerList).show(self.workbench.layers(), stats, self.layer_id)

    def apply_filter(self, keep: str | None = None, typed: bool = False) -> None:
        """Show the base rows that match the filter. When the user has just ``typed`` it,
        the list starts at the first match, and may show the first screenful of them in
        this frame and all of them once it is drawn."""
        first = self._screenful() if typed else None
        rows = self.search.filter(self._base, self.query_text, first)
        table = self.table
        if table.marks:
            table.marks &= {row.id for row in self._base}
        table.empty_message = (
            f"Nothing matches {self.query_text!r}: esc clears the filter."
            if self.query_text
            else "No companies here yet: press n to add one."
        )
        table.set_rows(rows, keep, self.search.position, top=typed)
        self._update_titles(len(rows))
        if self.search.pending:
            self.call_after_refresh(self.finish_filter)

    def finish_filter(self) -> None:
        """Show the whole result of a filter that stopped at its first screenful."""
        rows = self.search.finish()
        if rows is not None:
            self.table.set_rows(rows)  # (it begins with the rows shown: the cursor stays)
            self._update_titles(len(rows))
            self._read_ahead()

    def _read_ahead(self) -> None:
        """Between keys, a step at a time, read what may follow the filter typed so far
        (``SearchIndex.read_ahead``), so that the next letter narrows it at once."""
        if self._ahead_timer is None:
            self._ahead_timer = self.set_timer(NEXT_TURN, self._read_ahead_step)

    def _read_ahead_step(self) -> None:
        self._ahead_timer = None
        if self.app.key_in_flight:
            return  # not while a key waits for its frame: ``between_keys`` resumes it
        if self.query_text and self.search.read_ahead():
            self._read_ahead()

    def between_keys(self) -> None:
        """Called by the app once a key's frame is drawn."""
        if self.query_text:
            self._read_ahead()

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
        if width != self._header_width:
            self._header_width = width
            self.query_one("#table-header", Static).update(Text(header_text(width)), layout=False)

    def _layer_name(self, layer_id: str | None) -> str:
        if not layer_id or layer_id == UNSORTED:
            return "Unsorted"
        try:
            return self.workbench.layer(layer_id).name
        except MoatscopeError:
            return layer_id

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_titles, len(self.table.rows))

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

    # Running service calls ----------------------------------------------------------------

    def attempt(self, change: Callable[[], object]) -> str | None:
        """Run a service call; None on success, else the sentence to show."""
        try:
            change()
        except MoatscopeError as error:
            return str(error)
        return None

    def say(self, message: str, **options: Any) -> None:
        """Notify without reading markup: messages often quote what users typed."""
        self.notify(message, markup=False, **options)

    def writable(self) -> bool:
        """False (with a polite notice) when this session may not change anything."""
        if self.workbench.read_only:
            self.say(f"Read-only session: {self.workbench.notice}.", severity="warning")
            return False
        return True

    def targets(self) -> list[CompanyRow]:
        """The marked rows, or the highlighted one."""
        if self.table.marks:
            return [row for row in self._base if row.id in self.table.marks]
        return [self.table.current] if self.table.current else []

    def _subject(self, rows: list[CompanyRow]) -> str:
        return rows[0].name if len(rows) == 1 else f"{len(rows)} marked companies"

    # Actions ------------------------------------------------------------------------------

    def action_layer(self, step: int) -> None:
        layers = self.query_one(LayerList)
        if layers.option_count:
            layers.highlighted = ((layers.highlighted or 0) + step) % layers.option_count

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("-hidden")
        box.focus()

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

    def action_clear_filter(self) -> None:
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

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refresh_view()
        self.say(f"Sorted by {SORTS[self.sort_index][0]}", timeout=1.5)

    def action_mark(self) -> None:
        row = self.table.current
        if row is None:
            return
        self.table.marks ^= {row.id}
        self.table.refresh()
        self._update_titles(len(self.table.rows))

    def action_quick_add(self) -> None:
        if not self.writable():
            return
        if self.layer_id == UNSORTED:
            layer, where = None, "Unsorted"
        else:
            layer, where = self.layer_id, self._layer_name(self.layer_id)

        def submit(name: str) -> str | None:
            added: list[str] = []
            error = self.attempt(
                lambda: added.append(self.workbench.add_company(name, layer=layer).id)
            )
            if not error:
                self._show_company(added[0])
                self.say(f"Added {name.strip()}", timeout=2)
            return error

        self.app.push_screen(
            PromptDialog(f"Add a company to {where}", submit, placeholder="Company name")
        )

    def _show_company(self, company_id: str) -> None:
        row = self.workbench.row(company_id)
        if row is not None and self.query_text and not self.search.matches(row, self.query_text):
            self.query_text = ""
            self.query_one("#filter", Input).value = ""
        self.refresh_view(keep=company_id)
        self.table.focus()

    def action_edit(self) -> None:
        from tui.screens.edit_form import EditCompanyForm

        row = self.table.current
        if row is None or not self.writable():
            return
        company = self.workbench.company(row.id)

        def submit(fields: dict[str, Any]) -> dict[str, str] | None:
            try:
                self.workbench.edit_company(company.id, **fields)
            except MoatscopeError as error:
                return getattr(error, "problems", None) or {"form": str(error)}
            self.refresh_view(keep=company.id)
            return None

        self.app.push_screen(EditCompanyForm(company, self.workbench.layers(), submit))

    def action_note(self) -> None:
        from tui.screens.note_editor import NoteEditor

        row = self.table.current
        if row is None or not self.writable():
            return

        def submit(body: str) -> str | None:
            error = self.attempt(lambda: self.workbench.add_note(row.id, body))
            if not error:
                self.refresh_view(keep=row.id)
                self.say("Note saved", timeout=1.5)
            return error

        self.app.open_dialog(NoteEditor, row.name, submit)

    def action_status(self) -> None:
        from tui.screens.status_picker import StatusPicker

        rows = self.targets()
        if not rows or not self.writable():
            return
        ids = [row.id for row in rows]

        def submit(status: Status, reason: str) -> str | None:
            error = self.attempt(lambda: self.workbench.set_status(ids, status, reason))
            if not error:
                self.table.marks.clear()
                self.refresh_view()
            return error

        current = rows[0].status if len(rows) == 1 else None
        self.app.open_dialog(
            StatusPicker, self._subject(rows), current, submit, self.recent_reasons()
        )

    def recent_reasons(self) -> list[str]:
        """Pass reasons used lately, newest first, without repeats."""
        return self.workbench.recent_pass_reasons()

    def action_tags(self) -> None:
        rows = self.targets()
        if not rows or not self.writable():
            return
        if len(rows) == 1:
            row = rows[0]

            def submit(value: str) -> str | None:
                tags = [tag for tag in value.split(",") if tag.strip()]
                error = self.attempt(lambda: self.workbench.set_tags(row.id, tags))
                if not error:
                    self.refresh_view(keep=row.id)
                return error

            self.app.push_screen(
                PromptDialog(
                    f"Tags of {row.name}",
                    submit,
                    value=", ".join(row.tags),
                    placeholder="Comma-separated tags",
                    hint="enter saves · esc cancels",
                )
            )
            return
        ids = [row.id for row in rows]

        def submit_bulk(value: str) -> str | None:
            tag = value.strip()
            if tag.startswith("-"):
                error = self.attempt(lambda: self.workbench.remove_tag(ids, tag[1:]))
            else:
                error = self.attempt(lambda: self.workbench.add_tag(ids, tag))
            if not error:
                self.table.marks.clear()
                self.refresh_view()
            return error

        self.app.push_screen(
            PromptDialog(
                f"Tag {len(ids)} marked companies",
                submit_bulk,
                placeholder="tag (or -tag to remove)",
            )
        )

    def action_delete(self) -> None:
        rows = self.targets()
        if not rows or not self.writable():
            return
        ids = [row.id for row in rows]
        subject = self._subject(rows)

        def decided(confirmed: bool | None) -> None:
            if not confirmed:
                return
            error = self.attempt(lambda: self.workbench.delete_companies(ids))
            if error:
                self.say(error, severity="error")
                return
            self.table.marks.clear()
            self.refresh_view()
            self.say(f"Deleted {subject} · u undoes", timeout=3)

        self.app.push_screen(ConfirmDialog(f"Delete {subject}?", yes="Delete", no="Keep"), decided)

    def action_undo(self) -> None:
        if not self.writable():
            return
        try:
            label = self.workbench.undo()
        except MoatscopeError as error:
            self.say(str(error), severity="error")
            return
        if label is None:
            self.say("Nothing to undo", timeout=2)
            return
        self.refresh_view()
        self.say(f"Undone: {label}", timeout=3)

    def action_inbox(self) -> None:
        from tui.screens.inbox import InboxScreen

        self.app.push_screen(
            InboxScreen(self.workbench, "Inbox", self.workbench.inbox, self._inbox_zero)
        )

    def action_since(self) -> None:
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

    def _inbox_zero(self) -> Text:
        text = Text()
        text.append("Inbox zero.", style="bold")
        upcoming = self.workbench.upcoming_revisits()
        if upcoming:
            text.append("\n\nComing up for a revisit:\n")
            for row in upcoming:
                text.append(f"  {row.revisit}  {row.name}\n")
        else:
            text.append("\n\nNo revisits are scheduled. New names arrive with n or an import (I).")
        return text

    def action_revisit(self) -> None:
        from tui.screens.triage_dialogs import RevisitDialog

        rows = self.targets()
        if not rows or not self.writable():
            return
        ids = [row.id for row in rows]

        def submit(when: date | None) -> str | None:
            error = self.attempt(lambda: self.workbench.set_revisit(ids, when))
            if not error:
                self.refresh_view()
            return error

        self.app.push_screen(RevisitDialog(self._subject(rows), rows[0].revisit, submit))

    def on_screen_resume(self) -> None:
        keep, self._catch_up = self._catch_up or None, None
        # A timer, not call_after_refresh: that runs in the same turn of the event loop
        # as the frame, and the two would stall the keys as one.
        self.set_timer(NEXT_TURN, lambda: self.refresh_view(keep))

    def action_stack_map(self) -> None:
        from tui.screens.stack_map import StackMapScreen

        self.app.push_screen(StackMapScreen(self.workbench.layers(), self.workbench.rows()))
