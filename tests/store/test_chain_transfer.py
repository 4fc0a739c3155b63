"""The value chain in exports and imports: relations and chokepoints in the JSON export,
round-tripped through import; the relations CSV; the memo's Value chain section."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from store.service import Workbench


@pytest.fixture
def chained(tmp_path: Path) -> Path:
    """A database with relations, chokepoints (one added), dependences and other layers."""
    db = tmp_path / "first" / "deals.json"
    bench = Workbench.open(db, author="ana")
    try:
        nvidia, coreweave, lambda_, amd = (
            bench.find(name).id for name in ("NVIDIA", "CoreWeave", "Lambda", "AMD")
        )
        bench.link(nvidia, coreweave, "supplies", "=H100s, allocated")
        bench.link(coreweave, lambda_, "competes")
        bench.link(amd, lambda_, "could-absorb", "ships it as a feature")
        point = bench.add_chokepoint("Cold plates", layer="power", note="Few makers.")
        bench.set_chokepoints(coreweave, ["accelerators", point.id])
        bench.set_secondary_layers(nvidia, ["network"])
    finally:
        bench.close()
    return db


def _chain(db: Path) -> dict[str, Any]:
    """The value chain in terms that survive new ids: names and kinds."""
    bench = Workbench.open(db, read_only=True)
    try:
        name = {row.id: row.name for row in bench.rows()}
        return {
            "relations": sorted(
                (name[r["from_company"]], r["kind"], name[r["to_company"]], r["note"])
                for r in bench.relation_records().values()
            ),
            "chokepoints": sorted(c.model_dump_json() for c in bench.chokepoints()),
            "depends": {row.name: list(row.chokepoints) for row in bench.rows() if row.chokepoints},
            "secondary": {
                row.name: list(row.secondary_layers) for row in bench.rows() if row.secondary_layers
            },
        }
    finally:
        bench.close()


def test_the_json_export_round_trips_the_chain(chained: Path, tmp_path: Path, cli) -> None:
    exported = tmp_path / "export.json"
    assert (
        cli("--db", str(chained), "export", "--format", "json", "--output", str(exported)).code == 0
    )
    document = json.loads(exported.read_bytes())
    assert len(document["relations"]) == 3 and len(document["chokepoints"]) == 11
    second = tmp_path / "second" / "deals.json"
    result = cli("--db", str(second), "import", str(exported))
    assert result.code == 0, result.err
    assert _chain(second) == _chain(chained)
    assert tables_of(second)["relations"] == tables_of(chained)["relations"]
    # Importing the export again adds nothing.
    assert cli("--db", str(second), "import", str(exported)).code == 0
    assert _chain(second) == _chain(chained)


def tables_of(db: Path) -> dict[str, Any]:
    return json.loads(db.read_bytes())


def test_an_import_into_a_database_with_the_companies_joins_them(
    chained: Path, tmp_path: Path, cli
) -> None:
    """Matched by name, the relations join the companies as they are here (other ids)."""
    exported = tmp_path / "export.json"
    cli("--db", str(chained), "export", "--format", "json", "--output", str(exported))
    other = tmp_path / "other" / "deals.json"
    Workbench.open(other).close()  # its own starters: same names, other ids
    assert cli("--db", str(other), "import", str(exported)).code == 0
    chain = _chain(other)
    assert chain["relations"] == _chain(chained)["relations"]
    assert chain["depends"] == {"CoreWeave": ["accelerators", "cold-plates"]}
    assert chain["secondary"] == {"NVIDIA": ["network"]}
    bench = Workbench.open(other)
    try:
        assert bench.undo().startswith("Imported export.json")
        assert bench.relation_records() == {}
    finally:
        bench.close()


def test_an_export_of_some_companies_keeps_only_the_relations_between_them(
    chained: Path, cli
) -> None:
    out = cli("--db", str(chained), "export", "--format", "json", "--tag", "starter").out
    assert len(json.loads(out)["relations"]) == 3
    bench = Workbench.open(chained)
    try:
        bench.remove_tag([bench.find("Lambda").id], "starter")
    finally:
        bench.close()
    out = cli("--db", str(chained), "export", "--format", "json", "--tag", "starter").out
    assert [r["kind"] for r in json.loads(out)["relations"]] == ["supplies"]


def test_the_relations_csv_names_both_companies_and_is_safe_in_a_spreadsheet(
    chained: Path, cli
) -> None:
    result = cli("--db", str(chained), "export", "--format", "relations-csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert sorted((r["from"], r["kind"], r["to"]) for r in rows) == [
        ("AMD", "could-absorb", "Lambda"),
        ("CoreWeave", "competes", "Lambda"),
        ("NVIDIA", "supplies", "CoreWeave"),
    ]
    supplies = next(r for r in rows if r["kind"] == "supplies")
    assert supplies["note"] == "'=H100s, allocated", "a formula is neutralised"
    assert supplies["from_id"].startswith("co-") and supplies["created"]
    only = cli("--db", str(chained), "export", "--format", "relations-csv", "--layer", "power")
    assert only.out.splitlines() == ["from_id,from,kind,to_id,to,note,created"], (
        "no company of power has a relation"
    )


def test_the_memo_ends_with_the_value_chain(chained: Path, cli) -> None:
    memo = cli("--db", str(chained), "export", "--format", "md", "--tag", "starter").out
    coreweave = memo[memo.index("# CoreWeave") :]
    coreweave = coreweave[: coreweave.index("\n---\n")].rstrip("\n") + "\n"
    assert coreweave.endswith(
        "## Value chain\n\n"
        "- **Depends on:** Accelerator allocation, Cold plates\n"
        "- **Suppliers:** NVIDIA (=H100s, allocated)\n"
        "- **Competitors:** Lambda\n"
    )
