"""Keys typed in a burst reach the screen they were typed for.

Textual hands each key to the focused widget as soon as it arrives. When one key
opens a dialog ("n" for quick-add), the keys right behind it (the name, enter) are
already queued for the list underneath, so a fast typist, a paste of keystrokes or
tmux loses them to the list's own keys. Here a key is held back until the one
before it has been handled, by the widget that took it or, for a binding, by the
app, and until a screen it opened has been drawn, so it goes where the user saw.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events

from tui import textual_patches

HOLD_AT_MOST = 0.3
"""Seconds a key waits for the one before it; then it goes on regardless."""


class KeyOrder:
    """Forwards keys one at a time; ``forward`` is Textual's own key handling."""

    def __init__(
        self,
        app: Any,
        forward: Callable[[events.Key], Awaitable[None]],
        drawn: Callable[[], None] = lambda: None,
    ) -> None:
        self.app = app
        self.forward = forward
        self.drawn = drawn
        """Called once a key has been handled and the frame showing it has been drawn."""
        self.held: deque[events.Key] = deque()
        self.pending: tuple[events.Key, Any, Any] | None = None
        """The key forwarded last and not yet handled, the screen it was typed on and the
        widget it went to."""
        self.deadline = 0.0

    def _waiting(self) -> bool:
        return self.pending is not None and time.monotonic() < self.deadline

    async def key(self, event: events.Key) -> None:
        """A key arrived from the terminal (or a test's pilot)."""
        if self._waiting() or self.held:
            self.held.append(event)
            self.app.set_timer(HOLD_AT_MOST, self._next)
            return
        await self._send(event)

    async def _send(self, event: events.Key) -> None:
        screen = self.app.screen
        target = self.app.focused or screen
        self.pending = (event, screen, target)
        self.deadline = time.monotonic() + HOLD_AT_MOST
        await self.forward(event)
        if not event.is_forwarded:  # run by one of the app's priority bindings (ctrl+p)
            self._done(event)
            return
        if not target.call_later(self._taken, event, target):
            self._done(event)

    def _taken(self, event: events.Key, node: Any) -> None:
        """``node`` has processed ``event``: done if it stopped there, else follow it up."""
        if textual_patches.propagation_stopped(event):
            self._done(event)
            return
        parent = node.parent
        if parent is None or parent is self.app:
            return  # it reaches the app's bindings, which call `handled`
        # The key is queued on the parent by now: look again once the parent is past it.
        if not parent.call_later(self._taken, event, parent):
            self._done(event)

    def handled(self, event: events.Key) -> None:
        """The app has run its bindings for ``event`` (called from ``App.on_key``)."""
        self._done(event)

    def _done(self, event: events.Key) -> None:
        """The key was handled; what it set off (a field's Submitted message closing its
        dialog, say) is still on its way up: follow that path once more, then release."""
        if self.pending is None or self.pending[0] is not event:
            return
        self._settle(event, self.pending[2])

    def _settle(self, event: events.Key, node: Any) -> None:
        if self.pending is None or self.pending[0] is not event:
            return
        screen = self.pending[1]
        # Up to and including the app, whose queue holds focus changes the key asked for.
        if node is not None and (node is self.app or node.is_attached):
            if node.call_later(self._settle, event, node.parent):
                return
        if self.app.screen is not screen:
            self._when_focused(event, tries=5)  # a screen opened or closed
        else:
            self._release(event)

    def _when_focused(self, event: events.Key, tries: int) -> None:
        """Release once the new screen is drawn and has given its field the focus."""
        focused = self.app.focused
        if tries and (focused is None or focused.screen is not self.app.screen):
            if self.app.screen.call_after_refresh(self._when_focused, event, tries - 1):
                return
        self._release(event)

    def _release(self, event: events.Key) -> None:
        if self.pending is not None and self.pending[0] is event:
            self.pending = None
            self.app.call_after_refresh(self.drawn)
            if self.held:
                self.app.call_later(self._next)

    async def _next(self) -> None:
        while self.held and not self._waiting():
            await self._send(self.held.popleft())
