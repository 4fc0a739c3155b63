"""Moving around, driven with Pilot: j/k and the arrows, tab between panes, the detail
following the list, the footer, [ and ] between layers, which pane shows the focus, o to
sort, m for the stack map and ? for help.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Select

from store.models import Status
from store.service import Workbench
from tests.tui.conftest import (
    POWER,
    SIZE,
    company_id,
    current,
    detail_text,
    file_state,
    footer_text,
    go_to,
    help_text,
    main,
    screen_text,
    shown,
    table,
    told,
    view_title,
)
from tui.screens.dialogs import PromptDialog
from tui.screens.edit_form import EditCompanyForm
from tui.screens.help import HelpScreen
from tui.screens.main import SORTS, MainScreen
from tui.screens.stack_map import StackMapScreen
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail
from tui.widgets.footer import Footer
from tui.widgets.layer_list import LayerList

# Helpers ----------------------------------------------------------------------------------


def cursor_background(app: Any) -> Any:
    """The background colour of the highlighted row's name cell."""
    companies = table(app)
    strip = companies.render_line(companies.cursor - int(companies.scroll_offset.y))
    return list(strip)[1].style.bgcolor


# j / k, ↓ / ↑, tab / shift+tab --------------------------------------------------------------


async def test_j_k_and_arrows_move_the_cursor_in_the_company_list(app, db_path: Path) -> None:
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        assert shown(app) == POWER
        assert current(app) == "Crusoe"
        await pilot.press("j")
        assert current(app) == "Digital Realty"
        assert "Digital Realty" in detail_text(app)
        await pilot.press("down")
        assert current(app) == "Equinix"
        await pilot.press("k")
        assert current(app) == "Digital Realty"
        await pilot.press("up", "up")
        assert current(app) == "Crusoe", "the cursor stops at the top"
        await pilot.press(*["j"] * 8)
        assert current(app) == "Vertiv", "the cursor stops at the bottom"
        assert "Vertiv" in detail_text(app)
    assert file_state(db_path) == before, "moving the cursor writes nothing"


async def test_tab_and_shift_tab_move_between_panes(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.focused, CompanyTable)
        focused_cursor = cursor_background(app)
        await pilot.press("tab")
        assert isinstance(app.focused, CompanyDetail)
        assert cursor_background(app) != focused_cursor, "the cursor dims when the list loses focus"
        await pilot.press("tab")
        assert isinstance(app.focused, LayerList)
        await pilot.press("tab")
        assert isinstance(app.focused, CompanyTable)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, LayerList)
        # j/k move in the focused list: here the layers, which switches the table.
        await pilot.press("j")
        assert main(app).query_one(LayerList).highlighted == 2  # (All layers is 0)
        assert "Groq" in shown(app)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, CompanyDetail)


async def test_the_detail_scrolls_through_long_notes_and_follows_each_company(
    app, bench: Workbench
) -> None:
    lines = "\n\n".join(f"Finding {n}: the grid interconnect queue moved." for n in range(1, 41))
    bench.add_note(company_id(bench, "Lancium"), lines)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Lancium")
        text = screen_text(app)
        assert "Finding 1:" in text and "Finding 40:" not in text, "the pane shows the top"
        await pilot.press("tab", "end")
        assert isinstance(app.focused, CompanyDetail)
        text = screen_text(app)
        assert "Finding 40:" in text and "Finding 1:" not in text, "end scrolls to the last"
        await pilot.press("home", "shift+tab", "k")
        await pilot.pause()
        assert current(app) != "Lancium"
        assert "Finding" not in screen_text(app), "another company: its own detail, from the top"
        assert f"{current(app)}" in detail_text(app)


# [ / ] --------------------------------------------------------------------------------------


async def test_the_footer_shows_the_keys_of_the_focused_pane_and_a_click_presses_one(
    app,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert " n Add " in footer_text(app) and " ? Help " in footer_text(app)
        assert footer_text(app).endswith("▏^p palette")
        await pilot.press("slash")  # typing in the filter: the list's letter keys are gone
        assert " n Add " not in footer_text(app) and " f1 Help " in footer_text(app)
        await pilot.press("escape")
        assert " n Add " in footer_text(app)
        column = footer_text(app).index(" n Add ")
        await pilot.click(Footer, offset=(column + 4, 0))  # on "Add"
        assert isinstance(app.screen, PromptDialog)
        assert "Add a company to Power" in screen_text(app)
        await pilot.press("escape")
        await pilot.click(Footer, offset=(footer_text(app).index("▏^p") + 1, 0))
        assert isinstance(app.screen, CommandPalette)


async def test_brackets_switch_layers(app, bench: Workbench) -> None:
    compute = sorted(row.name for row in bench.rows(layer="compute"))
    orchestration = {row.name for row in bench.rows(layer="orchestration")}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        assert sorted(shown(app)) == compute
        assert view_title(app).startswith("Compute · 8")
        assert main(app).query_one(LayerList).highlighted == 2  # (All layers is 0)
        await pilot.press("left_square_bracket")
        assert shown(app) == POWER
        await pilot.press("left_square_bracket")
        assert view_title(app).startswith("All layers · 40"), "[ on the first layer: All layers"
        await pilot.press("left_square_bracket")
        assert set(shown(app)) == orchestration, "[ on All layers wraps to the last"


# Focus ------------------------------------------------------------------------------------


async def test_the_pane_holding_the_focus_is_outlined_in_the_accent_colour(app) -> None:
    def outlined() -> list[str]:
        accent = app.theme_variables["accent"].lower()
        screen = main(app)
        return [
            str(pane.id)
            for pane in screen.query("#layers, #center, #detail")
            if pane.styles.border.top[1].hex.lower() == accent
        ]

    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is table(app) and outlined() == ["center"]
        await pilot.press("slash")  # the filter box, in the same pane
        assert app.focused is main(app).query_one("#filter") and outlined() == ["center"]
        await pilot.press("escape", "tab")
        assert app.focused is main(app).query_one(CompanyDetail)
        assert outlined() == ["detail"]
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is main(app).query_one(LayerList) and outlined() == ["layers"]
        await pilot.press("tab")
        assert app.focused is table(app) and outlined() == ["center"]


async def test_the_list_shows_its_focus_by_its_cursor_alone(app) -> None:
    """The list redraws its cursor when the focus comes and goes, without a restyle
    (``CompanyTable.watch_has_focus``): no rule may style it by its focus."""
    async with app.run_test(size=SIZE) as pilot:
        selectors = [sel.css for rule in app.stylesheet.rules for sel in rule.selector_set]
        for name in ("CompanyTable", "#companies"):
            assert not [css for css in selectors if f"{name}:focus" in css or f"{name}:blur" in css]
        focused = cursor_background(app)
        await pilot.press("tab")
        assert cursor_background(app) != focused
        await pilot.press("shift+tab")
        assert cursor_background(app) == focused


# o sort -------------------------------------------------------------------------------------


async def test_o_cycles_the_sort(app, bench: Workbench, db_path: Path) -> None:
    bench.record_run(company_id(bench, "Oklo"), {"A1": "yes", "A2": "yes", "A3": "yes"})
    bench.set_status([company_id(bench, "Crusoe")], Status.WATCHING)
    async with app.run_test(size=SIZE) as pilot:
        assert "sort: name" in view_title(app) and shown(app) == POWER
        await pilot.press("o")
        assert "sort: score" in view_title(app)
        assert shown(app)[0] == "Oklo", "the scored company comes first"
        await pilot.press("o")
        assert "sort: updated" in view_title(app)
        await pilot.press("o")
        assert "sort: status" in view_title(app)
        assert shown(app)[-1] == "Crusoe", "watching sorts after new"
        await pilot.press("o")
        assert "sort: name" in view_title(app) and shown(app) == POWER
        assert "Sorted by name" in told(app)


async def test_a_sorted_list_stays_in_order_through_changes_and_undo(app, bench: Workbench) -> None:
    """After each change the list is patched, not sorted again: it must still be the
    order a fresh sort gives, companies moving, leaving the layer and coming back."""

    def fresh_order(sort: int) -> list[str]:
        rows = [row for row in bench.rows() if row.layer == main(app).layer_id]
        return [row.name for row in sorted(rows, key=SORTS[sort][1])]

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o", "o", "o")
        assert "sort: status" in view_title(app)
        for name, moves in [("Equinix", ("down", "down")), ("Oklo", ("down",))]:
            await pilot.press("g")
            await go_to(pilot, name)
            await pilot.press("s", *moves, "enter")
            assert shown(app) == fresh_order(3)
            assert current(app) == name, "the cursor follows the company it changed"
        await pilot.press("o", "o", "g")  # back to name, then score
        await go_to(pilot, "Oklo")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EditCompanyForm)
        form.query_one("#field-layer", Select).value = "compute"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Oklo" not in shown(app) and shown(app) == fresh_order(1)
        await pilot.press("u")
        await pilot.pause()
        assert "Oklo" in shown(app) and shown(app) == fresh_order(1)


# m stack map --------------------------------------------------------------------------------


async def test_m_shows_the_stack_map_and_esc_returns(app, bench: Workbench) -> None:
    bench.record_run(company_id(bench, "Groq"), dict.fromkeys(("A1", "A2", "A3"), "yes"))
    bench.set_status([company_id(bench, "Groq")], Status.SCREENING)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, StackMapScreen)
        text = screen_text(app)
        for layer in bench.layers():
            assert layer.name in text
        grid = [line.partition("▏")[0].split() for line in text.splitlines()]
        # C1 and C2 unanswered: Incomplete, the sixth of eight columns.
        assert ["Compute", *"·····", "1", "·", "100", "7", "8", "·", "100"] in grid
        await pilot.press("tab")
        grid = [line.partition("▏")[0].split() for line in screen_text(app).splitlines()]
        assert ["Compute", "7", "1", "·", "100", *"····", "8", "·", "100"] in grid
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("m", "m")
        assert isinstance(app.screen, MainScreen), "m closes the map too"


# ? and F1 help ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_real_keys(app, key: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        assert isinstance(app.screen, HelpScreen)
        assert "Keys: Main" in screen_text(app)
        text = help_text(app)
        for described in (
            "Quick-add a company to this layer",
            "Undo the last change",
            "Show the previous layer",
            "Filter by name, one-liner, tags and notes",
        ):
            assert described in text
        assert re.search(r"j, ↓ +Down", text) and re.search(r"q, \^q|\^q, q", text)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
