"""The multi-line note editor: ctrl+s saves, esc asks before discarding."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from tui.screens.dialogs import KeptDialog, Submit
from tui.widgets.footer import Hint


class NoteEditor(KeptDialog):
    """Write a Markdown note on a company."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note", id="note.save"),
    ]
    DEFAULT_CLASSES = "dialog note-editor"
    FOOTER_HINTS: ClassVar[tuple[Hint, ...]] = (Hint("ctrl+s", "Save note"),)
    """Saving first, before the cancel every dialog has."""

    def setup(self, company_name: str, submit: Submit) -> None:  # type: ignore[override]
        self.company_name, self.submit = company_name, submit

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.heading(), classes="title")
            yield TextArea(id="body", soft_wrap=True, show_line_numbers=False)
            yield Static(id="error", classes="error")
            yield Static("Markdown · ctrl+s saves · esc cancels", classes="hint")

    def heading(self) -> Text:
        return Text(f"Note on {self.company_name}")

    def fill(self) -> None:
        body = self.query_one("#body", TextArea)
        body.load_text("")
        body.focus()

    def has_typed(self) -> bool:
        return bool(self.query_one("#body", TextArea).text.strip())

    def action_save(self) -> None:
        error = self.submit(self.query_one("#body", TextArea).text)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)
