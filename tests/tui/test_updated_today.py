"""The Updated column gives the time of day for today's changes, the date for older ones."""

from __future__ import annotations

from datetime import UTC, datetime

from store.service import Workbench
from tests.tui.conftest import SIZE, at, go_to, screen_text
from tui.format import short_date


def test_today_is_a_time_and_an_earlier_day_a_date() -> None:
    assert short_date("2026-11-20T08:05:00Z") == "08:05 UTC"  # the fixed clock's day
    assert short_date("2026-11-19T23:59:00Z") == "2026-11-19"


async def test_the_list_shows_the_time_of_todays_change(app, bench: Workbench) -> None:
    with at(datetime(2026, 11, 12, 8, 0, tzinfo=UTC)):
        bench.add_note(bench.find("Oklo").id, "An older note.")
    bench.add_note(bench.find("Crusoe").id, "A note today.")  # the fixed clock: 09:30 UTC
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        lines = screen_text(app).splitlines()
        assert any("Oklo" in line and "2026-11-12" in line for line in lines)
        assert any("Crusoe" in line and "09:30 UTC" in line for line in lines)
