"""The / filter, driven with Pilot: fuzzy narrowing, esc restoring the list, the detail
following once the box is left, and long lists whose scrollbar, first screenful and
read-ahead keep in step with the letters typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.widgets import Input

from store.service import Workbench
from tests.tui.conftest import (
    SIZE,
    company_id,
    current,
    detail_text,
    file_state,
    main,
    paste,
    screen_text,
    settle,
    shown,
    table,
    type_text,
    view_title,
)
from tui.screens.main import MainScreen
from tui.search import SearchIndex
from tui.widgets.company_table import CompanyTable

# Helpers ----------------------------------------------------------------------------------


def has_thumb(app: Any) -> bool:
    """Whether the list's scrollbar shows a thumb (Textual draws it reversed)."""
    bar = table(app).vertical_scrollbar
    lines = bar.render_lines(Region(0, 0, *bar.size))
    return any(cell.style is not None and cell.style.reverse for line in lines for cell in line)


# / filter -----------------------------------------------------------------------------------


async def test_filter_narrows_fuzzy_finds_and_esc_restores(
    app, bench: Workbench, db_path: Path
) -> None:
    bench.add_note(company_id(bench, "Etched"), "Founders mentioned a zanzibar benchmark.")
    before = file_state(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        everything = shown(app)
        assert len(everything) == 12
        await pilot.press("slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        counts = []
        for key in "cere":
            await pilot.press(key)
            counts.append(len(shown(app)))
        assert counts == sorted(counts, reverse=True) and counts[0] > 1, counts
        assert shown(app) == ["Cerebras"]
        assert "filter: cere" in view_title(app) and "1 of 12" in view_title(app)

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
