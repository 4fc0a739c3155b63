"""Every use of Textual's private API in moatscope, and every change to Textual's classes.

Nothing else in ``tui/`` imports a private Textual module, calls or overrides a Textual
name that starts with an underscore, or assigns to a Textual class. What is here was
written against one release of Textual (``WRITTEN_FOR``) and is applied by ``apply()``
only on that release: on any other, or with ``MOATSCOPE_TEXTUAL_PATCHES=off`` in the
environment, none is applied, one line is logged, and the app runs on Textual as it is,
correct and only slower or hungrier. ``MOATSCOPE_TEXTUAL_PATCHES=without:a,b`` leaves out
the patches named, for A/B measurements.

Each patch says why it exists and which row of ``python -m tests.benchmarks`` (or which
test) decides whether it stays. To upgrade Textual: see docs/upstream/ for the fixes
offered upstream, check each patch against the new source, bump ``WRITTEN_FOR``, and run
the benchmarks with the patches on and off.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from textual import messages
from textual.cache import FIFOCache
from textual.geometry import Region
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

try:
    from textual._compositor import Compositor
    from textual._styles_cache import StylesCache
    from textual.widgets._header import HeaderTitle
except ImportError:  # a Textual that moved them: importing this module must still work
    PRIVATE_MODULES = False
else:
    PRIVATE_MODULES = True

WRITTEN_FOR = "8.2.8"
"""The Textual release every patch here was written for and measured on."""
SWITCH = "MOATSCOPE_TEXTUAL_PATCHES"
"""``off``: apply none; ``without:name,name``: apply all but those; unset: apply all."""

log = logging.getLogger("moatscope.textual_patches")


@dataclass(frozen=True)
class Patch:
    """A change to Textual's behaviour for the whole process, made at most once."""

    name: str
    reason: str
    decides: str
    """The benchmark row (or test) that fails without it."""
    install: Callable[[], None]


_applied: set[str] = set()


def installed_textual() -> str:
    """The installed Textual's version (a function, so tests can pretend another)."""
    return version("textual")


def apply() -> set[str]:
    """Apply the patches this Textual and the environment allow; return their names.

    Idempotent: a patch applied once stays applied for the process (tests run many apps).
    """
    switch = os.environ.get(SWITCH, "").strip().lower()
    found = installed_textual()
    if found != WRITTEN_FOR:
        log.warning("Textual %s, not %s: no Textual patches applied", found, WRITTEN_FOR)
        return set(_applied)
    if not PRIVATE_MODULES:
        log.warning("Textual %s moved what the patches change: no Textual patches applied", found)
        return set(_applied)
    if switch == "off":
        log.info("%s=off: no Textual patches applied", SWITCH)
        return set(_applied)
    left_out = set(switch.removeprefix("without:").split(",")) if switch else set()
    for patch in PATCHES:
        if patch.name not in _applied and patch.name not in left_out:
            patch.install()
            _applied.add(patch.name)
    return set(_applied)


def applied(name: str) -> bool:
    """Whether the patch ``name`` is in force in this process."""
    return name in _applied


# --- crop_to_changes: Compositor._get_renders ------------------------------------------


def _get_renders(
    self: Compositor, crop: Region | None = None
) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """Textual's ``Compositor._get_renders``, each widget tested by what of it is visible."""
    _rich_traceback_guard = True  # noqa: F841  (as Textual's: a render error's traceback starts here)
    for widget, (region, clip) in self.visible_widgets.items():
        visible = region.intersection(clip)
        if not visible or (crop and not crop.overlaps(visible)):
            continue
        lines = widget.render_lines(visible.translate((-region.x, -region.y)))
        yield region, clip, lines


def crop_to_changes() -> None:
    """A partial update draws only the widgets whose visible part overlaps it.

    Textual picks the widgets to draw by their *clip* (the screen's, for a docked header
    or footer), so every keystroke in the middle pane drew every pane again, only for the
    update to throw their lines away. What reaches the terminal is the same
    (tests/tui/test_compositor.py compares the two cell by cell). docs/upstream/
    compositor-crop.md offers the fix to Textual.
    """
    Compositor._get_renders = _get_renders  # type: ignore[method-assign]


textual_get_renders = getattr(Compositor, "_get_renders", None) if PRIVATE_MODULES else None
"""Textual's own choice of widgets to draw, for comparing the two."""


# --- anonymous_prompts: MessagePump.check_idle ------------------------------------------


def anonymous_prompts() -> None:
    """The message that wakes an idle widget carries no other widget with it.

    A message remembers the widget active when it was made, and a widget keeps the last
    message it handled: a scrollbar woken while a dialog was active kept that dialog,
    and every line it drew, alive long after it closed. (docs/upstream/check-idle.md)
    """

    def check_idle(self: MessagePump) -> None:
        if self._running and self._message_queue.empty():
            self.post_message(messages.Prompt().set_sender(self))

    MessagePump.check_idle = check_idle  # type: ignore[method-assign]


# --- untangle_strips: Strip.divide --------------------------------------------------------


def untangle_strips() -> None:
    """An uncut strip divides into ``[strip]`` without caching that list on itself.

    ``Strip.divide`` caches its result on the strip, and for a strip not cut at all the
    result holds the strip itself: a reference cycle per line drawn, which only the
    cyclic collector frees. (docs/upstream/strip-divide.md)
    """
    divide = Strip.divide

    def untangled(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
        length = self.cell_length
        kept = [cut for cut in cuts if cut <= length]
        if kept == [length]:
            return [self]
        return divide(self, kept)

    Strip.divide = untangled  # type: ignore[method-assign]


# --- lighten_strips: Strip.__init__ ---------------------------------------------------------

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
"""Every slot of a ``Strip``: the caches and what its ``__init__`` sets."""


def lighten_strips() -> None:
    """A strip makes each of its seven caches when first used, not when created.

    Most strips live for one frame and use none of them. An unset slot falls back to
    ``__getattr__``, which makes the cache; after that it is a plain slot.
    """
    if set(Strip.__slots__) != STRIP_SLOTS:
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


# --- tidying what Textual keeps of closed widgets ------------------------------------------


def release_render_caches() -> None:
    """Let closed widgets' render caches go.

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on an instance method
    (textual#6665): its keys hold up to 1,024 widgets' style caches, each with every line
    it rendered. The cached value is cheap to make again.
    """
    if not applied("tidy_closed_widgets"):
        return
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()


def prune_watchers(nodes: Iterable[Any]) -> None:
    """Forget watchers whose widget is closing or gone.

    Textual drops a watcher of a removed widget only when the watched value next changes
    (textual#6666): a closed note editor's TextArea, which watches the app's theme,
    would stay alive with everything it holds for the whole session.
    """
    if not applied("tidy_closed_widgets"):
        return
    for node in nodes:
        watchers: dict[str, list[tuple[Any, Any]]] | None = getattr(node, "__watchers", None)
        for entries in (watchers or {}).values():
            entries[:] = [(owner, callback) for owner, callback in entries if not owner._closing]


# --- quiet_header_title: HeaderTitle.update ------------------------------------------------


if PRIVATE_MODULES:

    class QuietHeaderTitle(HeaderTitle):
        """Textual's header title, whose new text repaints its line without a layout.

        The title is one line as wide as the header, so its size never follows its text;
        the app's title and sub-title change twice per save.
        """

        def update(self, content: Any = "", *, layout: bool = True) -> None:
            super().update(content, layout=layout and not applied("quiet_header_title"))


def quiet_header_parts(parts: Iterable[Widget]) -> Iterable[Widget]:
    """The widgets of Textual's ``Header.compose``, its title made quiet if the patch is
    in force (the header is composed after ``apply()``, on the main screen)."""
    quiet = applied("quiet_header_title")
    for widget in parts:
        yield QuietHeaderTitle() if quiet and type(widget) is HeaderTitle else widget


# --- screen_lines: Screen._compositor -------------------------------------------------------


def screen_lines(screen: Screen[Any]) -> list[Strip] | None:
    """The lines ``screen`` last put on the terminal, or None without the patches.

    A dialog's dimmed backdrop is made from them (``tui/screens/backdrop.py``) instead of
    Textual's render of the whole screen beneath through Rich.
    """
    if not applied("screen_lines"):
        return None
    return screen._compositor.render_strips()


def propagation_stopped(message: Any) -> bool:
    """Whether a handler stopped ``message`` from bubbling to the parent.

    Textual offers ``Message.stop()`` but nothing to read the flag back. Read-only, so it
    needs no version check; False (keep following the key) if the flag is gone.
    """
    return bool(getattr(message, "_stop_propagation", False))


PATCHES: tuple[Patch, ...] = (
    Patch(
        "quiet_header_title",
        "each save's two title changes laid out the whole screen",
        "longest UI stall during a save",
        lambda: None,  # in force through QuietHeaderTitle
    ),
    Patch(
        "screen_lines",
        "a dialog's backdrop rendered the whole screen beneath through Rich again",
        "longest UI stall during a save",
        lambda: None,  # in force through screen_lines
    ),
    Patch(
        "untangle_strips",
        "every line drawn was a reference cycle for the collector to walk",
        "longest UI stall during a save; inbox decision to next name: CPU, max",
        untangle_strips,
    ),
    Patch(
        "lighten_strips",
        "each strip made seven caches it mostly never used",
        "longest UI stall during a save; inbox decision to next name: CPU, max",
        lighten_strips,
    ),
    Patch(
        "crop_to_changes",
        "a keystroke in the list redrew the header, footer and side panes for nothing",
        "filter key to redrawn table: CPU, max",
        crop_to_changes,
    ),
    Patch(
        "anonymous_prompts",
        "an idle widget's wake-up message kept a closed dialog alive",
        "tests/tui/test_memory.py::test_what_closed_dialogs_rendered_is_freed_in_a_pause",
        anonymous_prompts,
    ),
    Patch(
        "tidy_closed_widgets",
        "Textual's style-cache lru and stale watchers kept closed widgets alive",
        "tests/tui/test_memory.py::test_what_closed_dialogs_rendered_is_freed_in_a_pause",
        lambda: None,  # applied by being in force: release_render_caches, prune_watchers
    ),
)
