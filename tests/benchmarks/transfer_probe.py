"""Import and export in a fresh interpreter, each phase timed; prints JSON on the last line.

    python -m tests.benchmarks.transfer_probe import DB CSV
        open DB, plan the import of CSV, apply it (one durable change), close.
    python -m tests.benchmarks.transfer_probe refuse DB CSV
        open DB, ask to plan the import of CSV, which must be refused (too many rows).
    python -m tests.benchmarks.transfer_probe export DB
        open DB read-only (as ``moatscope export`` does), then write every company as CSV,
        JSON and Markdown to files (as ``--output`` does), each with the memory it added.

Only the standard library is imported before the clock starts. Each result also has the
process's peak resident memory (``peak_mb``).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any


def measure_import(db: Path, csv_path: Path) -> dict[str, Any]:
    start = perf_counter()
    from store.service import Workbench

    imported = perf_counter()
    workbench = Workbench.open(db, author="bench")
    opened = perf_counter()
    plan = workbench.plan_import(csv_path)
    planned = perf_counter()
    workbench.apply_import(plan)
    applied = perf_counter()
    companies = len(workbench.rows())
    workbench.close()
    closed = perf_counter()
    return {
        "import": imported - start,
        "open": opened - imported,
        "plan": planned - opened,
        "apply": applied - planned,
        "close": closed - applied,
        "counts": {action: plan.count(action) for action in ("add", "update", "duplicate", "skip")},
        "companies": companies,
    }


def measure_refusal(db: Path, csv_path: Path) -> dict[str, Any]:
    from store.errors import MoatscopeError
    from store.service import Workbench

    workbench = Workbench.open(db, author="bench")
    start = perf_counter()
    try:
        workbench.plan_import(csv_path)
    except MoatscopeError as error:
        message = str(error)
    else:
        raise SystemExit(f"{csv_path} was not refused")
    refused = perf_counter()
    workbench.close()
    return {"refuse": refused - start, "message": message}


def peak_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss: KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def measure_export(db: Path) -> dict[str, Any]:
    """Each format written to a file as ``moatscope export --output`` writes it (streamed),
    with its time, its size and how much it raised the peak memory above the open's."""
    start = perf_counter()
    from store.service import Workbench

    imported = perf_counter()
    workbench = Workbench.open(db, read_only=True)
    opened = perf_counter()
    result: dict[str, Any] = {"import": imported - start, "open": opened - imported}
    result["open_peak_mb"] = peak = peak_mb()
    with tempfile.TemporaryDirectory() as folder:
        for name in ("csv", "json", "md"):
            before = perf_counter()
            written = workbench.write_export(Path(folder) / f"export.{name}", name)
            result[name] = perf_counter() - before
            result[f"{name}_bytes"] = written.stat().st_size
            result[f"{name}_grew_mb"] = peak_mb() - peak
            peak = peak_mb()
    workbench.close()
    return result


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "import":
        result = measure_import(Path(argv[1]), Path(argv[2]))
    elif mode == "refuse":
        result = measure_refusal(Path(argv[1]), Path(argv[2]))
    elif mode == "export":
        result = measure_export(Path(argv[1]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps({**result, "peak_mb": peak_mb()}))


if __name__ == "__main__":
    main(sys.argv[1:])
