"""The triage inbox, driven with Pilot and checked against the store.

Five names come in through a CSV import; ``i`` opens the inbox; one key per
decision moves each name on; ``u`` brings the last one back; revisit dates that
fall due put a company back; the session summary shows on quit; ``N`` lists
what is new since the last session.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Header, Input, OptionList

from store.models import Status
from store.service import Workbench
from store.state import swap_last_opened
from tests.tui.conftest import (
    FIVE,
    SIZE,
    at,
    highlighted,
    inbox,
    listed,
    on_disk,
    screen_text,
    told,
    type_text,
)
from tui.screens.dialogs import kept_name
from tui.screens.inbox import InboxScreen
from tui.screens.main import MainScreen
from tui.screens.summary import SessionSummary
from tui.screens.triage_dialogs import PassReasonDialog, RevisitDialog
from tui.widgets.company_table import CompanyTable

pytestmark = pytest.mark.seeded_early


def why(app: Any) -> dict[str, str]:
    return dict(inbox(app).query_one(CompanyTable).reasons)


def header_title(app: Any) -> str:
    """The title as the header on screen shows it."""
    return str(app.screen.query_one(Header).screen_title)


async def pass_with(pilot: Pilot, reason: str) -> None:
    await pilot.press("p")
    assert isinstance(pilot.app.screen, PassReasonDialog)
    await type_text(pilot, reason)
    await pilot.press("enter")


# One key per decision ---------------------------------------------------------------------


async def test_five_imported_names_triaged_with_one_key_each(
    app, five: dict[str, str], db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, MainScreen), "the app opens on the stack, not the inbox"
        assert app.title == "moatscope · Inbox 5"
        await pilot.press("i")
        assert listed(app) == FIVE
        assert why(app)[five["Driftwood"]] == "new, no layer"
        assert why(app)[five["Arclight Optics"]] == "new"
        assert "Inbox · 5" in screen_text(app)
        assert header_title(app) == "moatscope · Inbox 5"

        assert highlighted(app) == "Arclight Optics"
        await pilot.press("s")
        assert highlighted(app) == "Basalt Storage", "a decision moves straight to the next name"
        assert app.title == "moatscope · Inbox 4"
        await pilot.press("w")
        assert highlighted(app) == "Cinder Compute"
        await pass_with(pilot, "Crowded market")
        assert isinstance(app.screen, InboxScreen)
        assert highlighted(app) == "Driftwood"
        await pilot.press("4")
        assert highlighted(app) == "Driftwood", "a layer is not a decision: the name stays"
        assert why(app)[five["Driftwood"]] == "new"
        await pilot.press("s")
        assert highlighted(app) == "Ember Grid"
        await pilot.press("r")
        assert isinstance(app.screen, RevisitDialog)
        await pilot.press("1")
        assert isinstance(app.screen, InboxScreen)
        assert listed(app) == [], "a revisit date still to come snoozes a new name"
        assert "Inbox zero" in screen_text(app)
        assert "Ember Grid" in screen_text(app), "inbox zero lists what is coming up"
        assert header_title(app) == "moatscope · Inbox 0"

    with on_disk(app, db_path) as stored:

        def company(name: str):
            return stored.company(five[name])

        assert company("Arclight Optics").status is Status.SCREENING
        assert company("Basalt Storage").status is Status.WATCHING
        cinder = company("Cinder Compute")
        assert (cinder.status, cinder.pass_reason) == (Status.PASSED, "Crowded market")
        driftwood = company("Driftwood")
        assert (driftwood.status, driftwood.layer) == (Status.SCREENING, "data")
        ember = company("Ember Grid")
        assert (ember.status, ember.revisit) == (Status.NEW, date(2026, 11, 27))
        assert [name for name in FIVE if company(name).pass_reason] == ["Cinder Compute"]
        basalt_log = company("Basalt Storage").status_log
        assert [change.after for change in basalt_log] == [Status.WATCHING]


async def test_u_undoes_the_last_decision_and_returns_to_that_company(
    app, five: dict[str, str], db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "s", "w")
        assert highlighted(app) == "Cinder Compute"
        assert app.title == "moatscope · Inbox 3"
        await pilot.press("u")
        assert highlighted(app) == "Basalt Storage", "the cursor is back on the undone company"
        assert listed(app) == FIVE[1:]
        assert app.title == "moatscope · Inbox 4"
        assert any(message.startswith("Undone: Set status watching") for message in told(app))
        with on_disk(app, db_path) as stored:
            assert stored.company(five["Basalt Storage"]).status is Status.NEW
            assert stored.company(five["Arclight Optics"]).status is Status.SCREENING
        await pilot.press("u")
        assert highlighted(app) == "Arclight Optics"
        assert listed(app) == FIVE
    with on_disk(app, db_path) as stored:
        assert {stored.company(cid).status for cid in five.values()} == {Status.NEW}
        assert stored.company(five["Basalt Storage"]).status_log == []


async def test_a_revisit_date_in_the_past_brings_a_company_back(
    app, bench: Workbench, five: dict[str, str]
) -> None:
    basalt, ember = five["Basalt Storage"], five["Ember Grid"]
    bench.set_status([basalt, ember, five["Arclight Optics"]], Status.WATCHING)
    bench.set_revisit([basalt], date(2026, 11, 10))
    bench.set_revisit([ember], date(2026, 12, 1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert listed(app) == ["Basalt Storage", "Cinder Compute", "Driftwood"]
        assert why(app)[basalt] == "revisit due"
        assert "overdue 10 days" in screen_text(app)
        assert "Ember Grid" not in listed(app), "a revisit that is not due yet stays out"
        await pilot.press("w")
        assert "Basalt Storage" not in listed(app), "deciding again is the revisit"
    assert bench.company(basalt).revisit is None


async def test_starter_companies_never_fill_the_inbox(app, bench: Workbench) -> None:
    starters = {row.name for row in bench.rows() if row.source == "starter"}
    assert len(starters) > 30 and all(row.status is Status.REFERENCE for row in bench.rows())
    async with app.run_test(size=SIZE) as pilot:
        assert app.title == "moatscope · Inbox 0"
        await pilot.press("i")
        assert listed(app) == []
        text = screen_text(app)
        assert "Inbox zero." in text
        assert "No revisits are scheduled." in text
        await pilot.press("escape", "n", *"Kestrel", "enter")
        assert app.title == "moatscope · Inbox 1", "a name typed in is triage work"
        await pilot.press("i")
        assert listed(app) == ["Kestrel"]
        assert not set(listed(app)) & starters


# The pass prompt --------------------------------------------------------------------------


async def test_the_pass_prompt_is_built_ahead_and_opens_for_the_right_company(
    app, five: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen), "built ahead, never shown"
        assert app.is_screen_installed(kept_name(PassReasonDialog))
        await pilot.press("p")
        assert "Pass on Arclight Optics: why?" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, InboxScreen) and highlighted(app) == "Arclight Optics"


async def test_a_prompt_opened_while_it_is_still_being_built_shows_its_subject(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.prepare_dialog(PassReasonDialog, "", [], lambda _: None)
        app.open_dialog(PassReasonDialog, "Arclight Optics", ["Too early"], lambda _: None)
        await pilot.pause()
        assert isinstance(app.screen, PassReasonDialog)
        text = screen_text(app)
        assert "Pass on Arclight Optics: why?" in text and "1  Too early" in text


async def test_the_pass_prompt_offers_recent_reasons_and_1_picks_the_most_recent(
    app, bench: Workbench, five: dict[str, str], db_path: Path
) -> None:
    with at(datetime(2026, 11, 15, 10, 0, tzinfo=UTC)):
        bench.set_status([bench.find("Vertiv").id], Status.PASSED, "Public company")
    with at(datetime(2026, 11, 18, 10, 0, tzinfo=UTC)):
        bench.set_status([bench.find("Oklo").id], Status.PASSED, "Too early for us")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "p")
        dialog = app.screen
        assert isinstance(dialog, PassReasonDialog)
        assert isinstance(app.focused, OptionList)
        text = screen_text(app)
        assert "Pass on Arclight Optics: why?" in text
        assert text.index("1  Too early for us") < text.index("2  Public company")
        await pilot.press("1")
        assert isinstance(app.screen, InboxScreen)
        assert highlighted(app) == "Basalt Storage"

        # A letter on the list starts a new reason instead.
        await pilot.press("p", *"Tiny")
        assert app.screen.query_one("#reason", Input).value == "Tiny"
        await pilot.press("enter")
        await pilot.press("p")
        text = screen_text(app)
        assert text.index("1  Tiny") < text.index("2  Too early for us")
        assert "3  Public company" in text
        await pilot.press("escape")
        assert highlighted(app) == "Cinder Compute", "esc on the prompt decides nothing"
    with on_disk(app, db_path) as stored:
        assert stored.company(five["Arclight Optics"]).pass_reason == "Too early for us"
        assert stored.company(five["Basalt Storage"]).pass_reason == "Tiny"
        assert stored.company(five["Cinder Compute"]).status is Status.NEW


# Quitting ---------------------------------------------------------------------------------


async def test_quitting_after_decisions_shows_the_session_summary(
    app, five: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "s", "w")
        await pass_with(pilot, "No moat")
        await pilot.press("4", "s", "q")
        summary = app.screen
        assert isinstance(summary, SessionSummary)
        text = screen_text(app)
        assert "This session: 2 advanced, 1 watched, 1 passed, 0 scored" in text
        assert "No moat" in text
        await pilot.press("escape")
        assert app.is_running and isinstance(app.screen, InboxScreen), "esc stays"
        assert highlighted(app) == "Ember Grid"
        await pilot.press("q")
        assert isinstance(app.screen, SessionSummary)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running, "q on the summary quits"


async def test_quitting_without_decisions_quits_at_once(app, five: dict[str, str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "j", "escape", "q")
        await pilot.pause()
        assert not app.is_running


# N: new since the last session ------------------------------------------------------------


async def test_N_lists_the_companies_added_since_the_last_session(
    app, bench: Workbench, five: dict[str, str]
) -> None:
    with at(datetime(2026, 11, 13, 18, 0, tzinfo=UTC)):
        swap_last_opened(str(bench.database.path))
    with at(datetime(2026, 11, 16, 12, 0, tzinfo=UTC)):
        bench.add_note(bench.find("Oklo").id, "Met the team.")
    async with app.run_test(size=SIZE) as pilot:
        assert app.previous_session == "2026-11-13T18:00:00Z"
        await pilot.press("N")
        screen = inbox(app)
        assert screen.heading == "New since 2026-11-13 18:00"
        assert "New since 2026-11-13 18:00 · 6" in screen_text(app)
        assert set(listed(app)) == {*FIVE, "Oklo"}
        assert {why(app)[cid] for cid in five.values()} == {"added"}
        assert why(app)[bench.find("Oklo").id] == "changed"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_N_on_the_first_session_says_everything_is_new(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert app.previous_session is None
        await pilot.press("N")
        assert isinstance(app.screen, MainScreen)
        assert "This is the first session on this database: everything is new." in told(app)
