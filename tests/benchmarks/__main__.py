"""``python -m tests.benchmarks [--quick] [--only NAME]``: run every benchmark, print one table.

Benchmarks are the ``bench_*`` modules of this package; each has ``run(settings) -> list[Row]``.
By default every goal is judged at 10k, 50k and 100k companies; ``--sizes 10000`` narrows
that, and ``--quick`` measures 1k companies only, to check the benchmarks still work. The
table has a line per metric and a column per size; ``--long`` adds one line per row with
its details (spread, phases, what was measured).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks import cache
from tests.benchmarks.harness import Row, Settings, grid, table

PACKAGE = "tests.benchmarks"


FIRST = ("feel", "commands")
"""Modules whose rows come first: what a user feels; the rest follow by name."""


def discover() -> list[str]:
    """The names (without ``bench_``) of the benchmark modules, ``FIRST`` first."""
    folder = Path(__file__).parent
    names = sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules([str(folder)])
        if info.name.startswith("bench_")
    )
    return [name for name in FIRST if name in names] + [n for n in names if n not in FIRST]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1k companies, fewer repeats")
    parser.add_argument("--only", action="append", choices=discover(), help="run only these")
    parser.add_argument(
        "--sizes",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        help="comma-separated company counts (default 10000,50000,100000)",
    )
    parser.add_argument("--repeats", type=int, help="fresh processes per measurement (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--long", action="store_true", help="also one line per row, with details")
    parser.add_argument(
        "--clear-cache", action="store_true", help="delete the generated files kept between runs"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.clear_cache:
        cache.clear()
    workdir = Path(tempfile.mkdtemp(prefix="moatscope-bench-"))
    settings = Settings(
        sizes=args.sizes or ((1_000,) if args.quick else (10_000, 50_000, 100_000)),
        repeats=args.repeats or (3 if args.quick else 5),
        iterations=5 if args.quick else 20,
        workdir=workdir,
    )
    print(
        f"benchmarks in {workdir}; Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.2f}; generated files kept in {cache.root() or workdir}",
        file=sys.stderr,
    )
    started = time.perf_counter()
    rows: list[Row] = []
    try:
        for name in args.only or discover():
            module = importlib.import_module(f"{PACKAGE}.bench_{name}")
            found = module.run(settings)
            rows += found
            # Each module's rows as it ends, on stderr: an interrupted run keeps what it measured.
            print(
                f"\n{name}: {time.perf_counter() - started:.0f} s so far, load "
                f"{os.getloadavg()[0]:.2f}\n{grid(found, settings.sizes)}\n",
                file=sys.stderr,
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(grid(rows, settings.sizes))
    if args.long:
        print("\n" + table(rows))
    print(
        f"\n{len(rows)} rows in {time.perf_counter() - started:.0f} s; medians of "
        f"{settings.repeats} fresh processes; load average now {os.getloadavg()[0]:.2f}"
    )
    missed = [row for row in rows if row.verdict == "NO"]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
