"""The chokepoints view's roll-up, drawn as lines: the keys and the mouse move and pick as in
any list, a change redrawn in place shows the new counts with the cursor where it was, and
a long roll-up scrolls to the cursor."""

from __future__ import annotations

from store.service import Workbench
from tests.tui.conftest import run_command, screen_text, settle, told
from tui.screens.chokepoints_view import ChokepointsScreen
from tui.widgets.roll_up import RollUpList


def roll_up(app) -> RollUpList:
    return app.screen.query_one("#chokepoints", RollUpList)


def cursor(app) -> str:
    """The id of the chokepoint under the cursor."""
    picks = roll_up(app)
    assert picks.highlighted is not None
    return picks.ids[picks.highlighted]


async def open_view(pilot) -> None:
    await run_command(pilot, "view: Chokepoints")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ChokepointsScreen)


async def test_the_keys_move_the_cursor_and_enter_lists_its_companies(
    app, bench: Workbench, five: dict[str, str]
) -> None:
    bench.set_chokepoints(five["Arclight Optics"], ["optics", "foundry"])
    bench.set_chokepoints(five["Cinder Compute"], ["foundry"])
    async with app.run_test(size=(160, 48)) as pilot:
        await open_view(pilot)
        assert cursor(app) == "foundry"
        await pilot.press("j")
        assert cursor(app) == "optics"
        await pilot.press("down", "k", "up")
        assert cursor(app) == "foundry"
        await pilot.press("down", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Depend on Optical transceivers and DSPs · 1" in text
        assert "Arclight Optics" in text and "Cinder Compute" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert "Chokepoints · 10, 2 with companies depending on them" in screen_text(app)
        assert cursor(app) == "optics"  # where it was
        await pilot.press("end")
        last = roll_up(app).ids[-1]
        assert cursor(app) == last
        await pilot.press("enter")
        await pilot.pause()
        name = bench.chokepoint(last).name
        assert f"No company in the pipeline depends on {name}." in told(app)
        await pilot.press("home")
        assert cursor(app) == "foundry"
        await pilot.press("pagedown")
        assert cursor(app) == last  # the whole roll-up fits: a page goes to the end
        await pilot.press("pageup")
        assert cursor(app) == "foundry"


async def test_a_change_redrawn_in_place_shows_the_new_counts_with_the_cursor_kept(
    app, bench: Workbench, five: dict[str, str]
) -> None:
    bench.set_chokepoints(five["Arclight Optics"], ["optics", "foundry"])
    bench.set_chokepoints(five["Cinder Compute"], ["foundry"])
    async with app.run_test(size=(160, 48)) as pilot:
        await open_view(pilot)
        await pilot.press("j")
        assert cursor(app) == "optics"
        bench.set_chokepoints(five["Basalt Storage"], ["optics"])
        bench.set_status([five["Basalt Storage"]], "diligence")
        app.screen.roll_up()
        await settle(pilot)
        text = screen_text(app)
        assert "   2  Optical transceivers and DSPs · Networking & Interconnect" in text
        assert "by status: new 1, diligence 1" in text
        assert "   2  Leading-edge foundry capacity · Compute" in text
        assert cursor(app) == "optics"
        bench.set_chokepoints(five["Cinder Compute"], [])  # the order changes: optics first
        app.screen.roll_up()
        await settle(pilot)
        assert roll_up(app).ids[:2] == ["optics", "foundry"]
        assert "   1  Leading-edge foundry capacity · Compute" in screen_text(app)
        assert cursor(app) == "optics"  # on the same chokepoint, now the first


async def test_a_click_picks_a_chokepoint(app, bench: Workbench, five: dict[str, str]) -> None:
    bench.set_chokepoints(five["Arclight Optics"], ["optics", "foundry"])
    bench.set_chokepoints(five["Cinder Compute"], ["foundry"])
    async with app.run_test(size=(160, 48)) as pilot:
        await open_view(pilot)
        # The border's line, then the foundry's three lines: the optics' first line.
        await pilot.click("#chokepoints", offset=(10, 4))
        await pilot.pause()
        assert "Depend on Optical transceivers and DSPs · 1" in screen_text(app)


async def test_a_long_roll_up_scrolls_to_the_cursor(
    app, bench: Workbench, five: dict[str, str]
) -> None:
    every = [point.id for point in bench.chokepoints()]
    bench.set_chokepoints(five["Arclight Optics"], every)  # three lines each: 30 lines
    async with app.run_test(size=(80, 24)) as pilot:
        await open_view(pilot)
        last = bench.chokepoint(roll_up(app).ids[-1]).name
        assert last not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        at = next(i for i, line in enumerate(lines) if f"1  {last}" in line)
        assert "by status: new 1" in lines[at + 1]
        assert "by verdict: not scored 1" in lines[at + 2]  # the entry shown whole
        await pilot.press("home")
        await pilot.pause()
        assert last not in screen_text(app)
