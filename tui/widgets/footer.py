"""The key bar: one line drawn from the screen's active bindings and the keys it names."""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

PALETTE_WORDS_FROM = 100
"""Bar width (cells) from which the palette's key has its word beside it."""


class Hint(NamedTuple):
    """A key a screen names for the bar because a focused widget, not a binding, handles
    it (enter in a one-line field, tab between fields, a picker's letters)."""

    key: str
    """The key a click on it presses; "" when it stands for several ("1-5")."""
    description: str
    display: str = ""
    """How the bar writes the key, when not as Textual would."""


class FooterKey(NamedTuple):
    """One key as the bar shows it."""

    key: str
    display: str
    description: str
    tooltip: str
    enabled: bool
    kept: bool = False
    """Whether the bar keeps the key when there is no room for all: the app's own keys
    (quit, help), which every screen has."""


class Footer(Widget, can_focus=False):
    """The keys that matter where the focus is, and the command palette's on the right.

    A screen with a ``footer_hints()`` method (a sequence of ``Hint``) names keys first,
    read again whenever the bindings may have changed (the focus moved); a binding of a
    key it names is not shown twice.

    Textual's footer is a container of one widget per key, all rebuilt whenever the
    bindings *may* have changed: on every focus change (`/`, esc, tab, a dialog opening
    or closing) that is a layout pass over the screen and a few thousand objects for the
    collector. This bar is one line: when the keys change it redraws it.
    It looks the same, uses the same theme colours, and a click on a key presses it.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer--key",
        "footer--description",
        "footer--hover",
        "footer--rule",
    }
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--hover {
            background: $block-hover-background;
        }
        .footer--rule {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[FooterKey, ...] = ()
        """The keys shown, left to right."""
        self.palette: FooterKey | None = None
        """The command palette's key, shown at the right end."""
        self._spans: list[tuple[int, int, FooterKey]] = []
        """Where each key was drawn: its first and past-last column."""
        self._hover: FooterKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._read_keys)

    def _read_keys(self) -> None:
        # Under a dialog the bar keeps the keys it had: Textual leaves the app's own keys
        # (quit) out of a covered screen's bindings, and following that would redraw the
        # bar when the dialog opens and again when it closes.
        if not self.is_attached or self.app.screen is not self.screen:
            return
        app = self.app
        hinted = self._hints()
        named = {key.key for key in hinted}
        keys: dict[str, FooterKey] = {}  # one per action, as Textual's footer shows them
        palette = None
        for key, (node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if key in named:
                continue
            shown = FooterKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                tooltip or binding.tooltip or binding.description,
                enabled,
                node is app,
            )
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = shown
            elif binding.show:
                keys.setdefault(binding.action, shown)
        shown_keys = (*hinted, *keys.values())
        if (shown_keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = shown_keys, palette
            self.refresh()

    def _hints(self) -> tuple[FooterKey, ...]:
        """The keys the screen names (none if it names none)."""
        footer_hints = getattr(self.screen, "footer_hints", None)
        if footer_hints is None:
            return ()
        app = self.app
        return tuple(
            FooterKey(
                hint.key,
                hint.display or app.get_key_display(Binding(hint.key, "")),
                hint.description,
                hint.description,
                True,
            )
            for hint in footer_hints()
        )

    def _styles(self, key: FooterKey) -> tuple[Style, Style]:
        """The key's and its description's style."""
        base = self.rich_style
        key_style = base + self.get_component_rich_style("footer--key")
        description_style = base + self.get_component_rich_style("footer--description")
        if key is self._hover:
            hover = Style(bgcolor=self.get_component_rich_style("footer--hover").bgcolor)
            key_style, description_style = key_style + hover, description_style + hover
        if not key.enabled:
            dim = Style(dim=True)
            key_style, description_style = key_style + dim, description_style + dim
        return key_style, description_style

    def _label(self, key: FooterKey) -> list[Segment]:
        key_style, description_style = self._styles(key)
        if not key.description:
            return [Segment(key.display, key_style)]
        return [
            Segment(f" {key.display} ", key_style),
            Segment(f"{key.description} ", description_style),
        ]

    def _palette_label(self, room: int) -> list[Segment]:
        """The palette's key at the right end; its word goes when ``room`` is short."""
        if self.palette is None:
            return []
        key_style, description_style = self._styles(self.palette)
        rule = Segment("▏", self.rich_style + self.get_component_rich_style("footer--rule"))
        words = [Segment(f" {self.palette.description}", description_style)]
        if room < PALETTE_WORDS_FROM:
            words = []
        return [
            rule,
            Segment(self.palette.display, key_style),
            *words,
            Segment(" ", self.rich_style),
        ]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        right = self._palette_label(width)
        room = width - Segment.get_line_length(right)
        labels = [(key, self._label(key)) for key in self.keys]
        size = sum(Segment.get_line_length(label) for _, label in labels)
        # Too narrow for every key: the last ones give way first, never quit and help.
        for index in range(len(labels) - 1, -1, -1):
            if size <= room:
                break
            key, label = labels[index]
            if not key.kept:
                size -= Segment.get_line_length(label)
                del labels[index]
        segments: list[Segment] = []
        spans: list[tuple[int, int, FooterKey]] = []
        x = 0
        for key, label in labels:
            size = Segment.get_line_length(label)
            spans.append((x, x + size, key))
            segments += label
            x += size
        line = Strip(segments).adjust_cell_length(max(room, 0), base)
        self._spans = [span for span in spans if span[1] <= room]
        if room > 0 and self.palette is not None:
            self._spans.append((room, width, self.palette))
        return (line + Strip(right)).crop(0, width)

    def _key_at(self, x: int) -> FooterKey | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        if key is not self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None or not key.key:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
