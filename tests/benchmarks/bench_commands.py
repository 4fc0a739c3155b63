"""The command line at scale: one-company commands, import beside ``vd -b``, exports' memory.

Every figure is a whole ``moatscope`` process (``python -m tui``: interpreter, imports,
open, work, close), wall time from spawn to exit, median of fresh processes:

- ``add``, ``note``, ``status``, ``show`` of one company at N against the same at 1,000
  companies. Goal (issue 23): at most 2x, at every N: a command pays for what it touches.
  Each runs on a fresh copy opened once before (an ``add``), so its session's backup is the
  one a user's second session makes.
- ``import`` of the Crunchbase-style CSV of N rows (``csv_data``, ~0.9 KB a company) into a
  new database, against VisiData's ``vd -b FILE -o out.json`` on the same file (loads every
  row, writes them as JSON). Goal: at most 1.5x.
- ``export --format md`` and ``--format csv`` of every company: the peak memory (VmHWM,
  ``peak``) the export adds to ``show`` (an open of the same database), per 1,000
  companies. Goal: flat, at most 0.05 MB a 1k companies (5 MB at 100k), where holding the
  whole output would cost about as much as the file itself.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from tests.benchmarks import csv_data, data
from tests.benchmarks.bench_feel import visidata
from tests.benchmarks.bench_transfer import seeded_db
from tests.benchmarks.harness import (
    Row,
    Settings,
    child_env,
    fresh_copy,
    median,
    run_child,
    spread,
)

BASE = 1_000
"""The size the one-company commands are compared with."""
COMMANDS = ("add", "note", "status", "show")
EXPORTS = ("md", "csv")
FLAT = 0.05
"""MB a 1k companies an export may add to the open's peak."""


def _moatscope(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", *args]


def _timed(command: list[str], settings: Settings, env: dict[str, str] | None = None) -> float:
    start = time.monotonic()
    run_child(command, settings, env)
    return time.monotonic() - start


def _some_company(dataset: data.Dataset) -> str:
    """The id of a company in the middle of the file."""
    ids = sorted(orjson.loads(dataset.path.read_bytes())["companies"])
    return ids[len(ids) // 2]


def _one_company(dataset: data.Dataset, settings: Settings) -> dict[str, list[float]]:
    """Each command's wall time, ``repeats`` fresh copies."""
    company = _some_company(dataset)
    args: dict[str, Callable[[int], list[str]]] = {
        "add": lambda i: ["add", f"Bench Added {i}", "--layer", "compute"],
        "note": lambda i: ["note", company, f"Bench note {i}."],
        "status": lambda i: ["status", company, ("watching", "screening")[i % 2]],
        "show": lambda i: ["show", company],
    }
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for attempt in range(settings.repeats):
        db = str(fresh_copy(dataset.path, settings, "commands"))
        run_child(_moatscope("--db", db, "add", "Warm Up", "--layer", "compute"), settings)
        for name in COMMANDS:
            command = _moatscope("--db", db, *args[name](attempt))
            times[name].append(_timed(command, settings))
    return times


def _command_rows(n: int, times: dict, base: dict) -> list[Row]:
    rows = []
    for name in COMMANDS:
        at_n, at_base = median(times[name]), median(base[name])
        rows.append(
            Row(f"moatscope {name}: one company, at N / at 1k", n, at_n / at_base, "x", 2.0,
                f"{at_n:.2f} / {at_base:.2f} s; {spread(times[name], 1000)} ms at N")
        )  # fmt: skip
    return rows


def _import_rows(n: int, settings: Settings, vd: str | None) -> list[Row]:
    csv = csv_data.crunchbase_csv(n, settings.workdir)
    walls, vd_walls = [], []
    out = settings.workdir / "vd-out.json"
    home = settings.workdir / "vd-home"
    home.mkdir(exist_ok=True)
    for _ in range(settings.repeats):
        db = str(fresh_copy(seeded_db(settings), settings, "import"))
        walls.append(_timed(_moatscope("import", str(csv.path), "--db", db), settings))
        if vd:
            command = [vd, "-b", "--motd-url=", str(csv.path), "-o", str(out)]
            vd_walls.append(_timed(command, settings, {**child_env(settings), "HOME": str(home)}))
    moat = median(walls)
    size = f"{csv.file_bytes / csv.rows / 1024:.2f} KB/row"
    if not vd_walls:
        return [
            Row("import N-row CSV, moatscope / vd -b", n, None, "x", 1.5, "VisiData not installed"),
            Row("  moatscope import, new database", n, moat, "s", detail=size),
        ]
    return [
        Row("import N-row CSV, moatscope / vd -b", n, moat / median(vd_walls), "x", 1.5,
            f"{moat:.2f} / {median(vd_walls):.2f} s; {size}"),
        Row("  moatscope import, new database", n, moat, "s",
            detail=f"{spread(walls, 1000)} ms"),
        Row("  vd -b FILE -o out.json", n, median(vd_walls), "s",
            detail=f"{spread(vd_walls, 1000)} ms"),
    ]  # fmt: skip


def _peak_mb(args: list[str], settings: Settings) -> float:
    out = settings.workdir / "peak.txt"
    out.unlink(missing_ok=True)
    run_child([sys.executable, "-m", "tests.benchmarks.peak", str(out), *args], settings)
    return int(out.read_text()) / 1024


def _export_rows(dataset: data.Dataset, settings: Settings) -> list[Row]:
    n, db = dataset.companies, str(dataset.path)
    company = _some_company(dataset)
    opened = median([_peak_mb(["--db", db, "show", company], settings) for _ in range(2)])
    rows = []
    for fmt in EXPORTS:
        target = str(settings.workdir / f"export.{fmt}")
        command = ["export", "--db", db, "--format", fmt, "--force", "--output", target]
        peak = median([_peak_mb(command, settings) for _ in range(2)])
        rows.append(
            Row(f"export {fmt}: memory it adds, per 1k companies", n,
                max(peak - opened, 0.0) / (n / 1000), "MB/1k", FLAT,
                f"peak {peak:.0f} MB, show's {opened:.0f} MB; file "
                f"{Path(target).stat().st_size / 2**20:.0f} MB")
        )  # fmt: skip
    return rows


def run(settings: Settings) -> list[Row]:
    vd = visidata()
    print(f"commands: N={BASE:,} (the base)...", file=sys.stderr, flush=True)
    base = _one_company(data.dataset(BASE, settings.workdir), settings)
    rows: list[Row] = []
    for n in settings.sizes:
        print(f"commands: N={n:,}", file=sys.stderr, flush=True)
        dataset = data.dataset(n, settings.workdir)
        rows += _command_rows(n, _one_company(dataset, settings), base)
        rows += _import_rows(n, settings, vd)
        rows += _export_rows(dataset, settings)
    return rows
