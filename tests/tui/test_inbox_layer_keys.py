"""The inbox's number keys: listed once in the help, and a number past the stack says so."""

from __future__ import annotations

import pytest

from tests.tui.conftest import SIZE, highlighted, screen_text, told
from tui.screens.help import HelpScreen

pytestmark = pytest.mark.seeded_early


async def test_the_help_lists_the_layer_keys_once(app, five: dict[str, str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert text.count("Put it in that layer of the stack") == 1
        assert "1-9" in text
        assert "Put it in layer 2" not in text and "Layer 2" not in text


async def test_a_number_past_the_last_layer_says_there_is_none(app, five: dict[str, str]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        first = highlighted(app)
        await pilot.press("9")
        await pilot.pause()
        assert "There is no layer 9: the stack has 5." in told(app)
        assert highlighted(app) == first, "nothing was decided"
