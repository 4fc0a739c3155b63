"""Closed dialogs are freed: a session of hundreds of notes must not keep every editor alive."""

from __future__ import annotations

import gc

from textual.widgets import TextArea
from textual.widgets._footer import FooterKey

from tests.tui.conftest import SIZE
from tui.memory import IdleCollector


def alive(kind: type) -> int:
    gc.collect()
    return sum(isinstance(obj, kind) for obj in gc.get_objects())


async def test_closed_note_editors_and_old_footer_keys_are_freed_in_a_pause(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(4):
            await pilot.press("a", *"draft", "escape")
            await pilot.pause()
            if app.screen.__class__.__name__ == "ConfirmDialog":
                await pilot.press("y")  # discard the typed text
            await pilot.pause()
            await pilot.press("tab", "shift+tab")  # focus moves: the footer recomposes
            await pilot.pause()
        assert app.screen.__class__.__name__ == "MainScreen"
        gc.unfreeze()  # count everything, also what the app froze at start-up
        collector = IdleCollector(tidy=app._prune_watchers)
        collector.input()
        collector._last_input -= 60  # a minute without a key
        collector.tick()
        assert alive(TextArea) == 0
        footer_keys = alive(FooterKey)
        assert footer_keys == len(app.screen.query(FooterKey)), "only the visible footer's keys"
