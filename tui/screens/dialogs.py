"""Small dialogs: confirm, unsaved work, single-line prompt (quick-add, tags, reasons).

A dialog never touches the store. It hands what was typed to a ``submit``
callback from the screen that opened it; the callback returns None on success or
an error sentence, which the dialog shows next to the field, keeping the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static

from store.service import NextUndo
from tui.screens.backdrop import Modal
from tui.widgets.footer import Hint
from tui.widgets.pick_list import PickList

Submit = Callable[[str], str | None]


class Dialog(Modal[bool]):
    """Base for dialogs: esc cancels, asking first if something was typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def has_typed(self) -> bool:
        """True when closing would lose text the user typed."""
        return False

    def action_cancel(self) -> None:
        if not self.has_typed():
            self.dismiss(False)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmDialog("Discard what you typed?", yes="Discard", no="Keep editing"), decided
        )

    def show_error(self, message: str | None, target: str = "#error") -> None:
        """Show (or clear) an error sentence under the field."""
        error = self.query_one(target, Static)
        error.update(Text(message or ""))
        error.set_class(bool(message), "-visible")


class KeptDialog(Dialog):
    """A dialog opened many times a session (a note, a status, a pass reason): the app
    keeps one of each kind and opens it again for each subject (``open_dialog``).

    Building one costs some 30 ms and removing it 20 more, with the garbage of both
    for the collector; a kept one is only filled in again. ``setup`` takes what the
    constructor takes (its CSS classes are ``DEFAULT_CLASSES``); ``compose`` shows it
    the first time, ``fill`` every time after, as a new dialog would show it, with
    every field empty. ``fill`` runs before the dialog is shown again, so no key typed
    into it can come before.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__()
        self.setup(*args)

    def setup(self, *args: Any) -> None:
        """Take the subject and callback of the next opening."""
        raise NotImplementedError

    def heading(self) -> Text:
        """The title line for the subject set up (a ``.title`` Label in ``compose``)."""
        raise NotImplementedError

    def fill(self) -> None:
        """Show the subject set up, with every field empty (the title is done)."""
        raise NotImplementedError

    def reopen(self, *args: Any) -> None:
        """Set the dialog up for ``args`` before the app shows it again."""
        self.setup(*args)
        self.query_one(".title", Label).update(self.heading())
        self.show_error(None)
        self.fill()


class ConfirmDialog(Modal[bool]):
    """A yes/no question: y or enter confirms, n or esc declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", show=False, id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", show=False, id="confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog confirm")
        self.question, self.yes, self.no = question, yes, no

    def footer_hints(self) -> Sequence[Hint]:
        """The bar names the answers as the buttons do ("y Delete", "n Keep")."""
        return (Hint("y", self.yes), Hint("n", self.no))

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class Unsaved(StrEnum):
    """What to do with work that is not saved yet."""

    SAVE = "save"
    DISCARD = "discard"
    STAY = "stay"


class UnsavedDialog(Modal[Unsaved]):
    """Work would be lost: s saves it, y discards it, n or esc stays (enter presses the
    focused button, which starts on staying)."""

    AUTO_FOCUS = "#stay"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", "Save", show=False, id="unsaved.save"),
        Binding("y", "answer('discard')", "Discard", show=False, id="unsaved.discard"),
        Binding("n,escape", "answer('stay')", "Stay", show=False, id="unsaved.stay"),
    ]

    def __init__(self, question: str, *, save: str, discard: str, stay: str) -> None:
        super().__init__(classes="dialog confirm unsaved")
        self.question = question
        self.words = {Unsaved.SAVE: save, Unsaved.DISCARD: discard, Unsaved.STAY: stay}
        self.labels = {
            Unsaved.SAVE: f"{save} (s)",
            Unsaved.DISCARD: f"{discard} (y)",
            Unsaved.STAY: f"{stay} (n)",
        }

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(self.labels[Unsaved.SAVE], id="save", variant="primary")
                yield Button(self.labels[Unsaved.DISCARD], id="discard", variant="error")
                yield Button(self.labels[Unsaved.STAY], id="stay")

    def footer_hints(self) -> Sequence[Hint]:
        """The bar names the answers as the buttons do."""
        keys = {Unsaved.SAVE: "s", Unsaved.DISCARD: "y", Unsaved.STAY: "n"}
        return tuple(Hint(keys[answer], word) for answer, word in self.words.items())

    def action_answer(self, answer: str) -> None:
        self.dismiss(Unsaved(answer))

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(Unsaved(event.button.id or Unsaved.STAY))


class PromptDialog(Dialog):
    """One line of input: enter submits (the bar says what it does: ``confirm``), esc
    cancels; with a ``suggester``, the right arrow takes its suggestion."""

    def __init__(
        self,
        title: str,
        submit: Submit,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "enter saves · esc cancels",
        suggestions: list[str] | None = None,
        suggester: Suggester | None = None,
        confirm: str = "OK",
    ) -> None:
        super().__init__(classes="dialog prompt")
        self.title_text, self.submit, self.initial = title, submit, value
        self.suggester = suggester
        self.hints = (Hint("enter", confirm),)
        if suggester is not None:
            self.hints += (Hint("right", "Complete"),)
        self.placeholder, self.hint = placeholder, hint
        self.suggestions = suggestions or []

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="title")
            yield Input(
                self.initial, placeholder=self.placeholder, id="value", suggester=self.suggester
            )
            yield Static(id="error", classes="error")
            if self.suggestions:
                yield Static(Text("Recent: " + " · ".join(self.suggestions)), classes="hint")
            yield Static(self.hint, classes="hint")

    def footer_hints(self) -> Sequence[Hint]:
        return self.hints

    def has_typed(self) -> bool:
        return self.query_one("#value", Input).value != self.initial

    @on(Input.Submitted, "#value")
    def submitted(self, event: Input.Submitted) -> None:
        error = self.submit(event.value)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)


class ChoiceDialog(Dialog):
    """Pick one of a few options with the arrows or j/k and enter."""

    FOOTER_HINTS: ClassVar[tuple[Hint, ...]] = (
        Hint("enter", "Choose"),
        Hint("", "Move", display="↑↓"),
    )

    def __init__(self, title: str, choices: list[tuple[str, str]], submit: Submit) -> None:
        super().__init__(classes="dialog choice")
        self.title_text, self.choices, self.submit = title, choices, submit

    def compose_dialog(self) -> ComposeResult:
        from textual.widgets.option_list import Option

        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="title")
            yield PickList(
                *(Option(Text(label), id=key) for key, label in self.choices), id="choices"
            )
            yield Static(id="error", classes="error")
            yield Static("enter chooses · esc cancels", classes="hint")

    def on_option_list_option_selected(self, event) -> None:
        error = self.submit(event.option.id)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)


def kept_name(kind: type[KeptDialog]) -> str:
    """The name the app installs the one kept dialog of ``kind`` under."""
    return f"kept-{kind.__name__}"


def undo_after_asking(app: Any, pending: NextUndo, undo: Callable[[], None]) -> None:
    """``undo`` at once when this session made the change ``pending`` names, or the user
    already agreed this session to undo earlier work; else after they say yes."""
    if pending.this_session or app.earlier_undo_allowed:
        undo()
        return

    def decided(yes: bool | None) -> None:
        if yes:
            app.earlier_undo_allowed = True
            undo()

    when = pending.at[:16].replace("T", " ")
    question = (
        f"Undo “{pending.label}”? It was made {when} UTC, "
        "in an earlier session or from the command line."
    )
    app.push_screen(ConfirmDialog(question, yes="Undo", no="Keep"), decided)
