"""Link the highlighted company to another: pick the other, then the kind, then a note.

Three steps in one dialog. The other company is typed and picked from the names that
hold its letters in order, in any layer (``tui.company_search.likely``); the kind is a
letter, each written as the sentence it makes ("Vertiv supplies Crusoe"), both ways round
where the direction matters; the note is optional, and enter saves. The dialog hands the
answer to ``submit``, which returns the store's sentence when it refuses (a company
linked to itself, a repeat): it is shown next to the step it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from store.relation_ops import self_link
from store.rows import CompanyRow
from tui.company_search import likely
from tui.screens.dialogs import Dialog
from tui.widgets.footer import Hint
from tui.widgets.pick_list import PickList

MATCHES = 8
"""Names the company step offers at once."""


class Kind(NamedTuple):
    """One way to link the two companies: the letter, the relation, which way it reads."""

    letter: str
    kind: str
    outgoing: bool
    """True: from the highlighted company to the other; False: the other way round."""
    verb: str


KINDS = (
    Kind("s", "supplies", True, "supplies"),
    Kind("b", "supplies", False, "supplies"),
    Kind("a", "could-absorb", True, "could absorb"),
    Kind("p", "could-absorb", False, "could absorb"),
    Kind("c", "competes", True, "competes with"),
)
"""The kinds offered, by letter: s and a read from the highlighted company, b (built on)
and p (possible absorber) from the other one."""

Submit = Callable[[str, Kind, str], str | None]
"""(the other company's id, the kind, the note) -> None, or the sentence refusing it."""


class KindList(PickList):
    """The kinds, with a letter for each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(kind.letter, f"pick({index})", kind.verb, show=False, id=f"link.kind-{kind.letter}")
        for index, kind in enumerate(KINDS)
    ]

    def action_pick(self, index: int) -> None:
        self.highlighted = index
        self.action_select()


class LinkDialog(Dialog):
    """Link ``subject`` to another company in three steps (company, kind, note)."""

    DEFAULT_CSS = """
    LinkDialog .dialog-box > Vertical { height: auto; }
    LinkDialog #matches { height: auto; max-height: 10; }
    LinkDialog #chosen { margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "matches(1)", "Next", show=False, id="link.down"),
        Binding("up", "matches(-1)", "Previous", show=False, id="link.up"),
    ]

    def __init__(
        self,
        subject: CompanyRow,
        names: list[tuple[str, str]],
        where: dict[str, str],
        submit: Submit,
    ) -> None:
        """``names``: every company (id, name); ``where``: each one's layer name, by id."""
        super().__init__(classes="dialog choice link")
        self.subject, self.names, self.where, self.submit = subject, names, where, submit
        self.names_by_id = dict(names)
        self.other: str | None = None
        self.kind: Kind | None = None
        self.step = 1

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"Link {self.subject.name} to…"), classes="title")
            with Vertical(id="step-company"):
                yield Input(placeholder="Type a company's name (any layer)", id="other")
                yield PickList(id="matches")
            with Vertical(id="step-kind", classes="-hidden"):
                yield KindList(id="kinds")
            with Vertical(id="step-note", classes="-hidden"):
                yield Static(id="chosen")
                yield Input(placeholder="Why, in one line (optional)", id="note")
            yield Static(id="error", classes="error")
            yield Static(id="step-hint", classes="hint")

    def on_mount(self) -> None:
        self._show_step(1)

    def footer_hints(self) -> Sequence[Hint]:
        if self.step == 2:
            return (Hint("", "Pick a kind", display="s b a p c"), Hint("enter", "Choose"))
        if self.step == 3:
            return (Hint("enter", "Save link"),)
        return (Hint("enter", "Pick"), Hint("", "Move", display="↑↓"))

    def has_typed(self) -> bool:
        return bool(self.query_one("#other", Input).value or self.query_one("#note", Input).value)

    def _show_step(self, step: int) -> None:
        self.step = step
        for number, name in enumerate(("#step-company", "#step-kind", "#step-note"), start=1):
            self.query_one(name).set_class(number != step, "-hidden")
        hints = {
            1: "Type to narrow, ↑↓ choose, enter picks · esc cancels",
            2: "A letter (or ↑↓ and enter) picks how they are linked · esc cancels",
            3: "enter saves the link (u undoes it) · esc cancels",
        }
        self.query_one("#step-hint", Static).update(hints[step])
        focus = {1: "#other", 2: "#kinds", 3: "#note"}[step]
        self.query_one(focus).focus()
        self.refresh_bindings()

    @on(Input.Changed, "#other")
    def narrow(self, event: Input.Changed) -> None:
        matches = self.query_one("#matches", PickList)
        matches.clear_options()
        for company_id in likely(self.names, event.value, MATCHES):
            text = Text(self.names_by_id[company_id])
            text.append(f"  {self.where.get(company_id, 'Unsorted')}", style="dim")
            matches.add_option(Option(text, id=company_id))
        if matches.option_count:
            matches.highlighted = 0
        self.show_error(None)

    def action_matches(self, step: int) -> None:
        matches = self.query_one("#matches", PickList)
        if self.step == 1 and matches.option_count:
            now = matches.highlighted or 0
            matches.highlighted = max(0, min(now + step, matches.option_count - 1))

    @on(Input.Submitted, "#other")
    def company_picked(self) -> None:
        matches = self.query_one("#matches", PickList)
        if matches.highlighted is None:
            typed = self.query_one("#other", Input).value
            self.show_error(f"No company's name holds {typed!r}." if typed else "Type a name.")
            return
        self._choose(matches.get_option_at_index(matches.highlighted).id or "")

    @on(OptionList.OptionSelected, "#matches")
    def match_clicked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or "")

    def _choose(self, company_id: str) -> None:
        if company_id == self.subject.id:  # refused here, before the kind and the note
            self.show_error(str(self_link(self.subject.name)))
            return
        self.other = company_id
        other, subject = self.names_by_id.get(company_id, company_id), self.subject.name
        kinds = self.query_one("#kinds", KindList)
        kinds.clear_options()
        for kind in KINDS:
            first, second = (subject, other) if kind.outgoing else (other, subject)
            text = Text(f"{kind.letter}  ", style="bold")
            text.append(f"{first} {kind.verb} {second}")
            kinds.add_option(Option(text, id=kind.letter))
        kinds.highlighted = 0
        self.show_error(None)
        self._show_step(2)

    @on(OptionList.OptionSelected, "#kinds")
    def kind_picked(self, event: OptionList.OptionSelected) -> None:
        self.kind = next(kind for kind in KINDS if kind.letter == event.option.id)
        label = event.option.prompt
        self.query_one("#chosen", Static).update(label if isinstance(label, Text) else "")
        self.show_error(None)
        self._show_step(3)

    @on(Input.Submitted, "#note")
    def save(self, event: Input.Submitted) -> None:
        if self.other is None or self.kind is None:
            return
        error = self.submit(self.other, self.kind, event.value)
        if not error:
            self.dismiss(True)
            return
        self._show_step(1 if self.other == self.subject.id else 2)
        self.show_error(error)
