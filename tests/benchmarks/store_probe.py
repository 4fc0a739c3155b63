"""One store measurement in a fresh interpreter; prints its results as JSON on the last line.

    python -m tests.benchmarks.store_probe open PATH N
        import, open, list rows, one change; times each and the peak memory (max RSS).
    python -m tests.benchmarks.store_probe edit PATH N ITERATIONS
        open and list, one first change, then ITERATIONS notes and ITERATIONS undos, each timed,
        then ITERATIONS notes saved by the TUI's BackgroundWriter (the caller's share timed).

Only the standard library is imported before the clock starts, so import time is honest.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path
from time import perf_counter
from typing import Any

NOTE = "Follow-up call: **pricing** holds up at scale; ask for the churn numbers next week."


def _max_rss_kb() -> int:
    """This process's peak resident memory in KB.

    On Linux, ``ru_maxrss`` of a child started with vfork (as ``subprocess`` does) starts at
    the parent's peak, so the benchmark would report the generator's memory; ``VmHWM`` is the
    peak of this process image alone. ``ru_maxrss`` is the fallback elsewhere.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KB on Linux


def _open(path: Path, n: int) -> tuple[Any, list[Any], dict[str, float]]:
    """Open the workbench and list every row, timing the parse inside the open."""
    import store.db

    parse = store.db.parse_database
    parse_seconds: list[float] = []

    def timed_parse(raw: bytes, *where: Any) -> Any:
        start = perf_counter()
        try:
            return parse(raw, *where)
        finally:
            parse_seconds.append(perf_counter() - start)

    store.db.parse_database = timed_parse
    from store.service import Workbench

    start = perf_counter()
    workbench = Workbench.open(path, author="bench")
    opened = perf_counter()
    rows = workbench.rows()
    listed = perf_counter()
    if len(rows) != n:
        raise SystemExit(f"expected {n} rows, got {len(rows)}")
    times = {
        "open": opened - start,
        "parse": sum(parse_seconds),
        "rows": listed - opened,
        "usable": listed - start,
    }
    return workbench, rows, times


def measure_open(path: Path, n: int) -> dict[str, Any]:
    start = perf_counter()
    import store.service  # noqa: F401  (what the app imports before it opens anything)

    imported = perf_counter()
    rss_imported = _max_rss_kb()
    workbench, rows, times = _open(path, n)
    rss_listed = _max_rss_kb()
    before = perf_counter()
    workbench.add_note(rows[len(rows) // 2].id, NOTE)
    first_change = perf_counter() - before
    result = {
        **times,
        "import": imported - start,
        "first_change": first_change,
        "rss_imported_kb": rss_imported,
        "rss_listed_kb": rss_listed,
        "rss_kb": _max_rss_kb(),
    }
    workbench.close()
    return result


def measure_edit(path: Path, n: int, iterations: int) -> dict[str, Any]:
    workbench, rows, _ = _open(path, n)
    step = max(len(rows) // (iterations + 1), 1)
    targets = [rows[(i * step) % len(rows)].id for i in range(iterations + 1)]
    workbench.add_note(targets[0], NOTE)  # the first change is measured by measure_open
    changes, undos = [], []
    for company_id in targets[1:]:
        before = perf_counter()
        workbench.add_note(company_id, NOTE)
        changes.append(perf_counter() - before)
    for _ in range(iterations):
        before = perf_counter()
        if workbench.undo() is None:
            raise SystemExit("nothing to undo")
        undos.append(perf_counter() - before)
    background = _background_changes(workbench, targets[1:])
    workbench.close()
    return {"changes": changes, "undos": undos, "background": background}


def _background_changes(workbench: Any, company_ids: list[str]) -> list[float]:
    """Time what the TUI's thread spends per change when a BackgroundWriter saves it."""
    from store.writer import BackgroundWriter

    errors: list[BaseException] = []
    writer = BackgroundWriter(workbench.database, lambda _, error: error and errors.append(error))
    workbench.commit = writer.commit
    spent = []
    for company_id in company_ids:
        before = perf_counter()
        workbench.add_note(company_id, NOTE)
        spent.append(perf_counter() - before)
        writer.wait()
    writer.stop()
    if errors:
        raise errors[0]
    return spent


def main(argv: list[str]) -> None:
    mode, path, n = argv[0], Path(argv[1]), int(argv[2])
    if mode == "open":
        result = measure_open(path, n)
    elif mode == "edit":
        result = measure_edit(path, n, int(argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
