"""The start and memory of the TUI in a fresh interpreter; prints JSON on the last line.

    python -m tests.benchmarks.load_probe start PATH [QUERY]

Times, as absolute CLOCK_MONOTONIC seconds (the parent adds the interpreter's own start):
the imports, ``Workbench.open``, the first frame that shows company rows under
``run_test(size=(160, 48))``, and the app idle after it. Memory: the peak resident size
(``ru_maxrss``) and the current one (``/proc/self/statm``) at the first frame, after the app
is idle, and after ``QUERY`` is typed into the filter and its whole result shown.
``LOAD_PROFILE=FILE`` dumps a cProfile of open → first frame to FILE; ``LOAD_BACKGROUND=0``
makes the backup before open returns (as the CLI does).

Only the standard library is imported before the clock starts, so import time is honest.
"""

from __future__ import annotations

import time

T_MAIN = time.monotonic()

import asyncio  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (160, 48)
PROFILE = os.environ.get("LOAD_PROFILE")


def _memory() -> dict[str, float]:
    """Peak and current resident size, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return {
        "peak_mb": round(peak, 1),
        "rss_mb": round(pages * os.sysconf("SC_PAGESIZE") / 2**20, 1),
    }


async def start(path: Path, query: str | None) -> dict[str, Any]:
    import tui.__main__  # noqa: F401  (the console script: CLI, store)
    import tui.app  # noqa: F401

    imported = time.monotonic()
    from store.checklist import active_checklist
    from store.service import Workbench
    from tests.benchmarks.tui_probe import Recorder
    from tui.__main__ import make_app

    profiler = cProfile.Profile() if PROFILE else None
    if profiler:
        profiler.enable()
    recorder = Recorder()
    checklist, _ = active_checklist()
    background = os.environ.get("LOAD_BACKGROUND", "1") == "1"
    try:  # as ``moatscope`` opens it (a tree from before ``background`` opens the old way)
        workbench = Workbench.open(path, checklist=checklist, author="bench", background=background)
    except TypeError:
        workbench = Workbench.open(path, checklist=checklist, author="bench")
    opened = time.monotonic()
    app = make_app(workbench)
    recorder.watch(app)
    result: dict[str, Any] = {"main": T_MAIN, "imported": imported, "opened": opened}
    async with app.run_test(size=SIZE) as pilot:
        table = None
        for _ in range(200):
            await pilot.pause()
            table = recorder._table(app.screen)
            if table is not None and table.rows:
                break
        frame = recorder.first_frame(opened, lambda f: f.rows > 0)
        if profiler:
            profiler.disable()
            profiler.dump_stats(PROFILE)
        result["frame"] = frame.wall if frame else time.monotonic()
        result["rows"] = len(table.rows) if table else 0
        result["at_frame"] = _memory()
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        result["idle"] = time.monotonic()
        result["at_idle"] = _memory()
        if query:
            await pilot.press("slash", *query)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            result["after_filter"] = _memory()
            await pilot.press("escape")
        await pilot.pause()
    workbench.close()
    return result


def main(argv: list[str]) -> None:
    mode, path = argv[0], Path(argv[1])
    if mode != "start":
        raise SystemExit(f"unknown mode {mode!r}")
    result = asyncio.run(start(path, argv[2] if len(argv) > 2 else None))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
