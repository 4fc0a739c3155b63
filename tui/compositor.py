"""Drawing a partial update from the widgets it touches, not from every widget on screen.

When a few widgets change (the filter box and the list, at each letter typed), Textual's
compositor draws the region around them. It picks the widgets to draw by whether their
*clip* (the visible area of the container they sit in) overlaps that region, not
whether the widget itself does. The screen's clip is the whole screen, so the header,
the footer, the layer list and the detail pane are drawn again, line by line, at every
keystroke in the middle pane, and their lines are cut at every column where widgets
meet, only for the update to throw them away: half of a keystroke's frame.

``crop_to_changes`` makes the compositor draw only the widgets whose visible part
(region within clip) overlaps the region to update. What reaches the terminal is the
same: a widget outside the region has no cell in it, and the update writes only the
cells in it (``tests/test_compositor.py`` compares the two, cell by cell).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_textual_get_renders = Compositor._get_renders


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
    """Let partial updates draw only the widgets they touch (once per process)."""
    Compositor._get_renders = _get_renders  # type: ignore[method-assign]


def textual_get_renders(
    compositor: Compositor, crop: Region | None = None
) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """Textual's own choice of widgets, for comparing the two."""
    return _textual_get_renders(compositor, crop)
