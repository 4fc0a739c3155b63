"""A screen background of a solid colour, drawn once per size and colour."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region
from textual.reactive import Reactive
from textual.screen import Screen, ScreenResultType
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.lines import KeptLines, plain_box


class SolidScreen(Screen[ScreenResultType]):
    """A screen of a solid colour, whose background lines are drawn once per size and
    colour rather than each time the screen comes back from under a dialog."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """The widget with the focus. Textual's screen repaints every widget on it when the
    focus moves (at each esc, enter and tab); the two widgets
    that lose and gain it redraw themselves, as does any widget whose style it changes."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self._kept = KeptLines()

    def render_lines(self, crop: Region) -> list[Strip]:
        background = self.styles.background
        if background.a < 1 or not plain_box(self):
            return super().render_lines(crop)
        return self._kept.lines(self, crop, background)
