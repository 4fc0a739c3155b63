"""JSON round trip: export, import into a new database, and the two are the same.

Importing an export again adds nothing; importing it where a company already exists
fills only that company's empty fields and adds the notes and runs it lacks.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from store import clock
from store.service import Workbench
from tests.store.conftest import PERFECT, STARTER_COUNT, Fingerprint

COUNTS = re.compile(r"^(\d+) added, (\d+) updated, (\d+) duplicates, (\d+) skipped\.$", re.M)


def tables(db_path: Path) -> dict[str, Any]:
    return json.loads(db_path.read_bytes())


def counts(result) -> tuple[int, ...]:
    found = COUNTS.findall(result.out)
    assert len(found) == 1, result.out
    return tuple(map(int, found[0]))


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reading of the clock is a minute after the last, so runs and notes have an order."""
    moments = (
        datetime(2026, 9, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=n) for n in itertools.count()
    )
    monkeypatch.setattr(clock, "now", lambda: next(moments))


@pytest.fixture
def annotated(tmp_path: Path) -> dict[str, Any]:
    """A database someone worked in: notes, tags, statuses, pass reasons, revisits, runs, layers."""
    db = tmp_path / "first" / "deals.json"
    bench = Workbench.open(db, author="ana")
    try:
        labs = bench.add_layer(
            "Model labs", summary="Frontier labs we track as customers of the stack."
        )
        bench.edit_layer(labs.id, name="Frontier model labs", keywords=["foundation model"])
        bench.edit_layer("data", name="Data & Storage")
        helio = bench.add_company(
            "Helio Fathom",
            layer="power",
            one_liner="Immersion cooling tanks for dense GPU racks.",
            website="heliofathom.io",
            headquarters="Reno, Nevada",
            founded_year=2021,
            stage="Series A",
            tags=["cooling", "Q4"],
            owner="ana",
            absorber="Vertiv",
            upstream="NVIDIA racks",
            kill_criterion="Rear-door heat exchangers reach 120 kW per rack",
        )
        bench.add_note(helio.id, "# First call\n\nStrong on **thermal IP**; ask for pilot PUE.")
        bench.add_note(helio.id, "Reference call with a colo operator: positive.", author="ben")
        bench.record_run(
            helio.id,
            {
                "A1": {
                    "answer": "y",
                    "evidence": "40 MW waitlist",
                    "source": "utility filing",
                    "date": "2026-01-10",
                    "kind": "filing",
                }
            },
        )
        bench.record_run(helio.id, {**PERFECT, "C2": "y"})
        bench.record_run(
            helio.id, {**PERFECT, "A2": {"answer": "y", "evidence": "PUE 1.03 in a pilot"}}
        )
        bench.set_status([helio.id], "passed", reason="Valuation ahead of traction")
        lab = bench.add_company(
            "Meridian Frontier Lab",
            layer=labs.id,
            tags=["customer"],
            one_liner="Trains open-weight frontier models.",
        )
        bench.set_status([lab.id], "diligence")
        bench.add_note(lab.id, "Spends most of its round on compute.")
        bench.record_run(lab.id, {"A1": "n", "A2": "n", "A3": "p", "C1": "y"})
        quarry = bench.add_company(
            "Quarry Optics", layer="network", website="quarry-optics.example"
        )
        bench.set_status([quarry.id], "watching")
        bench.set_revisit([quarry.id], "2027-01-15")
        bench.record_run(quarry.id, {**PERFECT, "C1": "p", "D3": "u"})
        bench.record_run(quarry.id, {**PERFECT, "C1": "y"})
        groq = bench.find("Groq").id
        bench.add_note(groq, "Starter with our own note.")
        bench.record_run(groq, PERFECT)
        bench.set_status([groq], "screening")
        bench.add_tag([groq, bench.find("Cerebras").id], "chips-2026")
        bench.delete_companies([bench.find("Oklo").id])
        ids = {
            "helio": helio.id,
            "lab": lab.id,
            "quarry": quarry.id,
            "groq": groq,
            "labs_layer": labs.id,
        }
        names = [row.name for row in bench.rows()]
    finally:
        bench.close()
    return {"db": db, "ids": ids, "names": names}


def export_json(cli, db: Path, target: Path) -> Path:
    result = cli("export", "--format", "json", "--output", str(target), "--db", str(db))
    assert result.code == 0, result.err
    return target


def list_json(cli, db: Path, *options: str) -> str:
    result = cli("list", "--format", "json", "--db", str(db), *options)
    assert result.code == 0, result.err
    return result.out


def show_json(cli, db: Path, name: str) -> dict[str, Any]:
    result = cli("show", name, "--format", "json", "--db", str(db))
    assert result.code == 0, (name, result.err)
    return json.loads(result.out)


def test_export_then_import_into_a_new_database_reproduces_it(
    cli, annotated: dict[str, Any], tmp_path: Path
) -> None:
    first = annotated["db"]
    exported = export_json(cli, first, tmp_path / "export.json")
    second = tmp_path / "second" / "deals.json"
    assert not second.exists()
    result = cli("import", str(exported), "--db", str(second))
    assert result.code == 0, result.err
    total = len(annotated["names"])
    assert total == STARTER_COUNT + 2
    assert counts(result) == (total, 0, 0, 0)

    assert list_json(cli, second) == list_json(cli, first)
    labs = annotated["ids"]["labs_layer"]
    assert list_json(cli, second, "--layer", labs) == list_json(cli, first, "--layer", labs)
    for name in annotated["names"]:
        assert show_json(cli, second, name) == show_json(cli, first, name), name
    helio = show_json(cli, second, "Helio Fathom")
    assert [note["body"][:11] for note in helio["notes"]] == ["# First cal", "Reference c"]
    assert [(run["verdict"], run["score"]) for run in helio["runs"]] == [
        ("incomplete", 100.0),
        ("contender", pytest.approx(100 * 28 / 30)),
        ("anchor", 100.0),
    ]
    assert helio["runs"][0]["answers"]["A1"] == {
        "answer": "yes",
        "evidence": "40 MW waitlist",
        "source": "utility filing",
        "date": "2026-01-10",
        "kind": "filing",
    }
    assert (helio["status"], helio["pass_reason"]) == ("passed", "Valuation ahead of traction")
    assert show_json(cli, second, "Quarry Optics")["revisit"] == "2027-01-15"
    assert show_json(cli, second, "Meridian Frontier Lab")["layer_name"] == "Frontier model labs"

    before, after = tables(first), tables(second)
    assert after["layers"] == before["layers"]  # the renamed layers and the added one
    assert after["runs"] == before["runs"]
    assert after["companies"] == before["companies"]
    assert len(after["changes"]) == 1


def test_importing_the_export_again_adds_nothing(
    cli, annotated: dict[str, Any], tmp_path: Path
) -> None:
    first = annotated["db"]
    exported = export_json(cli, first, tmp_path / "export.json")
    second = tmp_path / "second" / "deals.json"
    assert cli("import", str(exported), "--db", str(second)).code == 0
    total = len(annotated["names"])
    for db in (first, second):
        before = Fingerprint.of(db)
        result = cli("import", str(exported), "--db", str(db))
        assert result.code == 0, result.err
        assert counts(result) == (0, 0, total, 0)
        assert "Imported into" not in result.out
        assert Fingerprint.of(db) == before


def test_import_into_a_database_with_the_company_fills_only_empty_fields(
    cli, annotated: dict[str, Any], tmp_path: Path
) -> None:
    exported = export_json(cli, annotated["db"], tmp_path / "export.json")
    third = tmp_path / "third" / "deals.json"
    bench = Workbench.open(third, author="cho")
    try:
        mine = bench.add_company("Helio Fathom", layer="compute", tags=["mine"], stage="Seed")
        bench.add_note(mine.id, "Our own view, before any export.")
        own_run = bench.record_run(mine.id, {"A1": "p"})
        bench.set_status([mine.id], "screening")
        before_helio = bench.company(mine.id).model_dump(mode="json")
    finally:
        bench.close()
    before = tables(third)

    result = cli("import", str(exported), "--db", str(third))
    assert result.code == 0, result.err
    total = len(annotated["names"])
    # Meridian and Quarry are new; Helio and Groq gain notes and runs; the rest are known starters.
    assert counts(result) == (2, 2, total - 4, 0)
    helio_line = next(line for line in result.out.splitlines() if " Helio Fathom " in line)
    assert "updated Helio Fathom" in helio_line and "same name as Helio Fathom" in helio_line
    assert "added 2 notes, 3 runs" in helio_line

    helio = show_json(cli, third, "Helio Fathom")
    assert helio["id"] == mine.id
    # What the user set stays as it was.
    for field in (
        "name",
        "layer",
        "tags",
        "status",
        "pass_reason",
        "stage",
        "revisit",
        "status_log",
        "created",
    ):
        assert helio[field] == before_helio[field], field
    # Empty fields are filled from the export.
    assert helio["one_liner"] == "Immersion cooling tanks for dense GPU racks."
    assert helio["website"] == "https://heliofathom.io"
    assert (helio["headquarters"], helio["founded_year"], helio["owner"]) == (
        "Reno, Nevada",
        2021,
        "ana",
    )
    assert (helio["absorber"], helio["upstream"]) == ("Vertiv", "NVIDIA racks")
    assert helio["kill_criterion"] == "Rear-door heat exchangers reach 120 kW per rack"
    # Notes and runs it lacked are added; its own are kept.
    assert [note["body"] for note in helio["notes"]][0] == "Our own view, before any export."
    assert len(helio["notes"]) == 3
    assert len(helio["runs"]) == 4 and own_run.id in {run["id"] for run in helio["runs"]}
    assert {run["company_id"] for run in helio["runs"]} == {mine.id}
    exported_runs = json.loads(exported.read_bytes())["runs"]
    helio_runs = {
        r["id"]: (r["score"], r["verdict"])
        for r in exported_runs
        if r["company_id"] == annotated["ids"]["helio"]
    }
    assert {
        run["id"]: (run["score"], run["verdict"])
        for run in helio["runs"]
        if run["id"] in helio_runs
    } == helio_runs

    groq = show_json(cli, third, "Groq")
    assert groq["status"] == "new" and groq["tags"] == [
        "starter"
    ]  # the export's status and tag not taken
    assert [note["body"] for note in groq["notes"]] == ["Starter with our own note."]
    assert [run["verdict"] for run in groq["runs"]] == ["anchor"]
    assert show_json(cli, third, "Oklo")["name"] == "Oklo"  # deleted there, kept here
    lab = show_json(cli, third, "Meridian Frontier Lab")
    assert lab["layer_name"] == "Frontier model labs" and lab["status"] == "diligence"
    layers = tables(third)["layers"]
    assert layers[annotated["ids"]["labs_layer"]]["name"] == "Frontier model labs"
    assert layers["data"]["name"] == "Data"  # an existing layer is not renamed by an import

    # One change, and undo takes all of it back.
    after = tables(third)
    assert len(after["changes"]) == len(before["changes"]) + 1
    bench = Workbench.open(third, author="cho")
    try:
        assert bench.undo() is not None
    finally:
        bench.close()
    undone = tables(third)
    for table in ("companies", "runs", "layers"):
        assert undone[table] == before[table], table

    # Imported again after the undo and once more: the second time adds nothing.
    assert counts(cli("import", str(exported), "--db", str(third))) == (2, 2, total - 4, 0)
    again = cli("import", str(exported), "--db", str(third))
    assert counts(again) == (0, 0, total, 0)
