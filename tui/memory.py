"""When the garbage collector runs: at start-up and when the user pauses, not mid-keystroke.

A full pass of Python's cyclic collector stops the event loop for as long as it takes
to walk every tracked object: with Textual's caches and a dialog or two opened and
closed, 50-250 ms, right after a save or a keystroke. So the objects that exist once
the first frame is up (the database, the stylesheet, the main screen) are frozen out
of the collector's reach; automatic full passes become rare; and a full pass runs
instead once the user has stopped typing for a moment.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from typing import Any

from textual._styles_cache import StylesCache

IDLE_AFTER = 0.25
"""Seconds without a key or click before a full pass may run: short, so each pass has
little to free (a closed dialog leaves some ten thousand objects)."""
FULL_PASS_EVERY = 100
"""Young passes between automatic full passes (Python's default is 10): the safety net
for a user who never pauses."""


class IdleCollector:
    """Freezes the start-up objects and runs full passes in the user's pauses."""

    def __init__(self, tidy: Callable[[], None] = lambda: None) -> None:
        self._tidy = tidy
        self._last_input = time.monotonic()
        self._collected = True
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        """After the first frame: collect and freeze what exists, make full passes rare."""
        gc.collect()
        gc.freeze()
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, FULL_PASS_EVERY)

    def input(self) -> None:
        """The user pressed a key or clicked."""
        self._last_input = time.monotonic()
        self._collected = False

    def tick(self) -> None:
        """Called every fraction of a second: one full pass per pause in the typing."""
        if self._collected or time.monotonic() - self._last_input < IDLE_AFTER:
            return
        self._collected = True
        if gc.get_count()[2]:  # something reached the oldest generation since the last pass
            self._tidy()
            gc.collect()

    def stop(self) -> None:
        """Give the collector back its defaults (tests run many apps in one process)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            gc.unfreeze()
            self._thresholds = None


def release_render_caches() -> None:
    """Let closed widgets' render caches go.

    Textual caches ``StylesCache.get_inner_outer`` with ``lru_cache`` on the instance
    method (textual#6665), so the cache keys hold up to 1,024 widgets' style caches, each
    with every line it rendered: after forty dialogs, 100,000 objects that each full
    pass walks (100+ ms instead of 10). The cached value is two styles made from two
    colours, cheap to make again.
    """
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()


def prune_watchers(nodes: Iterable[Any]) -> None:
    """Forget watchers whose widget is gone.

    Textual drops a watcher of a removed widget only when the watched value next
    changes (textual#6666): a note editor's TextArea watching the app's theme, or
    the keys of a footer recomposed on each focus change bound to that footer's
    ``compact``, stay alive with everything they hold for the whole session.
    """
    for node in nodes:
        watchers: dict[str, list[tuple[Any, Any]]] | None = getattr(node, "__watchers", None)
        for entries in (watchers or {}).values():
            entries[:] = [(owner, callback) for owner, callback in entries if not owner._closing]
