"""N counts from the end of the previous session, so what that session did is not new."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from store.service import Workbench
from store.state import record_closed, swap_last_opened
from tests.tui.conftest import SIZE, at, screen_text
from tui.__main__ import make_app
from tui.screens.inbox import InboxScreen

pytestmark = pytest.mark.seeded_early


def moment(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


async def test_N_leaves_out_what_the_previous_session_did(bench: Workbench) -> None:
    path = str(bench.database.path)
    with at(moment(13, 9)):
        swap_last_opened(path)
    with at(moment(13, 12)):
        bench.add_note(bench.find("Oklo").id, "Noted during the last session.")
    with at(moment(13, 18)):
        record_closed(path)
    with at(moment(15, 10)):
        bench.add_note(bench.find("Groq").id, "Noted from the command line since.")
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        assert app.previous_session == "2026-11-13T18:00:00Z"
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        text = screen_text(app)
        assert "New since 2026-11-13 18:00 · 1" in text
        assert "Groq" in text and "Oklo" not in text


async def test_a_session_that_was_killed_counts_from_its_start(bench: Workbench) -> None:
    path = str(bench.database.path)
    with at(moment(12, 9)):
        swap_last_opened(path)
    with at(moment(12, 17)):
        record_closed(path)
    with at(moment(13, 9)):
        swap_last_opened(path)  # this session never closed: killed, or the power went
    app = make_app(bench)
    async with app.run_test(size=SIZE):
        assert app.previous_session == "2026-11-13T09:00:00Z"


async def test_quitting_records_when_the_session_ended(bench: Workbench) -> None:
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    reopened = make_app(bench)
    async with reopened.run_test(size=SIZE):
        assert reopened.previous_session == "2026-11-20T09:30:00Z"  # the fixed clock's now
