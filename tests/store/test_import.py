"""CSV and JSON import: provider exports, their layers and headers.

The fixtures under ``fixtures/import/`` are small exports written for these tests in the
shape of the real ones (research notes §1b): a Crunchbase organisation export with a
UTF-8 BOM, a PitchBook company export with preamble rows, a plain sheet, duplicates
spelled differently, hostile cells, messy rows and files that are not imports at all.
"""

from __future__ import annotations

from pathlib import Path

from tests.store.conftest import Fingerprint, assert_one_line_error
from tests.store.import_helpers import (
    IMPORTS,
    all_strings,
    companies,
    counts,
    row_line,
    run_import,
    seeded,
    write_csv,
)

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
