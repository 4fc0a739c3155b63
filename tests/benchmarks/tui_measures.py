"""What ``tui_probe`` measures after the cold start: stalls while saving, inbox decisions.

Imported by ``tui_probe.main`` once the clock has started; see ``tui_probe`` for frames,
the recorder and how a key's time is taken.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from tests.benchmarks.tui_probe import Frame, Session, profiling, timed_press

NOTE = "Follow-up call: **pricing** holds up at scale; ask for the churn numbers next week."
REASON = "thin wrapper on a hyperscaler API"


class Watchdog:
    """A task on the event loop that wakes every ``TICK`` and records the longest gap.

    The gap between two wake-ups is the figure: it includes the tick, so it overstates a
    stall by up to ``TICK``. It runs only while a change is measured: ticking every
    millisecond for good would keep Textual's idle detection (``wait_for_idle``: under 1 ms
    of CPU in 20 ms) from ever seeing the app idle, and every pilot call would take 1 s.
    """

    TICK = 0.002

    def __init__(self) -> None:
        self.longest = 0.0
        self.task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(self.TICK)
            now = time.monotonic()
            self.longest = max(self.longest, now - last)
            last = now

    def start(self) -> None:
        self.longest = 0.0
        self.task = asyncio.get_running_loop().create_task(self._run())
        profiling(True)

    def stop(self) -> float:
        """Stop ticking; the longest gap seen since ``start``."""
        profiling(False)
        assert self.task is not None
        self.task.cancel()
        return self.longest


def _timed(owner: Any, name: str, into: list[float], clock: Callable[[], float]) -> None:
    """Replace ``owner.name`` by a wrapper that appends each call's duration to ``into``."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return original(*args, **kwargs)
        finally:
            into.append(clock() - start)

    setattr(owner, name, wrapper)


async def _saved(app: Any, screen: Any) -> None:
    for _ in range(5000):
        if app.screen is screen and app.save_state == "saved":
            return
        await asyncio.sleep(0.002)
    raise SystemExit(f"the change was not saved ({app.save_state})")


async def _control(run: Session, watchdog: Watchdog, key: str) -> tuple[float, float]:
    """The same dialog opened and closed with esc, nothing changed or saved: the longest
    stall and GC pass of the closing."""
    app, pilot, screen = run.app, run.pilot, run.app.screen
    await pilot.press(key)
    watchdog.start()
    start = time.monotonic()
    await pilot.press("escape")
    while app.screen is not screen:
        await pilot.pause()
    await pilot.pause()
    return watchdog.stop(), run.recorder.gc.longest(start, time.monotonic())


async def _open_change(run: Session, row: Any, note: bool) -> tuple[str, str]:
    """Open the note editor (with a note typed) or the status picker (on another status):
    the kind of change and the key that makes it."""
    from textual.widgets import OptionList, TextArea

    from store.models import Status
    from tui.screens.note_editor import NoteEditor
    from tui.screens.status_picker import StatusPicker

    app = run.app
    if note:
        await run.pilot.press("a")
        assert isinstance(app.screen, NoteEditor), app.screen
        app.screen.query_one(TextArea).text = NOTE
        return "note", "ctrl+s"
    await run.pilot.press("s")
    assert isinstance(app.screen, StatusPicker), app.screen
    target = Status.WATCHING if row.status != Status.WATCHING else Status.SCREENING
    app.screen.query_one(OptionList).highlighted = list(Status).index(target)
    return "status", "enter"


async def _save(run: Session, watchdog: Watchdog, key: str) -> dict[str, Any]:
    """Press the key that makes the change; the longest stall and GC pass until saved."""
    app, screen = run.app, run.app.screen_stack[-2]
    watchdog.start()
    wall0 = time.monotonic()
    await run.pilot.press(key)
    await _saved(app, screen)
    until_saved = time.monotonic() - wall0
    await run.pilot.pause()
    return {
        "stall": watchdog.stop(),
        "gc": run.recorder.gc.longest(wall0, time.monotonic()),
        "until_saved": until_saved,
    }


async def measure_stall(run: Session, changes: int) -> dict[str, Any]:
    from tui.screens.main import MainScreen

    app, pilot, workbench = run.app, run.pilot, run.workbench
    service: list[float] = []
    writes: list[float] = []
    for name in ("add_note", "set_status"):
        _timed(workbench, name, service, time.monotonic)
    _timed(workbench.database.storage, "write_snapshot", writes, time.monotonic)
    watchdog = Watchdog()
    stalls: list[dict[str, Any]] = []
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    step = max(len(screen.table.rows) // (changes + 1), 1)
    for index in range(changes):
        screen.table.cursor = (index + 1) * step % len(screen.table.rows)
        await pilot.pause()
        row = screen.table.current
        assert row is not None
        control, control_gc = await _control(run, watchdog, "a" if index % 2 == 0 else "s")
        kind, key = await _open_change(run, row, note=index % 2 == 0)
        await pilot.pause()
        before = len(service)
        change = await _save(run, watchdog, key)
        change.update(kind=kind, control=control, control_gc=control_gc)
        stalls.append({**change, "service": sum(service[before:])})
    if len(service) != changes:
        raise SystemExit(f"expected {changes} service calls, saw {len(service)}")
    idle_passes = [seconds for kind, seconds in app._collector.passes if kind == "full"]
    # The deep pass runs only after seconds without a key, never inside these windows: timed
    # here directly, as the stall a key pressed at that moment would wait for.
    app._collector._pass("deep", thaw=True)
    deep = app._collector.passes[-1][1]
    return {"changes": stalls, "writes": writes, "idle_passes": idle_passes, "deep": deep}


async def _pass(run: Session, next_name: Callable[[Frame], bool]) -> dict[str, Any]:
    """p, then a recent reason (1) or one typed (enter): both presses timed."""
    from textual.widgets import Input

    from tui.screens.triage_dialogs import PassReasonDialog

    app, pilot, recorder = run.app, run.pilot, run.recorder
    dialog = await timed_press(
        pilot, recorder, ("p",), lambda f: f.kind == PassReasonDialog.__name__
    )
    assert isinstance(app.screen, PassReasonDialog), app.screen
    if app.screen.recent:
        final: tuple[str, ...] = ("1",)
    else:  # the typing is the user's time, not the app's: no need to press each key
        app.screen.query_one("#reason", Input).value = REASON
        await pilot.pause()
        final = ("enter",)
    press = await timed_press(pilot, recorder, final, next_name)
    return {"final": final[0], "dialog": dialog.__dict__, **press.__dict__}


async def measure_inbox(run: Session, decisions: int) -> dict[str, Any]:
    from tui.screens.inbox import InboxScreen

    app, pilot, recorder = run.app, run.pilot, run.recorder
    results: list[dict[str, Any]] = []
    opening = await timed_press(
        pilot, recorder, ("i",), lambda f: f.kind == InboxScreen.__name__ and f.rows > 0
    )
    inbox = app.screen
    assert isinstance(inbox, InboxScreen), inbox
    waiting = len(inbox.table.rows)
    for index in range(decisions):
        key = "swp"[index % 3]
        current = inbox.table.current
        if current is None:
            raise SystemExit(f"the inbox ran empty after {index} decisions")
        before = current.id

        def next_name(frame: Frame, before: str = before) -> bool:
            return frame.screen == id(inbox) and frame.current not in (None, before)

        if key != "p":
            press = await timed_press(pilot, recorder, (key,), next_name)
            results.append({"key": key, "name": current.name, **press.__dict__})
        else:
            results.append({"key": "p", "name": current.name, **await _pass(run, next_name)})
    return {"waiting": waiting, "opening": opening.__dict__, "decisions": results}
