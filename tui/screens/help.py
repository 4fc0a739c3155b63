"""Help: the keys of the screen underneath, generated from its live bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.screens.backdrop import Modal
from tui.widgets.footer import Hint


def bindings_table(app, bindings: dict[str, ActiveBinding]) -> Table:
    """A table of key and action, grouped by the part of the screen that owns them."""
    groups: dict[str, list[tuple[str, str]]] = {}
    row_of: dict[tuple[str, str], int] = {}
    for active in bindings.values():
        binding = active.binding
        if not binding.description or binding.system:
            continue
        group = getattr(active.node, "BINDING_GROUP_TITLE", None) or type(active.node).__name__
        entry = (binding.action, group)
        keys = app.get_key_display(binding)
        rows = groups.setdefault(group, [])
        if entry in row_of:
            # Another key for the same action (e.g. q and ctrl+q): one row, both keys.
            index = row_of[entry]
            rows[index] = (f"{rows[index][0]}, {keys}", rows[index][1])
            continue
        row_of[entry] = len(rows)
        rows.append((keys, binding.tooltip or binding.description))
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for group, rows in groups.items():
        table.add_row(Text(group, style="underline"), "")
        for keys, description in rows:
            table.add_row(Text(keys), Text(description))
        table.add_row("", "")
    return table


class HelpScreen(Modal[None]):
    """Every key of the focused screen, from the real bindings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]
    FOOTER_HINTS: ClassVar[tuple[Hint, ...]] = (Hint("", "Scroll", display="↑↓"),)

    def __init__(self, title: str, bindings: dict[str, ActiveBinding]) -> None:
        super().__init__(classes="dialog help")
        self.title_text, self.bindings_snapshot = title, bindings

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(f"Keys: {self.title_text}", style="bold"), classes="title")
            with VerticalScroll():
                yield Static(bindings_table(self.app, self.bindings_snapshot))
            yield Static("esc closes · ctrl+p lists every action", classes="hint")
