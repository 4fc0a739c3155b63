"""The main screen at 80×24 and 120×30, driven with Pilot: the company table keeps its
width and the names, the layers become a strip, `z` zooms the focused pane, the footer
keeps `q` and `?`; and the columns that give way to the name, by width."""

from __future__ import annotations

from textual.widgets import Static

from store.service import Workbench
from tests.tui.conftest import SIZE, footer_text, main, quiet, screen_text, table, view_title
from tui.widgets.columns import NAME_MIN, columns, header_text
from tui.widgets.detail import CompanyDetail
from tui.widgets.layer_list import LayerList, LayerStrip

SMALL = (80, 24)
MEDIUM = (120, 30)


def test_the_name_column_is_served_first_and_tags_updated_status_give_way() -> None:
    assert [name for name, _ in columns(77)] == [
        "name", "status", "score", "verdict", "tags", "updated",
    ]  # fmt: skip
    assert [name for name, _ in columns(60)] == ["name", "status", "score", "verdict"]
    assert [name for name, _ in columns(40)] == ["name", "score", "verdict"]
    for width in range(40, 200):
        shown = dict(columns(width))
        assert shown["name"] >= NAME_MIN, width
        assert sum(shown.values()) + 2 == width, "the columns fill the row, no more"
    assert dict(columns(32)) == {"name": 12, "score": 6, "verdict": 12}, "the verdict stays"
    assert dict(columns(77))["name"] == 27 and dict(columns(77))["tags"] == 8  # as at 160×48


def test_the_header_names_only_the_columns_shown() -> None:
    assert header_text(77).split() == ["Name", "Status", "Score", "Verdict", "Tags", "Updated"]
    assert header_text(60).split() == ["Name", "Status", "Score", "Verdict"]


async def test_at_80x24_the_table_has_room_and_the_layers_are_a_strip(app) -> None:
    async with app.run_test(size=SMALL):
        companies = table(app)
        assert companies.size.width >= 70, "the list spans the screen, less its border"
        assert not main(app).query_one(LayerList).display
        text = screen_text(app)
        assert "Digital Realty" in text and "LiquidStack" in text, "names whole"
        strip = text.splitlines()[1]
        assert strip.startswith("  All layers │ Power & Facilities │ Compute │"), strip
        header = str(main(app).query_one("#table-header", Static).render())
        assert header.split()[:4] == ["Name", "Status", "Score", "Verdict"]
        detail = main(app).query_one(CompanyDetail)
        assert detail.display and detail.region.y > companies.region.y, "the detail is below"
        assert "Crusoe" in detail.text


async def test_the_strip_follows_the_layer_and_shows_it_whole(app) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(*["right_square_bracket"] * 4)
        strip = screen_text(app).splitlines()[1]
        assert "Orchestration & Inference" in strip, strip
        assert strip.lstrip().startswith("…"), "the layers before it are cut, and say so"
        assert main(app).query_one(LayerStrip).display


async def test_z_zooms_the_focused_pane_and_z_again_restores(app) -> None:
    async with app.run_test(size=SMALL) as pilot:
        rows_before = table(app).size.height
        await pilot.press("z")
        assert not main(app).query_one(CompanyDetail).display
        assert not main(app).query_one(LayerStrip).display
        assert table(app).size.height > rows_before + 5, "the list takes the screen"
        await pilot.press("z")
        assert main(app).query_one(CompanyDetail).display
        assert table(app).size.height == rows_before
        await pilot.press("tab", "z")  # the detail has the focus: it takes the screen
        detail = main(app).query_one(CompanyDetail)
        center = main(app).query_one("#center")
        assert app.focused is detail and not center.display
        assert detail.size.height > 15 and "Builds AI data centers" in screen_text(app)
        await pilot.press("z")
        assert center.display and detail.display


async def test_the_footer_keeps_quit_and_help_when_it_is_narrow(app) -> None:
    async with app.run_test(size=SMALL) as pilot:
        footer = footer_text(app)
        assert " q Quit " in footer and " ? Help " in footer, footer
        assert " / Filter " in footer and footer.rstrip().endswith("▏^p")
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        footer = footer_text(app)
        assert " q Quit " in footer and " ? Help " in footer, footer
        assert " t Tags " not in footer, "the last keys give way first"


async def test_at_120x30_the_panes_are_narrower_and_the_names_whole(app, bench: Workbench) -> None:
    async with app.run_test(size=MEDIUM):
        assert main(app).query_one(LayerList).display
        assert not main(app).query_one(LayerStrip).display
        assert dict(columns(table(app).scrollable_content_region.width))["name"] >= NAME_MIN
        text = screen_text(app)
        assert "Digital Realty" in text and "Networking & Interconnect" in text
        assert " q Quit " in footer_text(app)


async def test_growing_the_terminal_restores_the_wide_layout(app) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert main(app).query_one(LayerList).display
        assert not main(app).query_one(LayerStrip).display
        assert main(app).query_one(LayerList).outer_size.width == 34
        assert main(app).query_one(CompanyDetail).outer_size.width == 46


async def test_the_count_is_of_the_layer_shown_after_the_terminal_opens(
    app, bench: Workbench
) -> None:
    bench.add_company("Zeta Compute", bench.find("Cerebras").layer)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("right_square_bracket")
        await quiet(pilot)
        assert view_title(app).startswith("Compute · 9 ·"), view_title(app)


async def test_a_wide_letter_name_cut_short_ends_with_an_ellipsis_in_its_column(
    app, bench: Workbench
) -> None:
    bench.add_company(
        "株式会社プリファードネットワークス Preferred Networks", bench.find("Groq").layer
    )
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("right_square_bracket")
        await quiet(pilot)
        lines = screen_text(app).splitlines()
        line = next(line for line in lines if "株式会社" in line)
        assert "プリファードネッ… " in line, line
        header = next(line for line in lines if "Status" in line)
        # (screen_text places each run of text at its cell: the columns after line up)
        assert line.index(" new ") == header.index(" Status "), "the status column lines up"
