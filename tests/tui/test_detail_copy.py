"""Selecting text in the detail pane with the mouse and copying it with ctrl+c.

The pane draws its own lines; each cell must say which character of the pane's text
it shows, or a drag selects nothing (or everything around it), and Textual's copy
must find the pane's own way of giving the selected text.
"""

from __future__ import annotations

from textual.pilot import Pilot

from tests.tui.conftest import SIZE
from tui.screens.main import MainScreen
from tui.widgets.detail import CompanyDetail


async def drag(pilot: Pilot, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Press the mouse on the detail's text at ``start`` (column, line), move to ``end``
    and let go there: the characters from ``start`` to ``end``, both included, are selected."""
    detail = pilot.app.screen.query_one(CompanyDetail)
    left = detail.content_region.x - detail.region.x
    top = detail.content_region.y - detail.region.y
    await pilot.mouse_down(CompanyDetail, offset=(left + start[0], top + start[1]))
    await pilot.hover(CompanyDetail, offset=(left + end[0], top + end[1]))
    await pilot.mouse_up(CompanyDetail, offset=(left + end[0], top + end[1]))


async def test_text_dragged_over_in_the_detail_is_copied_by_ctrl_c_and_the_app_runs_on(
    app,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        lines = app.screen.query_one(CompanyDetail).text.splitlines()
        assert lines[0] == "Crusoe" and lines[6].startswith("Status   reference")
        await drag(pilot, (2, 0), (5, 6))  # from the "u" of Crusoe to the end of "Status"
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert app.clipboard == "\n".join(["usoe", *lines[1:6], "Status"])
        assert "Builds AI data centers" in app.clipboard


async def test_a_drag_over_the_checklist_behind_its_bar_copies_the_words_not_the_bar(
    app,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        lines = app.screen.query_one(CompanyDetail).text.splitlines()
        row = next(n for n, line in enumerate(lines) if line.startswith("Not scored yet"))
        # On screen the line is "█ Not scored yet…": its words start two cells in.
        await drag(pilot, (2, row), (2 + len("Not scored") - 1, row))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert app.clipboard == "Not scored"
