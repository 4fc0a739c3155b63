"""The inbox's conflicts: what a team merge found changed differently on both sides.

Open conflicts (``store.conflicts``) come first in the inbox, above the companies waiting
for a decision, one item each: the record's name, the field, and the two values side by
side with who changed each and when, cut with "…" to fit. The first is the current one:
``[`` keeps the first value shown (yours, when ``own_side`` knows which is yours), ``]`` the
second (theirs), ``v`` types a value. Each resolution is one change (``Workbench.resolve``,
as ``moatscope resolve`` does it), so the next conflict becomes the current one and ``u``
brings it back. Values are shown as text, never markup, control characters as escapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.widgets import Static

from store.conflict_ops import own_side
from store.conflicts import RECORD, Conflict, Side
from store.errors import MoatscopeError
from store.text import visible
from tui.commands import Command
from tui.screens.dialogs import PromptDialog
from tui.widgets.columns import cell

if TYPE_CHECKING:
    from tui.screens.inbox import InboxScreen

SHOWN = 2
"""Conflicts listed at once (the rest are counted): the companies keep the room."""

# fmt: off
CONFLICT_COMMANDS: tuple[Command, ...] = (
    Command("left_square_bracket", "keep(0)", "Keep 1st", "inbox.conflict-first",
            key_display="[",
            help="On a conflict: keep the first value shown (yours, when it says so)"),
    Command("right_square_bracket", "keep(1)", "Keep 2nd", "inbox.conflict-second",
            key_display="]",
            help="On a conflict: keep the second value shown (theirs, when it says so)"),
    Command("v", "type_value", "Type value", "inbox.conflict-value",
            help="On a conflict: type the value to keep"),
)
"""The conflict keys; bound only while a conflict is open (the footer hides them else)."""
# fmt: on


def ordered(conflict: Conflict, author: str) -> tuple[tuple[int, int], tuple[str, str]]:
    """The sides' indexes in the order shown, and their labels: yours first when
    ``own_side`` knows which is yours (as ``moatscope conflicts`` lists them)."""
    mine = own_side(conflict, author)
    if mine is None:
        return (0, 1), ("1", "2")
    return ((1, 0) if mine == 1 else (0, 1)), ("yours", "theirs")


def side_text(conflict: Conflict, side: Side) -> str:
    """A side's value on one line, with who and when (the date) when the record says."""
    from tui.cli_team import shown

    if conflict.field == RECORD:
        text = "deleted" if side.value is None else "changed, kept"
    else:
        text = " ".join(shown(side.value).split())
    by = ", ".join(part for part in (side.who, side.when[:10]) if part)
    return visible(f"{text} ({by})" if by else text)


def where(conflict: Conflict) -> str:
    """The record and the field, in the command line's words but for a note's id (the
    values say which note)."""
    from tui.cli_team import field_label

    label = "A note" if conflict.field == "notes" and conflict.item else field_label(conflict)
    return visible(f"{conflict.name or conflict.key} · {label}")


def conflict_lines(conflict: Conflict, author: str, width: int, current: bool) -> list[str]:
    """A conflict in two lines of ``width`` cells: where it is, then the two values."""
    indexes, labels = ordered(conflict, author)
    first = cell(("▸ " if current else "  ") + where(conflict), width)
    half = max((width - 5) // 2, 4)
    values = [
        cell(f"{label}: {side_text(conflict, conflict.sides[i])}", half)
        for i, label in zip(indexes, labels, strict=True)
    ]
    return [first, "  " + " │ ".join(values)]


def conflicts_text(conflicts: list[Conflict], author: str, width: int) -> Text:
    """The block of open conflicts: a title line, then ``SHOWN`` of them (the first current)."""
    lines = [cell(f"Conflicts · {len(conflicts)}  ([ ] keep a side, v type a value)", width)]
    for index, conflict in enumerate(conflicts[:SHOWN]):
        lines += conflict_lines(conflict, author, width, current=index == 0)
    if len(conflicts) > SHOWN:
        lines.append(cell(f"  … and {len(conflicts) - SHOWN} more", width))
    text = Text("\n".join(line.rstrip() for line in lines), no_wrap=True, overflow="crop")
    text.stylize("bold", 0, len(lines[0].rstrip()))
    return text


class ConflictBlock(Static):
    """The open conflicts above the inbox's companies; hidden when there are none."""

    DEFAULT_CSS = """
    ConflictBlock {
        height: auto;
        padding: 0 1;
        border-bottom: solid $primary-muted;
    }
    ConflictBlock.-hidden {
        display: none;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.conflicts: list[Conflict] = []
        self.author = ""

    def show(self, conflicts: list[Conflict], author: str) -> None:
        self.conflicts, self.author = conflicts, author
        self.set_class(not conflicts, "-hidden")
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.conflicts:
            width = self.content_region.width or (self.app.size.width - 2)
            self.update(conflicts_text(self.conflicts, self.author, width))


class ConflictActions:
    """Mixed into the inbox: the conflict keys act on the first open conflict."""

    CONFLICT_ACTIONS: ClassVar[frozenset[str]] = frozenset(("keep", "type_value"))

    def check_action(self: InboxScreen, action: str, parameters: tuple[object, ...]) -> bool:
        if action not in self.CONFLICT_ACTIONS:
            return True
        blocks = self.query(ConflictBlock)  # (none yet before the screen is composed)
        return bool(blocks and blocks.first().conflicts)

    @property
    def conflict_block(self: InboxScreen) -> ConflictBlock:
        return self.query_one(ConflictBlock)

    def _open_conflict(self: InboxScreen) -> Conflict | None:
        if self.workbench.read_only:
            self._current()  # (says the session is read-only)
            return None
        conflicts = self.conflict_block.conflicts
        return conflicts[0] if conflicts else None

    def _resolved(self: InboxScreen, conflict: Conflict, **how: object) -> str | None:
        try:
            self.workbench.resolve(conflict.id, **how)  # type: ignore[arg-type]
        except MoatscopeError as error:
            return str(error)
        self.refresh_items(self.table.current.id if self.table.current else None)
        self.notify(f"Resolved {conflict.name or conflict.key}", timeout=2, markup=False)
        return None

    def action_keep(self: InboxScreen, shown: int) -> None:
        if conflict := self._open_conflict():
            indexes, _ = ordered(conflict, self.workbench.author)
            self._report(self._resolved(conflict, side=indexes[shown]))

    def action_type_value(self: InboxScreen) -> None:
        conflict = self._open_conflict()
        if conflict is None:
            return
        title = f"{where(conflict)}: the value to keep"
        dialog = PromptDialog(title, lambda text: self._resolved(conflict, text=text))
        self.app.push_screen(dialog)
