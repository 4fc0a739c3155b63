"""Closed dialogs are freed (or kept, one of a kind): a session of hundreds of notes must
not keep every editor alive."""

from __future__ import annotations

import gc
import weakref

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.widgets import TextArea

from tests.tui.conftest import SIZE
from tui import memory
from tui.memory import IdleCollector


async def test_the_note_editor_is_kept_and_opened_again_not_piled_up(app) -> None:
    editors: list[weakref.ref] = []
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(4):
            await pilot.press("a", *"draft")
            editors.append(weakref.ref(app.screen.query_one(TextArea)))
            await pilot.press("escape")
            await pilot.pause()
            if app.screen.__class__.__name__ == "ConfirmDialog":
                await pilot.press("y")  # discard the typed text
            await pilot.pause()
        assert app.screen.__class__.__name__ == "MainScreen"
        gc.unfreeze()  # also what the app froze at start-up
        collector = IdleCollector(tidy=app._tidy)
        collector.input()
        collector._last_input -= 60  # a minute without a key
        gc.collect(1)  # something reached the oldest generation (the app may just have run a pass)
        collector.tick()
        gc.collect()
        (editor,) = {ref() for ref in editors}  # one editor, opened four times: none piles up
        assert editor is not None


async def test_what_closed_dialogs_rendered_is_freed_in_a_pause(app) -> None:
    """Textual's style cache keys (textual#6665) must not keep closed dialogs' lines."""
    caches: list[weakref.ref] = []
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await pilot.press("d")  # "delete?": a new dialog each time
            await pilot.pause()
            assert app.screen.__class__.__name__ == "ConfirmDialog"
            caches += [weakref.ref(node._styles_cache) for node in app.screen.walk_children()]
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen.__class__.__name__ == "MainScreen"
        collector = IdleCollector(tidy=app._tidy)
        collector.input()
        collector._last_input -= 60
        gc.collect(1)
        collector.tick()
        gc.collect()
        assert caches and [ref() for ref in caches if ref() is not None] == []


async def test_an_idle_tick_while_the_app_closes_its_screens_is_harmless(app) -> None:
    """The collector's timer may tick after the app has closed its screens, as it shuts
    down: asking whether a dialog is open must not raise (textual's ScreenStackError)."""
    async with app.run_test(size=SIZE):
        pass
    assert app.screen_stack == []
    collector = app._collector
    collector.input()
    collector._last_input -= 60
    passes = len(collector.passes)
    collector.tick()
    assert len(collector.passes) == passes, "no pass without a screen"
    collector.stop()


def test_an_uncut_strip_divides_without_a_reference_cycle() -> None:
    from textual.strip import Strip

    from tui import textual_patches

    assert "untangle_strips" in textual_patches.apply()
    gc.collect()
    gc.disable()
    try:
        strip = Strip([Segment("twelve cells")], 12)
        assert strip.divide([12]) == [strip]
        assert [part.text for part in strip.divide([6, 12])] == ["twelve", " cells"]
        del strip
        assert gc.collect() == 0, "nothing left for the cyclic collector"
    finally:
        gc.enable()


def test_a_strip_makes_a_cache_only_when_it_is_used() -> None:
    from textual.strip import Strip

    from tui import textual_patches

    assert "lighten_strips" in textual_patches.apply()
    strip = Strip([Segment("twelve cells")], 12)
    with pytest.raises(AttributeError):
        Strip._crop_cache.__get__(strip)  # the slot itself: nothing made yet
    assert strip.crop(0, 6).text == "twelve"
    assert strip.crop(0, 6) is strip.crop(0, 6), "the crop is cached from now on"
    assert len(Strip._crop_cache.__get__(strip)) == 1
    assert strip.apply_style(Style(bold=True)).text == "twelve cells"
    with pytest.raises(AttributeError):
        strip.no_such_thing  # noqa: B018


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_idle_passes_freeze_survivors_wait_for_dialogs_and_a_deep_pass_frees_the_rest() -> None:
    settled = [True]
    collector = IdleCollector(settled=lambda: settled[0])
    collector.start()
    try:
        frozen = gc.get_freeze_count()
        survivor = [_Cycle() for _ in range(2000)]
        settled[0] = False  # a dialog is open: no pass
        collector.input()
        collector._last_input -= 1
        for _ in range(100):  # enough young passes for the oldest generation to be counted
            gc.collect(1)
        collector.tick()
        assert collector.passes == []
        settled[0] = True
        collector.tick()
        assert [kind for kind, _ in collector.passes] == ["full"]
        assert gc.get_freeze_count() >= frozen + 2000, "what survived is frozen"
        gone = weakref.ref(survivor[0])
        del survivor  # dies after being frozen: only a deep pass frees it
        gc.collect()
        assert gone() is not None
        collector._heap = 100  # as if the heap had grown
        collector._last_input -= 60  # a minute without a key
        collector.tick()
        assert [kind for kind, _ in collector.passes] == ["full", "deep"]
        assert gone() is None
    finally:
        collector.stop()


async def test_a_keys_frame_is_followed_by_a_young_pass_not_the_next_key(app) -> None:
    """The young generations are emptied once the key's frame is drawn, so the next key
    starts with nothing for the collector to walk but what it makes itself."""
    events: list[str] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] >= 1:
            events.append(f"pass {info['generation']}")

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        display = app._display

        def drawn(screen, update) -> None:  # noqa: ANN001
            display(screen, update)
            if update is not None:
                events.append("frame")

        app._display = drawn
        gc.callbacks.append(noted)
        try:
            await pilot.press("j")
            await pilot.pause()
        finally:
            gc.callbacks.remove(noted)
            del app._display
        assert app.screen.table.cursor == 1
    assert "frame" in events
    assert "pass 1" in events[events.index("frame") :], events


def test_the_start_freezes_without_a_pass_and_young_passes_wait_for_many_objects() -> None:
    """A pass over what the start made would stop the first frame's keys; the young pass
    comes after a key's frame, not inside it."""
    passes: list[int] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    collector = IdleCollector()
    gc.callbacks.append(noted)
    try:
        made = [_Cycle() for _ in range(1000)]
        passes.clear()
        collector.start()
        assert passes == [], "frozen, not walked"
        assert gc.get_threshold()[0] == memory.YOUNG_EVERY
        assert all(item not in gc.get_objects() for item in made[:3])
    finally:
        gc.callbacks.remove(noted)
        collector.stop()


def test_what_was_just_made_is_frozen_only_while_an_app_collects() -> None:
    young = [_Cycle() for _ in range(10)]
    memory.freeze_new()  # no app: nothing happens
    assert any(item is young[0] for item in gc.get_objects())
    collector = IdleCollector()
    collector.start()
    try:
        young = [_Cycle() for _ in range(10)]
        memory.freeze_new()
        assert not any(item is young[0] for item in gc.get_objects())
    finally:
        collector.stop()
    assert any(item is young[0] for item in gc.get_objects()), "stop thaws it"


async def test_a_changes_new_list_of_rows_is_frozen_before_a_pass_walks_it(app) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.screen._base
        await pilot.press("a", *"a note")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert screen.__class__.__name__ == "MainScreen"
        assert screen._base is not before, "a new list after the change"
        assert not any(item is screen._base for item in gc.get_objects())
