"""Every key of the DESIGN.md contract, driven with Pilot, checked against the store.

Each test presses the keys a user would press and then reads the database
file back (``on_disk``) to check what was really saved, plus what the screen
shows where that is the point of the key.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from rich.console import Console
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from store import storage
from store.models import Status
from store.service import Workbench
from tests.tui.conftest import (
    FIXED_NOW,
    SIZE,
    names_on_disk,
    on_disk,
    paste,
    recording,
    screen_text,
    settle,
    told,
    type_text,
)
from tui.__main__ import make_app
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.edit_form import EditCompanyForm
from tui.screens.help import HelpScreen, bindings_table
from tui.screens.main import SORTS, MainScreen
from tui.screens.note_editor import NoteEditor
from tui.screens.stack_map import StackMapScreen
from tui.screens.status_picker import StatusPicker
from tui.search import SearchIndex
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail
from tui.widgets.footer import Footer
from tui.widgets.layer_list import LayerList

POWER = [
    "Crusoe",
    "Digital Realty",
    "Equinix",
    "Fervo Energy",
    "Lancium",
    "LiquidStack",
    "Oklo",
    "Vertiv",
]
HOSTILE = "[@click=app.quit]Evil[/]"


# Helpers ----------------------------------------------------------------------------------


def main(app: Any) -> MainScreen:
    """The main screen, wherever it is in the stack."""
    return next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))


def table(app: Any) -> CompanyTable:
    return main(app).query_one(CompanyTable)


def shown(app: Any) -> list[str]:
    """Names in the company list, top to bottom."""
    return [row.name for row in table(app).rows]


def current(app: Any) -> str | None:
    row = table(app).current
    return row.name if row else None


def view_title(app: Any) -> str:
    return str(main(app).query_one("#view-title", Static).render())


def detail_text(app: Any) -> str:
    """The detail pane's words, as wrapped on screen, each line joined to the next by a space."""
    return " ".join(main(app).query_one(CompanyDetail).text.split())


def help_text(app: Any) -> str:
    """Every row of the open help screen, scrolled or not, as plain text."""
    assert isinstance(app.screen, HelpScreen)
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(bindings_table(app, app.screen.bindings_snapshot))
    return console.export_text()


def cursor_background(app: Any) -> Any:
    """The background colour of the highlighted row's name cell."""
    companies = table(app)
    strip = companies.render_line(companies.cursor - int(companies.scroll_offset.y))
    return list(strip)[1].style.bgcolor


def has_thumb(app: Any) -> bool:
    """Whether the list's scrollbar shows a thumb (Textual draws it reversed)."""
    bar = table(app).vertical_scrollbar
    lines = bar.render_lines(Region(0, 0, *bar.size))
    return any(cell.style is not None and cell.style.reverse for line in lines for cell in line)


def file_state(path: Path) -> tuple[bytes, int]:
    """The database file's bytes and modification time, to prove nothing was written."""
    return path.read_bytes(), path.stat().st_mtime_ns


def company_id(bench: Workbench, name: str) -> str:
    return bench.find(name).id


async def go_to(pilot: Pilot, name: str) -> None:
    """Move the cursor onto ``name`` with j, as a user would."""
    app = pilot.app
    while current(app) != name:
        assert table(app).cursor < len(table(app).rows) - 1, f"{name} is not in the list"
        await pilot.press("j")


async def clear_input(pilot: Pilot) -> None:
    """Empty the focused Input: go to the start, delete everything to the right."""
    await pilot.press("home", "ctrl+k")


async def wait_until(pilot: Pilot, condition, what: str, tries: int = 100) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def run_command(pilot: Pilot, title: str) -> None:
    """Open the palette (ctrl+p), type a command's title and run it with enter."""
    app = pilot.app
    await pilot.press("ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await paste(pilot, title)
    results = app.screen.query_one(CommandList)

    def top_hit() -> bool:
        return bool(results.option_count) and str(results.get_option_at_index(0).prompt).startswith(
            title + "\n"
        )

    await wait_until(pilot, top_hit, f"the palette to list {title!r}")
    await pilot.press("enter")
    await pilot.pause()


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
        assert main(app).query_one(LayerList).highlighted == 1
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


def footer_text(app: Any) -> str:
    """The bottom row of the screen: the key bar."""
    return screen_text(app).splitlines()[-1]


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
        assert main(app).query_one(LayerList).highlighted == 1
        await pilot.press("left_square_bracket")
        assert shown(app) == POWER
        await pilot.press("left_square_bracket")
        assert set(shown(app)) == orchestration, "[ on the first layer wraps to the last"


# / filter -----------------------------------------------------------------------------------


async def test_filter_narrows_fuzzy_finds_and_esc_restores(
    app, bench: Workbench, db_path: Path
) -> None:
    bench.add_note(company_id(bench, "Etched"), "Founders mentioned a zanzibar benchmark.")
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        everything = shown(app)
        assert len(everything) == 8
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        counts = []
        for key in "cere":
            await pilot.press(key)
            counts.append(len(shown(app)))
        assert counts == sorted(counts, reverse=True) and counts[0] > 1, counts
        assert shown(app) == ["Cerebras"]
        assert "filter: cere" in view_title(app) and "1 of 8" in view_title(app)

        await pilot.press("escape")
        assert shown(app) == everything
        assert "filter" not in view_title(app)
        assert isinstance(app.focused, CompanyTable)

        await pilot.press("slash", *"grq")
        assert shown(app) == ["Groq"], "letters in order find the company"
        assert "filter: grq" in view_title(app)
        await pilot.press("escape")

        await pilot.press("slash")
        await paste(pilot, "zanzibar")
        assert shown(app) == ["Etched"], "a word of a note finds its company"
        await pilot.press("enter")
        assert isinstance(app.focused, CompanyTable), "enter keeps the filter, back to the list"
        assert shown(app) == ["Etched"] and "filter: zanzibar" in view_title(app)

        # Emptying the box while typing keeps it open: the next letters still filter.
        await pilot.press("slash", *["backspace"] * len("zanzibar"))
        assert shown(app) == everything and app.focused.id == "filter"
        await type_text(pilot, "nothing")
        assert isinstance(app.screen, MainScreen), "typed letters never run the list's keys"
        assert shown(app) == []
        assert "esc clears the filter" in screen_text(app)
        await pilot.press("escape")
        assert shown(app) == everything
    assert file_state(db_path) == before, "filtering writes nothing"


async def test_the_detail_follows_the_filtered_list_once_the_box_is_left(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "slash", *"grq", "enter")
        await settle(pilot)
        assert current(app) == "Groq" and "Groq" in detail_text(app)
        await pilot.press("slash", *"cere", "escape")
        await settle(pilot)
        assert current(app) == "Cerebras" and "Cerebras" in detail_text(app)


async def test_filtering_a_long_list_keeps_the_scrollbar_and_the_box_in_step(
    app, bench: Workbench
) -> None:
    """The table changes length and the box its text without a screen layout; what the
    user sees must still follow: the scrollbar, the end of the list, the typed text. The
    scrollbar's track stays (the columns do not shift as the list grows and shrinks)."""
    layer = bench.layers()[0].id
    for number in range(120):
        bench.add_company(f"Longlist {number:03}", layer=layer)
    async with app.run_test(size=SIZE) as pilot:
        companies = table(app)
        width = companies.scrollable_content_region.width
        assert has_thumb(app)
        await pilot.press("slash", *"longlist 007")
        assert shown(app) == ["Longlist 007"]
        await pilot.pause()
        assert not has_thumb(app), "one row: nothing to scroll"
        assert companies.scrollable_content_region.width == width
        assert "Longlist 007" in screen_text(app)
        await pilot.press("escape", "G")
        await pilot.pause()
        assert has_thumb(app)
        assert current(app) == shown(app)[-1]
        assert current(app) in screen_text(app), "the end of the list is scrolled into view"
        await pilot.press("slash")
        await paste(pilot, "a filter typed far past the width of its own box " * 3)
        await pilot.pause()
        assert "width of its own box" in screen_text(app), "the box shows the end of the text"


async def test_a_filter_matching_many_shows_its_first_screenful_then_the_whole_result(
    app, bench: Workbench
) -> None:
    """While typing, the list may show the first rows found before the search has read
    every company; the whole result follows after that frame, and enter or leaving the
    box never hands the list a part of it."""
    layer = bench.layers()[0].id
    for number in range(400):
        bench.add_company(f"{'Zyxq' if number % 2 else 'Plain'} {number:03}", layer=layer)
    odd = [f"Zyxq {n:03}" for n in range(1, 400, 2)]
    async with app.run_test(size=SIZE) as pilot:
        screen, total = main(app), len(main(app)._base)
        await pilot.press("G", "slash")  # from the end of the list
        screen.filter_typed("zyxq")  # as the box does with each letter typed
        assert screen.search.pending
        assert 0 < len(shown(app)) < len(odd)
        assert shown(app) == odd[: len(shown(app))]
        assert current(app) == "Zyxq 001", "a query typed starts at its first match"
        assert f"… of {total}" in view_title(app)
        await pilot.pause()
        assert not screen.search.pending
        assert shown(app) == odd
        assert f"200 of {total}" in view_title(app)

        screen.filter_typed("plain")
        assert screen.search.pending
        screen.filter_submitted()  # enter, before any frame is drawn
        assert len(shown(app)) == 200 and f"200 of {total}" in view_title(app)
        screen.filter_typed("plai")
        assert screen.search.pending
        screen.filter_left()  # a click on the list, before any frame is drawn
        assert len(shown(app)) == 200
        await pilot.pause()
        await pilot.press("G")
        assert current(app) == "Plain 398"


async def test_letters_typed_after_a_pause_show_what_a_search_from_scratch_shows(
    app, bench: Workbench
) -> None:
    """Once a letter's frame is drawn and the app is idle, the next letters narrow what it
    found and show what a search from scratch shows."""
    layer = bench.layers()[0].id
    for number in range(600):
        bench.add_company(f"{'Zyxq' if number % 3 else 'Zyxv'} {number:03}", layer=layer)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("slash", "z", "y")
        await pilot.pause()
        await pilot.press("x", "v")
        await pilot.pause()
        expected = SearchIndex(bench.notes_text).filter(screen._base, "zyxv")
        assert shown(app) == [row.name for row in expected]
        assert len(shown(app)) == 200 and current(app) == "Zyxv 000"


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


# n quick-add --------------------------------------------------------------------------------


def layer_counts(app: Any) -> dict[str, str]:
    """What the layer list on screen says under each layer's name."""
    lines = [line[1:33].strip() for line in screen_text(app).splitlines()[2:]]
    return {name: count for name, count in zip(lines, lines[1:], strict=False) if "compan" in count}


async def test_n_quick_adds_to_the_current_layer_and_selects_it(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert layer_counts(app)["Compute"] == "8 companies"
        await pilot.press("right_square_bracket", "n")
        assert isinstance(app.screen, PromptDialog)
        assert "Add a company to Compute" in screen_text(app)
        await type_text(pilot, "Acme Photonics")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert current(app) == "Acme Photonics"
        assert isinstance(app.focused, CompanyTable)
        assert "Acme Photonics" in detail_text(app)
        assert "Added Acme Photonics" in told(app)
        await settle(pilot)
        assert app.save_state == "saved"
        assert layer_counts(app)["Compute"] == "9 companies"
        assert layer_counts(app)["Data"] == "8 companies"
        with on_disk(app, db_path) as stored:
            added = stored.find("Acme Photonics")
            assert added.layer == "compute" and added.status is Status.NEW
            assert added.created == FIXED_NOW


async def test_n_with_an_empty_name_shows_an_error_and_keeps_the_dialog(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "enter")
        assert isinstance(app.screen, PromptDialog)
        error = app.screen.query_one("#error", Static)
        assert error.has_class("-visible") and str(error.render()).strip()
        await type_text(pilot, "   ")
        await pilot.press("enter")
        assert isinstance(app.screen, PromptDialog), "a blank name is refused too"
        await pilot.press("backspace", "backspace", "backspace", *"Later Co", "enter")
        assert isinstance(app.screen, MainScreen)
        assert current(app) == "Later Co"
    assert names_on_disk(app, db_path, layer="power") == {*POWER, "Later Co"}


async def test_n_with_a_duplicate_name_keeps_the_typed_name(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"oklo", "enter")
        assert isinstance(app.screen, PromptDialog)
        assert "already exists" in str(app.screen.query_one("#error", Static).render())
        assert app.screen.query_one("#value", Input).value == "oklo"
    assert names_on_disk(app, db_path, layer="power") == set(POWER)


# e edit -------------------------------------------------------------------------------------


async def _open_field(pilot: Pilot, key: str) -> Input:
    field = pilot.app.screen.query_one(f"#field-{key}", Input)
    field.focus()
    await pilot.pause()
    await clear_input(pilot)
    return field


async def test_e_edits_fields_and_saves(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        await pilot.press("e")
        assert isinstance(app.screen, EditCompanyForm)
        await _open_field(pilot, "one_liner")
        await paste(pilot, "Small fission reactors for data centers.")
        await _open_field(pilot, "website")
        await type_text(pilot, "oklo.ai")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert "Small fission reactors for data centers." in detail_text(app)
    with on_disk(app, db_path) as stored:
        oklo = stored.find("Oklo")
        assert oklo.one_liner == "Small fission reactors for data centers."
        assert oklo.website == "https://oklo.ai"
        assert oklo.updated == FIXED_NOW


async def test_e_with_bad_values_shows_errors_next_to_fields_and_saves_nothing(
    app, db_path: Path
) -> None:
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        await pilot.press("e")
        await _open_field(pilot, "one_liner")
        await paste(pilot, "Typed and not lost")
        await _open_field(pilot, "website")
        await type_text(pilot, "not a url")
        await _open_field(pilot, "founded_year")
        await type_text(pilot, "3000")
        await pilot.press("ctrl+s")
        form = app.screen
        assert isinstance(form, EditCompanyForm), "an invalid form stays open"
        website_error = form.query_one("#error-website", Static)
        year_error = form.query_one("#error-founded_year", Static)
        assert website_error.has_class("-visible") and "web address" in str(website_error.render())
        assert year_error.has_class("-visible") and "future" in str(year_error.render())
        assert not form.query_one("#error-one_liner", Static).has_class("-visible")
        assert form.query_one("#field-one_liner", Input).value == "Typed and not lost"
        assert form.query_one("#field-website", Input).value == "not a url"
        assert form.query_one("#field-founded_year", Input).value == "3000"
        website = form.query_one("#field-website", Input)
        assert app.focused is website, "focus goes to the first bad field"
        app.wait_for_saves()
        assert file_state(db_path) == before, "nothing is saved while the form is invalid"

        # Fixing the two fields saves everything, the untouched typed one-liner included.
        await _open_field(pilot, "website")
        await paste(pilot, "https://oklo.example.com")
        await _open_field(pilot, "founded_year")
        await type_text(pilot, "2013")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        oklo = stored.find("Oklo")
        assert (oklo.one_liner, oklo.website, oklo.founded_year) == (
            "Typed and not lost",
            "https://oklo.example.com",
            2013,
        )


# a note -------------------------------------------------------------------------------------


async def test_a_writes_a_note_saved_with_ctrl_s(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Lancium")
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, "Met them.")
        await pilot.press("enter")
        await paste(pilot, "Strong *grid* team.")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MainScreen)
        assert "Note saved" in told(app)
        await pilot.pause()
        assert "Met them." in screen_text(app), "the note is shown in the detail"
    with on_disk(app, db_path) as stored:
        (note,) = stored.find("Lancium").notes
        assert note.body == "Met them.\nStrong *grid* team."
        assert note.author == "analyst" and note.created == FIXED_NOW


async def test_esc_in_the_note_editor_asks_before_discarding(app, db_path: Path) -> None:
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Half a thought")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Discard what you typed?" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor), "n keeps the editor"
        assert app.screen.query_one(TextArea).text == "Half a thought"
        await pilot.press("escape", "y")
        assert isinstance(app.screen, MainScreen)
        # An empty editor closes at once.
        await pilot.press("a", "escape")
        assert isinstance(app.screen, MainScreen)
        app.wait_for_saves()
    assert file_state(db_path) == before
    with on_disk(app, db_path) as stored:
        assert stored.find("Crusoe").notes == []


async def test_dialogs_opened_again_start_empty_for_their_new_subject(app, db_path: Path) -> None:
    """The note editor and the status picker are kept between openings: nothing of the
    last opening (its text, its error, a pass reason asked for) may show on the next."""
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Crusoe")
        await pilot.press("a", *"Half a thought", "escape", "y")
        await go_to(pilot, "Lancium")
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        assert "Note on Lancium" in screen_text(app) and "Half a thought" not in screen_text(app)
        assert app.screen.query_one(TextArea).text == "" and app.focused is not None
        await pilot.press(*"Grid queue", "ctrl+s")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("s", "down", "down", "down", "down", "enter")  # passed: why?
        await pilot.press("enter")  # an empty reason is refused
        assert "reason is required" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("g")  # back to the top of the list
        await go_to(pilot, "Crusoe")
        await pilot.press("s")
        assert isinstance(app.screen, StatusPicker)
        text = screen_text(app)
        assert "Status of Crusoe" in text and "Why are we passing?" not in text
        assert "reason is required" not in text
        assert not app.screen.query_one("#reason", Input).display
        await pilot.press("escape")
    with on_disk(app, db_path) as stored:
        assert stored.find("Crusoe").notes == []
        assert [note.body for note in stored.find("Lancium").notes] == ["Grid queue"]
        assert stored.find("Lancium").status is Status.NEW


# s status -----------------------------------------------------------------------------------


async def test_s_sets_the_status(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Equinix")
        await pilot.press("s")
        assert isinstance(app.screen, StatusPicker)
        assert re.search(r"Status +new", screen_text(app))
        await pilot.press("down", "enter")
        assert isinstance(app.screen, MainScreen)
        assert "screening" in detail_text(app)
        await settle(pilot)  # the detail's changed line is drawn on screen, not only kept
        assert re.search(r"Status +screening", screen_text(app))
        assert not re.search(r"Status +new", screen_text(app))
    with on_disk(app, db_path) as stored:
        assert stored.find("Equinix").status is Status.SCREENING


async def test_s_passed_asks_for_a_reason_and_refuses_an_empty_one(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Vertiv")
        await pilot.press("s", "down", "down", "down", "down", "enter")
        picker = app.screen
        assert isinstance(picker, StatusPicker)
        reason = picker.query_one("#reason", Input)
        assert reason.display and app.focused is reason
        await pilot.press("enter")
        assert isinstance(app.screen, StatusPicker), "an empty reason is refused"
        assert "reason is required" in str(picker.query_one("#error", Static).render())
        app.wait_for_saves()
        with on_disk(app, db_path) as stored:
            assert stored.find("Vertiv").status is Status.NEW
        await paste(pilot, "Public company, outside our mandate")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert "passed — Public company, outside our mandate" in detail_text(app)
    with on_disk(app, db_path) as stored:
        vertiv = stored.find("Vertiv")
        assert vertiv.status is Status.PASSED
        assert vertiv.pass_reason == "Public company, outside our mandate"


# t tags -------------------------------------------------------------------------------------


async def test_t_saves_a_comma_separated_tag_list(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Fervo Energy")
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert dialog.query_one("#value", Input).value == "starter"
        await pilot.press("end")
        await paste(pilot, ", geothermal , firm power,")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert table(app).current.tags == ("starter", "geothermal", "firm power")
    with on_disk(app, db_path) as stored:
        assert stored.find("Fervo Energy").tags == ["starter", "geothermal", "firm power"]


# space marks and bulk actions ---------------------------------------------------------------


async def _mark(pilot: Pilot, *names: str) -> None:
    for name in names:
        table(pilot.app).cursor = 0
        await go_to(pilot, name)
        await pilot.press("space")


async def test_space_marks_and_s_sets_the_status_of_every_marked_row(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _mark(pilot, "Crusoe", "Lancium", "Oklo")
        assert table(app).marks and "3 marked" in view_title(app)
        await pilot.press("space")
        assert "2 marked" in view_title(app), "space again unmarks"
        await pilot.press("space")
        await pilot.press("s")
        assert "Status of 3 marked companies" in screen_text(app)
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, MainScreen)
        assert not table(app).marks and "marked" not in view_title(app)
    with on_disk(app, db_path) as stored:
        statuses = {row.name: row.status for row in stored.rows(layer="power")}
    marked = {"Crusoe", "Lancium", "Oklo"}
    assert {name for name, status in statuses.items() if status is Status.DILIGENCE} == marked
    assert {status for name, status in statuses.items() if name not in marked} == {Status.NEW}


async def test_space_marks_and_t_tags_every_marked_row(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _mark(pilot, "Equinix", "Vertiv")
        await pilot.press("t")
        assert "Tag 2 marked companies" in screen_text(app)
        await type_text(pilot, "public")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        tagged = {row.name for row in stored.rows(tag="public")}
    assert tagged == {"Equinix", "Vertiv"}


async def test_bulk_delete_and_u_brings_every_company_back(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _mark(pilot, "Crusoe", "Oklo", "Vertiv")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete 3 marked companies?" in screen_text(app)
        await pilot.press("y")
        assert shown(app) == ["Digital Realty", "Equinix", "Fervo Energy", "Lancium", "LiquidStack"]
        await settle(pilot)
        left = set(POWER) - {"Crusoe", "Oklo", "Vertiv"}
        assert names_on_disk(app, db_path, layer="power") == left

        await pilot.press("u")
        assert shown(app) == POWER
        assert "Undone: Deleted 3 companies" in told(app)
        assert names_on_disk(app, db_path, layer="power") == set(POWER)


# d delete, u undo ---------------------------------------------------------------------------


async def test_d_deletes_only_after_confirmation(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "LiquidStack")
        await pilot.press("d")
        assert "Delete LiquidStack?" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen) and "LiquidStack" in shown(app)
        assert "LiquidStack" in names_on_disk(app, db_path)
        await pilot.press("d", "y")
        assert "LiquidStack" not in shown(app)
        assert any("Deleted LiquidStack" in message for message in told(app))
    assert "LiquidStack" not in names_on_disk(app, db_path)


async def test_the_dimmed_screen_behind_a_dialog_shows_what_changes_beneath_it(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert "Delete Crusoe?" in screen_text(app)
        assert "Power & Facilities · 8" in screen_text(app)
        main(app).query_one("#view-title", Static).update(Text("Changed beneath the dialog"))
        await settle(pilot)
        assert "Changed beneath the dialog" in screen_text(app)
        assert "Power & Facilities · 8" not in screen_text(app)
        assert "Delete Crusoe?" in screen_text(app)


async def test_u_undoes_the_last_change_and_says_what(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        assert "Nothing to undo" in told(app)
        await go_to(pilot, "Oklo")
        await pilot.press("t", "end", *", nuclear", "enter")
        await pilot.press("s", "down", "enter")
        await settle(pilot)
        with on_disk(app, db_path) as stored:
            oklo = stored.find("Oklo")
            assert (oklo.status, oklo.tags) == (Status.SCREENING, ["starter", "nuclear"])
        await pilot.press("u")
        assert "Undone: Set status screening: Oklo" in told(app)
        with on_disk(app, db_path) as stored:
            oklo = stored.find("Oklo")
            assert (oklo.status, oklo.tags) == (Status.NEW, ["starter", "nuclear"])
        await pilot.press("u")
        assert table(app).current.tags == ("starter",)
    with on_disk(app, db_path) as stored:
        assert stored.find("Oklo").tags == ["starter"]


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
        assert "8 companies: 7 new · 1 screening" in text
        assert "8 companies: 8 new" in text
        for name in ("Groq", "Crusoe", "Hugging Face", "Weights & Biases"):
            assert f" {name} " in text, f"{name} has a chip"
        assert "Not scored 39" in text
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


# ctrl+p palette -----------------------------------------------------------------------------


async def test_ctrl_p_lists_every_action_and_runs_layer_add(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        results = palette.query_one(CommandList)
        await wait_until(pilot, lambda: results.option_count > 0, "the palette to list commands")
        titles = {
            str(results.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(results.option_count)
        }
        assert {
            "company: Add",
            "company: Add note",
            "company: Set status",
            "edit: Undo",
            "view: Stack map",
            "layer: Add",
            "layer: Rename",
            "layer: Move up",
            "layer: Move down",
            "layer: Delete",
        } <= titles
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)

        await run_command(pilot, "layer: Add")
        assert isinstance(app.screen, PromptDialog)
        await type_text(pilot, "Cooling")
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        assert view_title(app).startswith("Cooling · 0")
        assert "press n to add one" in screen_text(app)
    with on_disk(app, db_path) as stored:
        assert [layer.name for layer in stored.layers()][-1] == "Cooling"


async def test_palette_renames_and_reorders_layers(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "layer: Rename")
        await clear_input(pilot)
        await paste(pilot, "Energy & Sites")
        await pilot.press("enter")
        assert view_title(app).startswith("Energy & Sites · 8")
        with on_disk(app, db_path) as stored:
            assert stored.layer("power").name == "Energy & Sites"

        await run_command(pilot, "layer: Move down")
        with on_disk(app, db_path) as stored:
            assert [layer.id for layer in stored.layers()][:3] == ["compute", "power", "network"]
        assert main(app).query_one(LayerList).highlighted == 1, "the moved layer stays selected"
        await run_command(pilot, "layer: Move up")
        await run_command(pilot, "layer: Move up")
    with on_disk(app, db_path) as stored:
        assert [layer.id for layer in stored.layers()] == [
            "power",
            "compute",
            "network",
            "data",
            "orchestration",
        ]


async def test_palette_refuses_to_delete_a_layer_with_companies(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "layer: Delete")
        assert isinstance(app.screen, MainScreen), "no confirmation is offered"
        assert any("still has 8 companies" in message for message in told(app, "warning"))
        assert "power" in {layer.id for layer in app.workbench.layers()}

        await run_command(pilot, "layer: Add")
        await pilot.press(*"Scratch", "enter")
        await run_command(pilot, "layer: Delete")
        assert "Delete the empty layer Scratch?" in screen_text(app)
        await pilot.press("y")
        assert view_title(app).startswith("Power & Facilities")
    with on_disk(app, db_path) as stored:
        assert [layer.id for layer in stored.layers()] == [
            "power",
            "compute",
            "network",
            "data",
            "orchestration",
        ]


# q quit -------------------------------------------------------------------------------------


async def test_q_quits_with_everything_saved(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"Quitter", "q")
        assert app.is_running and isinstance(app.screen, PromptDialog), "q in a dialog is typed"
        assert app.screen.query_one("#value", Input).value == "Quitterq"
        await pilot.press("enter")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert "Quitterq" in names_on_disk(app, db_path)


# Hostile text -------------------------------------------------------------------------------


async def test_markup_in_a_name_is_shown_literally_and_clicking_it_does_nothing(
    app, bench: Workbench
) -> None:
    bench.add_company(HOSTILE, layer="power", one_liner="[red]not red[/red]")
    async with app.run_test(size=SIZE) as pilot:
        assert HOSTILE in shown(app)
        index = shown(app).index(HOSTILE)
        text = screen_text(app)
        # The whole name fits the name column: it is shown exactly as typed, markup and all.
        assert f"  {HOSTILE}" in text and f"{HOSTILE}[" not in text, (
            "the table shows the name as typed"
        )
        assert await pilot.click(CompanyTable, offset=(4, index))
        await pilot.pause()
        assert app.is_running and current(app) == HOSTILE
        text = screen_text(app)
        assert f"│ {HOSTILE}" in text, "the detail shows the name as typed"
        assert "[red]not red[/red]" in text
        assert await pilot.click(CompanyDetail, offset=(3, 0))
        await pilot.click(CompanyDetail, offset=(3, 0), times=2)
        await pilot.pause()
        assert app.is_running
        await pilot.press("d")
        assert f"Delete {HOSTILE}?" in screen_text(app)
        await pilot.press("n")
        assert app.is_running


# Read-only session --------------------------------------------------------------------------


async def test_a_second_session_is_read_only_and_refuses_edits_politely(
    bench, db_path: Path
) -> None:
    # ``bench`` holds the writer lock; a second open in this process gets none.
    second = Workbench.open(db_path)
    try:
        assert second.read_only
        app = recording(make_app(second))
        before = file_state(db_path)
        async with app.run_test(size=SIZE) as pilot:
            notice = main(app).query_one("#notice", Static)
            assert notice.display and notice.has_class("-visible")
            assert "Read-only" in str(notice.render())
            assert "read-only" in app.sub_title
            await pilot.press("n", "a", "d", "e", "s", "t", "u")
            assert isinstance(app.screen, MainScreen), "no dialog opens"
            assert shown(app) == POWER
            warnings = told(app, "warning")
            assert len(warnings) == 7, "each refused key says why, politely"
            assert all(message.startswith("Read-only session:") for message in warnings)
            assert "Read-only:" in screen_text(app)
            await pilot.press("q")
        assert file_state(db_path) == before
    finally:
        second.close()


# Write failures -----------------------------------------------------------------------------


async def test_a_failed_write_is_reported_and_the_next_change_saves(
    app, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, chunks: Any) -> None:
        raise OSError(28, "No space left on device")

    async with app.run_test(size=SIZE) as pilot:
        with monkeypatch.context() as patch:
            patch.setattr(storage, "write_atomic", disk_full)
            await pilot.press("n", *"Lost Co", "enter")
            await settle(pilot)
            assert app.save_state == "failed"
            assert "NOT SAVED" in app.sub_title
            assert any("No space left on device" in message for message in told(app, "error"))
            assert "Lost Co" not in names_on_disk(app, db_path)
        await pilot.press("n", *"Found Co", "enter")
        await settle(pilot)
        assert app.save_state == "saved"
        assert "NOT SAVED" not in app.sub_title
        assert {"Lost Co", "Found Co"} <= names_on_disk(app, db_path)


async def test_a_vanished_folder_is_reported_as_not_saved(app, db_path: Path) -> None:
    folder, moved = db_path.parent, db_path.parent.with_name("moved-away")
    async with app.run_test(size=SIZE) as pilot:
        folder.rename(moved)
        try:
            await pilot.press("n", *"Lost Co", "enter")
            await settle(pilot)
            assert app.save_state == "failed" and "NOT SAVED" in app.sub_title
            assert any("not saved" in message for message in told(app, "error"))
        finally:
            moved.rename(folder)
        await pilot.press("u")
        await settle(pilot)
        assert app.save_state == "saved"
    assert "Lost Co" not in names_on_disk(app, db_path)


# Keymap and theme ---------------------------------------------------------------------------


def _write_config(data: dict[str, Any]) -> Path:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "moatscope"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.json"
    path.write_bytes(orjson.dumps(data))
    return path


async def test_a_keymap_in_the_config_file_remaps_delete(bench: Workbench, db_path: Path) -> None:
    _write_config({"keymap": {"company.delete": "x"}})
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, MainScreen), "d is no longer delete"
        await pilot.press("question_mark")
        assert re.search(r"\bx +Delete the company", help_text(app)), "help shows the new key"
        assert not re.search(r"\bd +Delete the company", help_text(app))
        await pilot.press("escape")
        assert " x Delete " in footer_text(app) and " d Delete " not in footer_text(app)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        assert "Crusoe" not in shown(app)
    assert "Crusoe" not in names_on_disk(app, db_path)


async def test_a_theme_switch_persists_in_the_config_file(bench: Workbench) -> None:
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "moatscope" / "config.json"
    assert orjson.loads(config.read_bytes())["theme"] == "nord"
    again = make_app(bench)
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == "nord"
