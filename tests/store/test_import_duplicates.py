"""Import de-duplication: by domain, provider id and name, filling only empty fields; the same
file twice adds nothing; an import is one change that one undo removes."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.service import Workbench
from tests.store.conftest import STARTER_COUNT, Fingerprint
from tests.store.import_helpers import (
    IMPORTS,
    change_log,
    companies,
    counts,
    row_line,
    run_import,
    seeded,
    tables,
    write_csv,
)

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
