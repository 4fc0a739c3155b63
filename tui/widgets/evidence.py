"""The evidence of one checklist answer: its text, source, date and kind.

``EvidenceFields`` is the wizard's part below the answers: the text (a ``TextArea``), then
one line with the source (URL or document name), the date (YYYY-MM-DD) and the kind
(``KindPicker``: ←/→ or 1–5, 0 clears). Tab moves through them as through any form.

A date that is not a date, or is in the future, is never taken: the field keeps what was
typed, a message under it says why (``date_problem``), and the answer keeps no date until
it is right. Nothing typed is lost by a bad date.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from store import clock
from store.models import AnswerEntry, EvidenceKind

KINDS: tuple[EvidenceKind | None, ...] = (None, *EvidenceKind)
"""The picker's choices in order: none, then each kind (keys 1-5)."""


def date_problem(typed: str) -> str | None:
    """Why ``typed`` is not an evidence date, or None when it is one (or empty)."""
    typed = typed.strip()
    if not typed:
        return None
    try:
        when = date.fromisoformat(typed)
    except ValueError:
        return f"Date {typed!r} is not a date: write it as YYYY-MM-DD."
    if when > clock.today():
        return f"Date {typed} is in the future: evidence is dated when it was found."
    return None


class KindPicker(Widget, can_focus=True):
    """The evidence's kind: ←/→ step through them, 1–5 pick one, 0 or delete clears."""

    DEFAULT_CSS = """
    KindPicker { width: 27; height: 1; }
    KindPicker:focus { background: $boost; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Kind back", show=False),
        Binding("right", "step(1)", "Kind on", show=False),
        *(
            Binding(str(n), f"pick({n})", kind.label if kind else "No kind", show=False)
            for n, kind in enumerate(KINDS)
        ),
        Binding("delete,backspace", "pick(0)", "No kind", show=False),
    ]

    kind: reactive[EvidenceKind | None] = reactive(None)
    """The kind chosen (None: not said)."""

    class Changed(Message):
        """The kind was changed by a key."""

    def render(self) -> Text:
        label = self.kind.label if self.kind else "not said"
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("‹ " if self.has_focus else "  ", "dim")
        text.append(label, "" if self.kind else "dim")
        text.append(" ›" if self.has_focus else "", "dim")
        return text

    def action_step(self, step: int) -> None:
        self.action_pick((KINDS.index(self.kind) + step) % len(KINDS))

    def action_pick(self, index: int) -> None:
        self.kind = KINDS[index]
        self.post_message(self.Changed())

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class EvidenceFields(Vertical):
    """Text, source, date and kind of the answer on screen."""

    DEFAULT_CSS = """
    EvidenceFields { height: auto; }
    EvidenceFields #evidence-line { height: 1; }
    EvidenceFields .evidence-label { width: auto; color: $text-muted; padding: 0 1 0 0; }
    EvidenceFields .evidence-label.-gap { padding: 0 1 0 2; }
    EvidenceFields #source { width: 1fr; }
    EvidenceFields #date { width: 12; }
    EvidenceFields #date.-bad { background: $error 30%; }
    EvidenceFields #date-problem { color: $error; height: auto; }
    """

    class Changed(Message):
        """Something in the fields was changed by the user."""

    class Reflowed(Message):
        """The date's message came or went: the fields' height changed."""

    def compose(self) -> ComposeResult:
        yield Static(
            "Evidence (tab: next field · kind: ←/→ or 1–5 · esc: back to the answers)",
            classes="field-label",
        )
        yield TextArea(id="evidence", soft_wrap=True, show_line_numbers=False)
        with Horizontal(id="evidence-line"):
            yield Static("Source", classes="evidence-label")
            yield Input(id="source", placeholder="URL or document", compact=True)
            yield Static("Date", classes="evidence-label -gap")
            yield Input(id="date", placeholder="YYYY-MM-DD", compact=True, max_length=10)
            yield Static("Kind", classes="evidence-label -gap")
            yield KindPicker(id="kind")
        yield Static(id="date-problem")

    def load(self, entry: AnswerEntry, typed_date: str | None = None) -> None:
        """Show ``entry``; ``typed_date`` is a date typed before that was refused."""
        self.query_one("#evidence", TextArea).load_text(entry.evidence)
        with self.prevent(Input.Changed):
            source = self.query_one("#source", Input)
            source.value, source.cursor_position = entry.source, 0
            shown = typed_date if typed_date is not None else ""
            self.query_one("#date", Input).value = shown or (
                entry.date.isoformat() if entry.date else ""
            )
        self.query_one(KindPicker).set_reactive(KindPicker.kind, entry.kind)
        self.query_one(KindPicker).refresh()
        self.show_problem(date_problem(typed_date) if typed_date else None)

    @property
    def typed_date(self) -> str:
        """The date field as typed."""
        return self.query_one("#date", Input).value.strip()

    def read(self, entry: AnswerEntry) -> AnswerEntry:
        """``entry`` with what the fields hold; a refused date leaves its date unset."""
        typed = self.typed_date
        when = None if not typed or date_problem(typed) else date.fromisoformat(typed)
        return entry.model_copy(
            update={
                "evidence": self.query_one("#evidence", TextArea).text,
                "source": " ".join(self.query_one("#source", Input).value.split()),
                "date": when,
                "kind": self.query_one(KindPicker).kind,
            }
        )

    def show_problem(self, problem: str | None) -> None:
        """Say why the date is refused (None: clear the message)."""
        message = self.query_one("#date-problem", Static)
        message.update(Text(problem or ""))
        if message.display != bool(problem):
            message.display = bool(problem)
            self.post_message(self.Reflowed())
        self.query_one("#date", Input).set_class(bool(problem), "-bad")

    def check_date(self) -> str | None:
        """Show and return the date's problem, if it has one."""
        problem = date_problem(self.typed_date)
        self.show_problem(problem)
        return problem

    @on(Input.Changed, "#date")
    def _date_typed(self, event: Input.Changed) -> None:
        event.stop()
        if not date_problem(event.value):  # a fixed date clears the message at once
            self.show_problem(None)
        self.post_message(self.Changed())

    @on(Input.Blurred, "#date")
    def _date_left(self, event: Input.Blurred) -> None:
        self.check_date()

    @on(Input.Blurred, "#source")
    def _source_left(self, event: Input.Blurred) -> None:
        event.input.cursor_position = 0  # a long source shows its start, not its end

    @on(Input.Changed, "#source")
    @on(TextArea.Changed, "#evidence")
    @on(KindPicker.Changed)
    def _typed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed())
