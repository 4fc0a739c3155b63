"""Commands: one row per action of a screen, from which its key bindings, its help and its
palette entries are all generated.

A row with keys becomes a ``Binding``: its label is the footer's word, its ``help`` the help
screen's sentence, its ``id`` the name a keymap in the settings remaps it by. A row with a
``title`` ("noun: Verb") is also a palette entry, whose text ends with the key that runs it
now: the screen's active bindings say which, after the keymap and for the focused widget
(a letter typed into the filter box is a letter, so the palette then names no letter key).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class Command:
    """An action a user runs by a key, from the palette, or both."""

    keys: str
    """Comma-separated keys ("j,down"); "" for an action only the palette runs."""
    action: str
    """The action with its arguments ("layer(-1)"), run on the screen (or app) that owns it."""
    label: str = ""
    """The footer's word for it (and the help's, when ``help`` is empty)."""
    id: str = ""
    """The binding's id: what a keymap in the settings names to give it other keys."""
    help: str = field(default="", kw_only=True)
    """The help screen's sentence (the binding's tooltip)."""
    title: str = field(default="", kw_only=True)
    """The palette's title, "noun: Verb"; "" keeps the action out of the palette."""
    palette: str = field(default="", kw_only=True)
    """The palette's sentence under the title (``help`` when empty); the key follows it."""
    show: bool = field(default=True, kw_only=True)
    """Whether the footer shows the key (the help screen always does)."""
    priority: bool = field(default=False, kw_only=True)
    """Whether the key wins over the focused widget's own use of it."""
    key_display: str | None = field(default=None, kw_only=True)
    """How the footer and help write the key, when not as Textual would ("1-9")."""

    def binding(self) -> Binding:
        """The key binding of this row (which must have keys)."""
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            key_display=self.key_display,
            priority=self.priority,
            tooltip=self.help,
            id=self.id or None,
        )


def bindings(commands: Iterable[Command]) -> list[BindingType]:
    """The key bindings of the rows that have keys, in the table's order (the footer's)."""
    return [command.binding() for command in commands if command.keys]


def current_keys(screen: Screen) -> dict[str, list[str]]:
    """The keys that run each binding id on ``screen`` now, as the footer writes them."""
    keys: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        if active.binding.id:
            keys.setdefault(active.binding.id, []).append(
                screen.app.get_key_display(active.binding)
            )
    return keys


def key_for(screen: Screen, binding_id: str) -> str | None:
    """The key that runs ``binding_id`` on ``screen`` now (the first, if several), for a
    message to name; None when no key runs it now."""
    keys = current_keys(screen).get(binding_id)
    return keys[0] if keys else None


def bound_key(screen: Screen, action: str) -> str | None:
    """The key ``screen`` binds to ``action`` after the user's keymap, whatever has the
    focus (for text that stays on screen, like the detail pane's hints); None if ``screen``
    has no key for it."""
    for binding in screen.BINDINGS:
        if isinstance(binding, Binding) and binding.action == action:
            settings = getattr(screen.app, "settings", None)  # (the app's, with its keymap)
            keymap = settings.keymap if settings and binding.id else {}
            first = keymap.get(binding.id, binding.key).split(",")[0].strip()
            return screen.app.get_key_display(Binding(first, action))
    return None


def palette_commands(
    screen: Screen, commands: Iterable[Command], owner: DOMNode | None = None
) -> Iterator[SystemCommand]:
    """Palette entries for the rows with a title, each running its action on ``owner``
    (``screen`` by default) and naming the key that runs it on ``screen`` now."""
    node = owner or screen
    keys = current_keys(screen)
    for command in commands:
        if not command.title:
            continue
        text = command.palette or command.help
        if keys.get(command.id):
            text += f" ({' or '.join(keys[command.id])})"
        yield SystemCommand(command.title, text, partial(node.run_action, command.action))


APP_COMMANDS: tuple[Command, ...] = (
    Command("q", "quit", "Quit", "app.quit", help="Quit (everything is already saved)"),
    Command(
        "question_mark,f1",
        "help",
        "Help",
        "app.help",
        help="Keys of this screen",
        title="app: Help",
        palette="Every key of this screen",
    ),
)
"""The keys of every screen, bound on the app."""
