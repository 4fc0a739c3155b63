"""The triage inbox: one key per decision, straight on to the next name.

The same screen shows "new since last session" with another list of companies.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from store import clock
from store.errors import MoatscopeError
from store.models import Status
from store.rows import CompanyRow
from store.service import Workbench
from tui.commands import Command, bindings
from tui.screens.backdrop import SolidScreen
from tui.screens.dialogs import PromptDialog, undo_after_asking
from tui.screens.inbox_conflicts import CONFLICT_COMMANDS, ConflictActions, ConflictBlock
from tui.screens.main import NARROW, WIDE
from tui.screens.note_editor import NoteEditor
from tui.screens.triage_dialogs import PassReasonDialog, RevisitDialog
from tui.widgets.columns import INBOX, cell, header_text
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail
from tui.widgets.footer import Footer
from tui.widgets.header import Header
from tui.widgets.pane import Pane

Source = Callable[[], list[tuple[CompanyRow, str]]]


def layer_keys(names: list[str], width: int) -> str:
    """The line that lists the layer keys in ``width`` cells: each layer's name whole if
    they all fit, else its first word, else cut with "…"."""
    for form in (names, [name.split(" ", 1)[0] for name in names]):
        line = "Layer keys: " + "  ".join(f"{n} {name}" for n, name in enumerate(form, 1))
        if cell_len(line) <= width:
            return line
    return cell(line, width + 1).rstrip(" ")  # (``cell`` pads one cell after the "…")


# fmt: off
INBOX_COMMANDS: tuple[Command, ...] = (
    *CONFLICT_COMMANDS,
    Command("s", "decide('screening')", "Screen", "inbox.screen",
            help="Advance to screening and go to the next name"),
    Command("w", "decide('watching')", "Watch", "inbox.watch",
            help="Watch (not now) and go to the next name"),
    Command("p", "pass", "Pass", "inbox.pass", help="Pass, with a reason, and go on"),
    Command("1", "layer(0)", "Layer", "inbox.layer-1", key_display="1-9",
            help="Put it in that layer of the stack (the numbers are listed above)"),
    *(  # (no label: the help lists the layer keys once, on the row of 1)
        Command(str(n), f"layer({n - 1})", "", f"inbox.layer-{n}", show=False)
        for n in range(2, 10)
    ),
    Command("t", "tag", "Tag", "inbox.tag", help="Add tags"),
    Command("a", "note", "Note", "inbox.note", help="Add a quick note"),
    Command("c", "checklist", "Checklist", "inbox.checklist", help="Run the moat checklist"),
    Command("r", "revisit", "Revisit", "inbox.revisit",
            help="Set a revisit date (1 week, 1 month, 1 quarter, a date)"),
    Command("u", "undo", "Undo", "inbox.undo", help="Undo the last decision and go back to it"),
    Command("escape,i", "app.pop_screen", "Back", "inbox.close", help="Back to the stack"),
)
"""The inbox's keys, one row each (see ``tui.commands``), in the footer's order."""
# fmt: on


class InboxScreen(ConflictActions, SolidScreen[None]):
    """Open conflicts, then companies waiting for a decision; each key decides and moves on."""

    BINDING_GROUP_TITLE = "Inbox"
    BINDINGS: ClassVar[list[BindingType]] = bindings(INBOX_COMMANDS)

    def __init__(
        self,
        workbench: Workbench,
        title: str,
        source: Source,
        empty: Callable[[], Text],
    ) -> None:
        super().__init__(classes="inbox")
        self.workbench, self.heading, self.source = workbench, title, source
        self.empty_text = empty
        self.with_conflicts = source == workbench.inbox
        """Whether open conflicts come first (the inbox, not "new since last session")."""
        self._read: tuple[int, date] | None = None
        """The store's revision and the day the list was last read at."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="layer-keys")
        with Horizontal(id="panes"):
            with Pane(id="center"):
                yield Static(id="view-title")
                yield ConflictBlock()
                yield Static(id="table-header")
                yield CompanyTable(id="companies")
                yield Static(id="inbox-zero")
            yield CompanyDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.table.plan = INBOX
        self.refresh_items()
        self.table.focus()
        self.call_after_refresh(self._prepare_pass_prompt)

    def _prepare_pass_prompt(self) -> None:
        """Once the list is on screen, make the pass prompt ready for the first ``p``:
        gather the recent reasons (the first gathering reads every company, ~10 ms with
        ten thousand) and build the prompt."""
        if self.is_attached:
            self.app.prepare_dialog(
                PassReasonDialog, "", self.workbench.recent_pass_reasons(), lambda _: None
            )

    @property
    def table(self) -> CompanyTable:
        """The list of companies waiting for a decision."""
        return self.query_one(CompanyTable)

    def refresh_items(self, keep: str | None = None) -> None:
        """Re-read the list; the cursor stays at its place, which is the next name."""
        self._read = self._read_at()
        items = self.source()
        conflicts = self.workbench.conflicts() if self.with_conflicts else []
        self.conflict_block.show(conflicts, self.workbench.author)
        self.refresh_bindings()
        table = self.table
        table.layer_names = {layer.id: layer.name for layer in self.workbench.layers()}
        table.reasons = {row.id: reason for row, reason in items}
        table.empty_message = ""
        table.set_rows([row for row, _ in items], keep)
        # One line whatever it says: no layout of the screen on each decision.
        title = Text(f"{self.heading} · {len(items) + len(conflicts)}")
        self.query_one("#view-title", Static).update(title, layout=False)
        zero = self.query_one("#inbox-zero", Static)
        zero.set_class(bool(items or conflicts), "-hidden")
        table.set_class(not items, "-hidden")
        self.query_one("#table-header").set_class(not items, "-hidden")
        if not items:
            zero.update(self.empty_text())

    def _read_at(self) -> tuple[int, date]:
        return self.workbench.revision, clock.today()

    def _update_header(self) -> None:
        width = self.table.scrollable_content_region.width or self.table.size.width or 80
        header = Text(header_text(width, INBOX))
        self.query_one("#table-header", Static).update(header, layout=False)

    def on_resize(self, event: events.Resize) -> None:
        """As the main screen (``MainScreen._fit``): below ``NARROW`` the detail goes under
        the list, below ``WIDE`` it is narrower (the rules are in ``assets/app.tcss``)."""
        width = event.size.width
        self.set_class(width < NARROW, "-narrow")
        self.set_class(NARROW <= width < WIDE, "-medium")
        names = [layer.name for layer in self.workbench.layers()[:9]]
        keys = self.query_one("#layer-keys", Static)
        keys.update(Text(layer_keys(names, width - keys.styles.gutter.width)))
        self.call_after_refresh(self._update_header)

    @on(CompanyTable.Highlighted)
    def show_detail(self, event: CompanyTable.Highlighted) -> None:
        self.query_one(CompanyDetail).follow(event.row, self.workbench)

    def _current(self) -> CompanyRow | None:
        if self.workbench.read_only:
            self.notify(
                f"Read-only session: {self.workbench.notice}.", severity="warning", markup=False
            )
            return None
        return self.table.current

    def _apply(self, change: Callable[[], object], keep: str | None = None) -> str | None:
        try:
            change()
        except MoatscopeError as error:
            return str(error)
        self.refresh_items(keep)
        return None

    def _report(self, error: str | None) -> None:
        if error:
            self.notify(error, severity="error", markup=False)

    def action_decide(self, status: str) -> None:
        if row := self._current():
            self._report(self._apply(lambda: self.workbench.set_status([row.id], status)))

    def action_pass(self) -> None:
        row = self._current()
        if row is None:
            return

        def submit(reason: str) -> str | None:
            return self._apply(lambda: self.workbench.set_status([row.id], Status.PASSED, reason))

        self.app.open_dialog(
            PassReasonDialog, row.name, self.workbench.recent_pass_reasons(), submit
        )

    def action_layer(self, index: int) -> None:
        row = self._current()
        layers = self.workbench.layers()
        if row is None:
            return
        if index >= len(layers):
            self.notify(f"There is no layer {index + 1}: the stack has {len(layers)}.", timeout=3)
            return
        self._report(
            self._apply(lambda: self.workbench.set_layer([row.id], layers[index].id), keep=row.id)
        )
        self.notify(f"{row.name} → {layers[index].name}", timeout=1.5, markup=False)

    def action_tag(self) -> None:
        row = self._current()
        if row is None:
            return

        def submit(value: str) -> str | None:
            tags = [*row.tags, *(tag for tag in value.split(",") if tag.strip())]
            return self._apply(lambda: self.workbench.set_tags(row.id, tags), keep=row.id)

        self.app.push_screen(
            PromptDialog(f"Add tags to {row.name}", submit, placeholder="gpu, seed")
        )

    def action_note(self) -> None:
        row = self._current()
        if row is None:
            return

        def submit(body: str) -> str | None:
            return self._apply(lambda: self.workbench.add_note(row.id, body), keep=row.id)

        self.app.open_dialog(NoteEditor, row.name, submit)

    def action_checklist(self) -> None:
        from tui.screens.checklist_actions import checklist_wizard

        # The list is read again when the result page closes (``on_screen_resume``).
        if row := self._current():
            self.app.push_screen(checklist_wizard(self.workbench, row.id))

    def action_revisit(self) -> None:
        row = self._current()
        if row is None:
            return

        def submit(when: date | None) -> str | None:
            return self._apply(lambda: self.workbench.set_revisit([row.id], when))

        self.app.push_screen(RevisitDialog(row.name, row.revisit, submit))

    def action_undo(self) -> None:
        if self.workbench.read_only:
            return
        pending = self.workbench.next_undo()
        if pending is None:
            self.notify("Nothing to undo", timeout=2)
            return
        undo_after_asking(self.app, pending, self._undo)

    def _undo(self) -> None:
        try:
            undone = self.workbench.undo_change()
        except MoatscopeError as error:
            self._report(str(error))
            return
        if undone is None:
            self.notify("Nothing to undo", timeout=2)
            return
        self.refresh_items(keep=undone.company_ids[0] if undone.company_ids else None)
        self.notify(f"Undone: {undone.label}", timeout=3, markup=False)

    def on_screen_resume(self) -> None:
        if self._read_at() != self._read:  # a dialog's change is already shown
            self.refresh_items(self.table.current.id if self.table.current else None)
