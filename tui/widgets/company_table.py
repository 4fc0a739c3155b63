"""The company list: a Line-API table that renders only the rows on screen.

Textual's DataTable builds every row up front; this widget keeps
a plain list of rows and formats the twenty-odd visible lines per frame, so
replacing the list after a filter costs the same at any size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.models import Verdict
from store.rows import CompanyRow, position
from tui.format import VERDICT_CLASS, score_text, short_date, verdict_text
from tui.widgets.columns import LAYER_VIEW, cell, columns
from tui.widgets.lines import Finish, cropped, plain_box

_Drawn = tuple[CompanyRow, tuple[object, ...], Strip]
"""A row's line as drawn: the row, how it was drawn (cursor, mark, width, columns, layer
name, reason), the line."""
SECONDARY = " (also)"
"""After the name of a company listed in the layer shown as one of its secondary layers."""
UNSORTED = "Unsorted"
"""What the layer column says of a company in no layer."""
DRAWN_LIMIT = 2000
"""Drawn lines kept before the cache starts again."""
LOOKS_KEPT = 2
"""Looks of the list whose drawn lines are kept: focused and not."""


def _scorecell(row: CompanyRow) -> str:
    """The score; in brackets when too little is answered for it to mean much."""
    if row.verdict is Verdict.INCOMPLETE and row.score is not None:
        return f"({score_text(row.score)})"
    return score_text(row.score)


@dataclass(slots=True)
class _Frame:
    """What every line of one frame of the table shares, looked up once."""

    base: Style
    """The widget's own style."""
    width: int
    """Width of a row: the box less its scrollbar."""
    top: int
    """Index of the row on the first line."""
    finish: Finish | None = None
    """When the box is plain: how each line is finished as the screen shows it (see
    ``CompanyTable.render_lines``)."""

    blank: Strip | None = None
    """The line below the last row, finished once for all of them (a short list has
    dozens)."""

    def finished(self, line: Strip) -> Strip:
        """``line`` as the screen shows it (as it is when the box is not plain)."""
        return line if self.finish is None else self.finish(line)

    def blank_line(self) -> Strip:
        if self.blank is None:
            self.blank = self.finished(Strip.blank(self.width, self.base))
        return self.blank


class CompanyTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Companies of the current view, one per line, with a cursor and marks."""

    BINDING_GROUP_TITLE = "Company list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page-up"),
        Binding("g,home", "jump(0)", "First", show=False, id="list.first"),
        Binding("G,end", "jump(-1)", "Last", show=False, id="list.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "company-table--cursor",
        "company-table--cursor-blurred",
        "company-table--marked",
        "company-table--anchor",
        "company-table--contender",
        "company-table--leaks",
        "company-table--incomplete",
        "company-table--unproven",
        "company-table--long-shot",
        "company-table--muted",
    }

    cursor: reactive[int] = reactive(0, init=False)
    """Index of the highlighted row."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another company (or to none)."""

        table: CompanyTable
        row: CompanyRow | None

        @property
        def control(self) -> CompanyTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[CompanyRow] = []
        self.marks: set[str] = set()
        self.plan = LAYER_VIEW
        """The columns shown (``columns``)."""
        self.reasons: dict[str, str] = {}
        """What the why column says of each company (the inbox's reasons)."""
        self.layer_names: dict[str, str] = {}
        """Each layer's name, by id, for the layer column (a company in none: ``UNSORTED``)."""
        self.layer_shown: str | None = None
        """The layer the list shows, if one: its companies from another layer (listed
        here as a secondary layer) have ``SECONDARY`` after their name."""
        self.empty_message = "No companies here yet: press n to add one."
        self._frame: _Frame | None = None
        """What every line of the frame being drawn shares (None between frames)."""
        self._drawn: dict[str, _Drawn] = {}
        """Lines drawn lately, by company: (row, how it was drawn, line). A filter keystroke
        mostly shows rows drawn a moment ago; rows are replaced when they change."""
        self._drawn_sets: dict[tuple[object, ...], dict[str, _Drawn]] = {}
        """``_drawn`` for the last two looks of the list (whether it has the focus, how
        lines are finished, the widget's style, its component styles), so the list that
        loses focus to a dialog and gets it back draws its rows as it drew them before."""

    def set_rows(
        self,
        rows: list[CompanyRow],
        keep: str | None = None,
        find: Callable[[list[CompanyRow], str], int | None] = position,
        top: bool = False,
    ) -> None:
        """Show ``rows``; keep the cursor on company ``keep`` if it is still there (``find``
        says where it is in ``rows``), else on the same line, or with ``top`` on the first."""
        current = self.current
        if rows is self.rows and (keep is None or (current is not None and current.id == keep)):
            self.refresh()  # the same list: only marks or the empty message may differ
            return
        self.rows = rows
        self._set_height(len(rows))
        index = find(rows, keep) if keep else None
        if index is not None:
            target = index
        else:
            target = 0 if top else min(self.cursor, max(len(rows) - 1, 0))
        self.set_reactive(CompanyTable.cursor, target)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _set_height(self, height: int) -> None:
        """Make the list ``height`` rows long (its scrollbar follows)."""
        self.virtual_size = Size(self.size.width, height)

    @property
    def current(self) -> CompanyRow | None:
        """The highlighted row, if any."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def watch_has_focus(self, has_focus: bool) -> None:
        """Only the cursor's look depends on the focus, and each line picks it as it is
        drawn: the list is redrawn, not restyled. (Textual restyles a widget whose focus
        changes, with each of its component classes, at each esc and enter.) No
        rule in the stylesheets may style the list by ``:focus`` or ``:blur``."""
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def _scroll_to_cursor(self) -> None:
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True
        )

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(self.scrollable_content_region.height - 1, 1)

    def action_jump(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self.rows) - 1

    def on_click(self, event) -> None:
        index = event.y + int(self.scroll_offset.y)
        if 0 <= index < len(self.rows):
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``: the visible rows, drawn as they are when the box is plain.

        Textual passes each line of a widget through its styles cache, which re-wraps it
        for borders, padding and tint, none of which this box has (as its stylesheet
        stands), and then runs the app's line filters on the new line, every time the list
        changes. Here a row's line is finished once (widened to the box, filtered) and
        kept with the row, so a filter keystroke re-shows lines drawn a moment ago as they
        are. Any border, padding, outline, tint or opacity on the box: Textual's way.
        """
        frame = self._frame = self._new_frame(finish=plain_box(self))
        styles = (
            self.has_focus,
            frame.finish,
            frame.base,
            *(self.get_component_rich_style(name) for name in sorted(self.COMPONENT_CLASSES)),
        )
        sets = self._drawn_sets
        drawn = sets.pop(styles, None)  # (and put back last: the newest)
        if drawn is None or len(drawn) > DRAWN_LIMIT:
            drawn = {}  # a new look (a theme), or too many kept: every line is drawn again
        sets[styles] = self._drawn = drawn
        while len(sets) > LOOKS_KEPT:
            del sets[next(iter(sets))]
        try:
            if frame.finish is None:
                return super().render_lines(crop)
            lines = [self.render_line(y) for y in crop.line_range]
            return cropped(lines, crop, frame.finish.width)
        finally:
            self._frame = None

    def _new_frame(self, finish: bool) -> _Frame:
        # The widget's style walks every ancestor's background: once per frame, not per line.
        return _Frame(
            self.rich_style,
            self.scrollable_content_region.width,
            int(self.scroll_offset.y),
            Finish.of(self) if finish else None,
        )

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._new_frame(finish=False)
        width, base, index = frame.width, frame.base, y + frame.top
        if not self.rows:
            text = self.empty_message if y == 0 else ""
            muted = base + self.get_component_rich_style("company-table--muted")
            return frame.finished(Strip([Segment(cell(" " + text, width), muted)], width))
        if index >= len(self.rows):
            return frame.blank_line()
        row = self.rows[index]
        if self._frame is None:  # outside a frame: the styles were not checked
            return self._row_strip(row, index, width, base)
        # Every text a line shows that is not the row's own: the line depends on it too.
        layer = self.layer_names.get(row.layer or "") if self.layer_names else None
        how = (index == self.cursor, row.id in self.marks, width, self.plan, layer)
        how += (self.layer_shown,) if row.secondary_layers else ()
        how += (self.reasons.get(row.id),) if self.reasons else ()
        drawn = self._drawn.get(row.id)
        if drawn is not None and drawn[0] is row and drawn[1] == how:
            return drawn[2]
        strip = frame.finished(self._row_strip(row, index, width, base))
        self._drawn[row.id] = (row, how, strip)
        return strip

    def _row_strip(self, row: CompanyRow, index: int, width: int, base: Style) -> Strip:
        style = base
        if row.id in self.marks:
            style += self.get_component_rich_style("company-table--marked")
        if index == self.cursor:
            # Not partial: the blurred cursor's translucent background must be blended.
            cursor = "company-table--cursor" if self.has_focus else "company-table--cursor-blurred"
            style += self.get_component_rich_style(cursor)
        verdict_style = style
        if row.verdict is not None:
            verdict_style = style + self.get_component_rich_style(
                f"company-table--{VERDICT_CLASS[row.verdict]}", partial=True
            )
        segments = [Segment("● " if row.id in self.marks else "  ", style)]
        for column, size in columns(width, self.plan):
            if column == "score":
                segments.append(Segment(cell(_scorecell(row), size, right=True), verdict_style))
            elif column == "verdict":
                verdict = verdict_text(row.verdict) if row.verdict else ""
                segments.append(Segment(cell(verdict, size), verdict_style))
            else:
                segments.append(Segment(cell(self._text(row, column), size), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _text(self, row: CompanyRow, column: str) -> str:
        """What a plain column says of ``row``."""
        if column == "name":
            if self.layer_shown and row.layer != self.layer_shown and row.secondary_layers:
                return row.name + SECONDARY
            return row.name
        if column == "status":
            return row.status.value
        if column == "updated":
            return short_date(row.updated)
        if column == "layer":
            return self.layer_names.get(row.layer or "", UNSORTED)
        if column == "why":
            return self.reasons.get(row.id, "")
        return ", ".join(row.tags)
