"""A list of entries of a few lines each, drawn as ready-made lines: the chokepoints view's
roll-up.

It looks and moves like a ``PickList`` (the same border, cursor and keys: arrows, j and k,
home and end, page up and down, enter and a click select), but it is a Line-API view: each
entry is drawn to lines when its text, its look (cursor, mouse or neither) or the width
changes, and the lines are kept until then. A frame asks only for the lines on screen;
when entries change in place, only their lines are drawn again and refreshed.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual, visualize

from tui.widgets.lines import cropped


class Entry(NamedTuple):
    """One entry: its id and its text, a line on screen per line of the text (each cut
    with "…" when too long, never wrapped)."""

    id: str
    text: Text


def height_of(entry: Entry) -> int:
    """The lines ``entry`` takes on screen."""
    return entry.text.plain.count("\n") + 1


class RollUpList(ScrollView, can_focus=True):
    """Entries of a few lines each, one of them under the cursor; enter selects it."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"roll-up--highlighted", "roll-up--hover"}
    DEFAULT_CSS = """
    RollUpList {
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .roll-up--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .roll-up--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .roll-up--hover { background: $block-hover-background; }
    }
    """
    """The look of an ``OptionList`` (Textual's own rules, with this widget's names)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="roll-up.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="roll-up.up"),
        Binding("home", "first", "First", show=False, id="roll-up.first"),
        Binding("end", "last", "Last", show=False, id="roll-up.last"),
        Binding("pagedown", "page_down", "Page Down", show=False, id="roll-up.page-down"),
        Binding("pageup", "page_up", "Page Up", show=False, id="roll-up.page-up"),
        Binding("enter", "select", "Select", show=False, id="roll-up.select"),
    ]

    class Selected(Message):
        """Enter (or a click) on an entry."""

        def __init__(self, roll_up: RollUpList, entry_id: str) -> None:
            super().__init__()
            self.roll_up = roll_up
            self.entry_id = entry_id

        @property
        def control(self) -> RollUpList:
            return self.roll_up

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entries: list[Entry] = []
        self._starts: list[int] = []
        """The first line of each entry."""
        self._owners: list[int] = []
        """The entry each line belongs to."""
        self._highlighted: int | None = None
        self._hover: int | None = None
        self._drawn: dict[int, tuple[tuple[object, ...], list[Strip]]] = {}
        """Per entry: what it was drawn for (text, look, width) and its lines."""
        self._frame: dict[int, Strip] = {}
        """The box's lines as Textual drew them (border and all), by line of the box."""
        self._frame_for: tuple[object, ...] = ()
        """What ``_frame`` was drawn for: the scroll, the focus, the size, the colours."""

    @property
    def ids(self) -> list[str]:
        return [entry.id for entry in self.entries]

    @property
    def highlighted(self) -> int | None:
        """The entry under the cursor (None when there is none)."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self.entries) - 1)) if self.entries else None
        before, self._highlighted = self._highlighted, index
        if before != index:
            self._refresh_entry(before)
            self._refresh_entry(index)
        self.scroll_to_highlight()

    def show(self, entries: list[Entry]) -> None:
        """Show ``entries``: when they are the same ids with the same heights, only those
        whose text changed are drawn again; otherwise every one, the cursor kept on its id
        (or on the first entry)."""
        before, self.entries = self.entries, list(entries)
        if [(e.id, height_of(e)) for e in before] != [(e.id, height_of(e)) for e in entries]:
            cursor = before[self._highlighted].id if self._highlighted is not None else None
            self._drawn.clear()
            self._hover = None
            self._lay_out()
            self.refresh()
            ids = self.ids
            self._highlighted = None
            self.highlighted = ids.index(cursor) if cursor in ids else 0
            return
        for index, (old, new) in enumerate(zip(before, entries, strict=True)):
            if old.text != new.text:
                self._refresh_entry(index)

    def _lay_out(self) -> None:
        starts, owners = [], []
        for index, entry in enumerate(self.entries):
            starts.append(len(owners))
            owners += [index] * height_of(entry)
        self._starts, self._owners = starts, owners
        self._frame.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(owners))

    def _refresh_entry(self, index: int | None) -> None:
        """Draw entry ``index`` again at the next frame (its lines only)."""
        if index is None or not 0 <= index < len(self.entries):
            return
        self._drawn.pop(index, None)
        start, height = self._starts[index], height_of(self.entries[index])
        top = start - int(self.scroll_offset.y) + self.styles.gutter.top
        for y in range(top, top + height):
            self._frame.pop(y, None)
        if self.is_mounted:
            self.refresh_lines(start, height)

    def on_resize(self) -> None:
        # (The lines kept say the width they were drawn for: hidden and shown again at
        # the same width, the list draws nothing again.)
        self._lay_out()
        self.scroll_to_highlight()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        """Scroll the entry under the cursor into view, whole."""
        index = self._highlighted
        if index is None or not self.is_mounted or index >= len(self._starts):
            return
        height = height_of(self.entries[index])
        self.scroll_to_region(
            Region(0, self._starts[index], self.scrollable_content_region.width, height),
            force=True,
            animate=False,
            immediate=True,
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # The box's lines as Textual drew them (border, padding, background) are kept
        # until an entry, the scroll, the focus, the size or a colour changes: shown
        # again after a list hid it, the focus back, the roll-up is not drawn again.
        width, height = self.outer_size
        look = (
            self.scroll_offset,
            self.has_focus,
            self.styles.border,
            self.outer_size,
            self.visual_style,
            self.get_visual_style("roll-up--highlighted"),
            self.get_visual_style("roll-up--hover"),
            self.background_colors,
            tuple(self.get_line_filters()),
        )
        if look != self._frame_for:
            self._frame_for = look
            self._frame.clear()
        frame = self._frame
        missing = [y for y in range(crop.y, min(crop.bottom, height)) if y not in frame]
        if missing:
            region = Region(0, missing[0], width, missing[-1] - missing[0] + 1)
            frame.update(zip(region.line_range, super().render_lines(region), strict=True))
        return cropped([frame[y] for y in range(crop.y, min(crop.bottom, height))], crop, width)

    def render_line(self, y: int) -> Strip:
        line = y + int(self.scroll_offset.y)
        if not 0 <= line < len(self._owners):
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        index = self._owners[line]
        lines = self._lines_of(index)
        offset = line - self._starts[index]
        if offset < len(lines):
            return lines[offset]
        return Strip.blank(self.scrollable_content_region.width, self.rich_style)

    def _lines_of(self, index: int) -> list[Strip]:
        """Entry ``index`` drawn, as an ``OptionList`` draws an option: its lines kept
        until its text, its look or the width changes."""
        entry = self.entries[index]
        if index == self._highlighted:
            style = self.get_visual_style("roll-up--highlighted")
        elif index == self._hover:
            style = self.get_visual_style("roll-up--hover")
        else:
            style = self.visual_style
        width = self.scrollable_content_region.width
        key = (entry.text, style, width)
        drawn = self._drawn.get(index)
        if drawn is not None and drawn[0] == key:
            return drawn[1]
        visual = visualize(self, entry.text, markup=False)
        meta = {"entry": index}
        lines = [
            strip.extend_cell_length(width, style.rich_style).apply_meta(meta)
            for strip in Visual.to_strips(self, visual, width, None, style)
        ]
        self._drawn[index] = (key, lines)
        return lines

    def action_cursor_down(self) -> None:
        if self.entries:
            self.highlighted = 0 if self._highlighted is None else self._highlighted + 1

    def action_cursor_up(self) -> None:
        if self.entries:
            self.highlighted = 0 if self._highlighted is None else self._highlighted - 1

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self.entries) - 1

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def _move_page(self, direction: int) -> None:
        """Move the cursor by about a screenful of lines."""
        if not self.entries:
            return
        start = self._starts[self._highlighted or 0]
        page = self.scrollable_content_region.height
        line = max(0, min(start + direction * page, len(self._owners) - 1))
        self.highlighted = self._owners[line]

    def action_select(self) -> None:
        if self._highlighted is not None:
            self.post_message(self.Selected(self, self.entries[self._highlighted].id))

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("entry")
        if index is not None:
            self.highlighted = index
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(event.style.meta.get("entry"))

    def on_leave(self, _: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        before, self._hover = self._hover, index
        if before != index:
            self._refresh_entry(before)
            self._refresh_entry(index)
