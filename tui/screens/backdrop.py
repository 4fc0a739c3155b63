"""Screen backgrounds: the dimmed screen behind a dialog, tinted line by line and only
where it changed, and a solid colour drawn once. A dialog's own key bar over the dimmed one."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.app import ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.reactive import Reactive
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from tui import textual_patches
from tui.widgets.footer import Footer, Hint
from tui.widgets.lines import Finish, KeptLines, Lines, cropped, plain_box

TINTS_KEPT = 4096
"""Tinted styles remembered; a screen uses a few dozen."""

_tints: dict[tuple[RichStyle | None, Color], RichStyle | None] = {}


def tint(segments: Iterable[Segment], color: Color) -> list[Segment]:
    """Textual's backdrop tint (``BackgroundScreen``), worked out once per style.

    Textual blends both colours of every segment of the screen behind a dialog each time
    the dialog is drawn; the screen uses a few dozen styles.
    """
    tinted: list[Segment] = []
    for segment in segments:
        text, style, control = segment
        if control:
            tinted.append(segment)
            continue
        key = (style, color)
        try:
            new_style = _tints[key]
        except KeyError:
            if len(_tints) >= TINTS_KEPT:
                _tints.clear()
            (plain,) = BackgroundScreen.process_segments([Segment(" ", style)], color)
            new_style = _tints[key] = plain.style
        tinted.append(Segment(text, new_style))
    return tinted


class Modal(ModalScreen[ScreenResultType]):
    """A modal screen over a dimmed copy of the screen beneath.

    Textual draws that copy by rendering the screen beneath whole, blending the colours
    of each of its segments and passing the result through Rich again, on opening and on
    every refresh of the dialog. Here the lines beneath are the ones that screen last put
    on the terminal (``textual_patches.screen_lines``), a line is tinted again only if it
    changed, and it is finished for the screen (the dialog's style under it, the app's
    line filters) once, not line by line through Textual's styles cache at each refresh.
    Without the patches, Textual's own backdrop.

    At the bottom, over the dimmed key bar (whose keys do not work here), the dialog's own:
    its bindings shown and first the keys its fields handle (``FOOTER_HINTS``, or
    ``footer_hints`` where they depend on the focus). The app's quit and help are not
    active here (Textual stops looking for bindings at a modal screen); the palette's key
    still opens the palette (Textual binds it with priority), but it lists nothing of
    the dialog's, so the bar leaves it out.
    A subclass writes ``compose_dialog``; ``compose`` adds the bar.
    """

    FOOTER_HINTS: ClassVar[tuple[Hint, ...]] = ()
    """Keys the dialog's widgets handle, shown before its bindings."""

    _dimmed: tuple[Hashable, list[Strip], list[Strip]] = (None, [], [])
    """How the lines were dimmed and finished, the lines beneath as last drawn, and
    those lines dimmed and finished."""

    def compose(self) -> ComposeResult:
        yield from self.compose_dialog()
        yield Footer()

    def compose_dialog(self) -> ComposeResult:
        """The dialog's widgets (its box); the key bar comes after them."""
        raise NotImplementedError

    def footer_hints(self) -> Sequence[Hint]:
        """The keys to show before the bindings' keys, as the focus stands now."""
        return self.FOOTER_HINTS

    def bound_keys(self, action: str) -> list[tuple[str, str]]:
        """The keys that run ``action`` (any arguments) now, with the action as bound:
        after the user's keymap, without those the focused field types instead or the
        dialog's ``check_action`` turns off. For hints that stand for several keys."""
        return [
            (active.binding.key, active.binding.action)
            for active in self.active_bindings.values()
            if active.binding.action.startswith(f"{action}(")
        ]

    def render(self) -> RenderableType | Visual:
        rendered = super().render()
        if type(rendered) is not BackgroundScreen or not textual_patches.applied("screen_lines"):
            return rendered
        return Lines(self._dim(rendered.screen, rendered.color))

    def render_lines(self, crop: Region) -> list[Strip]:
        rendered = super().render()
        if (
            type(rendered) is not BackgroundScreen
            or not plain_box(self)
            or not textual_patches.applied("screen_lines")
        ):
            return super().render_lines(crop)
        finish = (self.visual_style.rich_style, Finish.of(self))
        lines = self._dim(rendered.screen, rendered.color, finish)[crop.y : crop.bottom]
        return cropped(lines, crop, self.size.width)

    def _dim(
        self, beneath: Screen, color: Color, finish: tuple[RichStyle, Finish] | None = None
    ) -> list[Strip]:
        """The lines of ``beneath`` tinted with ``color``; finished for the screen (see
        ``Modal``) when ``finish`` gives the dialog's style and how its lines end."""
        lines = textual_patches.screen_lines(beneath) or []
        how, before, dimmed_before = self._dimmed
        if how != (color, finish):
            before = []
        dimmed = [
            dimmed_before[y]
            if y < len(before) and before[y] == line
            else _finished(Strip(tint(line, color)), finish)
            for y, line in enumerate(lines)
        ]
        self._dimmed = ((color, finish), lines, dimmed)
        return dimmed


def _finished(line: Strip, finish: tuple[RichStyle, Finish] | None) -> Strip:
    if finish is None:
        return line
    style, end = finish
    return end(line.apply_style(style))


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
