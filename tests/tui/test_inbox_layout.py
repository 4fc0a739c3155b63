"""The inbox at 80×24, 120×30 and 160×45, driven with Pilot: the detail goes under the list
when narrow, the list shows each company's layer and why it waits, the layer-keys line
fits its width; and the columns of each kind of list, by width."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from store.service import Workbench
from tests.tui.conftest import inbox, screen_text
from tui.screens.inbox import layer_keys
from tui.widgets.columns import ALL_LAYERS, INBOX, LAYER_VIEW, NAME_MIN, columns, header_text
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail

pytestmark = pytest.mark.seeded_early

STACK = [
    "Power & Facilities",
    "Compute",
    "Networking & Interconnect",
    "Data & Storage",
    "Orchestration & Inference",
]


def test_in_the_inbox_updated_and_status_give_way_before_the_layer_and_why() -> None:
    assert [name for name, _ in columns(111, INBOX)] == [
        "name", "layer", "status", "score", "verdict", "why", "updated",
    ]  # fmt: skip
    at_80 = dict(columns(77, INBOX))  # (80 columns less the pane's borders and scrollbar)
    assert list(at_80) == ["name", "layer", "score", "verdict", "why"]
    assert at_80["name"] >= NAME_MIN and at_80["why"] >= cell_len("new, no layer") + 1
    assert [name for name, _ in columns(60, INBOX)] == ["name", "score", "verdict", "why"]
    assert header_text(77, INBOX).split() == ["Name", "Layer", "Score", "Verdict", "Why"]


def test_all_layers_shows_the_layer_and_the_tags_when_there_is_room() -> None:
    assert [name for name, _ in columns(111, ALL_LAYERS)] == [
        "name", "layer", "status", "score", "verdict", "tags", "updated",
    ]  # fmt: skip
    assert [name for name, _ in columns(77, ALL_LAYERS)] == [
        "name", "layer", "status", "score", "verdict", "updated",
    ]  # fmt: skip
    assert "layer" in dict(columns(53, ALL_LAYERS)), "the layer gives way last"


def test_every_kind_of_list_fills_its_row_and_serves_the_name_first() -> None:
    for plan in (LAYER_VIEW, ALL_LAYERS, INBOX):
        for width in range(40, 220):
            shown = dict(columns(width, plan))
            assert shown["name"] >= NAME_MIN, (plan, width)
            assert sum(shown.values()) + 2 == width, (plan, width)


def test_the_layer_keys_are_whole_then_first_words_then_cut() -> None:
    whole = layer_keys(STACK, 120)
    assert whole.endswith("5 Orchestration & Inference")
    short = layer_keys(STACK, 78)
    assert short == "Layer keys: 1 Power  2 Compute  3 Networking  4 Data  5 Orchestration"
    cut = layer_keys(STACK, 40)
    assert cell_len(cut) == 40 and cut.endswith("…")
    assert layer_keys(STACK[:2], 78) == "Layer keys: 1 Power & Facilities  2 Compute"


@pytest.fixture
def waiting(bench: Workbench, five: dict[str, str]) -> dict[str, str]:
    """The five imported names (Driftwood in no layer) and a long Japanese name."""
    wide = bench.add_company("株式会社プリファードネットワークス Preferred Networks", "compute")
    five["wide"] = wide.id
    return five


def lines_of(app) -> list[str]:
    return screen_text(app).splitlines()


async def test_at_80x24_the_row_shows_layer_and_why_and_the_detail_is_under_it(
    app, waiting: dict[str, str]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = inbox(app)
        table, detail = screen.query_one(CompanyTable), screen.query_one(CompanyDetail)
        assert table.current is not None and table.current.name == "Arclight Optics"
        assert detail.region.y >= table.region.bottom, "the detail is under the list"
        assert detail.region.width >= 78, "and spans the screen"
        text = lines_of(app)
        row = next(line for line in text if "Arclight Optics" in line and "new" in line)
        assert "Networking & Inte…" in row and row.rstrip(" │").endswith("new")
        drift = next(line for line in text if "Driftwood" in line)
        assert "Unsorted" in drift and "new, no layer" in drift
        header = next(line for line in text if "Name" in line and "Why" in line)
        assert "Layer" in header and "Updated" not in header and "Status" not in header
        name_cells = header.index("Layer") - header.index("Name")
        assert name_cells >= NAME_MIN
        keys = next(line for line in text if "Layer keys:" in line).strip()
        assert cell_len(keys) <= 78 and (keys.endswith("…") or "5 Orchestration" in keys)


async def test_at_120_the_detail_is_beside_the_list_and_narrower(
    app, waiting: dict[str, str]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = inbox(app)
        table, detail = screen.query_one(CompanyTable), screen.query_one(CompanyDetail)
        assert detail.region.x >= table.region.right and detail.region.width == 34
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert detail.region.width == 46, "at 160 as before"
        text = screen_text(app)
        assert "5 Orchestration & Inference" in text and "Updated" in text


async def test_a_renamed_layer_is_redrawn_in_the_rows_that_show_it(
    app, bench: Workbench, waiting: dict[str, str]
) -> None:
    """The rows are the same objects after a rename; their drawn lines must not be."""
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        table = inbox(app).query_one(CompanyTable)
        arclight = next(row for row in table.rows if row.name == "Arclight Optics")
        assert "Networking & Interconnect" in screen_text(app)
        table.layer_names = {**table.layer_names, arclight.layer or "": "Optical Fabric"}
        table.refresh()
        await pilot.pause()
        line = next(line for line in lines_of(app) if "Arclight Optics" in line and "new" in line)
        assert "Optical Fabric" in line
