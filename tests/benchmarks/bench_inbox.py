"""The triage inbox on a big database: each decision, from its key to the next name on screen.

The database has N companies of which exactly 500 wait in the inbox (new and imported; 5% of
N below 10k). ``tui_probe inbox`` presses ``i``, then decides ``s``, ``w``, ``p`` in turn; a
pass is ``p`` plus ``enter`` on a typed reason the first time, then ``1`` (the most recent
reason), and is timed as both keys together (the dialog opening and the decision), without
the user's typing. Each decision saves through the app's BackgroundWriter, whose thread's
CPU counts in the process CPU; "UI CPU" is the event-loop thread alone. Target (issues 6
and 23): 50 ms, at every size.
"""

from __future__ import annotations

import sys
from typing import Any

from tests.benchmarks import data
from tests.benchmarks.harness import Row, Settings, fresh_copy, median, probe, spread

PROBE = "tests.benchmarks.tui_probe"
TARGET = 50.0


def inbox_size(n: int) -> int:
    return 500 if n >= 10_000 else max(n // 20, 10)


def _decision(decision: dict[str, Any], field: str) -> float:
    """A decision's time in ms; a pass adds its dialog's opening."""
    value = decision[field]
    if "dialog" in decision:
        value += decision["dialog"][field]
    return value * 1000


def _gc(decision: dict[str, Any]) -> float:
    """The longest garbage-collector pass inside a decision's spans, in ms."""
    return max(decision["gc"], decision.get("dialog", {}).get("gc", 0.0)) * 1000


def _per_run(runs: list[dict[str, Any]], field: str, stat: Any, keys: str = "swp") -> list[float]:
    """``stat`` of each run's decisions (by key) in ms."""
    return [stat([_decision(d, field) for d in r["decisions"] if d["key"] in keys]) for r in runs]


def _detail(values: list[float], how: str = "") -> str:
    return f"{spread(values, 1, 1)} ms" + (f"; {how}" if how else "")


def _rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    """The two rows with a target, then what each kind of decision costs."""
    target = TARGET
    count = len(runs[0]["decisions"])
    cpu_med, cpu_max = _per_run(runs, "cpu", median), _per_run(runs, "cpu", max)
    wall_med, wall_max = _per_run(runs, "wall", median), _per_run(runs, "wall", max)
    ui_med, ui_max = _per_run(runs, "ui_cpu", median), _per_run(runs, "ui_cpu", max)
    idle_med = _per_run(runs, "settled_cpu", median)
    how = (
        f"wall {median(wall_med):.0f}, UI CPU {median(ui_med):.0f}, until idle "
        f"{median(idle_med):.0f} ms; {count} x {len(runs)} runs, {runs[0]['waiting']} waiting"
    )
    worst = f"wall {median(wall_max):.0f}, UI CPU {median(ui_max):.0f} ms"
    return [
        Row("inbox decision to next name: CPU, median", n, median(cpu_med), "ms", target,
            _detail(cpu_med, how)),
        Row("inbox decision to next name: CPU, max", n, median(cpu_max), "ms", target,
            _detail(cpu_max, worst)),
        *_part_rows(n, runs),
    ]  # fmt: skip


def _part_rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    keyed = {key: _per_run(runs, "cpu", median, key) for key in "swp"}
    walls = {key: median(_per_run(runs, "wall", median, key)) for key in "swp"}
    dialog = [
        median([d["dialog"]["cpu"] * 1000 for d in r["decisions"] if "dialog" in d]) for r in runs
    ]
    opening = [r["opening"]["cpu"] * 1000 for r in runs]
    gc_each = [[_gc(d) for d in r["decisions"]] for r in runs]
    gc_longest = [max(values) for values in gc_each]
    gc_hit = median([sum(value > 20 for value in values) for values in gc_each])
    count = len(runs[0]["decisions"])
    p_how = f"wall {walls['p']:.0f} ms; of which p to dialog {median(dialog):.0f} ms"
    return [
        Row("  s (screening)", n, median(keyed["s"]), "ms",
            detail=_detail(keyed["s"], f"wall {walls['s']:.0f} ms")),
        Row("  w (watching)", n, median(keyed["w"]), "ms",
            detail=_detail(keyed["w"], f"wall {walls['w']:.0f} ms")),
        Row("  p + reason (1 or enter)", n, median(keyed["p"]), "ms",
            detail=_detail(keyed["p"], p_how)),
        Row("  i to inbox shown", n, median(opening), "ms", detail=_detail(opening)),
        Row("  longest GC pass inside a decision", n, median(gc_longest), "ms",
            detail=_detail(gc_longest, f"{gc_hit:.0f} of {count} decisions had one > 20 ms")),
    ]  # fmt: skip


def run(settings: Settings) -> list[Row]:
    decisions = 30 if settings.iterations >= 10 else 3
    rows: list[Row] = []
    for n in settings.sizes:
        waiting = inbox_size(n)
        print(
            f"inbox: generating {n:,} companies, {waiting} in the inbox...",
            file=sys.stderr,
            flush=True,
        )
        dataset = data.dataset(n, settings.workdir, inbox=waiting)
        runs = []
        for attempt in range(settings.repeats):
            print(
                f"inbox: N={n:,} run {attempt + 1}/{settings.repeats}", file=sys.stderr, flush=True
            )
            path = str(fresh_copy(dataset.path, settings, "inbox"))
            runs.append(probe(PROBE, ["inbox", path, str(decisions)], settings))
        rows += _rows(n, runs)
    return rows
