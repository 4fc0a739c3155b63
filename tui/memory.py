"""When the garbage collector runs: at start-up and when the user pauses, not mid-keystroke.

A pass of Python's cyclic collector stops the event loop for as long as it takes to walk
the objects of the generations it collects, and every reference they hold: a list of fifty
thousand rows costs a young pass several milliseconds. So:

- once the first frame is up, everything that exists (the database, the rows, the
  stylesheet, the main screen) is frozen out of the collector's reach, without a pass
  (one over what the start made would stop the first keys); automatic full passes are
  made rare;
- what lives on once it is made is frozen as soon as it is made (``freeze_new``): the
  store's new lists after a change, the view's new list of rows, the search's listing
  made ahead in a thread. No pass ever walks those lists of one entry per company;
- automatic young passes wait for more objects than a key makes (``YOUNG_EVERY``), and the
  young generations are collected right after each key's frame is drawn, so a key's
  garbage is freed between keys, not in the middle of the next one;
- a full pass runs once the user has stopped typing for a moment, and what survives it
  is frozen too, so each pass walks only what was made since the last one (a closed
  dialog, the lines redrawn), not everything;
- no pass runs while a dialog is open (it would freeze the dialog, which is garbage
  soon after, or walk it again at every pause): the first pause after it closes frees
  it;
- frozen objects that die later in a cycle (lines of the main screen drawn again, the
  detail of the company before, a key's garbage frozen with a change) are only freed by
  a deep pass, which thaws everything: it runs after a longer pause once the heap has
  doubled since the last one (in any pause once it has tripled). It walks the whole
  database, so it is the one pass longer than a frame, and it waits for the user to read.

The heap is measured by ``sys.getallocatedblocks()``, a sum over the allocator's arenas;
``gc.get_freeze_count()`` walks every frozen object, so it is never called while the app
runs. Figures: docs/performance.md, "Save stall and GC at 50k".
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

IDLE_AFTER = 0.25
"""Seconds without a key or click before a full pass may run: short, so each pass has
little to walk."""
DEEP_AFTER = 2.0
"""Seconds without a key or click before a deep pass may run: the user is reading."""
DEEP_GROWTH = 1.0
"""How much the heap may grow, as a share of its size after the last deep pass,
before the next long pause runs a deep pass (the slowest kind) to free what died in it:
once per few dozen changes."""
DEEP_ANYWAY = 2.0
"""Growth at which the deep pass runs in any short pause, for a user who never stops:
memory held back by freezing stays under twice the heap."""
YOUNG_EVERY = 10_000
"""Objects made before an automatic young pass (Python's default is 700): more than one
key makes, so the young pass comes after the key's frame (``after_frame``), not inside it."""
MIDDLE_EVERY = 5
"""Young passes between automatic middle passes (Python's default is 10)."""
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
        """After the first frame: freeze what exists, keep young passes between keys, make
        full passes rare.

        Nothing is collected first: a pass over what the start made (every company's row,
        line and search text) would stop the first frame's keys for longer than a frame,
        and what it would free is a little start-up garbage, which a deep pass frees.
        """
        global _running
        _running = self
        gc.freeze()
        self._heap = sys.getallocatedblocks()
        self._thresholds = gc.get_threshold()
        gc.set_threshold(YOUNG_EVERY, MIDDLE_EVERY, FULL_PASS_EVERY)

    def input(self) -> None:
        """The user pressed a key or clicked."""
        self._last_input = time.monotonic()
        self._collected = self._weighed = False

    def after_frame(self) -> None:
        """Called once a key's frame is drawn: a young pass now, while the user reads it.

        Left to itself, the collector runs when enough objects have been made, which is
        in the middle of drawing, and every tenth time it walks everything the last few
        keys left in the middle generation (the previous searches' lists). Emptied after
        each frame, the young generations hold only what one key makes.
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

    def freeze_new(self) -> None:
        """What was just made lives on: freeze it before a young pass walks it.

        Called after a change (the store's new list of every record's line, the view's new
        list of rows) and once the search's listing is made ahead. Each of those lists
        holds a reference per company, and a pass visits every one, which at fifty thousand
        companies takes longer than a frame; frozen, they are never visited. What else the
        moment freezes is what one key made since its frame's young pass: a little garbage
        at most, which a deep pass frees.
        """
        if self._thresholds is not None:
            gc.freeze()

    def stop(self) -> None:
        """Give the collector back its defaults (tests run many apps in one process)."""
        global _running
        if _running is self:
            _running = None
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            gc.unfreeze()
            self._thresholds = None


_running: IdleCollector | None = None
"""The collector of the app running in this process, if any."""


def freeze_new() -> None:
    """``IdleCollector.freeze_new`` of the app running, if any (safe from any thread)."""
    if _running is not None:
        _running.freeze_new()
