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
    measured: float
    unit: str
    target: float | None = None
    """An upper bound in ``unit``; None means the value is only reported."""
    detail: str = ""

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "report"
        return "yes" if self.measured <= self.target else "NO"


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


def run_child(command: Sequence[str], settings: Settings) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in the repository with ``child_env``; raise with its stderr if it fails."""
    done = subprocess.run(
        list(command),
        cwd=REPO,
        env=child_env(settings),
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


def _format(row: Row) -> tuple[str, ...]:
    digits = 3 if row.unit == "s" else 1 if row.unit in ("ms", "KB") else 0
    target = "-" if row.target is None else f"<= {row.target:.{digits}f} {row.unit}"
    return (
        row.metric,
        f"{row.n:,}",
        f"{row.measured:.{digits}f} {row.unit}",
        target,
        row.verdict,
        row.detail,
    )


def table(rows: Sequence[Row]) -> str:
    """The rows as an aligned plain-text table."""
    header = ("metric", "N", "measured", "target", "ok?", "detail")
    cells = [header, *(_format(row) for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    right = {1, 2}

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return " | ".join(parts).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(c) for c in cells[1:])])
