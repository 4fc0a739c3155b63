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

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
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
_GONE = "\x00gone"
"""The layer key of a company not among the rows (its relations are not counted)."""


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
    """The flows grid and what its cells counted."""

    grid: StackGrid
    counts: Counter[FlowKey]
    """Supply relations by (from layer, to layer); only pairs of companies among the rows."""
    supplies: list[dict[str, Any]]
    """Every supply relation record, as stored; ``keys`` is each one's (from, to) layers."""
    keys: list[tuple[str | None, str | None]]
    companies: list[CompanyRow]

    @property
    def total(self) -> int:
        """Every supply relation counted."""
        return self.counts.total()

    def behind(self, row: int, column: int, first: int | None = None) -> list[Flow]:
        """The relations cell (``row``, ``column``) counted ("All": every one out of the
        row's layer), by supplier then customer name; only the ``first`` of them if given
        (picked without sorting the rest: a notes pane names a dozen of thousands)."""
        source = self.grid.rows[row].layer_id
        if self.grid.columns[column] is ALL:
            wanted = [(source, _layer_of(c)) for c in self.grid.columns[:-1]]
        else:
            wanted = [(source, _layer_of(self.grid.columns[column]))]
        by_cell = self.by_cell
        records = [record for key in wanted for record in by_cell.get(key, ())]
        folded = self.folded

        def order(record: dict[str, Any]) -> tuple[str, str]:
            return folded[record["from_company"]], folded[record["to_company"]]

        if first is None:
            records.sort(key=order)
        else:
            records = heapq.nsmallest(first, records, key=order)
        names = self.names
        return [
            Flow(r["from_company"], names[r["from_company"]], r["to_company"],
                 names[r["to_company"]], r.get("note", ""))
            for r in records
        ]  # fmt: skip

    def ready(self) -> LayerFlows:
        """Build what ``behind`` reads (the relations by cell, the names), so the first cell
        asked for costs only its own relations; returns itself."""
        for built in ("by_cell", "folded"):
            getattr(self, built)
        return self

    @cached_property
    def by_cell(self) -> dict[FlowKey, list[dict[str, Any]]]:
        """The supply relation records by (from layer, to layer)."""
        grouped: dict[FlowKey, list[dict[str, Any]]] = {}
        for record, key in zip(self.supplies, self.keys, strict=True):
            grouped.setdefault(key, []).append(record)
        return grouped

    @cached_property
    def names(self) -> dict[str, str]:
        """Company names by id (built when a cell's relations are first asked for)."""
        return {row.id: row.name for row in self.companies}

    @cached_property
    def folded(self) -> dict[str, str]:
        """Company names casefolded, by id: the order of the relations behind a cell."""
        return {key: name.casefold() for key, name in self.names.items()}


def _layer_of(column: Column) -> str | None:
    return None if column.key == UNSORTED_KEY else column.key


def layer_flows(
    layers: list[Layer], companies: list[CompanyRow], relations: Iterable[dict[str, Any]]
) -> LayerFlows:
    """The supply relations among ``companies`` counted by layer × layer (``layers`` in any
    order: drawn from the top of the stack down, each as a row and a column)."""
    get = {row.id: row.layer for row in companies}.get
    supplies = [record for record in relations if record["kind"] == SUPPLIES]
    # Comprehensions and Counter, not a loop of appends: this runs afresh after any change.
    keys = [(get(r["from_company"], _GONE), get(r["to_company"], _GONE)) for r in supplies]
    counts = Counter(keys)
    for key in [key for key in counts if _GONE in key]:
        del counts[key]
    ordered = sorted(layers, key=lambda layer: layer.position, reverse=True)
    rows = [GridRow(x.id, x.name, x.summary, tuple(x.bottlenecks)) for x in ordered]
    columns = [Column(x.id, x.name, "") for x in ordered]
    if any(None in key for key in counts):
        rows.append(GridRow(None, UNSORTED_NAME))
        columns.append(Column(UNSORTED_KEY, UNSORTED_NAME, ""))
    columns.append(ALL)
    cells = []
    for grid_row in rows:
        found = [counts.get((grid_row.layer_id, _layer_of(c)), 0) for c in columns[:-1]]
        cells.append([*(Cell(count) for count in found), Cell(sum(found))])
    grid = StackGrid(Axis.FLOWS, rows, columns, cells)
    return LayerFlows(grid, counts, supplies, keys, companies)


_MEMO: WeakKeyDictionary[Workbench, tuple[int, LayerFlows]] = WeakKeyDictionary()


def flows_of(workbench: Workbench) -> LayerFlows:
    """The workbench's flows, computed again only when its revision has moved (every change
    and undo moves it: a relation, a layer or a company's layer may have changed)."""
    kept = _MEMO.get(workbench)
    if kept is not None and kept[0] == workbench.revision:
        return kept[1]
    flows = layer_flows(workbench.layers(), workbench.rows(), workbench.relation_records().values())
    _MEMO[workbench] = (workbench.revision, flows)
    return flows


def forget(workbench: Workbench) -> None:
    """Drop the flows kept for ``workbench`` (the benchmark's "after a change")."""
    _MEMO.pop(workbench, None)
