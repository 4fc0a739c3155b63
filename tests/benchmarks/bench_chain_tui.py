"""The chain picture and the chokepoints view at scale: each redraw within a frame (16 ms).

Runs ``chain_tui_probe`` in a fresh interpreter on a fresh copy of the ``chain_data`` file
(the ``data`` companies with three relations each: 30,000 relations at 10k), headless at
160x48. CPU from the key to the frame that shows it is the figure checked against the
target, as in ``bench_tui``; the wall time (with Textual's refresh timer) is beside it.
"""

from __future__ import annotations

import sys
from typing import Any

from tests.benchmarks import chain_data, data
from tests.benchmarks.bench_tui import first_layer
from tests.benchmarks.harness import Row, Settings, fresh_copy, median, probe, spread

FRAME_MS = 16.0
STEPS = {
    "open": ("chain picture: v to the picture drawn", None),
    "move": ("chain picture: cursor move (arrows, hjkl, esc back)", FRAME_MS),
    "recentre": ("chain picture: enter recentres on a company", FRAME_MS),
    "view": ("chokepoints view: opened (a new screen), roll-up read and drawn", None),
    "redraw": ("chokepoints view: the roll-up read and redrawn in place", FRAME_MS),
    "rollup": ("chokepoints view: the roll-up shown again (esc from a list)", FRAME_MS),
    "list": ("chokepoints view: enter lists a chokepoint's companies", None),
}


def _rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for key, (metric, target) in STEPS.items():
        cpu_med = [median([s["cpu"] for s in r[key]]) for r in runs]
        cpu_max = [max(s["cpu"] for s in r[key]) for r in runs]
        wall = median([median([s["wall"] for s in r[key]]) for r in runs])
        how = (
            f"{spread(cpu_med, 1, 1)} ms; max {median(cpu_max):.1f} ms; wall {wall:.0f} ms; "
            f"{len(runs[0][key])} keys x {len(runs)} runs"
        )
        rows.append(Row(metric, n, median(cpu_med), "ms", target if n <= 10_000 else None, how))
    busiest = f"; the busiest company: {runs[0]['degree']} relations"
    rows[0] = Row(rows[0].metric, n, rows[0].measured, "ms", None, rows[0].detail + busiest)
    return rows


def run(settings: Settings) -> list[Row]:
    rows: list[Row] = []
    for n in settings.sizes:
        print(f"chain_tui: generating {n:,} companies and their relations...", file=sys.stderr)
        chained = chain_data.chained(data.dataset(n, settings.workdir, layer=first_layer()))
        runs = []
        for attempt in range(settings.repeats):
            print(f"chain_tui: N={n:,} run {attempt + 1}/{settings.repeats}", file=sys.stderr)
            copy = str(fresh_copy(chained.path, settings, "chain-tui"))
            runs.append(probe("tests.benchmarks.chain_tui_probe", [copy], settings))
        rows += _rows(n, runs)
    return rows
