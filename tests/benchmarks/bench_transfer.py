"""Import of a data-provider CSV and export of every company, end to end through the CLI.

The file is a Crunchbase organisation export (``csv_data.crunchbase_csv``): ~0.9 KB per row,
a BOM, known columns plus columns kept as source data, ~3% repeated rows, 0.5% without a
name. End to end is the wall time of ``moatscope import FILE --db DB`` (or ``moatscope
export --db DB --format F --output FILE``) from spawn to exit: interpreter, imports, open,
work, durable write. ``transfer_probe`` then times the phases in process.

Targets (issue 5): import of 10k rows <= 3 s, into a new database with the starter stack,
and again into that database (every row a duplicate); export <= 1 s per 10k companies for
CSV and JSON, at every size (Markdown reported), each written to a file as it is made (issue
23: the peak memory it adds to the open's is reported). Imports of the same file into the
generated N-company databases (5% of its rows are companies already there) are reported,
each with its peak memory; the import judged against VisiData and the exports' memory are
``bench_commands``'. A file of 1,000,000 short rows is refused up front (issue 18): <= 2 s
end to end, its peak memory reported.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import csv_data, data
from tests.benchmarks.harness import (
    REPO,
    Row,
    Settings,
    child_env,
    fresh_copy,
    median,
    probe,
    run_child,
    spread,
)

PROBE = "tests.benchmarks.transfer_probe"
CSV_ROWS = 10_000
TOO_MANY_ROWS = 1_000_000
FORMATS = ("csv", "json", "md")


def cli() -> list[str]:
    """How to run ``moatscope`` from this checkout (what the console script runs, but from
    the repository: an editable install's script may load another checkout's code)."""
    return [sys.executable, "-m", "tui"]


def seeded_db(settings: Settings) -> Path:
    """A new database as moatscope creates it: the stack and the starter companies."""
    from store.db import META, META_KEY, meta_record
    from store.seed import seed_tables
    from store.storage import MemoryStorage

    path = settings.workdir / "seeded.json"
    if not path.exists():
        tables = seed_tables()
        tables[META] = {META_KEY: meta_record()}
        MemoryStorage(path, tables, on_disk=False).flush()
    return path


def timed_cli(args: list[str], settings: Settings) -> float:
    start = time.monotonic()
    run_child([*cli(), *args], settings)
    return time.monotonic() - start


def _summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['add']:,} added, {counts['update']:,} updated, "
        f"{counts['duplicate']:,} dup, {counts['skip']:,} skipped"
    )


def _import(
    source: Path, csv_file: csv_data.CsvFile, settings: Settings
) -> tuple[list[float], list[dict[str, Any]]]:
    walls, phases = [], []
    for _ in range(settings.repeats):
        db = fresh_copy(source, settings, "transfer")
        walls.append(timed_cli(["import", str(csv_file.path), "--db", str(db)], settings))
        db = fresh_copy(source, settings, "transfer")
        phases.append(probe(PROBE, ["import", str(db), str(csv_file.path)], settings))
    return walls, phases


def _import_rows(
    metric: str,
    n: int,
    target: float | None,
    walls: list[float],
    phases: list[dict[str, Any]],
    csv_file: csv_data.CsvFile,
) -> list[Row]:
    def ms(key: str) -> float:
        return median([p[key] for p in phases]) * 1000

    peak = median([p["peak_mb"] for p in phases])
    split = (
        f"open {ms('open'):.0f}, plan {ms('plan'):.0f}, apply+save {ms('apply'):.0f}, "
        f"close {ms('close'):.0f} ms"
    )
    return [
        Row(
            metric,
            n,
            median(walls),
            "s",
            target,
            f"{spread(walls, 1000)} ms; {csv_file.rows:,} rows, "
            f"{csv_file.file_bytes / csv_file.rows / 1024:.2f} KB/row; "
            f"{_summary(phases[0]['counts'])}; peak {peak:.0f} MB",
        ),
        Row(
            "  in process: open / plan / apply",
            n,
            ms("open") + ms("plan") + ms("apply"),
            "ms",
            detail=split,
        ),
    ]


def _reimport(source: Path, csv_file: csv_data.CsvFile, settings: Settings) -> list[Row]:
    """The import again into the database it went into: every row is a duplicate."""
    imported = fresh_copy(source, settings, "reimport-source")
    run_child([*cli(), "import", str(csv_file.path), "--db", str(imported)], settings)
    walls, phases = _import(imported, csv_file, settings)
    return _import_rows(
        "import the same CSV again (moatscope import)", csv_file.rows, 3.0, walls, phases, csv_file
    )


def _refusal(source: Path, settings: Settings) -> list[Row]:
    """A file with far more rows than an import takes, refused before a row is planned."""
    print(f"transfer: writing a {TOO_MANY_ROWS:,}-row CSV...", file=sys.stderr, flush=True)
    too_many = csv_data.short_rows_csv(TOO_MANY_ROWS, settings.workdir)
    walls, phases = [], []
    for _ in range(settings.repeats):
        db = fresh_copy(source, settings, "transfer")
        start = time.monotonic()
        done = subprocess.run(
            [*cli(), "import", str(too_many.path), "--db", str(db)],
            cwd=REPO,
            env=child_env(settings),
            capture_output=True,
            text=True,
            check=False,
        )
        walls.append(time.monotonic() - start)
        if done.returncode != 1 or "imports up to" not in done.stderr:
            raise RuntimeError(f"the {TOO_MANY_ROWS:,}-row file was not refused: {done.stderr}")
        phases.append(probe(PROBE, ["refuse", str(db), str(too_many.path)], settings))
    refuse = median([p["refuse"] for p in phases]) * 1000
    return [
        Row(
            "refuse a CSV of too many rows (moatscope import)",
            TOO_MANY_ROWS,
            median(walls),
            "s",
            2.0,
            f"{spread(walls, 1000)} ms; {too_many.file_bytes / 2**20:.0f} MB; plan_import() "
            f"{refuse:.0f} ms; peak {median([p['peak_mb'] for p in phases]):.0f} MB; "
            f"{phases[0]['message'].split('; ', 1)[0].rsplit(' has ', 1)[-1]}",
        )
    ]


def _export_rows(n: int, walls: dict[str, list[float]], phases: list[dict[str, Any]]) -> list[Row]:
    rows = []
    for fmt in FORMATS:
        target = max(n / 10_000, 1.0) if fmt != "md" else None
        inside = median([p[fmt] for p in phases]) * 1000
        size = phases[0][f"{fmt}_bytes"] / 2**20
        grew = median([p[f"{fmt}_grew_mb"] for p in phases])
        rows.append(
            Row(
                f"export {fmt}, end to end (moatscope export)",
                n,
                median(walls[fmt]),
                "s",
                target,
                f"{spread(walls[fmt], 1000)} ms; write_export() {inside:.0f} ms, {size:.1f} MB, "
                f"peak +{grew:.0f} MB over the open's",
            )
        )
    opened = median([p["open"] for p in phases]) * 1000
    rows.append(
        Row(
            "  export: open read-only",
            n,
            opened,
            "ms",
            detail=f"{spread([p['open'] * 1000 for p in phases])} ms",
        )
    )
    return rows


def run(settings: Settings) -> list[Row]:
    rows: list[Row] = []
    csv_rows = min(max(settings.sizes), CSV_ROWS)
    print(f"transfer: writing a {csv_rows:,}-row Crunchbase CSV...", file=sys.stderr, flush=True)
    fresh = csv_data.crunchbase_csv(csv_rows, settings.workdir)
    walls, phases = _import(seeded_db(settings), fresh, settings)
    rows += _import_rows(
        "import CSV into a new db (moatscope import)",
        csv_rows,
        3.0 if csv_rows <= CSV_ROWS else None,
        walls,
        phases,
        fresh,
    )
    rows += _reimport(seeded_db(settings), fresh, settings)
    rows += _refusal(seeded_db(settings), settings)
    for n in settings.sizes:
        print(f"transfer: N={n:,}", file=sys.stderr, flush=True)
        dataset = data.dataset(n, settings.workdir)
        known = csv_data.crunchbase_csv(csv_rows, settings.workdir, existing=dataset)
        walls, phases = _import(dataset.path, known, settings)
        rows += _import_rows(
            f"import {csv_rows // 1000}k-row CSV into db of N (CLI)", n, None, walls, phases, known
        )
        rows += _exports(dataset, settings)
    return rows


def _exports(dataset: data.Dataset, settings: Settings) -> list[Row]:
    """Each format exported by the CLI ``repeats`` times, and the export's phases."""
    walls: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
    phases = []
    out = settings.workdir / "export"
    for _ in range(settings.repeats):
        for fmt in FORMATS:
            command = ["export", "--db", str(dataset.path), "--format", fmt, "--force"]
            walls[fmt].append(timed_cli([*command, "--output", f"{out}.{fmt}"], settings))
        phases.append(probe(PROBE, ["export", str(dataset.path)], settings))
    return _export_rows(dataset.companies, walls, phases)
