"""The value chain's reads and changes in a fresh interpreter; prints JSON on the last line.

    python -m tests.benchmarks.chain_probe PATH ITERATIONS

Opens the database and lists its rows (as the app does before anything is drawn), then times:
the exposure roll-up (the first call, and ITERATIONS more: it is computed afresh each time,
as a view redrawn after a change would), one company's relations (the first call builds the
index of all relations; then ITERATIONS companies, each read once), a company's whole value
chain (relations, names, a loop of supplies), the stack map's flows between layers (the
first call, ITERATIONS computed afresh as after a change, ITERATIONS read again at one
revision, and the relations behind the busiest "All" cell: the dozen the map's notes name and
the thousand enter lists), and a link and an unlink made durable.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from time import perf_counter
from typing import Any


def _timed(call: Any) -> float:
    start = perf_counter()
    call()
    return perf_counter() - start


def _flows(bench: Any, iterations: int) -> dict[str, Any]:
    from store.layer_flows import flows_of, layer_flows
    from tui.screens.stack_map import LISTED, NOTED

    def afresh() -> None:
        layer_flows(bench.layers(), bench.rows(), bench.relation_records().values())

    first = _timed(lambda: flows_of(bench))
    flows = flows_of(bench)
    busiest = max(range(len(flows.grid.rows)), key=lambda r: flows.grid.cells[r][-1].count)
    last = len(flows.grid.columns) - 1
    return {
        "flows_notes": [
            _timed(lambda: flows.behind(busiest, last, first=NOTED)) for _ in range(iterations)
        ],
        "flows_list": [
            _timed(lambda: flows.behind(busiest, last, first=LISTED)) for _ in range(iterations)
        ],
        "flows_busiest": flows.grid.cells[busiest][-1].count,
        "flows_first": first,
        "flows": [_timed(afresh) for _ in range(iterations)],
        "flows_kept": [_timed(lambda: flows_of(bench)) for _ in range(iterations)],
        "supplies": flows_of(bench).total,
    }


def measure(path: Path, iterations: int) -> dict[str, Any]:
    from store.service import Workbench

    bench = Workbench.open(path, author="bench")
    try:
        rows = bench.rows()
        ids = sorted(row.id for row in rows)
        rng = random.Random(22)
        picks = [rng.choice(ids) for _ in range(iterations)]
        result: dict[str, Any] = {
            "relations": len(bench.relation_records()),
            "exposure_first": _timed(bench.exposure),
            "exposure": [_timed(bench.exposure) for _ in range(iterations)],
            "relations_first": _timed(lambda: bench.relations_of(picks[0])),
            "relations_of": [_timed(lambda c=c: bench.relations_of(c)) for c in picks],
            "value_chain": [_timed(lambda c=c: bench.value_chain(c)) for c in picks],
            "degree": sum(len(bench.relations_of(c)) for c in picks) / len(picks),
            **_flows(bench, iterations),
        }
        links, unlinks = [], []
        for source, target in zip(picks, reversed(picks), strict=True):
            if source == target or any(
                r["to_company"] == target and r["kind"] == "competes"
                for r in bench._caches.relations_of(source).values()
            ):
                continue
            links.append(_timed(lambda s=source, t=target: bench.link(s, t, "competes")))
            unlinks.append(_timed(lambda s=source, t=target: bench.unlink(s, t, "competes")))
        result.update(link=links, unlink=unlinks)
        return result
    finally:
        bench.close()


if __name__ == "__main__":
    outcome = measure(Path(sys.argv[1]), int(sys.argv[2]))
    print(json.dumps(outcome))
