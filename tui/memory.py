"""When the garbage collector runs: at start-up and when the user pauses, not mid-keystroke.

A full pass of Python's cyclic collector stops the event loop for as long as it takes
to walk every tracked object: with 10,000 companies and Textual's render caches, 50-250
ms, right after a save or a keystroke. So:

- the objects that exist once the first frame is up (the database, the stylesheet, the
  main screen) are frozen out of the collector's reach, and automatic full passes are
  made rare;
- the young generations are collected right after each key's frame is drawn, so the
  passes the collector starts by itself while the next key is drawn are small ones;
- a full pass runs once the user has stopped typing for a moment, and what survives it
  is frozen too, so each pass walks only what was made since the last one (a closed
  dialog, the lines redrawn): a few milliseconds, not a walk over everything;
- no pass runs while a dialog is open (it would freeze the dialog, which is garbage
  soon after, or walk it again at every pause): the first pause after it closes frees
  it;
- frozen objects that die later in a cycle (lines of the main screen drawn again, the
  detail of the company before) are only freed by a deep pass, which thaws everything:
  it runs after a longer pause once the heap has doubled since the last one (in any
  pause once it has tripled).

The heap is measured by ``sys.getallocatedblocks()``, a sum over the allocator's arenas,
well under a millisecond; ``gc.get_freeze_count()`` walks every frozen object, some 30
ms with 10,000 companies, so it is never called while the app runs.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from textual import messages
from textual._styles_cache import StylesCache
from textual.cache import FIFOCache
from textual.message_pump import MessagePump
from textual.strip import Strip

IDLE_AFTER = 0.25
"""Seconds without a key or click before a full pass may run: short, so each pass has
little to walk."""
DEEP_AFTER = 2.0
"""Seconds without a key or click before a deep pass may run: the user is reading."""
DEEP_GROWTH = 1.0
"""How much the heap may grow, as a share of its size after the last deep pass,
before the next long pause runs a deep pass (some 300 ms with 10,000 companies) to free
what died in it: once per few dozen changes."""
DEEP_ANYWAY = 2.0
"""Growth at which the deep pass runs in any short pause, for a user who never stops:
memory held back by freezing stays under twice the heap."""
FULL_PASS_EVERY = 100
"""Young passes between automatic full passes (Python's default is 10): the safety net
for a user who never pauses."""


class IdleCollector:
    """Freezes what survives, and runs the collector in the user's pauses."""

    def __init__(
        self,
        tidy: Callable[[], None] = lambda: None,
        settled: Callable[[], bool] = lambda: True,
    ) -> None:
        """``tidy`` runs before each pass; ``settled`` says no dialog is open."""
        self._tidy = tidy
        self._settled = settled
        self._last_input = time.monotonic()
        self._collected = True
        """This pause has had its full pass (or needed none)."""
        self._weighed = True
        """This long pause has weighed the heap for a deep pass."""
        self._heap = 1
        """Allocated blocks after the last deep pass (or start-up)."""
        self._thresholds: tuple[int, int, int] | None = None
        self.passes: list[tuple[str, float]] = []
        """(kind, seconds) of the latest passes, for the benchmarks."""

    def start(self) -> None:
        """After the first frame: collect and freeze what exists, make full passes rare."""
        untangle_strips()
        lighten_strips()
        anonymous_prompts()
        gc.collect()
        gc.freeze()
        self._heap = sys.getallocatedblocks()
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, FULL_PASS_EVERY)

    def input(self) -> None:
        """The user pressed a key or clicked."""
        self._last_input = time.monotonic()
        self._collected = self._weighed = False

    def after_frame(self) -> None:
        """Called once a key's frame is drawn: a young pass now, while the user reads it.

        Left to itself, the collector runs when enough objects have been made, which is
        in the middle of drawing, and every tenth time it walks everything the last few
        keys left in the middle generation (with ten thousand companies, the previous
        search's lists: 3-4 ms, a third of a keystroke). Emptied after each frame, the
        young generations hold only what one key makes.
        """
        if self._thresholds is not None:
            gc.collect(1)

    def tick(self) -> None:
        """Called every fraction of a second: one pass per pause in the typing."""
        idle = time.monotonic() - self._last_input
        if idle < IDLE_AFTER or not self._settled():
            return
        if not self._collected:
            self._collected = True
            if gc.get_count()[2]:  # something reached the oldest generation since the last pass
                self._pass("full", thaw=False)
            if self._growth() > DEEP_ANYWAY:
                self._deep_pass()
        if idle >= DEEP_AFTER and not self._weighed:
            self._weighed = True
            if self._growth() > DEEP_GROWTH:
                self._deep_pass()

    def _growth(self) -> float:
        """How much the heap grew since the last deep pass, as a share of its size then."""
        return sys.getallocatedblocks() / max(self._heap, 1) - 1

    def _deep_pass(self) -> None:
        self._pass("deep", thaw=True)
        self._heap = sys.getallocatedblocks()

    def _pass(self, kind: str, *, thaw: bool) -> None:
        began = time.perf_counter()
        self._tidy()
        if thaw:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.passes = [*self.passes[-99:], (kind, time.perf_counter() - began)]

    def stop(self) -> None:
        """Give the collector back its defaults (tests run many apps in one process)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            gc.unfreeze()
            self._thresholds = None


def anonymous_prompts() -> None:
    """Let the message that wakes an idle widget carry no other widget with it.

    A message remembers the widget that was active when it was made, and a widget keeps
    the last message it handled until it handles another. ``check_idle`` posts such a
    wake-up to an idle widget: the company list's scrollbar, woken while a dialog was
    active, kept that dialog (and every line it drew) alive long after it closed. The
    wake-up now names the widget it wakes.
    """
    if getattr(MessagePump.check_idle, "anonymous", False):
        return

    def check_idle(self: MessagePump) -> None:
        if self._running and self._message_queue.empty():
            self.post_message(messages.Prompt().set_sender(self))

    check_idle.anonymous = True  # type: ignore[attr-defined]
    MessagePump.check_idle = check_idle  # type: ignore[method-assign]


def untangle_strips() -> None:
    """Stop Textual's strips from referring to themselves.

    ``Strip.divide`` caches its result on the strip, and a strip not cut at all divides
    into a list holding the strip itself: a reference cycle, made for every line of
    every widget the compositor draws, that only the cyclic collector can free. Tens
    of thousands of them per dialog made each full pass 50-180 ms. Returning that
    one-strip list without caching it costs a list per line and leaves no cycle.
    """
    if getattr(Strip.divide, "untangled", False):
        return
    divide = Strip.divide

    def untangled(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
        length = self.cell_length
        kept = [cut for cut in cuts if cut <= length]
        if kept == [length]:
            return [self]
        return divide(self, kept)

    untangled.untangled = True  # type: ignore[attr-defined]
    Strip.divide = untangled  # type: ignore[method-assign]


STRIP_CACHES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
"""The caches every Textual ``Strip`` makes when it is created, with their sizes."""
STRIP_SLOTS = {
    *STRIP_CACHES,
    "_segments",
    "_cell_length",
    "_render_cache",
    "_link_ids",
    "_cell_count",
}
"""Every slot of a ``Strip``: the ones above and the ones its ``__init__`` sets."""


def lighten_strips() -> None:
    """Let Textual's strips make their caches when first used, not when created.

    A strip (one line of a widget) is born with seven caches, for results it may never
    be asked for: most strips live for one frame. A full repaint makes some 400 strips,
    so 2,800 caches, a quarter of the frame's time and most of what the next garbage
    collection walks. Here a cache is made the first time its strip looks it up
    (an unset slot falls back to ``__getattr__``); after that it is a plain slot.
    Left alone if Textual's strips have other slots than the ones known here.
    """
    if getattr(Strip, "_lightened", False) or set(Strip.__slots__) != STRIP_SLOTS:
        return

    def __init__(self: Strip, segments: Iterable[Any], cell_length: int | None = None) -> None:
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    def __getattr__(self: Strip, name: str) -> Any:
        size = STRIP_CACHES.get(name)
        if size is None:
            raise AttributeError(name)
        cache: FIFOCache[Any, Any] = FIFOCache(size)
        setattr(self, name, cache)
        return cache

    Strip.__init__ = __init__  # type: ignore[method-assign]
    Strip.__getattr__ = __getattr__  # type: ignore[attr-defined]
    Strip._lightened = True  # type: ignore[attr-defined]


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
    changes (textual#6666): a closed note editor's TextArea, which watches the app's
    theme, would stay alive with everything it holds for the whole session.
    """
    for node in nodes:
        watchers: dict[str, list[tuple[Any, Any]]] | None = getattr(node, "__watchers", None)
        for entries in (watchers or {}).values():
            entries[:] = [(owner, callback) for owner, callback in entries if not owner._closing]
