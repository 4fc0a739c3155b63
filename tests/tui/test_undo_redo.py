"""U redoes what u undid; u asks once before undoing a change made before this session."""

from __future__ import annotations

from store.models import Status
from store.service import Workbench
from tests.tui.conftest import SIZE, go_to, screen_text, settle, table, told
from tui.screens.dialogs import ConfirmDialog
from tui.screens.main import MainScreen


async def test_U_redoes_the_change_u_undid(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        await pilot.press("s", "home", "down", "enter")
        await settle(pilot)
        assert table(app).current.status is Status.SCREENING
        await pilot.press("u")
        await settle(pilot)
        assert table(app).current.status is Status.REFERENCE
        await pilot.press("U")
        await settle(pilot)
        assert "Redone: Set status screening: Oklo" in told(app)
        assert table(app).current.status is Status.SCREENING
        await pilot.press("U")
        assert "Nothing to redo" in told(app)


async def test_u_asks_once_before_undoing_an_earlier_sessions_change(app, bench: Workbench) -> None:
    oklo, groq = bench.find("Oklo").id, bench.find("Groq").id
    bench.set_status([groq], Status.WATCHING)
    bench.set_status([oklo], Status.SCREENING)
    bench.session = "this session"  # the two changes above were made by an earlier one
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == (
            "Undo “Set status screening: Oklo”? It was made 2026-11-20 09:30 UTC, "
            "in an earlier session or from the command line."
        )
        assert "Undo “Set status screening: Oklo”? It was made" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert bench.find("Oklo").status is Status.SCREENING, "kept"
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog), "asked again: the user said no"
        await pilot.press("y")
        await settle(pilot)
        assert bench.find("Oklo").status is Status.REFERENCE
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen), "asked once a session"
        assert bench.find("Groq").status is Status.REFERENCE
        assert "Undone: Set status watching: Groq" in told(app)


async def test_the_inbox_u_asks_too(app, bench: Workbench) -> None:
    bench.add_company("Kestrel", layer=None)
    bench.session = "this session"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert "Kestrel" not in {row.name for row in bench.rows()}
        assert "Undone: Added Kestrel" in told(app)
