"""The stack map's grid drawn in terminal cells: a row per layer, a column per verdict
or status, each cell a count and an average score, shaded by how many it holds.

Every width is measured in cells (``rich.cells``), so a CJK layer name lines up, and a
name or heading cut short ends with "…". The widget only draws; the screen moves the
cursor and says what a cell holds.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from store.stack_grid import Cell, StackGrid
from tui.format import score_text

HEAT = 4
"""Shades of a cell's background, the fullest cell getting the last."""
NAME_MIN = 16
"""Cells the layer names keep before the headings are cut."""


def fit(text: str, width: int, style: Style | str = "", right: bool = False) -> Text:
    """``text`` in exactly ``width`` cells: cut with "…" or padded (on the left if
    ``right``)."""
    cut = Text(text, no_wrap=True, overflow="ellipsis")
    cut.truncate(max(width, 0), overflow="ellipsis")
    gap = " " * max(width - cut.cell_len, 0)
    whole = Text.assemble(gap, cut) if right else Text.assemble(cut, gap)
    whole.stylize(style)  # the padding too: a shaded cell is shaded across its width
    return whole


def cell_text(cell: Cell, with_score: bool) -> str:
    """What a cell says: "·" when empty, else its count and (if room) average score."""
    if not cell.count:
        return "·"
    if with_score and cell.average is not None:
        return f"{cell.count:,} · {score_text(cell.average)}"
    return f"{cell.count:,}"


def widths(grid: StackGrid, width: int) -> tuple[int, list[int], bool]:
    """The name column's width, each column's, and whether cells show the score.

    Each column is as wide as its heading or its widest cell, plus two cells of room, so
    the eight columns of the verdicts leave the layer names whole where they can. When
    they cannot all be whole, names are cut first (to ``NAME_MIN``), then every heading
    alike (the columns equal again).
    """
    names = max((cell_len(row.name) for row in grid.rows), default=0) + 2
    labels = [cell_len(column.label) + 2 for column in grid.columns]
    for with_score in (True, False):
        needed = [
            max((cell_len(cell_text(row[c], with_score)) for row in grid.cells), default=1) + 2
            for c in range(len(labels))
        ]
        columns = [max(label, need) for label, need in zip(labels, needed, strict=True)]
        if width - sum(columns) >= NAME_MIN:  # every heading whole
            return min(names, width - sum(columns)), columns, with_score
        column = (width - NAME_MIN) // len(needed)  # headings cut alike, the counts whole
        if column >= max(needed):
            return width - len(needed) * column, [column] * len(needed), with_score
    column = max((width - NAME_MIN) // len(grid.columns), 1)
    return NAME_MIN, [column] * len(grid.columns), False


class StackGridView(Widget):
    """The grid; ``cursor`` is (row, column) of the cell under the cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stack-grid--heading",
        "stack-grid--name",
        "stack-grid--empty",
        "stack-grid--cursor",
        "stack-grid--all",
    } | {f"stack-grid--heat-{level}" for level in range(1, HEAT + 1)}

    cursor: reactive[tuple[int, int]] = reactive((0, 0))
    """The highlighted cell (row, column)."""

    def __init__(self, grid: StackGrid, **options: str) -> None:
        super().__init__(**options)
        self.grid = grid

    def show(self, grid: StackGrid) -> None:
        """Draw ``grid`` instead, the cursor kept inside it."""
        self.grid = grid
        row, column = self.cursor
        self.cursor = (min(row, len(grid.rows) - 1), min(column, len(grid.columns) - 1))
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return 1 + 2 * len(self.grid.rows)

    def render(self) -> Text:
        name_w, col_ws, with_score = widths(self.grid, self.size.width)
        style = self.get_component_rich_style
        lines = [self._heading(name_w, col_ws)]
        for r, row in enumerate(self.grid.rows):
            line = fit(row.name, name_w - 1, style("stack-grid--name"))
            line.append(" ")
            for c, cell in enumerate(self.grid.cells[r]):
                text, col_w = cell_text(cell, with_score), col_ws[c]
                line.append_text(fit(f"{text} ", col_w - 1, self._style(r, c, cell), right=True))
                line.append(" ")
            lines.extend([Text(), line])
        return Text("\n").join(lines)

    def _heading(self, name_w: int, col_ws: list[int]) -> Text:
        style = self.get_component_rich_style("stack-grid--heading")
        line = fit("Layer", name_w, style)
        for column, col_w in zip(self.grid.columns, col_ws, strict=True):
            line.append_text(fit(f"{column.label} ", col_w - 1, style, right=True))
            line.append(" ")
        return line

    def _style(self, r: int, c: int, cell: Cell) -> Style:
        get = self.get_component_rich_style
        if (r, c) == self.cursor:
            return get("stack-grid--cursor")
        if not cell.count:
            return get("stack-grid--empty")
        if c == len(self.grid.columns) - 1:
            return get("stack-grid--all")
        level = min(HEAT, 1 + (HEAT * (cell.count - 1)) // self.grid.most)
        return get(f"stack-grid--heat-{level}")
