"""Drawing with ready-made lines: a Visual of strips, a scrollbar drawn as lines, and
widgets that keep the lines Textual drew for them while nothing they show has changed."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.css.styles import RulesMap
from textual.filter import LineFilter
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
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
    widgets when it comes back from under a dialog: 50-70 us a line, 2-4 ms for a
    screen's own background. A widget whose look is summed up by a few values (a plain
    colour, a scrollbar's thumb) can hand back the same lines instead.
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


class LineScrollBar(ScrollBar):
    """A vertical scrollbar whose cells go straight into lines.

    Textual's scrollbar is a Rich renderable, and a Rich render of a 40-line bar costs
    2-4 ms: a filter keystroke that changes the list's length pays it every time. The
    bar's own ``render_bar`` gives one segment per line, which is all a line needs.
    """

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self._kept = KeptLines()

    def render(self) -> RenderableType | Visual:
        rendered = super().render()
        segments = self._cells(rendered)
        if segments is None:
            return rendered
        return Lines([Strip([segment], self.size.width) for segment in segments])

    def _cells(self, rendered: RenderableType | Visual) -> list[Segment] | None:
        """One segment per line of Textual's render of the bar, if it is one this bar
        draws as lines (vertical, in colours)."""
        if not isinstance(rendered, ScrollBarRender) or not rendered.vertical:
            return None
        style = rendered.style
        if isinstance(style, str) or style.bgcolor is None or style.color is None:
            return None
        width, height = self.size
        bar = rendered.render_bar(
            size=height,
            virtual_size=rendered.virtual_size,
            window_size=rendered.window_size,
            position=rendered.position,
            thickness=width,
            vertical=True,
            back_color=style.bgcolor,
            bar_color=style.color,
        )
        return bar.segments

    def render_lines(self, crop: Region) -> list[Strip]:
        """The bar drawn again only when its cells change: not each time its screen comes
        back from under a dialog, nor when the list changes length by a row or two. Its
        box is plain, so each cell is finished here as Textual would finish it (its
        styles cache costs ~60 us a line: 3 ms for the bar beside a full list)."""
        segments = self._cells(super().render())
        if segments is None or not plain_box(self):
            return super().render_lines(crop)

        def draw() -> list[Strip]:
            finish, base, width = Finish.of(self), self.rich_style, self.size.width
            # A bar has two or three kinds of cell (track, thumb, the thumb's ends):
            # each is finished once, and its lines share the one strip.
            kinds = {cell: finish(Strip([cell], width).apply_style(base)) for cell in set(segments)}
            return [kinds[cell] for cell in segments]

        return self._kept.lines(self, crop, tuple(segments), draw)


class LineScrollView(ScrollView):
    """A ScrollView whose vertical scrollbar is a ``LineScrollBar``."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            thickness = self.scrollbar_size_vertical
            bar = LineScrollBar(vertical=True, name="vertical", thickness=thickness)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
