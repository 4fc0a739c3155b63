"""The stack map as a grid: the cursor moves over the cells, tab turns verdicts into
statuses, enter lists the companies a cell counted on the main screen, and the layer
under the cursor has its summary and bottlenecks beside the grid (below it when narrow)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from store.models import Layer, Status
from store.rows import CompanyRow
from store.service import Workbench
from store.stack_grid import Axis, stack_grid
from tests.tui.conftest import SIZE, screen_text, shown
from tests.tui.test_snapshots import ANCHOR, LEAKS_VALUE, score
from tui.screens.main import MainScreen
from tui.screens.stack_grid_view import StackGridView, fit, widths
from tui.screens.stack_map import StackMapScreen
from tui.search import SearchIndex

BLANK = CompanyRow("", "", None, Status.NEW, (), "", "", "", "", "", None, None, None, 0)
COMPUTE, POWER = 3, 4
"""Rows of the grid: the stack from the top (Orchestration & Inference) down."""


def scored(bench: Workbench) -> Workbench:
    score(bench, "Groq", ANCHOR)
    score(bench, "Cerebras", ANCHOR)
    score(bench, "Etched", LEAKS_VALUE)
    score(bench, "Crusoe", ANCHOR)
    bench.set_status([bench.find("Groq").id], "diligence")
    return bench


def the_map(app: Any) -> StackMapScreen:
    assert isinstance(app.screen, StackMapScreen), app.screen
    return app.screen


def notes(app: Any) -> str:
    return str(the_map(app).query_one("#map-notes").render())


def cursor(app: Any) -> tuple[int, int]:
    return the_map(app).query_one(StackGridView).cursor


async def test_the_grid_counts_each_layer_by_verdict_with_the_average_score(app, bench) -> None:
    scored(bench)
    anchors = [bench.runs(bench.find(n).id)[-1].score for n in ("Groq", "Cerebras")]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        text = screen_text(app)
        assert "by verdict" in text
        line = next(x for x in text.splitlines() if x.strip().startswith("Compute"))
        assert line.split()[1:4] == ["2", "·", f"{sum(anchors) / 2:.0f}"], line
        for layer in bench.layers():
            assert layer.name in text, "eight columns of verdicts leave every name whole"
        assert "Orchestration & Inference" in notes(app)
        orchestration = bench.layer("orchestration")
        assert orchestration.summary[:40] in notes(app).replace("\n", " ")
        for bottleneck in orchestration.bottlenecks:
            assert f"• {bottleneck}" in notes(app)


async def test_the_cursor_moves_over_the_cells_and_stops_at_the_edges(app, bench) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert cursor(app) == (0, 0)
        await pilot.press("up", "left", "h", "k")
        assert cursor(app) == (0, 0)
        await pilot.press("j", "down", "l", "right")
        assert cursor(app) == (2, 2)
        assert notes(app).startswith("Networking & Interconnect\nUnproven: 0 companies")
        await pilot.press(*"jjjjjj", *"llllllll")
        assert cursor(app) == (POWER, 7)
        assert notes(app).startswith("Power & Facilities\nAll: 8 companies")
        assert bench.layer("power").bottlenecks[0] in notes(app)


async def test_enter_lists_the_companies_of_the_cell(app, bench) -> None:
    scored(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", *"jjj")
        assert notes(app).startswith("Compute\nAnchor: 2 companies")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.layer_id == "compute"
        assert app.screen.query_text == "verdict:anchor"
        assert sorted(shown(app)) == ["Cerebras", "Groq"]
        assert "Compute · 2 of 8" in screen_text(app)


async def test_tab_counts_by_status_and_enter_filters_by_it(app, bench) -> None:
    scored(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "tab")
        text = screen_text(app)
        assert "by status" in text and "Diligence" in text and "Watching" in text
        await pilot.press(*"jjj", "l", "l")
        assert notes(app).startswith("Compute\nDiligence: 1 company")
        await pilot.press("v")
        assert "by verdict" in screen_text(app) and cursor(app) == (COMPUTE, 2)
        await pilot.press("v", "enter")
        await pilot.pause()
        assert app.screen.query_text == "status:diligence" and shown(app) == ["Groq"]


async def test_esc_returns_with_the_view_unchanged(app, bench) -> None:
    async with app.run_test(size=SIZE) as pilot:
        before = shown(app)
        await pilot.press("m")
        assert not the_map(app).has_class("-narrow")  # the notes beside the grid
        await pilot.press("j", "l", "enter")  # an empty cell: nothing to list
        assert isinstance(app.screen, StackMapScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_text == "" and shown(app) == before


async def test_narrow_the_notes_go_under_the_grid(app, bench) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        screen = the_map(app)
        assert screen.has_class("-narrow")
        grid, side = screen.query_one("#map-grid"), screen.query_one("#map-side")
        assert side.region.y >= grid.region.bottom and side.region.width >= 78
        lines = screen_text(app).splitlines()
        assert all(len(line) <= 80 for line in lines)
        assert any(line.strip().startswith("Power & Fa") for line in lines)
        assert any("Orchestration & Inference" == line.strip() for line in lines)


def test_each_column_filter_lists_what_its_cells_count(bench: Workbench) -> None:
    """The map's count and the list enter opens agree, cell by cell."""
    scored(bench)
    bench.set_status([bench.find("Oklo").id], Status.WATCHING)
    rows: list[CompanyRow] = bench.rows()
    search = SearchIndex(lambda company_id: "")
    for axis in Axis:
        grid = stack_grid(bench.layers(), rows, axis)
        for r, grid_row in enumerate(grid.rows):
            base = [x for x in rows if x.layer == grid_row.layer_id]
            for c, column in enumerate(grid.columns):
                found = search.filter(base, column.query, None)
                assert len(found) == grid.cells[r][c].count, (axis, grid_row.name, column.key)


def test_cells_are_measured_in_terminal_cells() -> None:
    """A CJK or emoji layer name takes two cells a character: rows still line up, and a
    name cut short ends with "…"."""
    layers = [
        Layer(id="power", name="電力と冷却のインフラ", position=0),
        Layer(id="compute", name="Compute 🚀", position=1),
    ]
    rows = [replace(BLANK, id="a", name="A", layer="power")]
    grid = stack_grid(layers, rows, Axis.VERDICT)
    name_w, col_ws, _ = widths(grid, 60)
    assert name_w + sum(col_ws) <= 60
    cut = fit("電力と冷却のインフラ", 9)
    assert cut.cell_len == 9 and cut.plain.endswith("…")
    assert fit("Compute 🚀", 12).cell_len == 12
    assert fit("8 · 72", 9, right=True).plain == "   8 · 72"
