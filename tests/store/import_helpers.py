"""What the CSV and JSON import tests share: reading the database file, running the CLI's
import, reading its report, writing CSV files."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from store.service import Workbench
from tests.store.conftest import FIXTURES

IMPORTS = FIXTURES / "import"
COUNTS = re.compile(r"^(\d+) added, (\d+) updated, (\d+) duplicates, (\d+) skipped\.$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def tables(db_path: Path) -> dict[str, dict[str, Any]]:
    """The database file as stored (plain JSON, one table per key)."""
    return json.loads(db_path.read_bytes())


def companies(db_path: Path) -> dict[str, dict[str, Any]]:
    """Companies by name."""
    return {record["name"]: record for record in tables(db_path)["companies"].values()}


def change_log(db_path: Path) -> list[dict[str, Any]]:
    """The change log, oldest first."""
    log = tables(db_path).get("changes", {})
    return [log[key] for key in sorted(log)]


def seeded(db_path: Path) -> Path:
    """Create the database with the stack and the starter companies."""
    Workbench.open(db_path, author="tester").close()
    return db_path


def run_import(cli, db_path: Path, file: Path | str, *options: str):
    return cli("import", str(file), "--db", str(db_path), *options)


def report_lines(result) -> list[str]:
    return result.out.splitlines()


def counts(result) -> tuple[int, int, int, int]:
    """The closing counts of an import report: added, updated, duplicates, skipped."""
    lines = report_lines(result)
    tail = [line for line in lines if COUNTS.match(line)]
    assert len(tail) == 1, result.out
    # The counts close the report: only the "written"/"dry run" line may follow them.
    position = lines.index(tail[0])
    assert lines[position + 1 :] in (
        [],
        ["Dry run: nothing was written."],
    ) or lines[position + 1].startswith("Imported into "), result.out
    added, updated, duplicates, skipped = map(int, COUNTS.match(tail[0]).groups())
    return added, updated, duplicates, skipped


def row_line(result, number: int) -> str:
    """The report line of one row."""
    found = [line for line in report_lines(result) if line.startswith(f"row {number}: ")]
    assert len(found) == 1, (number, result.out)
    return found[0]


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode())
    return path


def all_strings(value: Any) -> list[str]:
    """Every string (keys included) inside a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *all_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return []
