"""The value chain at scale: the exposure roll-up, a company's relations, link and unlink, and
the first frame with 30,000 relations in the file.

Each measurement runs in a fresh interpreter on a fresh copy of a ``chain_data`` file: the
``data`` companies with three relations each. The roll-up and a company's relations are what
a view redraws, so each has the frame's budget (16 ms) as its target up to 10k companies.
The first frame is timed by ``tui_probe`` on the same companies, with and without the chain,
alternately, so both meet the same machine; so are the stack map's flows in the running app
(``flow_measure``: ``f`` pressed once the map is idle, and before).
"""

from __future__ import annotations

import sys
from typing import Any

from tests.benchmarks import chain_data, data
from tests.benchmarks.bench_tui import first_layer
from tests.benchmarks.harness import Row, Settings, fresh_copy, median, probe, spread

TARGET_N = 10_000
FRAME_MS = 16.0
"""A redraw's budget: one frame at 60 Hz."""


def _target(n: int, value: float) -> float | None:
    return value if n <= TARGET_N else None


def _ms_row(metric: str, n: int, values: list[float], target: float | None, how: str) -> Row:
    ms = [value * 1000 for value in values]
    return Row(metric, n, median(ms), "ms", target, f"{spread(ms, 1, 2)} ms; {how}")


def _chain_rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    each = f"{len(runs)} processes x {len(runs[0]['exposure'])}"
    relations, degree = runs[0]["relations"], median([r["degree"] for r in runs])

    def per_process(key: str) -> list[float]:
        return [median(r[key]) for r in runs]

    return [
        _ms_row("exposure roll-up (every chokepoint)", n, per_process("exposure"),
                _target(n, FRAME_MS), f"{relations:,} relations; median of {each}"),
        _ms_row("  exposure roll-up, first call", n, [r["exposure_first"] for r in runs],
                None, f"{len(runs)} processes"),
        _ms_row("a company's relations (grouped)", n, per_process("relations_of"),
                _target(n, FRAME_MS), f"{degree:.1f} relations each; median of {each}"),
        _ms_row("  first call (indexes every relation)", n,
                [r["relations_first"] for r in runs], _target(n, FRAME_MS * 10),
                f"{len(runs)} processes"),
        _ms_row("a company's value chain (names, loop)", n, per_process("value_chain"),
                _target(n, FRAME_MS), f"median of {each}"),
        _ms_row("stack map flows (layer x layer), afresh", n, per_process("flows"),
                _target(n, FRAME_MS), f"{runs[0]['supplies']:,} supplies; median of {each}"),
        _ms_row("  flows, first call", n, [r["flows_first"] for r in runs], None,
                f"{len(runs)} processes"),
        _ms_row("  flows, same revision (kept)", n, per_process("flows_kept"),
                _target(n, FRAME_MS), f"median of {each}"),
        _ms_row("  a flow cell's notes (busiest All)", n, per_process("flows_notes"),
                _target(n, FRAME_MS), f"first 12 by name of {runs[0]['flows_busiest']:,}; "
                f"median of {each}"),
        _ms_row("  a flow cell's list (enter)", n, per_process("flows_list"),
                _target(n, FRAME_MS), f"first 1,000 by name; median of {each}"),
        _ms_row("link durable", n, per_process("link"), None, f"median of {each}"),
        _ms_row("unlink durable", n, per_process("unlink"), None, f"median of {each}"),
    ]  # fmt: skip


def _map_rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    each = f"{len(runs)} processes x {len(runs[0]['opened'])}"

    def per_process(key: str) -> list[float]:
        return [median(r[key]) for r in runs]

    return [
        _ms_row("stack map f: the flows drawn", n, per_process("opened"), _target(n, FRAME_MS),
                f"press to frame, map idle first (flows read once drawn); median of {each}"),
        _ms_row("  f before the map is idle", n, per_process("unready"), None,
                f"the flows computed on the press; median of {each}"),
        _ms_row("  m: the map drawn (verdicts)", n, per_process("map"), None,
                f"press to frame; median of {each}"),
    ]  # fmt: skip


def _start(path: Any, settings: Settings) -> float:
    copy = str(fresh_copy(path, settings, "chain-tui"))
    result = probe("tests.benchmarks.tui_probe", ["start", copy], settings)
    return result["start"]["frame"] - result["start"]["imported"]


def _frame_rows(n: int, plain: list[float], chained: list[float], relations: int) -> Row:
    before, after = median(plain) * 1000, median(chained) * 1000
    detail = (
        f"{after:.0f} ms with {relations:,} relations vs {before:.0f} ms without "
        f"({spread([v * 1000 for v in chained], 1, 0)} vs {spread([v * 1000 for v in plain], 1, 0)}"
        f" ms); open to first frame, {len(plain)} starts each"
    )
    return Row("first frame slowed by the chain", n, (after / before - 1) * 100, "%",
               _target(n, 5.0), detail)  # fmt: skip


def run(settings: Settings) -> list[Row]:
    rows: list[Row] = []
    for n in settings.sizes:
        print(f"chain: generating {n:,} companies and their relations...", file=sys.stderr)
        plain = data.dataset(n, settings.workdir, layer=first_layer())
        chained = chain_data.chained(plain)
        runs = []
        for attempt in range(settings.repeats):
            print(f"chain: N={n:,} run {attempt + 1}/{settings.repeats}", file=sys.stderr)
            copy = str(fresh_copy(chained.path, settings, "chain"))
            runs.append(probe("tests.benchmarks.chain_probe", [copy, "50"], settings))
        rows += _chain_rows(n, runs)
        maps = [
            probe("tests.benchmarks.tui_probe", ["flows", str(fresh_copy(chained.path, settings,
                  "chain-map")), "5"], settings)
            for _ in range(settings.repeats)
        ]  # fmt: skip
        rows += _map_rows(n, maps)
        _start(chained.path, settings)  # not timed: compiles the bytecode once
        starts_plain, starts_chained = [], []
        for _ in range(settings.repeats):
            starts_plain.append(_start(plain.path, settings))
            starts_chained.append(_start(chained.path, settings))
        rows.append(_frame_rows(n, starts_plain, starts_chained, runs[0]["relations"]))
    return rows
