"""Drawing with ready-made lines: a Visual of strips, how Textual finishes a plain box's
lines, and widgets that keep the lines Textual drew for them while nothing they show has
changed."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from rich.style import Style as RichStyle
from textual.color import Color
from textual.css.styles import RulesMap
from textual.filter import LineFilter
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget


class Lines(Visual):
    """Lines drawn already, shown as they are (under the widget's own style)."""

    def __init__(self, lines: list[Strip]) -> None:
        self.lines = lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        return [line.apply_style(base) for line in self.lines[:height]]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines)


def plain_box(widget: Widget) -> bool:
    """Whether Textual adds nothing around or over ``widget``'s lines: no border, padding,
    outline, tint, hatch or opacity."""
    styles = widget.styles
    return (
        not any(styles.gutter)
        and not any(edge for edge, _ in styles.outline)
        and styles.tint.a == 0
        and styles.text_opacity == 1
        and widget.opacity == 1
        and (not styles.has_rule("hatch") or styles.hatch == "none")
    )


@dataclass(frozen=True)
class Finish:
    """How Textual finishes a line of a plain box for the screen: widened to the box
    with the background's style, then passed through the app's line filters.

    A widget that draws its own lines does this once per line it keeps, where Textual's
    styles cache would do it again at each refresh.
    """

    width: int
    pad: RichStyle
    filters: tuple[LineFilter, ...]
    background: Color

    @classmethod
    def of(cls, widget: Widget) -> Finish:
        """How ``widget``'s lines are finished, as things stand."""
        under, background = widget.background_colors
        return cls(
            widget.size.width,
            Style(background=under + background).rich_style,
            tuple(widget.get_line_filters()),
            background,
        )

    def __call__(self, line: Strip) -> Strip:
        line = line.adjust_cell_length(self.width, self.pad)
        for line_filter in self.filters:
            line = line.apply_filter(line_filter, self.background)
        return line


def cropped(lines: list[Strip], crop: Region, width: int) -> list[Strip]:
    """The columns of ``crop`` of whole lines ``width`` cells wide."""
    if crop.column_span == (0, width):
        return lines
    x1, x2 = crop.column_span
    return [line.crop(x1, x2) for line in lines]


class KeptLines:
    """The lines Textual drew for a whole widget, kept for as long as what they show
    (``look``) stays the same.

    Textual draws a widget again, line by line through its styles cache and the app's
    line filters, each time the widget is refreshed, and a screen refreshes all of its
    widgets when it comes back from under a dialog. A widget whose look is summed up by a
    few values (a plain colour) can hand back the same lines instead.
    """

    def __init__(self) -> None:
        self._kept: tuple[Hashable, list[Strip]] | None = None

    def lines(
        self,
        widget: Widget,
        crop: Region,
        look: Hashable,
        draw: Callable[[], list[Strip]] | None = None,
    ) -> list[Strip]:
        """``widget``'s lines in ``crop``, as ``Widget.render_lines`` draws them (or
        ``draw``, which must draw the whole widget the same way, faster)."""
        width, height = widget.size
        key = (
            look,
            widget.size,
            widget.rich_style,
            widget.background_colors,
            tuple(widget.get_line_filters()),
        )
        kept = self._kept
        if kept is None or kept[0] != key:
            drawn = draw() if draw else Widget.render_lines(widget, Region(0, 0, width, height))
            kept = self._kept = (key, drawn)
        return cropped(kept[1][crop.y : crop.bottom], crop, width)
