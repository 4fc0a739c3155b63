"""Textual's header, whose title changes without laying out the screen again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Header as TextualHeader

from tui import textual_patches


class Header(TextualHeader):
    """The header line; its title (inbox count, path, save state) changes twice per save,
    and Textual's title asks for a layout of the whole screen each time, for a line that
    keeps its size (``textual_patches.QuietHeaderTitle``)."""

    def compose(self) -> ComposeResult:
        yield from textual_patches.quiet_header_parts(super().compose())
