"""The stack map's grid: counts and averages by layer and verdict or status, and the
filter word each column hands the main screen (it must list what the cell counted)."""

from __future__ import annotations

from dataclasses import replace

from store.models import Layer, Status, Verdict
from store.rows import CompanyRow
from store.stack_grid import Axis, Cell, stack_grid

LAYERS = [
    Layer(id="power", name="Power", position=0, summary="Grid and cooling", bottlenecks=["MW"]),
    Layer(id="compute", name="Compute", position=1),
]
BLANK = CompanyRow("", "", None, Status.NEW, (), "", "", "", "", "", None, None, None, 0)


def row(
    name: str,
    layer: str | None,
    status: Status = Status.NEW,
    score: float | None = None,
    verdict: Verdict | None = None,
) -> CompanyRow:
    return replace(
        BLANK, id=name.lower(), name=name, layer=layer, status=status, score=score, verdict=verdict
    )


ROWS = [
    row("Groq", "compute", Status.DILIGENCE, 80, Verdict.ANCHOR),
    row("Cerebras", "compute", Status.NEW, 60, Verdict.ANCHOR),
    row("Etched", "compute", Status.PASSED, 30, Verdict.LEAKS_VALUE),
    row("Lambda", "compute"),
    row("Oklo", "power", Status.SCREENING, 70, Verdict.CONTENDER),
    row("Stray", None),
]


def test_layers_run_from_the_top_of_the_stack_with_unsorted_last() -> None:
    grid = stack_grid(LAYERS, ROWS, Axis.VERDICT)
    assert [(r.layer_id, r.name) for r in grid.rows] == [
        ("compute", "Compute"),
        ("power", "Power"),
        (None, "Unsorted"),
    ]
    assert grid.rows[1].summary == "Grid and cooling" and grid.rows[1].bottlenecks == ("MW",)
    assert stack_grid(LAYERS, ROWS[:-1], Axis.VERDICT).rows[-1].name == "Power"


def test_verdict_cells_count_and_average_the_scored() -> None:
    grid = stack_grid(LAYERS, ROWS, Axis.VERDICT)
    assert [c.label for c in grid.columns] == [
        "Anchor",
        "Contender",
        "Unproven",
        "Long shot",
        "Leaks value",
        "Incomplete",
        "Not scored",
        "All",
    ]
    empty = [Cell(), Cell()]  # Unproven, Long shot
    assert grid.cells[0] == [
        Cell(2, 70),
        Cell(),
        *empty,
        Cell(1, 30),
        Cell(),
        Cell(1),
        Cell(4, 170 / 3),
    ]
    assert grid.cells[2] == [Cell(), Cell(), *empty, Cell(), Cell(), Cell(1), Cell(1)]
    assert grid.most == 2


def test_status_cells() -> None:
    grid = stack_grid(LAYERS, ROWS, Axis.STATUS)
    assert [c.key for c in grid.columns] == [s.value for s in Status] + ["all"]
    counts = [cell.count for cell in grid.cells[0]]
    assert counts == [2, 0, 1, 0, 1, 0, 0, 4]
