"""The filter box: an Input whose typing does not lay out the whole screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.geometry import Size
from textual.widgets import Input


class FilterBox(Input):
    """An Input of fixed size that reports each change of its text at once.

    Textual's Input sets its virtual width to the length of its text on every change,
    and the virtual size is a layout reactive: each letter typed would lay out every
    widget on the screen again (some 7 ms with ten thousand companies listed) though
    the box itself keeps its size. The box scrolls its text by its own virtual size,
    which is kept up to date here without the layout.

    ``typed`` is called with the new text as soon as it changes. The Changed message
    reaches the screen only after a frame that draws the box alone, so the list would
    be drawn in a second frame of its own.
    """

    def __init__(self, typed: Callable[[str], None], **options: Any) -> None:
        self._typed = typed
        super().__init__(**options)

    def watch_has_focus(self, has_focus: bool) -> None:
        # Left empty, the box is hidden right after (``MainScreen.filter_left`` adds
        # "-hidden", which restyles it with the focus it has then): restyling it here as
        # well would cost esc a millisecond for a look nobody sees.
        if has_focus or self.value:
            super().watch_has_focus(has_focus)

    def _watch_value(self, value: str) -> None:
        if not self.styles.auto_dimensions:
            self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
        self._typed(value)
