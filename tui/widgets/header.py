"""Textual's header, whose title changes without laying out the screen again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.visual import VisualType
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderTitle


class _Title(HeaderTitle):
    """One line, never wrapped, as wide as the header: its size never follows its text."""

    def update(self, content: VisualType = "", *, layout: bool = False) -> None:
        super().update(content, layout=layout)


class Header(TextualHeader):
    """The header line; its title (inbox count, path, save state) changes twice per
    save, and Textual's title asks for a layout of the whole screen each time: 15-30 ms
    with 10,000 companies, for a line that keeps its size."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield _Title() if type(widget) is HeaderTitle else widget
