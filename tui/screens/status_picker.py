"""Pick a pipeline status, with the arrows and enter or by its letter; passing asks for the
reason (while the reason field has the focus, letters are typed, not picked)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from store.models import Status
from tui.screens.dialogs import KeptDialog
from tui.widgets.footer import Hint
from tui.widgets.pick_list import PickList

SubmitStatus = Callable[[Status, str], str | None]

DESCRIPTIONS = {
    Status.NEW: "not triaged yet",
    Status.SCREENING: "worth a first look",
    Status.DILIGENCE: "in depth, with the team",
    Status.INVESTED: "in the portfolio",
    Status.PASSED: "not for us — needs a reason",
    Status.WATCHING: "not now, keep an eye on it",
    Status.REFERENCE: "a comparable, not deal flow",
}

LETTERS = {
    Status.NEW: "n",
    Status.SCREENING: "s",
    Status.DILIGENCE: "d",
    Status.INVESTED: "i",
    Status.PASSED: "p",
    Status.WATCHING: "w",
    Status.REFERENCE: "r",
}
"""Each status's key in the picker: its first letter (they are all different)."""

REASON_KEYS = (Hint("enter", "Save reason"),)
"""The bar while the reason is typed (letters are text then)."""

CHOOSE_HINT = "a letter or enter chooses · esc cancels"
REASON_HINT = "enter saves the reason · esc cancels"


class StatusPicker(KeptDialog):
    """Statuses in pipeline order; enter picks one."""

    DEFAULT_CLASSES = "dialog status-picker"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(letter, f"pick('{status.value}')", status.value, show=False, id=f"status.{letter}")
        for status, letter in LETTERS.items()
    ]

    def setup(  # type: ignore[override]
        self,
        subject: str,
        current: Status | None,
        submit: SubmitStatus,
        recent_reasons: list[str] | None = None,
    ) -> None:
        self.subject, self.current, self.submit = subject, current, submit
        self.recent_reasons = recent_reasons or []

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.heading(), classes="title")
            options = []
            for status in Status:
                prompt = Text(LETTERS[status], style="bold")
                prompt.append(f" {status.value:<10}")
                prompt.append(DESCRIPTIONS[status], style="dim")
                options.append(Option(prompt, id=status.value))
            yield PickList(*options, id="statuses")
            yield Label("Why are we passing? (enter saves)", id="reason-label", classes="-hidden")
            yield Input(
                placeholder="e.g. thin wrapper on a hyperscaler API", id="reason", classes="-hidden"
            )
            yield Static(id="error", classes="error")
            yield Static(classes="hint reasons -hidden")
            yield Static(CHOOSE_HINT, id="picker-hint", classes="hint")

    def heading(self) -> Text:
        return Text(f"Status of {self.subject}")

    def on_mount(self) -> None:
        self._highlight_current()

    def _highlight_current(self) -> None:
        statuses = self.query_one("#statuses", OptionList)
        statuses.highlighted = list(Status).index(self.current) if self.current else 0

    def fill(self) -> None:
        self._highlight_current()
        self.query_one("#reason", Input).value = ""
        reasons = self.query_one(".reasons", Static)
        reasons.update(Text("Recent: " + " · ".join(self.recent_reasons[:5])))
        self._ask_reason(False)
        self.query_one("#statuses", OptionList).focus()

    def _ask_reason(self, ask: bool) -> None:
        """Show the reason field (and the recent reasons) or hide them."""
        shown = [self.query_one("#reason"), self.query_one("#reason-label")]
        if self.recent_reasons:
            shown.append(self.query_one(".reasons"))
        else:
            self.query_one(".reasons").add_class("-hidden")
        for widget in shown:
            widget.set_class(not ask, "-hidden")
        self.query_one("#picker-hint", Static).update(REASON_HINT if ask else CHOOSE_HINT)

    def footer_hints(self) -> Sequence[Hint]:
        """Choosing: the letters in one ("n s d i p w Status") and enter; typing the
        reason: enter saves it."""
        if isinstance(self.focused, Input):
            return REASON_KEYS
        letters = " ".join(
            self.app.get_key_display(Binding(key, "")) for key, _ in self.bound_keys("pick")
        )
        return (Hint("", "Status", display=letters), Hint("enter", "Choose"))

    def has_typed(self) -> bool:
        return bool(self.query_one("#reason", Input).value.strip())

    def action_pick(self, value: str) -> None:
        """A status's letter: as if it were highlighted and enter pressed."""
        status = Status(value)
        self.query_one("#statuses", OptionList).highlighted = list(Status).index(status)
        self._choose(status)

    @on(OptionList.OptionSelected, "#statuses")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(Status(event.option.id))

    def _choose(self, status: Status) -> None:
        if status is Status.PASSED:
            self._ask_reason(True)
            self.query_one("#reason", Input).focus()
            return
        self._finish(status, "")

    @on(Input.Submitted, "#reason")
    def reason_given(self, event: Input.Submitted) -> None:
        self._finish(Status.PASSED, event.value)

    def _finish(self, status: Status, reason: str) -> None:
        error = self.submit(status, reason)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)
