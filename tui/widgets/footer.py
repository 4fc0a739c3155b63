"""Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """The key bar; Textual's rebuilds all its key widgets whenever bindings *may* have
    changed (each focus change, each return from a dialog), which costs a layout pass and
    leaves a few thousand objects for the garbage collector, mostly for the same keys."""

    _shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        # Under a dialog the bar keeps the keys it had: Textual leaves the app's own keys
        # (quit) out of a covered screen's bindings, and following that would rebuild
        # the bar when the dialog opens and again, some 60 ms, when it closes.
        if not self.is_attached or self.app.screen is not self.screen:
            return
        shown = tuple(
            (key, binding.action, binding.description, binding.key_display, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show
        )
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
