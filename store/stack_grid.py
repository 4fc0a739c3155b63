"""The stack map's grid: companies counted by layer and by verdict or status, pure.

Each cell holds how many companies of one layer have one verdict (or status), and their
average score over the scored ones. The grid's rows are the layers in stack order from
the top down (as the map draws them), then "Unsorted" when some company has no layer; its
columns are every verdict and "unscored" (or every status), then "all". Each column has
the filter word that lists the same companies on the main screen (``verdict:anchor``), so
a cell's count is what that filter shows on that layer. Reference companies (the starter
set) are counted like any company the main screen lists; by status they have their own
column, "Reference", before "All". The map's third view, the flows between layers, has
the same shape (``store.layer_flows``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from store.models import Layer, Status, Verdict
from store.rows import CompanyRow


class Axis(StrEnum):
    """What the grid's columns count by."""

    VERDICT = "verdict"
    STATUS = "status"
    FLOWS = "flows"
    """Layer × layer: supply relations (``store.layer_flows``)."""


@dataclass(frozen=True)
class Column:
    """One column: its heading and the filter that lists its companies ("" for all)."""

    key: str
    label: str
    query: str


@dataclass(frozen=True)
class Cell:
    """The companies of one layer in one column: how many, and their average score
    (None when none of them is scored)."""

    count: int = 0
    average: float | None = None


@dataclass(frozen=True)
class GridRow:
    """One layer (``layer_id`` None for the companies without one)."""

    layer_id: str | None
    name: str
    summary: str = ""
    bottlenecks: tuple[str, ...] = ()


@dataclass(frozen=True)
class StackGrid:
    """Rows × columns of cells; ``cells[r][c]`` is row ``r``'s cell in column ``c``."""

    axis: Axis
    rows: list[GridRow]
    columns: list[Column]
    cells: list[list[Cell]] = field(default_factory=list)

    @property
    def most(self) -> int:
        """The largest count outside the "all" column (at least 1), for shading."""
        return max((cell.count for row in self.cells for cell in row[:-1]), default=0) or 1


ALL = Column("all", "All", "")
UNSORTED_NAME = "Unsorted"
VERDICT_ORDER = (
    Verdict.ANCHOR,
    Verdict.CONTENDER,
    Verdict.UNPROVEN,
    Verdict.LONG_SHOT,
    Verdict.LEAKS_VALUE,
    Verdict.INCOMPLETE,
)


def columns(axis: Axis) -> list[Column]:
    """The columns of ``axis``, "all" last."""
    if axis is Axis.STATUS:
        found = [Column(s.value, s.value.capitalize(), f"status:{s.value}") for s in Status]
    else:
        found = [Column(v.value, v.label, f"verdict:{v.value}") for v in VERDICT_ORDER]
        found.append(Column("unscored", "Not scored", "verdict:unscored"))
    return [*found, ALL]


def _key(row: CompanyRow, axis: Axis) -> str:
    if axis is Axis.STATUS:
        return row.status.value
    return row.verdict.value if row.verdict else "unscored"


def _cell(rows: list[CompanyRow]) -> Cell:
    scores = [row.score for row in rows if row.score is not None]
    return Cell(len(rows), sum(scores) / len(scores) if scores else None)


def stack_grid(layers: list[Layer], companies: list[CompanyRow], axis: Axis) -> StackGrid:
    """The grid of ``companies`` over ``layers`` (any order: drawn top of the stack first)."""
    ordered = sorted(layers, key=lambda layer: layer.position, reverse=True)
    grid_rows = [
        GridRow(layer.id, layer.name, layer.summary, tuple(layer.bottlenecks)) for layer in ordered
    ]
    groups: dict[tuple[str | None, str], list[CompanyRow]] = {}
    by_layer: dict[str | None, list[CompanyRow]] = {}
    for row in companies:
        groups.setdefault((row.layer, _key(row, axis)), []).append(row)
        by_layer.setdefault(row.layer, []).append(row)
    if by_layer.get(None):
        grid_rows.append(GridRow(None, UNSORTED_NAME))
    cols = columns(axis)
    cells = [
        [
            _cell(by_layer.get(g.layer_id, []) if c is ALL else groups.get((g.layer_id, c.key), []))
            for c in cols
        ]
        for g in grid_rows
    ]
    return StackGrid(axis, grid_rows, cols, cells)
