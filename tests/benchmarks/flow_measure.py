"""The stack map's flows in the running app (``tui_probe flows PATH TIMES``), each ``f`` timed
from the press to the first frame of the map that shows it:

- "opened": TIMES rounds of ``m`` (the map computes the flows once drawn, as after any
  change), the app idle, then ``f``, then ``f`` back and ``esc``; the kept flows are dropped
  before each ``m``, so each round computes them afresh, as after a change;
- "unready": TIMES presses of ``f`` with the kept flows dropped just before (as if ``f`` came
  before the map was idle): the computation on the press itself;
- "back": ``f`` again, back to the verdicts (the verdict grid computed afresh).

Imported by ``tui_probe.main`` once the clock runs.
"""

from __future__ import annotations

from typing import Any

from tests.benchmarks.tui_probe import Session, timed_press


async def measure_flows(run: Session, times: int) -> dict[str, Any]:
    from store import layer_flows
    from store.stack_grid import Axis
    from tui.screens.stack_map import StackMapScreen

    app, pilot, recorder = run.app, run.pilot, run.recorder

    async def press(key: str, axis: Axis) -> float:
        screen = app.screen
        assert isinstance(screen, StackMapScreen), screen
        shown = await timed_press(
            pilot,
            recorder,
            (key,),
            lambda f: f.screen == id(screen),
            settled=lambda: screen.axis is axis,
        )
        return shown.wall

    opened, unready, back, maps = [], [], [], []
    for _ in range(times):
        layer_flows.forget(run.workbench)
        shown = await timed_press(
            pilot, recorder, ("m",), lambda f: f.kind == StackMapScreen.__name__
        )
        maps.append(shown.wall)
        await pilot.pause()
        opened.append(await press("f", Axis.FLOWS))
        back.append(await press("f", Axis.VERDICT))
        layer_flows.forget(run.workbench)
        unready.append(await press("f", Axis.FLOWS))
        await pilot.press("f", "escape")
        await pilot.pause()
    return {"opened": opened, "unready": unready, "back": back, "map": maps}
