"""The filter box: an Input that reports each change of its text at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input


class FilterBox(Input):
    """An Input that reports each change of its text at once.

    ``typed`` is called with the new text as soon as it changes. The Changed message
    reaches the screen only after a frame that draws the box alone, so the list would
    be drawn in a second frame of its own.
    """

    def __init__(self, typed: Callable[[str], None], **options: Any) -> None:
        self._typed = typed
        super().__init__(**options)

    def watch_value(self, value: str) -> None:
        self._typed(value)
