"""What a user feels, in a real terminal, beside VisiData on the same companies.

Every figure is wall time (or peak memory) of a fresh ``moatscope`` process in a
pseudo-terminal of 160x48 (``feel_session``): the escape codes are written and read through
the kernel's pty, and a frame is found in that output. At each size N:

- first frame: spawn to the first company name on the terminal and the output of that frame
  done; VisiData's ``vd FILE`` on the Crunchbase-style CSV of the same N companies
  (``csv_data``, ~0.9 KB a company), to its first row. Goal: moatscope / VisiData <= 1 at
  10k, <= 1.25 at 50k, <= 1.5 at 100k.
- the first key after the first frame (``/`` and a letter sent as the frame is out): the
  work still running after the first frame is what it waits for. Goal as a filter key's.
- peak memory (VmHWM) of the app process after its first frame, after the filter keys and
  after a note is saved; VisiData's once its file is loaded. Goal: <= 2x VisiData.
- filter keys (``tui_probe``'s queries, key by key): wall time from the key written to the
  end of the output of the frame with the whole result (every row, the counts, the detail
  pane on the highlighted company); goal <= 16 ms at 10k, <= 50 ms at 50k and 100k, for
  the median key and the slowest. The frame with the list and counts alone is reported.
- a typing burst, 7 letters 40 ms apart: the last key to the final frame (same goal), and
  the longest garbage-collector pass from the first letter to that frame (<= 16 ms).
- a note saved (``a``, text, ``ctrl+s``): the key to the app's writer reporting it on disk
  (<= 50 ms).

Without VisiData (``pip install -e '.[bench]'``), its rows say so and judge nothing.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import orjson

from tests.benchmarks import csv_data, data
from tests.benchmarks.bench_tui import QUERIES, first_layer
from tests.benchmarks.feel_session import Session, moatscope_start, visidata_start
from tests.benchmarks.harness import Row, Settings, by_size, median, spread

BURSTS = ("routing", "cooling")
"""Seven letters each: a tag, and a word of tags and notes."""
SAVES = 1


def visidata() -> str | None:
    """The ``vd`` command beside this interpreter, or on the PATH; None if not installed."""
    beside = Path(sys.executable).with_name("vd")
    return str(beside) if beside.exists() else shutil.which("vd")


def key_goal(n: int) -> float:
    return by_size(n, 16.0, 50.0, 50.0)


def _ms(values: Sequence[float]) -> list[float]:
    return [value * 1000 for value in values]


def _range(values: Sequence[float], unit: str = "ms", digits: int = 0) -> str:
    return f"{spread(values, 1, digits)} {unit}"


def _names(dataset: data.Dataset) -> set[str]:
    raw = orjson.loads(dataset.path.read_bytes())
    return {company["name"] for company in raw["companies"].values()}


def _csv_names(csv: csv_data.CsvFile) -> set[str]:
    import csv as csv_module

    with csv.path.open(newline="", encoding="utf-8-sig") as handle:
        return {row[0] for row in csv_module.reader(handle) if row and row[0]}


def _session(dataset: data.Dataset, names: set[str], settings: Settings, queries) -> dict:
    """One app in a terminal: first key, filter keys, bursts, a save; peaks between."""
    session = Session(dataset.path, names, settings)
    try:
        first = session.first_key(queries[0][0])
        keys, escapes = [], []
        for query in queries:
            session.open_filter()
            for index in range(len(query)):
                keys.append(session.key(query[index], query[: index + 1]))
                time.sleep(0.3)
            escapes.append(session.clear_filter())
        bursts = []
        for word in BURSTS:
            bursts.append(session.burst(word))
            session.clear_filter()
        session.peak("filter")
        saves = [session.save_note() for _ in range(SAVES)]
        session.peak("save")
    finally:
        session.close()
    return {"first": first, "keys": keys, "esc": escapes, "bursts": bursts, "saves": saves,
            "peaks": session.peaks}  # fmt: skip


def _vd_rows(n: int, moat: list[dict], vd_runs: list[dict] | None) -> list[Row]:
    frame = median([r["frame"] for r in moat])
    rows = [
        Row("  moatscope: spawn to first frame", n, frame, "s",
            detail=_range(_ms([r["frame"] for r in moat])) + f"; {len(moat)} starts"),
        Row("  moatscope: spawn to settled (1 s quiet)", n, median([r["settled"] for r in moat]),
            "s", detail=_range(_ms([r["settled"] for r in moat]))),
    ]  # fmt: skip
    goal = by_size(n, 1.0, 1.25, 1.5)
    if vd_runs is None:
        missing = "VisiData not installed (pip install -e '.[bench]')"
        return [Row("first frame in a terminal, moatscope / VisiData", n, None, "x", goal,
                    missing), *rows]  # fmt: skip
    vd_frame = median([r["frame"] for r in vd_runs])
    return [
        Row("first frame in a terminal, moatscope / VisiData", n, frame / vd_frame, "x", goal,
            f"{frame:.2f} / {vd_frame:.2f} s"),
        *rows,
        Row("  VisiData: spawn to first rows", n, vd_frame, "s",
            detail=_range(_ms([r["frame"] for r in vd_runs])) + f"; {len(vd_runs)} starts"),
        Row("  VisiData: spawn to file loaded (1 s quiet)", n,
            median([r["settled"] for r in vd_runs]), "s",
            detail=_range(_ms([r["settled"] for r in vd_runs]))),
    ]  # fmt: skip


def _memory_rows(n: int, sessions: list[dict], vd_runs: list[dict] | None) -> list[Row]:
    def mb(when: str) -> float:
        return median([s["peaks"][when] / 1024 for s in sessions])

    peak = mb("save")
    parts = [
        Row(f"  moatscope peak memory after {when}", n, mb(when), "MB")
        for when in ("first frame", "filter", "save")
    ]
    if vd_runs is None:
        return [Row("peak memory, moatscope / VisiData", n, None, "x", 2.0,
                    "VisiData not installed"), *parts]  # fmt: skip
    vd_peak = median([r["kb"] / 1024 for r in vd_runs])
    return [
        Row(
            "peak memory, moatscope / VisiData",
            n,
            peak / vd_peak,
            "x",
            2.0,
            f"{peak:.0f} / {vd_peak:.0f} MB; the app process (VmHWM), after a save",
        ),
        *parts,
        Row("  VisiData peak memory, file loaded", n, vd_peak, "MB"),
    ]


def _key_rows(n: int, sessions: list[dict]) -> list[Row]:
    goal = key_goal(n)
    whole_med = [median(_ms([k["whole"] for k in s["keys"]])) for s in sessions]
    whole_max = [max(_ms([k["whole"] for k in s["keys"]])) for s in sessions]
    listed_med = [median(_ms([k["listed"] for k in s["keys"]])) for s in sessions]
    listed_max = [max(_ms([k["listed"] for k in s["keys"]])) for s in sessions]
    esc = [median(_ms([k["whole"] for k in s["esc"]])) for s in sessions]
    first = _ms([s["first"]["whole"] for s in sessions])
    how = f"{len(sessions[0]['keys'])} keys x {len(sessions)} runs; detail pane included"
    return [
        Row("filter key to whole result drawn: median", n, median(whole_med), "ms", goal,
            _range(whole_med, digits=1) + f"; {how}"),
        Row("filter key to whole result drawn: max", n, median(whole_max), "ms", goal,
            _range(whole_max, digits=1)),
        Row("  filter key to list and counts drawn: median", n, median(listed_med), "ms",
            detail=_range(listed_med, digits=1) + "; the detail pane may follow"),
        Row("  filter key to list and counts drawn: max", n, median(listed_max), "ms",
            detail=_range(listed_max, digits=1)),
        Row("  esc (filter cleared) to every row drawn", n, median(esc), "ms",
            detail=_range(esc, digits=1) + "; includes the terminal's wait for a lone esc"),
        Row("first key after the first frame, to whole result", n, median(first), "ms", goal,
            _range(first, digits=1) + "; / and a letter sent as the first frame is out"),
    ]  # fmt: skip


def _burst_rows(n: int, sessions: list[dict]) -> list[Row]:
    last = [max(_ms([b["whole"] for b in s["bursts"]])) for s in sessions]
    listed = [max(_ms([b["listed"] for b in s["bursts"]])) for s in sessions]
    gc = [max(_ms([b["gc"] for b in s["bursts"]])) for s in sessions]
    durable = [median(_ms([c["durable"] for c in s["saves"]])) for s in sessions]
    words = ", ".join(BURSTS)
    return [
        Row("typing burst (7 keys, 40 ms apart): last key to final frame", n, median(last),
            "ms", key_goal(n), _range(last, digits=1) + f"; worst of {words} per run"),
        Row("  burst: last key to list and counts drawn", n, median(listed), "ms",
            detail=_range(listed, digits=1)),
        Row("longest GC pass while typing (app process)", n, median(gc), "ms", 16.0,
            _range(gc, digits=1) + "; first letter to final frame, gc.callbacks"),
        Row("note saved in the terminal: ctrl+s to on disk", n, median(durable), "ms", 50.0,
            _range(durable, digits=1) + "; the app's writer reports it saved"),
    ]  # fmt: skip


def _measure(n: int, settings: Settings, vd: str | None) -> list[Row]:
    print(f"feel: N={n:,}: generating...", file=sys.stderr, flush=True)
    dataset = data.dataset(n, settings.workdir, layer=first_layer())
    names = _names(dataset)
    queries = QUERIES[:1] if settings.iterations < 10 else QUERIES
    csv = csv_data.crunchbase_csv(n, settings.workdir) if vd else None
    moatscope_start(dataset.path, names, settings)  # not timed: compiles the bytecode once
    if vd and csv:
        vd_names = _csv_names(csv)
        visidata_start(csv.path, vd_names, settings, vd)
    starts, vd_runs, sessions = [], [] if vd else None, []
    for attempt in range(settings.repeats):
        print(f"feel: N={n:,} run {attempt + 1}/{settings.repeats}", file=sys.stderr, flush=True)
        starts.append(moatscope_start(dataset.path, names, settings))
        if vd_runs is not None and vd and csv:
            vd_runs.append(visidata_start(csv.path, vd_names, settings, vd))
        sessions.append(_session(dataset, names, settings, queries))
    return (
        _vd_rows(n, starts, vd_runs)
        + _memory_rows(n, sessions, vd_runs)
        + _key_rows(n, sessions)
        + _burst_rows(n, sessions)
    )


def run(settings: Settings) -> list[Row]:
    vd = visidata()
    rows: list[Row] = []
    for n in settings.sizes:
        rows += _measure(n, settings, vd)
    return rows
