"""One TUI measurement in a fresh interpreter, headless; prints JSON results on the last line.

Every mode first times the cold start, as ``moatscope`` runs it: imports, open, then the app
under ``run_test(size=(160, 48))`` until the company table has its rows and the first
``pilot.pause()`` returns, as absolute CLOCK_MONOTONIC times, so the parent can add the
interpreter's own start (``start`` does only that). Then:

    python -m tests.benchmarks.tui_probe start PATH
    python -m tests.benchmarks.tui_probe filter PATH QUERY...
        "/" then each query typed key by key, then esc; each keystroke timed from the press to
        the first frame that shows the new rows (the first screenful, when the search shows
        that before it has read every company), the next key pressed once the app is idle
        with the whole result shown. Then the same prefixes through
        ``screen.apply_filter(typed=True)`` plus one screen update, called directly, and
        then ``finish_filter()`` plus one more (the whole result: "whole_cpu").
    python -m tests.benchmarks.tui_probe stall PATH CHANGES
        CHANGES changes made with the app's keys (a note with ``a`` ... ``ctrl+s``, a status with
        ``s`` ... ``enter``), each saved by the app's BackgroundWriter, while a task on the
        event loop records the longest gap between its 2 ms ticks, from the saving key until
        the save is on disk and the app is idle. As a control, the same dialog is first
        opened and closed with esc (no change), timed the same way.
    python -m tests.benchmarks.tui_probe inbox PATH DECISIONS
        ``i``, then DECISIONS decisions (``s``, ``w``, ``p`` with a reason, in turn), each timed
        from the deciding key to the first frame that highlights the next name.
    python -m tests.benchmarks.tui_probe flows PATH TIMES
        ``m``, then ``f`` (the stack map's flows) and ``f`` back, timed to the map's next frame
        (``flow_measure``).

Frames are caught in ``App._display``, which the headless driver still calls with each
screen update (it only skips writing it to a terminal), so "rendered" means the compositor
has called ``render_line`` for what changed. CPU is ``time.process_time()`` (all threads),
"UI CPU" is ``time.thread_time()`` of the event-loop thread.

Only the standard library is imported before the clock starts, so import time is honest.

With ``BENCH_PROFILE=FILE`` in the environment, cProfile records every measured span (a key
until the app is idle again, a direct filter call, a save until it is on disk) and the stats
are dumped to FILE for ``python -m pstats FILE``. The timings are then not representative.
"""

from __future__ import annotations

import time

T_MAIN = time.monotonic()

import asyncio  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

# Run as ``python -m``, this module is ``__main__``: ``tui_measures`` imports it by its name,
# which must find this one, not load a second copy with a clock of its own.
sys.modules.setdefault("tests.benchmarks.tui_probe", sys.modules[__name__])

SIZE = (160, 48)
PROFILE = os.environ.get("BENCH_PROFILE")
PROFILER = cProfile.Profile() if PROFILE else None


def profiling(on: bool) -> None:
    """Start or stop recording a measured span, when ``BENCH_PROFILE`` asks for it."""
    if PROFILER is not None:
        if on:
            PROFILER.enable()
        else:
            PROFILER.disable()


@dataclass(frozen=True)
class Frame:
    """One screen update the compositor produced."""

    wall: float
    cpu: float
    ui_cpu: float
    screen: int
    """``id()`` of the screen: a reference would keep every closed dialog (and its caches)
    alive, and the garbage collector would then spend longer on each pass than the app does."""
    kind: str
    """The screen's class name."""
    current: str | None
    """The id of the highlighted company of the screen's company table (None: no table/row)."""
    rows: int


class GcPauses:
    """Every pass of the cyclic garbage collector over 1 ms: (start, seconds, generation).

    A pass stops the event loop like any other work, so a window's longest pass says how
    much of its time was the collector rather than the app's own code.
    """

    def __init__(self) -> None:
        self.pauses: list[tuple[float, float, int]] = []
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.monotonic()
            return
        seconds = time.monotonic() - self._start
        if seconds > 0.001:
            self.pauses.append((self._start, seconds, info["generation"]))

    def longest(self, start: float, end: float) -> float:
        """The longest pass that began in [start, end]; 0.0 if none."""
        return max((s for at, s, _ in self.pauses if start <= at <= end), default=0.0)


class Recorder:
    """Records every frame of an app, every ``CompanyTable.set_rows`` call, every GC pass."""

    def __init__(self) -> None:
        from tui.widgets.company_table import CompanyTable

        self.gc = GcPauses()
        self.frames: list[Frame] = []
        self.row_sets: list[tuple[float, int]] = []
        self._tables: dict[int, Any] = {}
        self._table_class = CompanyTable
        original = CompanyTable.set_rows
        recorder = self

        def set_rows(table: Any, rows: list[Any], *args: Any, **options: Any) -> None:
            original(table, rows, *args, **options)
            recorder.row_sets.append((time.monotonic(), len(rows)))

        CompanyTable.set_rows = set_rows  # type: ignore[method-assign]

    def watch(self, app: Any) -> None:
        display = app._display

        def recording(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is None or app._batch_count:
                return
            table = self._table(screen)
            current = table.current if table is not None else None
            self.frames.append(
                Frame(
                    time.monotonic(),
                    time.process_time(),
                    time.thread_time(),
                    id(screen),
                    type(screen).__name__,
                    current.id if current is not None else None,
                    len(table.rows) if table is not None else 0,
                )
            )

        app._display = recording

    def _table(self, screen: Any) -> Any:
        table = self._tables.get(id(screen))
        if table is None or table.screen is not screen:  # (a new screen at a reused id)
            table = next(iter(screen.query(self._table_class).results()), None)
            if table is None:  # not mounted yet, or a dialog: ask again later
                self._tables.pop(id(screen), None)
            else:
                self._tables[id(screen)] = table
        return table

    def first_frame(self, after: float, test: Callable[[Frame], bool]) -> Frame | None:
        for frame in self.frames:
            if frame.wall >= after and test(frame):
                return frame
        return None


@dataclass
class Press:
    """Timing of one key from the press to the frame that shows its effect."""

    wall: float
    cpu: float
    ui_cpu: float
    settled_cpu: float
    """CPU until the app is idle again (e.g. the detail pane's Markdown as well, or the
    rest of a filter that showed its first screenful first)."""
    gc: float
    """The longest garbage-collector pass between the press and the frame."""


async def timed_press(
    pilot: Any,
    recorder: Recorder,
    keys: tuple[str, ...],
    done: Callable[[Frame], bool],
    changed_at: Callable[[float], float | None] = lambda start: start,
    settled: Callable[[], bool] = lambda: True,
) -> Press:
    """Press ``keys``; wait for a frame passing ``done`` after ``changed_at(start)``, then
    for the app to be idle with ``settled()`` true, so the next key starts from rest."""
    profiling(True)
    wall0, cpu0, ui0 = time.monotonic(), time.process_time(), time.thread_time()
    await pilot.press(*keys)
    frame = None
    for _ in range(500):
        since = changed_at(wall0)
        if since is not None:
            frame = recorder.first_frame(since, done)
            if frame is not None:
                break
        await pilot.pause()
    if frame is None:
        raise SystemExit(f"no frame showed the effect of {keys!r}")
    await pilot.pause()
    await _settle(pilot, settled, keys)
    settled_cpu = time.process_time() - cpu0
    profiling(False)
    return Press(
        frame.wall - wall0,
        frame.cpu - cpu0,
        frame.ui_cpu - ui0,
        settled_cpu,
        recorder.gc.longest(wall0, frame.wall),
    )


async def _settle(pilot: Any, settled: Callable[[], bool], keys: tuple[str, ...]) -> None:
    """Wait until ``settled()``, and for the frame of what settled."""
    if settled():
        return
    for _ in range(500):
        await pilot.pause()
        if settled():
            break
    else:
        raise SystemExit(f"the app did not settle after {keys!r}")
    await pilot.pause()


def _open(path: Path) -> Any:
    from store.checklist import active_checklist
    from store.service import Workbench

    checklist, _ = active_checklist()
    # as ``moatscope`` opens it: the backup and the journal's tidying on a thread
    return Workbench.open(path, checklist=checklist, author="bench", background=True)


@dataclass
class Session:
    """A running app under the pilot, with its recorder."""

    app: Any
    pilot: Any
    recorder: Recorder
    workbench: Any


Body = Callable[[Session], Awaitable[dict[str, Any]]]


async def session(path: Path, body: Body) -> dict[str, Any]:
    """Start the app as ``moatscope`` would, timing the cold start, then run ``body``.

    The cold start is timed in every mode: the same steps, nothing else imported or patched
    before the first frame except the recorder.
    """
    import tui.__main__  # noqa: F401  (the console script: CLI, store)
    import tui.app  # noqa: F401  (make_app imports Textual lazily; counted here, not in the frame)

    imported = time.monotonic()
    from tui.__main__ import make_app

    recorder = Recorder()
    workbench = _open(path)
    opened = time.monotonic()
    app = make_app(workbench)
    recorder.watch(app)
    async with app.run_test(size=SIZE) as pilot:
        table = None
        for _ in range(100):
            await pilot.pause()
            table = recorder._table(app.screen)
            if table is not None and table.rows:
                break
        paused = time.monotonic()
        frame = recorder.first_frame(opened, lambda f: f.rows > 0)
        start = {
            "main": T_MAIN,
            "imported": imported,
            "opened": opened,
            "paused": paused,
            "frame": frame.wall if frame else paused,
            "rows": len(table.rows) if table else 0,
        }
        result = await body(Session(app, pilot, recorder, workbench))
        await pilot.pause()
        app.wait_for_saves()
    workbench.close()
    return {"start": start, **result}


async def measure_filter(run: Session, queries: list[str]) -> dict[str, Any]:
    from tui.screens.main import MainScreen

    app, pilot, recorder = run.app, run.pilot, run.recorder
    presses: list[dict[str, Any]] = []

    def rows_set(start: float) -> float | None:
        later = [at for at, _ in recorder.row_sets if at >= start]
        return later[0] if later else None

    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    total = len(screen.table.rows)
    for query in queries:
        await pilot.press("slash")
        await pilot.pause()
        for index, key in enumerate(query):
            press = await timed_press(
                pilot,
                recorder,
                (key,),
                lambda f: f.screen == id(screen),
                rows_set,
                lambda: not screen.search.pending,
            )
            presses.append(
                {"key": query[: index + 1], "rows": len(screen.table.rows), **press.__dict__}
            )
        press = await timed_press(
            pilot, recorder, ("escape",), lambda f: f.screen == id(screen), rows_set
        )
        presses.append({"key": "esc", "rows": len(screen.table.rows), **press.__dict__})
        if len(screen.table.rows) != total:
            raise SystemExit(f"esc left {len(screen.table.rows)} of {total} rows")
    return {"rows": total, "presses": presses, "direct": _direct(screen, queries)}


async def measure_filter_all(run: Session, queries: list[str]) -> dict[str, Any]:
    """``measure_filter`` in All layers (``[`` from the first layer): every company, each
    drawn with its layer's name."""
    await run.pilot.press("left_square_bracket")
    await run.pilot.pause()
    return await measure_filter(run, queries)


def _direct(screen: Any, queries: list[str]) -> list[dict[str, Any]]:
    """Each prefix of each query (then none) filtered by calling the screen directly."""
    direct = []
    for query in queries:
        for prefix in [query[: i + 1] for i in range(len(query))] + [""]:
            profiling(True)
            wall0, cpu0 = time.monotonic(), time.process_time()
            screen.query_text = prefix
            screen.apply_filter(typed=bool(prefix))  # as a letter typed does (or esc)
            screen._on_timer_update()  # the screen update the timer would run next
            wall1, cpu1 = time.monotonic(), time.process_time()
            screen.finish_filter()  # the rest of the result, after that frame
            screen._on_timer_update()
            profiling(False)
            direct.append(
                {
                    "key": prefix or "esc",
                    "rows": len(screen.table.rows),
                    "wall": wall1 - wall0,
                    "cpu": cpu1 - cpu0,
                    "whole_cpu": time.process_time() - cpu0,
                }
            )
    return direct


def main(argv: list[str]) -> None:
    from tests.benchmarks.flow_measure import measure_flows
    from tests.benchmarks.tui_measures import measure_inbox, measure_stall

    mode, path, rest = argv[0], Path(argv[1]), argv[2:]
    bodies: dict[str, Body] = {
        "start": lambda run: _nothing(),
        "filter": lambda run: measure_filter(run, rest),
        "filter-all": lambda run: measure_filter_all(run, rest),
        "stall": lambda run: measure_stall(run, int(rest[0])),
        "inbox": lambda run: measure_inbox(run, int(rest[0])),
        "flows": lambda run: measure_flows(run, int(rest[0])),
    }
    if mode not in bodies:
        raise SystemExit(f"unknown mode {mode!r}")
    result = asyncio.run(session(path, bodies[mode]))
    if PROFILER is not None and PROFILE:
        PROFILER.dump_stats(PROFILE)
    print(json.dumps(result))


async def _nothing() -> dict[str, Any]:
    return {}


if __name__ == "__main__":
    main(sys.argv[1:])
