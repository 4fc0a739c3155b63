"""All layers, first in the layer list: every company with its layer, and the filter and
its ``verdict:``, ``status:`` and ``tag:`` words working across the whole database."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import (
    QUESTIONS,
    SIZE,
    clear_input,
    main,
    quiet,
    run_command,
    shown,
    table,
    text_of,
    told,
    type_text,
    view_title,
)
from tui.widgets.layer_list import LayerList

pytestmark = pytest.mark.usefixtures("steady_header")


async def all_layers(pilot: Pilot) -> None:
    """From the first layer (Power), `[` goes up to All layers."""
    await pilot.press("left_square_bracket")
    await pilot.pause()


async def test_all_layers_heads_the_list_and_shows_every_company_with_its_layer(
    app, bench: Workbench
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        layers = main(app).query_one(LayerList)
        assert layers.highlighted == 1, "the app opens on the first real layer"
        assert "All layers\n  40 companies" in str(layers.get_option_at_index(0).prompt)
        await all_layers(pilot)
        assert layers.highlighted == 0
        assert len(shown(app)) == 40 and {"Groq", "Crusoe", "Baseten"} <= set(shown(app))
        assert view_title(app).startswith("All layers · 40")
        header = text_of(main(app), "#table-header")
        assert "Layer" in header and "Tags" not in header
        lines = {line.split("  ")[0].strip(): line for line in screen_lines(app)}
        assert "Compute" in lines["Groq"] and "Power" in lines["Crusoe"]
        await pilot.press("right_square_bracket")
        assert "Tags" in text_of(main(app), "#table-header"), "a layer shows tags again"
        assert "Groq" not in shown(app)


def screen_lines(app) -> list[str]:
    """The company list's lines as drawn, marks stripped."""
    lines = table(app).render_lines(table(app).region.reset_offset)
    return ["".join(segment.text for segment in line)[2:] for line in lines]


async def test_the_filter_and_its_words_search_every_layer(app, bench: Workbench) -> None:
    groq, baseten = bench.find("Groq").id, bench.find("Baseten").id
    bench.add_tag([groq, baseten], "inference")
    bench.set_status([groq], "diligence")
    bench.record_run(baseten, dict.fromkeys(QUESTIONS[:7], "yes"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "groq")
        assert shown(app) == [], "on Power, Groq is not found"
        await pilot.press("escape")
        await all_layers(pilot)
        for query, names in [
            ("groq", ["Groq"]),
            ("tag:inference", ["Baseten", "Groq"]),
            ("status:diligence", ["Groq"]),
            ("verdict:unscored tag:inference", ["Groq"]),
        ]:
            await pilot.press("slash")
            await clear_input(pilot)
            await type_text(pilot, query)
            await pilot.press("enter")
            assert sorted(shown(app)) == names, query
            assert view_title(app).startswith(f"All layers · {len(names)} of 40"), query


async def test_a_change_in_all_layers_stays_in_view_and_layer_commands_refuse(
    app, bench: Workbench
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await all_layers(pilot)
        await pilot.press("n")
        await type_text(pilot, "Zephyr Compute")
        await pilot.press("enter")
        await pilot.pause()
        assert "Zephyr Compute" in shown(app) and len(shown(app)) == 41
        assert table(app).current.name == "Zephyr Compute"
        assert bench.find("Zephyr Compute").layer is None, "no layer chosen: Unsorted"
        await run_command(pilot, "layer: Rename")
        assert "All layers is not a layer; pick a layer first." in told(app)


def test_all_layers_snapshot(app, bench: Workbench, snap_compare) -> None:
    """All layers highlighted at the top of the layer list (40 companies); the company
    list shows all 40 companies, a Layer column after the name naming each one's layer
    (cut with "…": "Power & F…", "Orchestra…"; no Tags at this width); the title reads
    "All layers · 40 · sort: …"."""

    async def run_before(pilot: Pilot) -> None:
        await all_layers(pilot)
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
