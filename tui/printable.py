"""The last guard between stored text and the terminal: a line filter that removes
what a terminal would act on rather than show.

Text is cleaned on its way into the database (``store.text.clean``), but a database
written by an older moatscope, or edited by hand, may still hold an escape sequence
or a bidi override; so may a pasted value in an input. Every line Textual draws
passes through the app's line filters, so this one sees all of them. The characters
it removes take no cells, so each line keeps its width.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from store.text import printable


class Printable(LineFilter):
    """Drops control characters and bidi overrides from every segment of a line."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        joined = "".join(segment.text for segment in segments)
        if printable(joined) is joined:
            return segments
        return [
            segment if segment.control else Segment(printable(segment.text), segment.style)
            for segment in segments
        ]
