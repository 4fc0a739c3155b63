"""Where the open's time goes, in-process: each phase's CPU on the main thread.

    python tests/benchmarks/load_phases.py TREE PATH

Run as a script with the source tree to measure first on ``sys.path``, so two trees (main
and a branch) can be compared on one file, alternately. Wraps, in whichever module has
them: the parse, the open check, the files' preparation (the backup), the reading of the
files and the serialising of every record's line; then times the rows, layer totals and
inbox count the first frame needs and, on a tree that leaves tables for later
(``store.later``), reading those. Prints one JSON object of milliseconds and the peak
resident size in MB (``peak_mb``).
``time.thread_time`` counts this thread's CPU only: the backup on its own thread does not
show, and the machine's load changes these figures less than it changes wall time.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _wrap(owner: Any, name: str, label: str, timings: dict[str, float]) -> None:
    if not hasattr(owner, name):
        return
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            timings[label] = timings.get(label, 0.0) + time.thread_time() - start

    setattr(owner, name, timed)


def main(tree: str, path: Path) -> dict[str, float]:
    sys.path.insert(0, tree)
    import store.db as db
    import store.lines as lines
    from store.service import Workbench

    try:
        import store.opening as opening
    except ImportError:  # a tree from before store/opening.py
        opening = db
    timings: dict[str, float] = {}
    _wrap(opening, "parse_database", "parse", timings)
    _wrap(opening, "first_problem", "check", timings)
    _wrap(db, "prepare_files", "prepare", timings)
    _wrap(db, "prepare", "prepare", timings)
    _wrap(db, "read_files", "read", timings)
    _wrap(lines.RecordLines, "rebuild", "lines", timings)
    options = {"background": True} if "background" in Workbench.open.__code__.co_varnames else {}
    start = time.thread_time()
    workbench = Workbench.open(path, **options)
    timings["open"] = time.thread_time() - start
    start = time.thread_time()
    workbench.rows(layer="power")
    workbench.layer_totals()
    workbench.inbox_count()
    timings["rows"] = time.thread_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if hasattr(workbench.database, "complete"):
        start = time.thread_time()
        workbench.database.complete()
        timings["after_frame"] = time.thread_time() - start
    workbench.database._lock.release()  # (nothing to write: no close, no compaction)
    preparing = getattr(workbench.database, "preparing", None)
    if preparing is not None:
        preparing.failure()
    result = {key: round(value * 1000, 1) for key, value in timings.items()}
    return {**result, "peak_mb": round(peak, 1)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], Path(sys.argv[2]))))
