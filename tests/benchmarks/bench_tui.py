"""The TUI on a big stack, headless: where the time of a start, a key, a save goes.

Every company is in the first layer, the one the main screen opens on, so the company table
holds all N rows. Each measurement runs ``tui_probe`` in a fresh interpreter on a fresh copy
of the generated file, headless at 160x48 (``App.run_test``); see ``tui_probe`` for what a
frame is. Every probe starts cold, so the cold start is timed in all of them (two per run).

The goals a user feels (first frame, keys to the whole result, memory) are judged in a real
terminal by ``bench_feel``; the headless rows here are reports that explain them: the cold
start's phases, the CPU a key costs up to its first frame, the filter called directly. The
goal judged here, at every size, is one only an in-process probe can see: the longest
stall of the event loop while a change is saved (<= 16 ms).

``MOATSCOPE_TEXTUAL_PATCHES`` in the environment reaches every probe (``off``, or
``without:name,...``): the way to A/B the patches of ``tui/textual_patches.py``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tests.benchmarks import data
from tests.benchmarks.harness import Row, Settings, fresh_copy, median, probe, spread

PROBE = "tests.benchmarks.tui_probe"
QUERIES = ("nova", "grid", "churn", "nvoa")
"""A name part, a tag, a word only found in notes, a typo (no substring hit: fuzzy names)."""


def first_layer() -> str:
    """The layer the main screen opens on."""
    from store.seed import default_layers

    return min(default_layers(), key=lambda layer: (layer.position, layer.name)).id


STALL = 16.0
"""The longest the event loop may stop while a change is saved, in ms, at every size."""


def _ms(values: Sequence[float]) -> list[float]:
    return [value * 1000 for value in values]


def _detail(values: Sequence[float], how: str = "", unit: str = "ms") -> str:
    digits = 0 if unit == "ms" and max(values) >= 100 else 1
    return f"{spread(values, 1, digits)} {unit}" + (f"; {how}" if how else "")


def _start_rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    frame = [r["frame"] - r["spawned"] for r in runs]
    idle = median([r["paused"] - r["spawned"] for r in runs])
    parts = {
        "    interpreter start (spawn to probe)": [r["main"] - r["spawned"] for r in runs],
        "    imports (store, tui, textual)": [r["imported"] - r["main"] for r in runs],
        "    open (checklist + Workbench.open)": [r["opened"] - r["imported"] for r in runs],
        "    app start to that frame": [r["frame"] - r["opened"] for r in runs],
        "    then until idle (the first pause() returns)": [r["paused"] - r["frame"] for r in runs],
    }
    rows = [
        Row(
            "  headless (Pilot): cold start to first frame, table filled",
            n,
            median(frame),
            "s",
            None,
            _detail(
                _ms(frame),
                f"{len(runs)} starts; {runs[0]['rows']:,} rows; "
                f"idle (detail filled) at {idle * 1000:.0f} ms",
            ),
        ),
    ]
    rows += [
        Row(name, n, median(_ms(values)), "ms", detail=_detail(_ms(values)))
        for name, values in parts.items()
    ]
    return rows


def _per_run(runs: list[dict[str, Any]], key: str, field: str, stat: Any) -> list[float]:
    """``stat`` of each run's ``key`` entries' ``field``, in ms."""
    return [stat([p[field] * 1000 for p in r[key]]) for r in runs]


def _filter_rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    """Keys pressed through the pilot: CPU to the first frame (reports: the goal is
    ``bench_feel``'s wall time to the whole result in a terminal)."""
    target = None
    cpu_med, cpu_max = (
        _per_run(runs, "presses", "cpu", median),
        _per_run(runs, "presses", "cpu", max),
    )
    wall_med = median(_per_run(runs, "presses", "wall", median))
    wall_max = median(_per_run(runs, "presses", "wall", max))
    set_med = median(_per_run(runs, "presses", "settled_cpu", median))
    set_max = median(_per_run(runs, "presses", "settled_cpu", max))
    how = f"{len(runs[0]['presses'])} keys x {len(runs)} runs"
    worst = _worst_keys(runs, "presses")
    return [
        Row("  headless: filter key to first frame: CPU, median", n, median(cpu_med), "ms", target,
            _detail(cpu_med, f"wall {wall_med:.0f} ms; until idle {set_med:.0f} ms CPU; {how}")),
        Row("  headless: filter key to first frame: CPU, max", n, median(cpu_max), "ms", target,
            _detail(cpu_max, f"wall {wall_max:.0f} ms; until idle {set_max:.0f} ms CPU; "
                    f"worst keys {worst}")),
        *_direct_rows(n, runs, target),
    ]  # fmt: skip


def _all_layers(row: Row) -> Row:
    """A filter row measured in All layers (every company, with its layer's name)."""
    return replace(row, metric=row.metric.replace("headless:", "headless, All layers:"))


def _direct_rows(n: int, runs: list[dict[str, Any]], target: float | None) -> list[Row]:
    """The filter called directly (no pilot), and the collector's share of a key."""
    direct_med = _per_run(runs, "direct", "cpu", median)
    direct_max = _per_run(runs, "direct", "cpu", max)
    whole_med = median(_per_run(runs, "direct", "whole_cpu", median))
    whole_max = _per_run(runs, "direct", "whole_cpu", max)
    gc_max = _per_run(runs, "presses", "gc", max)
    calls = f"{len(runs[0]['direct'])} calls x {len(runs)} runs, warm index"
    whole_how = (
        f"median {whole_med:.1f} ms; worst keys {_worst_keys(runs, 'direct', 'whole_cpu')}; "
        "after the first screenful's frame"
    )
    return [
        Row("    apply_filter + screen update, direct: median", n, median(direct_med), "ms",
            target, _detail(direct_med, calls)),
        Row("    apply_filter + screen update, direct: max", n, median(direct_max), "ms", target,
            _detail(direct_max, f"worst keys {_worst_keys(runs, 'direct')}")),
        Row("    and on to the whole result (count, scrollbar), direct: max", n,
            median(whole_max), "ms", detail=_detail(whole_max, whole_how)),
        Row("    longest GC pass inside a key's span", n, median(gc_max), "ms",
            detail=_detail(gc_max, "press to frame; cyclic GC, any generation")),
    ]  # fmt: skip


def _worst_keys(runs: list[dict[str, Any]], key: str, field: str = "cpu") -> str:
    """The slowest key (by ``field``) of each run, without repeats."""
    worst = [max(r[key], key=lambda p: p[field])["key"] for r in runs]
    return ", ".join(repr(k) for k in dict.fromkeys(worst))


def _stall_rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    """Changes saved while the UI runs: the longest stall has the target."""
    changes = [r["changes"] for r in runs]
    longest = [max(c["stall"] for c in each) * 1000 for each in changes]
    typical = [median([c["stall"] for c in each]) * 1000 for each in changes]
    service = [median([c["service"] for c in each]) * 1000 for each in changes]
    until_saved = [median([c["until_saved"] for c in each]) * 1000 for each in changes]
    saved = median(until_saved)
    writes = [median(r["writes"]) * 1000 for r in runs]
    control = [max(c["control"] for c in each) * 1000 for each in changes]
    how = f"worst of {len(changes[0])} changes (notes, statuses) x {len(runs)} runs"
    return [
        Row("longest UI stall during a save", n, median(longest), "ms", STALL,
            _detail(longest, how)),
        Row("  headless: key to the change on disk", n, saved, "ms",
            detail=_detail(until_saved, "includes the pilot's waits; the goal is bench_feel's")),
        Row("  stall per change (median)", n, median(typical), "ms",
            detail=_detail(typical)),
        Row("  control: longest stall, same dialog closed by esc", n, median(control), "ms",
            detail=_detail(control, "nothing changed or saved")),
        Row("  service call on the UI thread (median)", n, median(service), "ms",
            detail=_detail(service, "add_note/set_status incl. snapshot")),
        Row("  background write (median)", n, median(writes), "ms",
            detail=_detail(writes, "writer thread, write_snapshot")),
        *_collector_rows(n, runs),
    ]  # fmt: skip


def _collector_rows(n: int, runs: list[dict[str, Any]]) -> list[Row]:
    """The garbage collector's passes around the saves and in the pauses after them."""
    gc_longest = [max(c["gc"] for c in r["changes"]) * 1000 for r in runs]
    gc_control = median([max(c["control_gc"] for c in r["changes"]) * 1000 for r in runs])
    idle = [max(r["idle_passes"], default=0.0) * 1000 for r in runs]
    idle_median = median([median(r["idle_passes"] or [0.0]) * 1000 for r in runs])
    deep = [r["deep"] * 1000 for r in runs]
    return [
        Row("  longest GC pass inside a save window", n, median(gc_longest), "ms",
            detail=_detail(gc_longest, f"control windows {gc_control:.0f} ms")),
        Row("  idle GC pass after a pause (longest)", n, median(idle), "ms",
            detail=_detail(idle, f"median {idle_median:.0f} ms; 0.25 s after a key")),
        Row("  deep GC pass after a long pause", n, median(deep), "ms",
            detail=_detail(deep, "after 2 s without a key, once the heap doubled")),
    ]  # fmt: skip


def _probe(mode: str, dataset: data.Dataset, settings: Settings, *args: str) -> dict[str, Any]:
    path = str(fresh_copy(dataset.path, settings, "tui"))
    spawned = time.monotonic()
    result = probe(PROBE, [mode, path, *args], settings)
    result["start"]["spawned"] = spawned
    return result


def run(settings: Settings) -> list[Row]:
    quick = settings.iterations < 10
    changes = 2 if quick else settings.iterations
    queries = QUERIES[:1] if quick else QUERIES
    rows: list[Row] = []
    layer = first_layer()
    for n in settings.sizes:
        print(f"tui: generating {n:,} companies in layer {layer}...", file=sys.stderr, flush=True)
        dataset = data.dataset(n, settings.workdir, layer=layer)
        _probe("start", dataset, settings)  # not timed: compiles the bytecode once
        filters, everywhere, stalls = [], [], []
        for attempt in range(settings.repeats):
            print(f"tui: N={n:,} run {attempt + 1}/{settings.repeats}", file=sys.stderr, flush=True)
            filters.append(_probe("filter", dataset, settings, *queries))
            everywhere.append(_probe("filter-all", dataset, settings, *queries))
            stalls.append(_probe("stall", dataset, settings, str(changes)))
        starts = [result["start"] for result in filters + stalls]
        rows += _start_rows(n, starts) + _filter_rows(n, filters)
        rows += [_all_layers(row) for row in _filter_rows(n, everywhere)[:2]]
        rows += _stall_rows(n, stalls)
    return rows
