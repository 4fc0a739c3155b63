"""The starter companies: the file is sound, they are reference points outside the pipeline,
an existing database's untouched starters become reference points on upgrade, and removing
them all is one change that one undo takes back."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

import assets
from store import backups, clock
from store.db import SCHEMA_VERSION
from store.models import Status
from store.service import Workbench
from tests.store.conftest import FIXTURES, assert_one_line_error

SCHEMA2 = FIXTURES / "schema2.json"
"""A schema-2 database: five starters at new (Scale AI moved to watching and back, so it has
a status history), Groq moved to diligence, and Own Find added by hand; its change log holds
those moves and the addition."""

BOTTLENECKS = {
    "a foundry": [("TSMC", "compute", "foundry")],
    "HBM memory": [("SK hynix", "compute", "high-bandwidth memory (HBM)")],
    "advanced packaging": [("TSMC", "compute", "CoWoS advanced packaging")],
    "a turbine or grid supplier": [
        ("GE Vernova", "power", "turbines"),
        ("Siemens Energy", "power", "gas turbines"),
    ],
    "hyperscaler silicon": [
        ("Google TPU", "compute", "comparable"),
        ("AWS Trainium", "compute", "comparable"),
    ],
}
"""DESIGN's named bottlenecks, each with the starters that cover it: (name, layer, words
their one-liner says)."""

DEALS_OF_2025 = {
    "Weights & Biases": "CoreWeave",
    "CoreWeave": "Weights & Biases",
    "Groq": "NVIDIA",
    "Scale AI": "Meta",
    "Celestial AI": "Marvell",
    "Replicate": "Cloudflare",
}
"""Starters an acquisition or licensing deal of 2025 changed, and who their one-liner names."""


def starter_file() -> list[dict[str, str]]:
    return json.loads(assets.path("starter.json").read_bytes())["companies"]


def test_every_starter_has_a_layer_a_one_liner_and_a_website_and_no_name_repeats() -> None:
    stack = json.loads(assets.path("stack.json").read_bytes())["layers"]
    layer_ids = {layer["id"] for layer in stack}
    starters = starter_file()
    for entry in starters:
        assert set(entry) == {"name", "layer", "one_liner", "website"}, entry
        assert entry["layer"] in layer_ids, entry["name"]
        assert entry["one_liner"].strip() and "\n" not in entry["one_liner"], entry["name"]
        assert entry["website"].startswith("https://"), entry["name"]
    names = Counter(entry["name"].casefold() for entry in starters)
    assert [name for name, count in names.items() if count > 1] == []
    per_layer = Counter(entry["layer"] for entry in starters)
    assert set(per_layer) == layer_ids
    assert all(8 <= count <= 12 for count in per_layer.values()), per_layer


@pytest.mark.parametrize("bottleneck", sorted(BOTTLENECKS))
def test_every_named_bottleneck_is_covered_by_a_starter(bottleneck: str) -> None:
    starters = {entry["name"]: entry for entry in starter_file()}
    for name, layer, words in BOTTLENECKS[bottleneck]:
        assert name in starters, (bottleneck, name)
        assert starters[name]["layer"] == layer, name
        assert words in starters[name]["one_liner"], name


def test_the_deals_of_2025_are_said_and_the_absorbed_company_is_dropped() -> None:
    starters = {entry["name"]: entry["one_liner"] for entry in starter_file()}
    for name, party in DEALS_OF_2025.items():
        assert party in starters[name] and "2025" in starters[name], name
    assert "Enfabrica" not in starters, "its team and technology went to NVIDIA in 2025"


def test_a_new_database_holds_the_starters_as_reference_points_outside_the_pipeline(
    workbench: Workbench,
) -> None:
    rows = workbench.rows()
    assert len(rows) == len(starter_file())
    assert {row.status for row in rows} == {Status.REFERENCE}
    assert workbench.inbox() == [] and workbench.inbox_count() == 0
    assert workbench.layer_totals() == {}, "no pipeline company yet"
    per_layer = Counter(entry["layer"] for entry in starter_file())
    assert workbench.layer_references() == dict(per_layer)


def test_a_starter_moved_into_the_pipeline_is_counted_and_one_moved_back_is_not(
    workbench: Workbench,
) -> None:
    groq = workbench.find("Groq").id
    workbench.set_status([groq], Status.NEW)
    assert [(row.name, why) for row, why in workbench.inbox()] == [("Groq", "new")]
    workbench.record_run(groq, {"A1": "yes"})
    assert workbench.layer_totals() == {"compute": (1, workbench.latest_run(groq).score)}
    assert workbench.layer_references()["compute"] == 11
    workbench.set_status([groq], Status.REFERENCE)
    assert workbench.inbox() == [] and workbench.layer_totals() == {}
    assert workbench.layer_references()["compute"] == 12
    activity = workbench.activity("2000-01-01")
    assert [(d.before, d.after) for d in activity.decisions] == [("reference", "new")]
    assert len(activity.runs) == 1, "a run is work done, whatever the status"
    workbench.set_status([groq], Status.SCREENING)
    activity = workbench.activity("2000-01-01")
    assert [(d.before, d.after) for d in activity.decisions] == [
        ("reference", "new"),
        ("reference", "screening"),
    ], "moves out of reference are decisions; the move back to reference is left out"
    assert activity.summary == "1 advanced, 0 watched, 0 passed, 1 scored"


def test_a_reference_company_never_waits_in_the_inbox(workbench: Workbench) -> None:
    """Not for a revisit that is due, nor for a missing layer."""
    oklo = workbench.find("Oklo").id
    workbench.set_revisit([oklo], clock.today() - timedelta(days=1))
    workbench.edit_company(oklo, layer=None)
    assert workbench.inbox() == []
    workbench.set_status([oklo], Status.SCREENING)
    assert [why for _, why in workbench.inbox()] == ["no layer"], "decided: the revisit is done"


def test_remove_starters_is_one_change_that_one_undo_takes_back(workbench: Workbench) -> None:
    everyone = {row.id for row in workbench.rows()}
    groq = workbench.find("Groq").id
    workbench.set_status([groq], Status.SCREENING)  # moved into the pipeline: still a starter
    workbench.record_run(groq, {"A1": "yes"})
    own = workbench.add_company("Own Find", layer="compute").id
    assert workbench.remove_starters() == len(everyone)
    assert [row.id for row in workbench.rows()] == [own]
    assert workbench.database.table("runs") == {}, "their runs went with them"
    assert workbench.undo() == f"Deleted {len(everyone)} starter companies"
    assert {row.id for row in workbench.rows()} == everyone | {own}
    assert workbench.row(groq).status is Status.SCREENING and workbench.latest_run(groq)
    assert workbench.remove_starters() == len(everyone)
    assert workbench.remove_starters() == 0


def _open_schema2(db_path: Path) -> bytes:
    db_path.parent.mkdir(parents=True)
    shutil.copyfile(SCHEMA2, db_path)
    original = SCHEMA2.read_bytes()
    assert json.loads(original)["meta"]["schema"]["schema_version"] == 2
    return original


def test_schema_2_starters_untouched_at_new_become_reference_after_a_backup(
    db_path: Path,
) -> None:
    original = _open_schema2(db_path)
    bench = Workbench.open(db_path)
    try:
        statuses = {row.name: row.status.value for row in bench.rows()}
        assert statuses == {
            "NVIDIA": "reference",
            "Crusoe": "reference",
            "Replicate": "reference",
            "Groq": "diligence",  # moved: keeps its status
            "Scale AI": "new",  # moved and moved back: someone put it there
            "Own Find": "new",  # not a starter
        }
        assert sorted(row.name for row, _ in bench.inbox()) == ["Own Find", "Scale AI"]
    finally:
        bench.close()
    on_disk = json.loads(db_path.read_bytes())
    assert on_disk["meta"]["schema"]["schema_version"] == SCHEMA_VERSION == 4
    old = json.loads(original)
    assert on_disk["companies"].keys() == old["companies"].keys(), "none added or removed"
    for key, company in old["companies"].items():
        migrated = on_disk["companies"][key]
        # 3→4 gives every company its two empty value-chain lists (no text names a company)
        assert migrated["secondary_layers"] == migrated["chokepoints"] == []
        added = {"status", "secondary_layers", "chokepoints"}
        assert {k: v for k, v in migrated.items() if k not in added} == {
            k: v for k, v in company.items() if k != "status"
        }
    assert on_disk["layers"] == old["layers"] and on_disk["runs"] == old["runs"]
    saved = backups.list_backups(db_path)
    assert len(saved) == 1 and saved[0].read_bytes() == original, "the schema-2 file, as it was"


def test_undoing_a_change_made_before_the_upgrade_brings_a_starter_back_as_reference(
    db_path: Path,
) -> None:
    _open_schema2(db_path)
    bench = Workbench.open(db_path)
    try:
        assert bench.undo() == "Added Own Find"
        assert bench.undo() == "Set status new: Scale AI"
        assert bench.find("Scale AI").status is Status.WATCHING
        assert bench.undo() == "Set status watching: Scale AI"
        assert bench.find("Scale AI").status is Status.REFERENCE
        assert bench.undo() == "Set status diligence: Groq"
        assert bench.find("Groq").status is Status.REFERENCE
        assert bench.inbox() == []
    finally:
        bench.close()


def test_cli_delete_starters_asks_for_yes_then_deletes_them_all(db_path: Path, cli) -> None:
    Workbench.open(db_path).close()
    count = len(starter_file())
    assert_one_line_error(
        cli("delete", "--starters", "--db", str(db_path)), f"the {count} starter", "--yes"
    )
    assert_one_line_error(
        cli("delete", "Groq", "--starters", "--yes", "--db", str(db_path)), "not both"
    )
    assert_one_line_error(cli("delete", "--yes", "--db", str(db_path)), "--starters")
    result = cli("delete", "--starters", "--yes", "--db", str(db_path))
    assert (result.code, result.out) == (0, f"Deleted {count} starter companies.\n")
    again = cli("delete", "--starters", "--yes", "--db", str(db_path))
    assert (again.code, again.out) == (0, "There are no starter companies.\n")
    bench = Workbench.open(db_path)
    try:
        assert bench.rows() == []
        assert bench.undo() == f"Deleted {count} starter companies"
        assert len(bench.rows()) == count
    finally:
        bench.close()
