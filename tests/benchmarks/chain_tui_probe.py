"""``python -m tests.benchmarks.chain_tui_probe PATH``: the chain picture and the chokepoints
view redrawn, timed from the key to the frame that shows it (``tui_probe``'s recorder).

The main screen goes to the company with the most relations (the largest picture); `v`
opens its picture, arrows and hjkl move the cursor, enter recentres on a company and esc
comes back. Then the chokepoints view opens (three times); the busiest company's
chokepoints change and the roll-up is read and drawn again in place (``roll_up``, what a
change redraws); enter lists the first chokepoint's companies and esc shows the roll-up
again. Prints one JSON object: per step, the CPU and wall time from the press to its frame.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.benchmarks.tui_probe import Session, session, timed_press

MOVES = ("l", "l", "l", "j", "h", "j", "k", "right", "down", "up", "left", "l")


def _busiest(workbench: Any) -> str:
    """The company named by the most relations."""
    counts: Counter[str] = Counter()
    for record in workbench.relation_records().values():
        counts.update((record["from_company"], record["to_company"]))
    return counts.most_common(1)[0][0]


async def _timed(run: Session, keys: tuple[str, ...], screen: str) -> dict[str, float]:
    press = await timed_press(run.pilot, run.recorder, keys, lambda frame: frame.kind == screen)
    return {"cpu": press.cpu * 1000, "wall": press.wall * 1000}


async def measure_chain(run: Session) -> dict[str, Any]:
    from tui.screens.main import MainScreen

    app, pilot = run.app, run.pilot
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    hub = _busiest(run.workbench)
    main.jump_to(hub)
    await pilot.pause()
    steps: dict[str, list[dict[str, float]]] = {"open": [], "move": [], "recentre": []}
    steps["degree"] = len(run.workbench.relations_of(hub))  # type: ignore[assignment]
    for _ in range(3):
        steps["open"].append(await _timed(run, ("v",), "ChainScreen"))
        for key in MOVES:
            steps["move"].append(await _timed(run, (key,), "ChainScreen"))
        steps["recentre"].append(await _timed(run, ("enter",), "ChainScreen"))
        steps["move"].append(await _timed(run, ("escape",), "ChainScreen"))  # back: recentre
        await pilot.press("escape")
        await pilot.pause()
    steps["view"], steps["redraw"], steps["rollup"], steps["list"] = [], [], [], []
    for _ in range(3):
        steps["view"].append(await _opened(run, main.action_chokepoints, "ChokepointsScreen"))
        for turn in range(3):
            _change(run, hub, turn)  # (saved before the timing starts)
            steps["redraw"].append(await _opened(run, app.screen.roll_up, "ChokepointsScreen"))
            steps["list"].append(await _timed(run, ("enter",), "ChokepointsScreen"))
            steps["rollup"].append(await _timed(run, ("escape",), "ChokepointsScreen"))
        await pilot.press("escape")
        await pilot.pause()
    return steps


def _change(run: Session, company_id: str, turn: int) -> None:
    """Make the roll-up change: the company depends on two chokepoints, or on none."""
    points = [point.id for point in run.workbench.chokepoints()]
    run.workbench.set_chokepoints(company_id, points[turn % 3 : turn % 3 + 2] if turn % 2 else [])
    run.app.wait_for_saves()


async def _opened(run: Session, action: Any, screen: str) -> dict[str, float]:
    """Run ``action`` (a palette entry's) and time it to the first frame of ``screen``."""
    wall0, cpu0 = time.monotonic(), time.process_time()
    action()
    frame = None
    for _ in range(500):
        frame = run.recorder.first_frame(wall0, lambda f: f.kind == screen)
        if frame is not None:
            break
        await run.pilot.pause()
    if frame is None:
        raise SystemExit(f"{screen} never showed")
    await run.pilot.pause()
    return {"cpu": (frame.cpu - cpu0) * 1000, "wall": (frame.wall - wall0) * 1000}


def main(argv: list[str]) -> None:
    result = asyncio.run(session(Path(argv[0]), measure_chain))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
