"""Triage dialogs: a pass reason with recent reasons one key away, a revisit date."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from store import clock
from tui.screens.dialogs import Dialog, KeptDialog, Submit
from tui.widgets.footer import Hint
from tui.widgets.pick_list import PickList

SubmitDate = Callable[[date | None], str | None]


class PassReasonDialog(KeptDialog):
    """Why we pass: 1-5 picks a recent reason, typing starts a new one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"pick({n - 1})", f"Reason {n}", show=False, id=f"pass.reason-{n}")
        for n in range(1, 6)
    ]
    DEFAULT_CLASSES = "dialog pass-reason"

    def setup(self, subject: str, recent: list[str], submit: Submit) -> None:  # type: ignore[override]
        self.subject, self.recent, self.submit = subject, recent[:5], submit

    _listed: list[str] = []
    """The reasons in the list on screen."""

    def compose_dialog(self) -> ComposeResult:
        self._listed = self.recent
        with Vertical(classes="dialog-box"):
            yield Label(self.heading(), classes="title")
            yield PickList(*self._options(), id="recent", classes="" if self.recent else "-hidden")
            yield Input(
                placeholder="A new reason (enter saves)", id="reason", select_on_focus=False
            )
            yield Static(id="error", classes="error")
            yield Static("1-5 picks a recent reason · type a new one · esc cancels", classes="hint")

    def heading(self) -> Text:
        return Text(f"Pass on {self.subject}: why?")

    def _options(self) -> list[Option]:
        return [
            Option(Text(f"{n}  {reason}"), id=str(n - 1)) for n, reason in enumerate(self.recent, 1)
        ]

    def fill(self) -> None:
        recent = self.query_one("#recent", OptionList)
        if self.recent != self._listed:  # (the same reasons as last time: kept as they are)
            recent.clear_options()
            recent.add_options(self._options())
            self._listed = self.recent
        recent.highlighted = 0 if self.recent else None
        recent.set_class(not self.recent, "-hidden")
        self.query_one("#reason", Input).value = ""
        self._focus_first()

    def on_mount(self) -> None:
        self._focus_first()

    def footer_hints(self) -> Sequence[Hint]:
        """On the list: its numbers (as many as reasons), enter, tab to a new reason;
        in the field: enter saves what was typed."""
        if not isinstance(self.focused, OptionList):
            return (Hint("enter", "Save reason"),)
        keys = [key for key, _ in self.bound_keys("pick")]  # (only those with a reason)
        shown = "-".join(dict.fromkeys([keys[0], keys[-1]])) if keys else ""
        picks = (Hint("", "Reason", display=shown),) if keys else ()
        return (*picks, Hint("enter", "Choose"), Hint("tab", "New reason"))

    def _focus_first(self) -> None:
        self.query_one("#recent" if self.recent else "#reason").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            return isinstance(self.focused, OptionList) and int(str(parameters[0])) < len(
                self.recent
            )
        return True

    def on_key(self, event: Key) -> None:
        """Typing a letter on the list of recent reasons starts a new reason."""
        character = event.character
        if (
            isinstance(self.focused, OptionList)
            and character
            and character.isprintable()
            and (not character.isdigit())
        ):
            event.stop()
            event.prevent_default()
            reason = self.query_one("#reason", Input)
            reason.focus()
            reason.insert_text_at_cursor(character)

    def has_typed(self) -> bool:
        return bool(self.query_one("#reason", Input).value.strip())

    def action_pick(self, index: int) -> None:
        self._finish(self.recent[index])

    @on(OptionList.OptionSelected, "#recent")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self._finish(self.recent[int(event.option.id or 0)])

    @on(Input.Submitted, "#reason")
    def typed(self, event: Input.Submitted) -> None:
        self._finish(event.value)

    def _finish(self, reason: str) -> None:
        error = self.submit(reason)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)


def revisit_choices(today: date) -> list[tuple[str, date]]:
    """The quick choices: in a week, a month, a quarter."""
    return [
        ("1 week", today + timedelta(weeks=1)),
        ("1 month", today + timedelta(days=30)),
        ("1 quarter", today + timedelta(days=91)),
    ]


QUICK_WORDS = {"quick(0)": "Week", "quick(1)": "Month", "quick(2)": "Quarter", "quick(-1)": "Clear"}
"""The revisit dialog's bar's word for each quick choice."""


class RevisitDialog(Dialog):
    """When to look again: 1 week, 1 month, 1 quarter, a date, or clear it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "quick(0)", "In a week", show=False, id="revisit.week"),
        Binding("2", "quick(1)", "In a month", show=False, id="revisit.month"),
        Binding("3", "quick(2)", "In a quarter", show=False, id="revisit.quarter"),
        Binding("0", "quick(-1)", "Clear", show=False, id="revisit.clear"),
    ]

    def __init__(self, subject: str, current: str | None, submit: SubmitDate) -> None:
        super().__init__(classes="dialog revisit")
        self.subject, self.current, self.submit = subject, current, submit
        self.choices = revisit_choices(clock.today())

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"Revisit {self.subject}"), classes="title")
            options = [
                Option(Text(f"{n}  {label} ({when.isoformat()})"), id=str(n - 1))
                for n, (label, when) in enumerate(self.choices, 1)
            ]
            options.append(Option(Text("0  no revisit date"), id="-1"))
            yield PickList(*options, id="choices")
            yield Input(
                self.current or "", placeholder="or a date: YYYY-MM-DD (enter saves)", id="date"
            )
            yield Static(id="error", classes="error")
            yield Static("1 week · 2 month · 3 quarter · 0 clear · or type a date", classes="hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "quick" and isinstance(self.focused, Input))

    def footer_hints(self) -> Sequence[Hint]:
        """On the list: a key per choice, enter, tab to the date; in the date field:
        enter saves it (digits are typed there)."""
        if isinstance(self.focused, Input):
            return (Hint("enter", "Save date"),)
        quick = [Hint(key, QUICK_WORDS[action]) for key, action in self.bound_keys("quick")]
        return (*quick, Hint("enter", "Choose"), Hint("tab", "Date"))

    def action_quick(self, index: int) -> None:
        self._finish(None if index < 0 else self.choices[index][1])

    @on(OptionList.OptionSelected, "#choices")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_quick(int(event.option.id or 0))

    @on(Input.Submitted, "#date")
    def typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self._finish(None)
            return
        try:
            when = date.fromisoformat(text)
        except ValueError:
            self.show_error(f"{text!r} is not a date like 2026-12-31.")
            return
        self._finish(when)

    def _finish(self, when: date | None) -> None:
        error = self.submit(when)
        if error:
            self.show_error(error)
        else:
            self.dismiss(True)
