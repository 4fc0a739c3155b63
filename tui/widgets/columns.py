"""The company list's columns: which show at a width, how wide, and their titles.

Widths are terminal cells (a CJK letter or an emoji takes two); a text cut short ends
with "…". ``columns`` is asked by every line of every frame, hence cached per width.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len, set_cell_size

MARK, STATUS, SCORE, VERDICT, UPDATED = 2, 11, 6, 12, 11
FIXED = {"status": STATUS, "score": SCORE, "verdict": VERDICT, "updated": UPDATED}
"""The columns of one width whatever the table's width."""
NAME_MIN = 20
"""The name column's width before the columns that give way are shown."""
FLEXIBLE = {"layer": (10, 26, 3), "tags": (8, 20, 4), "why": (14, 24, 4)}
"""The other columns that share the room with the name: (fewest cells, most cells, the
share of the room they want between the two). The why column's fewest hold "new, no layer"."""
NAME_FLOOR = 10
"""The narrowest name column: below ``NAME_MIN`` with every column that gives way hidden,
the name shrinks to this rather than push the verdict off the line."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Which columns a list offers, left to right, and which give way first when narrow."""

    offered: tuple[str, ...]
    give_way: tuple[str, ...]
    """Hidden in this order while the name would get fewer than ``NAME_MIN`` cells; the
    mark, name, score and verdict always show."""


LAYER_VIEW = Columns(
    ("name", "status", "score", "verdict", "tags", "updated"), ("tags", "updated", "status")
)
"""A layer of the stack: its companies' tags."""
ALL_LAYERS = Columns(
    ("name", "layer", "status", "score", "verdict", "tags", "updated"),
    ("tags", "updated", "status", "layer"),
)
"""All layers: each company's layer too, which gives way last."""
INBOX = Columns(
    ("name", "layer", "status", "score", "verdict", "why", "updated"),
    ("updated", "status", "layer", "why"),
)
"""The inbox: each company's layer and why it waits; the why gives way last."""
GIVE_WAY = LAYER_VIEW.give_way


@lru_cache(maxsize=64)
def columns(width: int, plan: Columns = LAYER_VIEW) -> tuple[tuple[str, int], ...]:
    """The columns of ``plan`` a table ``width`` cells wide shows, and their widths.

    The name is served first: the columns of ``plan.give_way`` are hidden one by one
    until the name has ``NAME_MIN`` cells and each flexible column the cells it wants (its
    share of the room, within its bounds), or none is left to hide; the name then takes
    the rest. The widths add up to ``width``, or to more when even ``NAME_FLOOR`` does not
    fit (the line is then cut at the right). Kept per width: every line of every frame asks.
    """
    shown = list(plan.offered)
    for hidden in plan.give_way:
        if _room(width, shown) >= NAME_MIN + sum(_wanted(width, shown).values()):
            break
        shown.remove(hidden)
    sizes = {column: FIXED.get(column, 0) for column in shown}
    room = _room(width, shown)
    spare = room - NAME_MIN  # (a flexible column that never gives way may get less)
    for column, wanted in _wanted(width, shown).items():
        sizes[column] = max(min(wanted, spare), FLEXIBLE[column][0])
        spare -= sizes[column]
        room -= sizes[column]
    sizes["name"] = max(room, NAME_FLOOR)
    return tuple(sizes.items())


def _room(width: int, shown: list[str]) -> int:
    """The cells the name and the flexible columns share."""
    return width - MARK - sum(FIXED.get(column, 0) for column in shown)


def _wanted(width: int, shown: list[str]) -> dict[str, int]:
    """The cells each flexible column of ``shown`` wants."""
    room = _room(width, shown)
    return {
        column: min(max(room // share, fewest), most)
        for column, (fewest, most, share) in FLEXIBLE.items()
        if column in shown
    }


def cell(text: str, width: int, right: bool = False) -> str:
    """``text`` on one line, exactly ``width`` cells wide (counted as the terminal does:
    a CJK letter or an emoji takes two), cut with an ellipsis if it does not fit. The
    ellipsis follows the last letter kept, even when a wide letter left a cell over."""
    text = text.replace("\n", " ")
    if cell_len(text) > width - 1:
        text = set_cell_size(text, max(width - 2, 0)).rstrip(" ") + "…"
    if right:
        return " " * max(width - 1 - cell_len(text), 0) + text + " "
    return set_cell_size(text, width)


TITLES = {
    "name": "Name",
    "status": "Status",
    "score": "Score",
    "verdict": "Verdict",
    "updated": "Updated",
    "layer": "Layer",
    "tags": "Tags",
    "why": "Why",
}


def header_text(width: int, plan: Columns = LAYER_VIEW) -> str:
    """The column titles, aligned with the rows."""
    return " " * MARK + "".join(
        cell(TITLES[column], size, column == "score") for column, size in columns(width, plan)
    )
