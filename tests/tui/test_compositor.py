"""A partial update draws only the widgets it touches and shows what Textual's would."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget

from tests.tui.conftest import SIZE, type_text
from tui.textual_patches import textual_get_renders
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail
from tui.widgets.filter_box import FilterBox
from tui.widgets.layer_list import LayerList

Cells = dict[tuple[int, int], tuple[str, Any]]


def updated_cells(compositor: Compositor, regions: list[Region], drawn: list[Widget]) -> Cells:
    """Each cell a partial update of ``regions`` writes (character and style), as the
    compositor in use draws it; the widgets it draws are appended to ``drawn``."""
    crop = Region.from_union(regions).intersection(compositor.size.region)
    spans = list(compositor._regions_to_spans(regions))
    lines = {y for y, _, _ in spans}
    for widget in compositor.visible_widgets:
        widget.render_lines = _noting(widget, drawn)  # type: ignore[method-assign]
    try:
        chops = compositor._render_chops(crop, lines.__contains__)
    finally:
        for widget in compositor.visible_widgets:
            del widget.render_lines
    cells: Cells = {}
    for y, x1, x2 in spans:
        for x, strip in chops[y].items():
            if strip is None:
                continue
            for segment in strip:
                for char in segment.text:
                    if x1 <= x < x2:
                        cells[(x, y)] = (char, segment.style)
                    x += cell_len(char)
    return cells


def _noting(widget: Widget, drawn: list[Widget]) -> Any:
    render_lines = type(widget).render_lines

    def noted(crop: Region) -> Any:
        drawn.append(widget)
        return render_lines(widget, crop)

    return noted


async def test_a_letter_typed_draws_the_middle_pane_alone_and_the_screen_is_the_same(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "gr")
        await pilot.pause()
        screen = app.screen
        compositor = screen._compositor
        table = screen.query_one(CompanyTable)
        assert table.rows, "the filter matched something"
        first = table.rows[0].name
        changed = [screen.query_one(FilterBox), table]
        regions = [compositor.visible_widgets[widget][0] for widget in changed]

        ours: list[Widget] = []
        cells = updated_cells(compositor, regions, ours)
        monkeypatch.setattr(Compositor, "_get_renders", textual_get_renders)
        textuals: list[Widget] = []
        expected = updated_cells(compositor, regions, textuals)

    assert cells == expected
    assert len(cells) == sum(region.area for region in regions)  # every cell written
    top = regions[1]
    assert first in "".join(cells[(x, top.y)][0] for x in range(top.x, top.right))
    assert {type(w) for w in textuals} >= {LayerList, CompanyDetail}  # drawn for nothing
    assert LayerList not in {type(w) for w in ours}
    assert CompanyDetail not in {type(w) for w in ours}
    assert {type(w) for w in ours} >= {FilterBox, CompanyTable}


async def test_an_update_beside_a_pane_draws_what_overlaps_it_and_writes_the_same(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A region across the pane borders: each widget in it drawn, the cells unchanged."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        width, height = app.size
        regions = [Region(0, 5, width, 2), Region(width - 10, 20, 10, 3)]
        ours: list[Widget] = []
        cells = updated_cells(compositor, regions, ours)
        monkeypatch.setattr(Compositor, "_get_renders", textual_get_renders)
        expected = updated_cells(compositor, regions, [])

    assert cells == expected
    assert len(cells) == sum(region.area for region in regions)
    assert {LayerList, CompanyDetail, CompanyTable} <= {type(w) for w in ours}
