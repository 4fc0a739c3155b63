"""A pane of the screen that shows when the focus is inside it."""

from __future__ import annotations

from textual import events
from textual.containers import Vertical


class Pane(Vertical):
    """A column of widgets whose border says the focus is on one of them (``-focus-within``).

    CSS's ``:focus-within`` says the same, but Textual then restyles the pane and every
    widget in it at each focus change inside it: 3-6 ms when the filter box hands the
    focus to a long list (esc, enter), for a border that stays as it was. Here the class
    changes only when the focus enters or leaves the pane, and only the pane's own style
    is made again, so no rule may style the pane's children by this class.
    """

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_focus(True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        focused = self.screen.focused
        self._show_focus(focused is not None and self in focused.ancestors)

    def _show_focus(self, inside: bool) -> None:
        if self.has_class("-focus-within") != inside:
            self.set_class(inside, "-focus-within", update=False)
            self.app.stylesheet.update_nodes([self], animate=True)
