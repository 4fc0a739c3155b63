"""What every benchmark module shares: settings, result rows, fresh-process probes, the table.

A benchmark module is any ``tests/benchmarks/bench_*.py`` with a function
``run(settings: Settings) -> list[Row]``; ``python -m tests.benchmarks`` finds and runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """How much to measure and where scratch files go."""

    sizes: tuple[int, ...]
    """Numbers of companies to build databases for."""
    repeats: int
    """Fresh processes per measurement; the table shows their median."""
    iterations: int
    """Repetitions of a quick operation inside one process (e.g. saving a change)."""
    workdir: Path
    """A temporary folder for this run: generated databases, copies, XDG folders."""


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    metric: str
    n: int
    measured: float | None
    """None: not measured (``detail`` says why, e.g. VisiData not installed); never a pass."""
    unit: str
    target: float | None = None
    """An upper bound in ``unit``; None means the value is only reported."""
    detail: str = ""

    @property
    def verdict(self) -> str:
        if self.measured is None:
            return "n/a"
        if self.target is None:
            return "report"
        return "yes" if self.measured <= self.target else "NO"


def by_size(n: int, at_10k: float, at_50k: float, at_100k: float) -> float:
    """A goal that depends on the number of companies: the one for the nearest size up
    (10k and under, 50k and under, anything larger)."""
    if n <= 10_000:
        return at_10k
    return at_50k if n <= 50_000 else at_100k


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], scale: float = 1.0, digits: int = 0) -> str:
    """``min-max`` of ``values`` times ``scale``, for the detail column."""
    return f"{min(values) * scale:.{digits}f}-{max(values) * scale:.{digits}f}"


def child_env(settings: Settings) -> dict[str, str]:
    """The environment of a child process: its own XDG folders under the workdir, so
    backups and config never touch a developer's files, and no ``MOATSCOPE_DB``.

    Compiled bytecode goes to the workdir too, never into the source tree, and is
    reused from one child to the next, as an installed ``moatscope`` has its bytecode
    from the install: a start timed with every module compiled afresh measures the
    compiler, not the app."""
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(settings.workdir / "xdg-data"),
        "XDG_CONFIG_HOME": str(settings.workdir / "xdg-config"),
        "PYTHONPYCACHEPREFIX": str(settings.workdir / "bytecode"),
    }
    env.pop("MOATSCOPE_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(
    command: Sequence[str], settings: Settings, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in the repository with ``child_env`` (or ``env``); raise with its
    stderr if it fails."""
    done = subprocess.run(
        list(command),
        cwd=REPO,
        env=child_env(settings) if env is None else env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    return done


def probe(module: str, args: Sequence[str], settings: Settings) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh interpreter; return the JSON it prints last."""
    done = run_child([sys.executable, "-m", module, *args], settings)
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_copy(source: Path, settings: Settings, folder: str = "live") -> Path:
    """A copy of ``source`` as ``moatscope.json`` in an otherwise empty ``workdir/folder``.

    A new copy (new mtime) per run, so every open makes its backup as after a real session.
    """
    live = settings.workdir / folder / "moatscope.json"
    live.parent.mkdir(exist_ok=True)
    for leftover in live.parent.iterdir():
        leftover.unlink()
    shutil.copyfile(source, live)
    return live


def _digits(unit: str) -> int:
    return 3 if unit == "s" else 2 if unit in ("x", "MB/1k") else 1 if unit in ("ms", "KB") else 0


def _value(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:.{_digits(unit)}f} {unit}"


def _format(row: Row) -> tuple[str, ...]:
    target = "-" if row.target is None else f"<= {_value(row.target, row.unit)}"
    return (
        row.metric,
        f"{row.n:,}",
        _value(row.measured, row.unit),
        target,
        row.verdict,
        row.detail,
    )


def _aligned(cells: list[tuple[str, ...]], right: set[int]) -> str:
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return " | ".join(parts).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(c) for c in cells[1:])])


def table(rows: Sequence[Row]) -> str:
    """The rows as an aligned plain-text table, one line per row, with its detail."""
    header = ("metric", "N", "measured", "target", "ok?", "detail")
    return _aligned([header, *(_format(row) for row in rows)], {1, 2})


def _cell(row: Row | None) -> str:
    if row is None:
        return ""
    if row.measured is None:
        return "n/a"
    mark = {"yes": " ok", "NO": " NO"}.get(row.verdict, "")
    return _value(row.measured, row.unit) + mark


def _targets(found: dict[int, Row]) -> str:
    """The goal of a metric: one bound, or one per size when they differ."""
    bounds = [row.target for row in found.values()]
    if all(bound is None for bound in bounds):
        return "-"
    unit = next(iter(found.values())).unit
    shown = [_value(bound, unit).removesuffix(f" {unit}") for bound in bounds]
    return f"<= {' / '.join(dict.fromkeys(shown))} {unit}"


def grid(rows: Sequence[Row], sizes: Sequence[int]) -> str:
    """The rows with an N in ``sizes`` as one line per metric and a column per size (each
    cell its median and, for a goal, ok or NO); the other rows in ``table``'s form."""
    metrics: dict[str, dict[int, Row]] = {}
    others = []
    for row in rows:
        if row.n in sizes:
            metrics.setdefault(row.metric, {})[row.n] = row
        else:
            others.append(row)
    header = ("metric", "goal", *(f"{n:,}" for n in sizes))
    cells = [header]
    for metric, found in metrics.items():
        cells.append((metric, _targets(found), *(_cell(found.get(n)) for n in sizes)))
    out = _aligned(cells, set(range(2, 2 + len(sizes))))
    return out + ("\n\n" + table(others) if others else "")
