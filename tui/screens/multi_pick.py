"""Pick several of a list at once: space ticks or unticks, enter saves, esc cancels.

Used for the chokepoints a company depends on and the other layers it is listed in. The
dialog hands the ids ticked to ``submit``, which returns None or the sentence refusing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, SelectionList, Static

from tui.screens.dialogs import Dialog
from tui.widgets.footer import Hint


class TickList(SelectionList[str]):
    """A SelectionList where enter saves the dialog (space ticks), and j/k move."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.save", "Save", show=False, id="pick-many.save"),
        Binding("j", "cursor_down", "Down", show=False, id="pick-many.down"),
        Binding("k", "cursor_up", "Up", show=False, id="pick-many.up"),
    ]


class MultiPickDialog(Dialog):
    """Tick any of ``choices`` (id, label); those in ``ticked`` start ticked."""

    FOOTER_HINTS: ClassVar[tuple[Hint, ...]] = (
        Hint("space", "Tick"),
        Hint("enter", "Save"),
    )

    def __init__(
        self,
        title: str,
        choices: list[tuple[str, str]],
        ticked: set[str],
        submit: Callable[[list[str]], str | None],
    ) -> None:
        super().__init__(classes="dialog choice multi-pick")
        self.title_text, self.choices, self.submit = title, choices, submit
        self.initial = [key for key, _ in choices if key in ticked]

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="title")
            yield TickList(
                *((Text(label), key, key in self.initial) for key, label in self.choices),
                id="ticks",
            )
            yield Static(id="error", classes="error")
            yield Static("space ticks · enter saves · esc cancels", classes="hint")

    def footer_hints(self) -> Sequence[Hint]:
        return self.FOOTER_HINTS

    def ticked(self) -> list[str]:
        return list(self.query_one(TickList).selected)

    def has_typed(self) -> bool:
        return sorted(self.ticked()) != sorted(self.initial)

    def action_save(self) -> None:
        error = self.submit(self.ticked())
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)
