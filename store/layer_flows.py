"""The stack map's flows: how many supply relations run from each layer to each other, pure.

A relation "A supplies B" counts once, in the row of A's primary layer (the supplying
layer) and the column of B's primary layer (the layer supplied). Secondary layers are not
counted: a company is counted once, where it is filed, as in every total. A relation
within one layer counts on the diagonal; each relation of a cycle of supplies counts once,
like any other. Companies without a layer are "Unsorted", a row and a column of their own
when a supply relation names one. Only ``supplies`` relations are counted (could-absorb and
competes say nothing of where value flows); one naming a company not among the rows is left
out. The last column, "All", counts every supply relation out of the row's layer.

The grid has the shape of ``store.stack_grid``'s (rows from the top of the stack down), so
the map draws it with the same widget; ``behind`` says which relations a cell counted.
``flows_of`` keeps the last flows per workbench while its revision stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from store.chain_models import RelationKind
from store.models import Layer
from store.rows import CompanyRow
from store.stack_grid import ALL, UNSORTED_NAME, Axis, Cell, Column, GridRow, StackGrid

if TYPE_CHECKING:
    from store.service import Workbench

SUPPLIES = RelationKind.SUPPLIES.value
UNSORTED_KEY = "unsorted"
"""The column key of the companies without a layer."""

FlowKey = tuple[str | None, str | None]
"""(supplying layer id, supplied layer id); None is no layer."""


@dataclass(frozen=True)
class Flow:
    """One supply relation behind a cell: the supplier, the customer, the note."""

    supplier_id: str
    supplier: str
    customer_id: str
    customer: str
    note: str


@dataclass(frozen=True)
class LayerFlows:
    """The flows grid and the relations behind each of its cells."""

    grid: StackGrid
    relations: dict[FlowKey, list[Flow]]
    """By (from layer, to layer), each cell's relations, by supplier then customer name."""

    @property
    def total(self) -> int:
        """Every supply relation counted."""
        return sum(len(flows) for flows in self.relations.values())

    def behind(self, row: int, column: int) -> list[Flow]:
        """The relations cell (``row``, ``column``) counted ("All": every one out of the row's
        layer, in the order of the columns)."""
        source = self.grid.rows[row].layer_id
        if self.grid.columns[column] is ALL:
            targets = [_layer_of(c) for c in self.grid.columns[:-1]]
            return [flow for target in targets for flow in self.relations.get((source, target), [])]
        return list(self.relations.get((source, _layer_of(self.grid.columns[column])), []))


def _layer_of(column: Column) -> str | None:
    return None if column.key == UNSORTED_KEY else column.key


def layer_flows(
    layers: list[Layer], companies: list[CompanyRow], relations: list[dict[str, Any]]
) -> LayerFlows:
    """The supply relations among ``companies`` counted by layer × layer (``layers`` in any
    order: drawn from the top of the stack down, each as a row and a column)."""
    by_id = {row.id: row for row in companies}
    found: dict[FlowKey, list[Flow]] = {}
    for record in relations:
        if record.get("kind") != SUPPLIES:
            continue
        source, target = by_id.get(record["from_company"]), by_id.get(record["to_company"])
        if source is None or target is None:
            continue
        flow = Flow(source.id, source.name, target.id, target.name, record.get("note", ""))
        found.setdefault((source.layer, target.layer), []).append(flow)
    for flows in found.values():
        flows.sort(key=lambda f: (f.supplier.casefold(), f.customer.casefold(), f.supplier_id))
    ordered = sorted(layers, key=lambda layer: layer.position, reverse=True)
    rows = [GridRow(x.id, x.name, x.summary, tuple(x.bottlenecks)) for x in ordered]
    columns = [Column(x.id, x.name, "") for x in ordered]
    if any(None in key for key in found):
        rows.append(GridRow(None, UNSORTED_NAME))
        columns.append(Column(UNSORTED_KEY, UNSORTED_NAME, ""))
    columns.append(ALL)
    cells = []
    for grid_row in rows:
        counts = [len(found.get((grid_row.layer_id, _layer_of(c)), ())) for c in columns[:-1]]
        cells.append([*(Cell(count) for count in counts), Cell(sum(counts))])
    return LayerFlows(StackGrid(Axis.FLOWS, rows, columns, cells), found)


_MEMO: WeakKeyDictionary[Workbench, tuple[int, LayerFlows]] = WeakKeyDictionary()


def flows_of(workbench: Workbench) -> LayerFlows:
    """The workbench's flows, computed again only when its revision has moved (every change
    and undo moves it: a relation, a layer or a company's layer may have changed)."""
    kept = _MEMO.get(workbench)
    if kept is not None and kept[0] == workbench.revision:
        return kept[1]
    flows = layer_flows(
        workbench.layers(), workbench.rows(), list(workbench.relation_records().values())
    )
    _MEMO[workbench] = (workbench.revision, flows)
    return flows
