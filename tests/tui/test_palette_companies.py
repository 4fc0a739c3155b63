"""The command palette (ctrl+p) finds any company by name, fuzzily, in any layer; enter
shows it in its layer, highlighted."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from store.service import Workbench
from tests.tui.conftest import (
    SIZE,
    current,
    detail_text,
    main,
    run_command,
    screen_text,
    shown,
    type_text,
    view_title,
    wait_until,
)
from tui.company_search import likely
from tui.screens.dialogs import PromptDialog
from tui.widgets.layer_list import LayerList


async def test_a_fuzzy_name_in_the_palette_jumps_to_the_company_in_its_layer(
    app, bench: Workbench
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert "Groq" not in shown(app), "the app opens on Power"
        await pilot.press("ctrl+p")
        await type_text(pilot, "grq")
        results = app.screen.query_one(CommandList)

        def offered() -> list[str]:
            return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]

        await wait_until(pilot, lambda: any("Groq" in hit for hit in offered()), "Groq")
        groq = next(hit for hit in offered() if hit.startswith("Groq"))
        assert "company in Compute" in groq, "the hit names the company's layer"
        await pilot.press("enter")
        await pilot.pause(0.05)
        assert not isinstance(app.screen, CommandPalette)
        assert view_title(app).startswith("Compute · 12")
        assert main(app).query_one(LayerList).highlighted == 2
        assert current(app) == "Groq" and "Groq" in detail_text(app)


async def test_a_jump_clears_a_filter_that_hides_the_company(app, bench: Workbench) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "oklo")
        await pilot.press("enter")
        assert shown(app) == ["Oklo"]
        await run_command(pilot, "Hugging Face", typed="hugging")
        await pilot.pause(0.05)
        assert view_title(app).startswith("Orchestration & Inference · 8")
        assert "filter" not in view_title(app)
        assert current(app) == "Hugging Face"


async def test_the_palette_still_runs_commands(app, bench: Workbench) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "layer: Rename")
        assert isinstance(app.screen, PromptDialog)
        assert "Rename Power & Facilities" in screen_text(app)


def test_likely_keeps_letters_in_order_best_first_and_at_most_the_limit() -> None:
    names = [("1", "Tenstorrent"), ("2", "Tensorwave"), ("3", "Groq"), ("4", "Etched")]
    assert likely(names, "tens") == ["2", "1"], "shorter of two equal starts first"
    assert likely(names, "grq") == ["3"]
    assert likely(names, "tch") == ["4"]
    assert likely(names, "  ") == []
    many = [(str(n), f"Acme {n}") for n in range(100)]
    assert len(likely(many, "acme", limit=40)) == 40
