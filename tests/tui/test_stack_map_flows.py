"""The stack map's flows: f turns the grid into layer × layer, each cell the supply
relations from the row's layer to the column's; enter lists the relations behind a cell
and choosing one goes to its supplier on the main screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import SIZE, current, footer_text, quiet, screen_text
from tests.tui.test_stack_map import cursor, notes, the_map
from tui.screens.dialogs import ChoiceDialog
from tui.screens.main import MainScreen

SUPPLIES = [
    ("TSMC", "NVIDIA", "CoWoS capacity"),
    ("TSMC", "AMD", ""),
    ("Crusoe", "Together AI", "campus power"),
    ("NVIDIA", "Arista Networks", ""),
    ("Arista Networks", "NVIDIA", ""),  # a cycle, shown as it is
    ("Broadcom", "Google TPU", "custom silicon"),
]
pytestmark = pytest.mark.usefixtures("steady_header")

NETWORK, COMPUTE, POWER = 2, 3, 4
"""Rows (and columns) of the flows: the stack from the top (Orchestration) down."""


@pytest.fixture
def linked(bench: Workbench) -> Workbench:
    for source, target, note in SUPPLIES:
        bench.link(bench.find(source).id, bench.find(target).id, "supplies", note)
    bench.link(bench.find("Google TPU").id, bench.find("Groq").id, "could-absorb")
    return bench


def flow_line(app: Any, name: str) -> list[str]:
    """The six cells of layer ``name``'s row (the notes beside the grid left out)."""
    line = next(x for x in screen_text(app).splitlines() if x.strip().startswith(name))
    words = line.split()
    first = len(next(r.name for r in the_map(app).grid.rows if r.name.startswith(name)).split())
    return words[first : first + 6]


async def test_f_counts_the_supply_relations_from_each_layer_to_each_other(app, linked) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "f")
        text = screen_text(app)
        assert "flows" in text and "supply relations" in text
        # Columns: Orchestration, Data, Networking, Compute, Power, All.
        assert flow_line(app, "Compute") == ["·", "·", "1", "2", "·", "3"]
        assert flow_line(app, "Networking") == ["·", "·", "·", "2", "·", "2"]
        assert flow_line(app, "Power") == ["1", "·", "·", "·", "·", "1"]
        assert "Flows" in footer_text(app)


async def test_the_notes_name_the_relations_and_enter_goes_to_the_supplier(app, linked) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "f", *"jjj", *"lll")
        assert cursor(app) == (COMPUTE, COMPUTE)
        assert notes(app).startswith("Compute supplies Compute: 2 relations")
        assert "• TSMC → AMD" in notes(app)
        assert "• TSMC → NVIDIA — CoWoS capacity" in notes(app)
        await pilot.press("enter")
        await quiet(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "Compute supplies Compute: 2 relations" in screen_text(app)
        await pilot.press("down", "enter")
        await quiet(pilot)
        assert isinstance(app.screen, MainScreen)
        assert current(app) == "TSMC" and app.screen.layer_id == "compute"


async def test_all_lists_every_relation_out_of_a_layer_and_esc_keeps_the_map(app, linked) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "f", *"jj", *"l" * 9)
        assert notes(app).startswith("Networking & Interconnect supplies every layer: 2")
        assert "• Arista Networks → NVIDIA" in notes(app)
        assert "• Broadcom → Google TPU — custom silicon" in notes(app)
        await pilot.press("enter")
        await quiet(pilot)
        await pilot.press("escape")
        await quiet(pilot)
        assert the_map(app) and "flows" in screen_text(app)


async def test_an_empty_flow_says_so_and_f_returns_to_the_verdicts(app, linked) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "f")
        assert notes(app).startswith("Orchestration & Inference supplies Orchestration")
        assert "None recorded." in notes(app)
        await pilot.press("enter")
        assert isinstance(app.screen, type(the_map(app)))
        assert any("No supply relations" in message for _, message in app.told)
        await pilot.press("f")
        assert "by verdict" in screen_text(app)
        await pilot.press("f", "tab")
        assert "by status" in screen_text(app)


async def test_a_link_made_after_shows_when_the_map_opens_again(app, linked) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "f")
        assert flow_line(app, "Power")[-1] == "1"
        await pilot.press("escape")
        linked.link(linked.find("Oklo").id, linked.find("Equinix").id, "supplies")
        await pilot.press("m", "f")
        assert flow_line(app, "Power")[-1] == "2"


async def _flows_at(pilot: Pilot) -> None:
    await pilot.press("m", "f", *"jjj", *"lll")
    await quiet(pilot)


def test_stack_map_flows_narrow(app, linked, snap_compare) -> None:
    """At 80×24 the flows, cursor on Compute → Compute ("2", accent): six columns of layer
    names cut alike with "…" (Orchestration, Data, Networking, Compute, Power, All), every
    count whole, empty cells "·"; under the grid "Compute supplies Compute: 2 relations ·
    enter lists them" and "• TSMC → AMD", "• TSMC → NVIDIA — CoWoS capacity". The footer
    shows f Flows."""
    assert snap_compare(app, run_before=_flows_at, terminal_size=(80, 24))


def test_stack_map_flows_wide(app, linked, snap_compare) -> None:
    """At 160×45 the same, the headings whole, the notes beside the grid."""
    assert snap_compare(app, run_before=_flows_at, terminal_size=(160, 45))
