"""The stack map's flows: supply relations counted from each layer to each other, by the
primary layers of the two companies, and the relations behind each cell."""

from __future__ import annotations

from dataclasses import replace

from store.layer_flows import Flow, flows_of, layer_flows
from store.models import Layer
from store.service import Workbench
from tests.store.test_stack_grid import BLANK

LAYERS = [
    Layer(id="power", name="Power", position=0),
    Layer(id="compute", name="Compute", position=1),
    Layer(id="network", name="Network", position=2),
]


def row(name: str, layer: str | None, *secondary: str):  # noqa: ANN201
    return replace(
        BLANK, id=name.lower(), name=name, layer=layer, secondary_layers=tuple(secondary)
    )


ROWS = [
    row("Crusoe", "power", "compute"),
    row("Oklo", "power"),
    row("Nvidia", "compute", "network"),
    row("Groq", "compute"),
    row("Arista", "network"),
    row("Stray", None),
]


def rel(source: str, target: str, kind: str = "supplies", note: str = "") -> dict:
    return {"from_company": source, "to_company": target, "kind": kind, "note": note}


def counts(flows) -> list[list[int]]:  # noqa: ANN001
    return [[cell.count for cell in cells] for cells in flows.grid.cells]


def test_each_supply_counts_once_from_the_suppliers_layer_to_the_customers() -> None:
    flows = layer_flows(
        LAYERS,
        ROWS,
        [
            rel("oklo", "nvidia", note="power purchase"),
            rel("crusoe", "groq"),  # Crusoe is also listed in compute: counted in power only
            rel("nvidia", "arista"),
            rel("groq", "nvidia"),  # within one layer: the diagonal
            rel("arista", "groq", "could-absorb"),  # not a supply: not counted
            rel("nvidia", "oklo", "competes"),
        ],
    )
    grid = flows.grid
    assert [r.name for r in grid.rows] == ["Network", "Compute", "Power"]
    assert [c.label for c in grid.columns] == ["Network", "Compute", "Power", "All"]
    assert counts(flows) == [[0, 0, 0, 0], [1, 1, 0, 2], [0, 2, 0, 2]]
    assert flows.total == 4
    assert flows.behind(2, 1) == [
        Flow("crusoe", "Crusoe", "groq", "Groq", ""),
        Flow("oklo", "Oklo", "nvidia", "Nvidia", "power purchase"),
    ]
    assert [f.supplier for f in flows.behind(1, 3)] == ["Groq", "Nvidia"]
    assert flows.behind(1, 3, first=1) == [Flow("groq", "Groq", "nvidia", "Nvidia", "")]
    assert grid.most == 2


def test_a_cycle_counts_each_of_its_relations_and_no_more() -> None:
    cycle = [rel("oklo", "groq"), rel("groq", "arista"), rel("arista", "oklo")]
    flows = layer_flows(LAYERS, ROWS, cycle)
    assert counts(flows) == [[0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1]]
    assert flows.total == 3


def test_companies_without_a_layer_get_a_row_and_a_column_and_strays_are_left_out() -> None:
    flows = layer_flows(
        LAYERS,
        ROWS,
        [rel("stray", "groq"), rel("groq", "stray"), rel("groq", "gone"), rel("gone", "groq")],
    )
    assert [r.name for r in flows.grid.rows][-1] == "Unsorted"
    assert [c.label for c in flows.grid.columns][-2:] == ["Unsorted", "All"]
    assert counts(flows)[1] == [0, 0, 0, 1, 1]  # Compute → Unsorted
    assert counts(flows)[3] == [0, 1, 0, 0, 1]  # Unsorted → Compute
    assert flows.total == 2
    assert "Unsorted" not in [r.name for r in layer_flows(LAYERS, ROWS, []).grid.rows]


def test_the_workbench_keeps_its_flows_until_its_revision_moves(workbench: Workbench) -> None:
    bench = workbench
    groq, crusoe = bench.find("Groq"), bench.find("Crusoe")
    first = flows_of(bench)
    assert flows_of(bench) is first, "the same revision reads the same flows"
    before = first.total
    bench.link(crusoe.id, groq.id, "supplies", "power")
    after = flows_of(bench)
    assert after.total == before + 1
    compute = [r.layer_id for r in after.grid.rows].index("compute")
    power = [r.layer_id for r in after.grid.rows].index("power")
    assert Flow(crusoe.id, "Crusoe", groq.id, "Groq", "power") in after.behind(power, compute)
    bench.undo()
    assert flows_of(bench).total == before
