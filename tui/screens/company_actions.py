"""Actions on the highlighted company, or on the marked ones: add, edit, note, status,
tags, mark, delete, undo, revisit.

Each opens a dialog whose answer goes to one service call; the screen then refreshes
from the store. The dialogs not on the first frame are imported when first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from store.errors import MoatscopeError
from store.models import Status
from store.rows import CompanyRow
from store.service import Undone
from tui.commands import key_for
from tui.screens.dialogs import ConfirmDialog, PromptDialog, undo_after_asking
from tui.widgets.layer_list import ALL, UNSORTED
from tui.widgets.tag_suggester import TagSuggester, tags_in_use

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class CompanyActions:
    """Actions on companies, mixed into the main screen."""

    def targets(self: MainScreen) -> list[CompanyRow]:
        """The marked rows, or the highlighted one."""
        if self.table.marks:
            return [row for row in self._base if row.id in self.table.marks]
        return [self.table.current] if self.table.current else []

    def _subject(self: MainScreen, rows: list[CompanyRow]) -> str:
        return rows[0].name if len(rows) == 1 else f"{len(rows)} marked companies"

    def action_mark(self: MainScreen) -> None:
        """Mark or unmark the highlighted company, then move to the next row (so a run of
        rows is marked by holding the key)."""
        row = self.table.current
        if row is None:
            return
        self.table.marks ^= {row.id}
        self.table.refresh()
        self.table.cursor += 1  # (clamped: on the last row the cursor stays)
        self._update_titles(len(self.table.rows))

    def action_mark_all(self: MainScreen) -> None:
        """Mark every company in view (with a filter: every one that matches, not only the
        screenful drawn so far); when all of them are marked already, unmark them."""
        if self.search.pending:
            self.finish_filter()
        ids = {row.id for row in self.table.rows}
        if not ids:
            return
        if ids <= self.table.marks:
            self.table.marks -= ids
            self.say(f"Unmarked {len(ids)}", timeout=2)
        else:
            self.table.marks |= ids
            self.say(f"Marked {len(ids)}", timeout=2)
        self.table.refresh()
        self._update_titles(len(self.table.rows))

    def action_quick_add(self: MainScreen) -> None:
        if not self.writable():
            return
        if self.layer_id in (UNSORTED, ALL):  # (All layers: it lands in Unsorted)
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

    def _show_company(self: MainScreen, company_id: str) -> None:
        row = self.workbench.row(company_id)
        if row is not None and self.query_text and not self.search.matches(row, self.query_text):
            self.query_text = ""
            self.query_one("#filter", Input).value = ""
        self.refresh_view(keep=company_id)
        self.table.focus()

    def action_edit(self: MainScreen) -> None:
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

        self.app.push_screen(
            EditCompanyForm(company, self.workbench.layers(), submit, self.tags_in_use())
        )

    def tags_in_use(self: MainScreen) -> list[str]:
        """Every tag of the database, the most used first: what a tags field offers."""
        return tags_in_use(self.workbench.rows())

    def action_note(self: MainScreen) -> None:
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

    def action_status(self: MainScreen) -> None:
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

    def recent_reasons(self: MainScreen) -> list[str]:
        """Pass reasons used lately, newest first, without repeats."""
        return self.workbench.recent_pass_reasons()

    def action_tags(self: MainScreen) -> None:
        rows = self.targets()
        if not rows or not self.writable():
            return
        if len(rows) == 1:
            self._edit_tags(rows[0])
        else:
            self._tag_marked([row.id for row in rows])

    def _edit_tags(self: MainScreen, row: CompanyRow) -> None:
        """Ask for the tags of one company, all of them, as one comma-separated line."""

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
                hint="enter saves · → completes a tag in use · esc cancels",
                suggester=TagSuggester(self.tags_in_use()),
            )
        )

    def _tag_marked(self: MainScreen, ids: list[str]) -> None:
        """Ask for one tag to add to the marked companies (or, written -tag, to remove)."""

        def submit(value: str) -> str | None:
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
                submit,
                placeholder="tag (or -tag to remove)",
                suggester=TagSuggester(self.tags_in_use()),
            )
        )

    def action_delete(self: MainScreen) -> None:
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
            undo = key_for(self, "edit.undo")
            self.say(f"Deleted {subject}" + (f" · {undo} undoes" if undo else ""), timeout=3)

        links = self.relation_count(ids)
        also = ""
        if links:
            what = "1 link goes" if links == 1 else f"{links} links go"
            also = f" {what} with {'it' if len(ids) == 1 else 'them'}."
        question = f"Delete {subject}?{also}"
        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), decided)

    def action_undo(self: MainScreen) -> None:
        """Undo the last change; one made before this session (or by the command line)
        only after the user says yes, asked once a session."""
        if not self.writable():
            return
        pending = self.workbench.next_undo()
        if pending is None:
            self.say("Nothing to undo", timeout=2)
            return
        undo_after_asking(
            self.app,
            pending,
            lambda: self._take_back(self.workbench.undo_change, "Undone", "Nothing to undo"),
        )

    def action_redo(self: MainScreen) -> None:
        if self.writable():
            self._take_back(self.workbench.redo_change, "Redone", "Nothing to redo")

    def _take_back(
        self: MainScreen, how: Callable[[], Undone | None], done: str, nothing: str
    ) -> None:
        """Run an undo or a redo and say what it did, or ``nothing``."""
        try:
            result = how()
        except MoatscopeError as error:
            self.say(str(error), severity="error")
            return
        if result is None:
            self.say(nothing, timeout=2)
            return
        self.refresh_view()
        self.say(f"{done}: {result.label}", timeout=3)

    def action_revisit(self: MainScreen) -> None:
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
