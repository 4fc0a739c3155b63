"""Drawing with ready-made lines: a Visual of strips, and a scrollbar drawn as lines."""

from __future__ import annotations

from rich.console import RenderableType
from textual.css.styles import RulesMap
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


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


class LineScrollBar(ScrollBar):
    """A vertical scrollbar whose cells go straight into lines.

    Textual's scrollbar is a Rich renderable, and a Rich render of a 40-line bar costs
    2-4 ms: a filter keystroke that changes the list's length pays it every time. The
    bar's own ``render_bar`` gives one segment per line, which is all a line needs.
    """

    def render(self) -> RenderableType | Visual:
        rendered = super().render()
        if not isinstance(rendered, ScrollBarRender) or not rendered.vertical:
            return rendered
        width, height = self.size
        style = rendered.style
        if isinstance(style, str) or style.bgcolor is None or style.color is None:
            return rendered
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
        return Lines([Strip([segment], width) for segment in bar.segments])


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
