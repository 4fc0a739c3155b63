"""The merge driver (issue 24): two people's week of work on a database of N companies.

The base is the generated database (``data.build_tables``). Each side then edits 1% of the
companies (a field, a tag, a note, a status), adds 50 and deletes 10; 20 companies are
edited by both, on the same field, so the merge records conflicts. End to end is the wall
time of ``moatscope merge BASE OURS THEIRS PATH`` from spawn to exit, as git runs it:
interpreter, imports, three reads, the merge, the atomic write of OURS. In process is
``store.merge.merge_files`` alone, on bytes already read.

Target (issue 24): 10,000 companies merged in about a second, end to end (1.0 s).
"""

from __future__ import annotations

import copy
import random
import shutil
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import data
from tests.benchmarks.harness import Row, Settings, median, run_child, spread

TARGET_N = 10_000
TARGET_S = 1.0
EDITED = 0.01
ADDED, DELETED, CONTESTED = 50, 10, 20


def _edit(tables: dict[str, Any], rng: random.Random, side: str, contested: list[str]) -> None:
    companies = tables["companies"]
    keys = sorted(companies)
    stamp = f"2026-11-2{1 if side == 'ours' else 2}T10:00:00Z"
    for key in rng.sample(keys, int(len(keys) * EDITED)):
        company = companies[key]
        company["updated"] = stamp
        match rng.randrange(4):
            case 0:
                company["owner"] = f"{side}-owner"
            case 1:
                company["tags"] = [*company["tags"], f"{side}-tag"]
            case 2:
                note = {"id": f"nt-{side}-{key}", "created": stamp, "author": side, "body": side}
                company["notes"] = [*company["notes"], note]
            case _:
                company["one_liner"] = f"{company['one_liner']} ({side})"
    for key in contested:
        companies[key].update(stage=f"{side} stage", updated=stamp)
    for key in rng.sample(sorted(set(keys) - set(contested)), DELETED):
        companies.pop(key, None)
    template = companies[min(companies)]
    for index in range(ADDED):
        key = f"co-{side}-{index:04d}"
        companies[key] = {**copy.deepcopy(template), "id": key, "name": f"{side} {index}"}


def inputs(n: int, folder: Path) -> tuple[Path, Path, Path]:
    """The base and the two sides' files for ``n`` companies, written once per folder."""
    from store.merge import dump

    paths = tuple(folder / f"merge-{n}-{what}.json" for what in ("base", "ours", "theirs"))
    if all(path.exists() for path in paths):
        return paths  # type: ignore[return-value]
    base = data.build_tables(n)
    rng = random.Random(data.SEED + 24)
    contested = rng.sample(sorted(base["companies"]), CONTESTED)
    sides = []
    for side in ("ours", "theirs"):
        tables = copy.deepcopy(base)
        _edit(tables, random.Random(f"{data.SEED}-{side}"), side, contested)
        sides.append(tables)
    for path, tables in zip(paths, (base, *sides), strict=True):
        path.write_bytes(dump(tables))
    return paths  # type: ignore[return-value]


def _end_to_end(paths: tuple[Path, Path, Path], settings: Settings) -> tuple[list[float], str]:
    import sys

    walls, said = [], ""
    live = settings.workdir / "merge-live"
    live.mkdir(exist_ok=True)
    for _ in range(settings.repeats):
        ours = live / "ours.json"
        shutil.copyfile(paths[1], ours)
        command = [sys.executable, "-m", "tui", "merge", str(paths[0]), str(ours)]
        start = time.monotonic()
        done = run_child([*command, str(paths[2]), "moatscope.json"], settings)
        walls.append(time.monotonic() - start)
        said = done.stderr.strip()
    return walls, said


def _in_process(paths: tuple[Path, Path, Path], settings: Settings) -> list[float]:
    from store.merge import merge_files

    raws = [path.read_bytes() for path in paths]
    times = []
    for _ in range(settings.repeats):
        start = time.perf_counter()
        merge_files(*raws)
        times.append(time.perf_counter() - start)
    return times


def run(settings: Settings) -> list[Row]:
    rows = []
    for n in settings.sizes:
        paths = inputs(n, settings.workdir)
        walls, said = _end_to_end(paths, settings)
        size = paths[0].stat().st_size / 1e6
        rows.append(
            Row(
                "merge driver, end to end",
                n,
                median(walls),
                "s",
                TARGET_S if n == TARGET_N else None,
                f"{spread(walls, digits=2)} s; {size:.1f} MB each; {said}",
            )
        )
        times = _in_process(paths, settings)
        rows.append(
            Row("  merge_files in process", n, median(times), "s", None, spread(times, digits=2))
        )
    return rows
