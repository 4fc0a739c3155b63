"""Widgets that draw their own lines or keep the lines drawn before (the company list, the
screens' backgrounds, a dialog's dimmed backdrop): what they hand the compositor must be exactly
what Textual's way of drawing them would put on screen, before and after a change."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Region
from textual.widget import Widget

from store.service import Workbench
from tests.tui.conftest import SIZE
from tui.widgets.columns import header_text
from tui.widgets.company_table import CompanyTable


def lines(strips: list[Any]) -> list[list[Segment]]:
    return [list(strip) for strip in strips]


def textual_way(widget: Widget, crop: Region) -> list[list[Segment]]:
    widget._styles_cache.clear()
    widget._dirty_regions.add(widget.region)  # (its own render cache: made again too)
    return lines(Widget.render_lines(widget, crop))


def all_of(widget: Widget) -> Region:
    return Region(0, 0, *widget.size)


async def test_the_list_draws_what_textual_would_draw(app, bench: Workbench) -> None:
    layer = bench.layers()[0].id
    for number in range(60):
        bench.add_company(f"Longlist {number:03}", layer=layer)
    async with app.run_test(size=SIZE) as pilot:
        companies = app.screen.query_one(CompanyTable)
        await pilot.press("j", "j", "space", "j")
        await pilot.pause()
        whole, part = all_of(companies), Region(3, 2, 20, 5)
        for crop in (whole, part, whole):  # the last: rows drawn before, from the cache
            assert lines(companies.render_lines(crop)) == textual_way(companies, crop)
        drawn = lines(companies.render_lines(whole))
        assert "●" in "".join(s.text for s in drawn[2]), "the marked row is drawn marked"

        companies.blur()  # the cursor's colours change with focus: every line again
        await pilot.pause()
        assert lines(companies.render_lines(whole)) == textual_way(companies, whole)
        assert lines(companies.render_lines(whole)) != drawn
        companies.focus()  # back: the focused look's lines, kept, and still right
        await pilot.pause()
        assert lines(companies.render_lines(whole)) == drawn == textual_way(companies, whole)

        await pilot.press("slash", *"zzzq")  # nothing matches: the empty message
        await pilot.pause()
        whole = all_of(companies)  # (the filter box takes a line from the list)
        assert lines(companies.render_lines(whole)) == textual_way(companies, whole)

        companies.styles.padding = (0, 1)  # not a plain box any more: Textual draws it
        await pilot.pause()
        padded = lines(companies.render_lines(whole))
        assert padded == textual_way(companies, whole)
        assert all(line[0].text.startswith(" ") for line in padded)


async def test_the_screen_draws_its_background_as_textual_would(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        crop = all_of(screen)
        before = lines(screen.render_lines(crop))
        assert before == textual_way(screen, crop)
        part = Region(0, 3, screen.size.width, 4)
        assert lines(screen.render_lines(part)) == textual_way(screen, part)

        app.theme = "nord"  # every colour changes
        await pilot.pause()
        assert lines(screen.render_lines(crop)) == textual_way(screen, crop)
        assert lines(screen.render_lines(crop)) != before


async def test_a_dialog_draws_the_dimmed_screen_beneath_as_textual_would(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")  # a dialog over the main screen: delete Crusoe?
        dialog = app.screen
        crop = all_of(dialog)
        first = lines(dialog.render_lines(crop))
        assert first == textual_way(dialog, crop)
        assert lines(dialog.render_lines(crop)) == first, "drawn again, the same"
        part = Region(5, 2, 30, 6)
        assert lines(dialog.render_lines(part)) == textual_way(dialog, part)

        app.theme = "nord"  # the dimmed colours change with the theme
        await pilot.pause()
        again = lines(dialog.render_lines(crop))
        assert again == textual_way(dialog, crop) and again != first


async def test_wide_letters_and_emoji_keep_the_columns_in_line(app, bench: Workbench) -> None:
    """A name in CJK letters or with an emoji takes two cells a character: the columns
    after it start where the header's do, and a name too long is cut to fit."""
    layer = bench.layers()[0].id
    for name in ("株式会社エヌビディア半導体製造装置研究所", "Solar 🌞🌞 Farms", "Plain Name"):
        bench.add_company(name, layer)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(CompanyTable)
        header = header_text(table.scrollable_content_region.width)
        status_at = cell_len(header[: header.index("Status")])
        texts = {}
        for y, row in enumerate(table.rows):
            table.cursor = y
            await pilot.pause()
            line = table.render_line(y - int(table.scroll_offset.y))
            texts[row.name] = line.text
            assert line.crop(status_at, status_at + 11).text.strip() == row.status.value
    assert texts["Solar 🌞🌞 Farms"].strip().startswith("Solar 🌞🌞 Farms")
    assert "…" in texts["株式会社エヌビディア半導体製造装置研究所"]
