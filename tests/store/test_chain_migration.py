"""The schema step that brings the value chain, from a file written before it (schema 2 or
3): new tables and fields, the default chokepoints, the free-text absorber and upstream
fields turned into relations where they name a company, a backup of the file as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import backups
from store.db import SCHEMA_VERSION
from store.service import Workbench

COMPANIES = {
    "co-000000000001": ("NVIDIA", "compute", "", ""),
    "co-000000000002": ("CoreWeave", "compute", "Microsoft Azure", "nvidia"),
    "co-000000000003": ("Lambda", "compute", "CoreWeave and AWS", "NVIDIA, TSMC"),
    "co-000000000004": ("Baseten", "orchestration", "Lambda", "coreweave and lambda"),
    "co-000000000005": ("Oklo", "power", "oklo", "  "),
}
"""Id to name, layer, likely absorber, upstream dependency, as an older file held them."""


def _company(key: str, name: str, layer: str, absorber: str, upstream: str) -> dict:
    return {
        "absorber": absorber,
        "created": "2026-01-02T03:04:05Z",
        "founded_year": None,
        "headquarters": "",
        "id": key,
        "kill_criterion": "",
        "layer": layer,
        "name": name,
        "notes": [],
        "one_liner": "",
        "owner": "",
        "pass_reason": "",
        "provider_ids": {},
        "revisit": None,
        "source": "manual",
        "source_data": {},
        "stage": "",
        "status": "screening",
        "status_log": [],
        "tags": [],
        "updated": "2026-01-02T03:04:05Z",
        "upstream": upstream,
        "website": "",
    }


def _old_file(path: Path, version: int) -> bytes:
    """A database as moatscope wrote it at schema ``version``, before the value chain."""
    Workbench.open(path).close()
    tables = json.loads(path.read_bytes())
    companies = {key: _company(key, *values) for key, values in COMPANIES.items()}
    old_copy = {**companies["co-000000000001"], "name": "NVIDIA before"}
    tables.update(
        companies=companies,
        runs={},
        changes={
            "0000000001": {
                "id": "0000000001",
                "at": "2026-01-02T03:04:05Z",
                "label": "Edited NVIDIA",
                "ops": [{"table": "companies", "key": "co-000000000001", "before": old_copy}],
                "undone": False,
                "session": "",
                "redo": [],
            }
        },
    )
    del tables["relations"], tables["chokepoints"]
    tables["meta"]["schema"]["schema_version"] = version
    raw = json.dumps(tables, indent=1).encode()
    path.write_bytes(raw)
    return raw


def _relations(bench: Workbench) -> set[tuple[str, str, str]]:
    names = {key: values[0] for key, values in COMPANIES.items()}
    return {
        (names[r["from_company"]], r["kind"], names[r["to_company"]])
        for r in bench.database.table("relations").values()
    }


@pytest.mark.parametrize("version", [2, 3])
def test_named_companies_become_relations_and_the_rest_of_the_text_stays(
    db_path: Path, version: int
) -> None:
    original = _old_file(db_path, version)
    bench = Workbench.open(db_path, author="tester")
    try:
        assert _relations(bench) == {
            ("NVIDIA", "supplies", "CoreWeave"),
            ("CoreWeave", "could-absorb", "Lambda"),
            ("NVIDIA", "supplies", "Lambda"),
            ("Lambda", "could-absorb", "Baseten"),
            ("CoreWeave", "supplies", "Baseten"),
            ("Lambda", "supplies", "Baseten"),
        }
        fields = {c.name: (c.absorber, c.upstream) for c in map(bench.company, COMPANIES)}
        assert fields == {
            "NVIDIA": ("", ""),
            "CoreWeave": ("Microsoft Azure", ""),  # names nothing here: kept
            "Lambda": ("AWS", "TSMC"),  # the parts that name nothing stay
            "Baseten": ("", ""),
            "Oklo": ("oklo", ""),  # a company never becomes its own absorber
        }
        coreweave = bench.relations_of("co-000000000002")
        assert [link.name for link in coreweave.suppliers] == ["NVIDIA"]
        assert coreweave.suppliers[0].note == "from its upstream dependency"
        assert [link.name for link in coreweave.absorbs] == ["Lambda"]
        assert sorted(c.name for c in bench.chokepoints())[0] == "Accelerator allocation"
        assert bench.company("co-000000000001").secondary_layers == []
        assert bench.undo() == "Edited NVIDIA", "the older change log still undoes"
        assert bench.company("co-000000000001").name == "NVIDIA before"
    finally:
        bench.close()
    on_disk = json.loads(db_path.read_bytes())
    assert on_disk["meta"]["schema"]["schema_version"] == SCHEMA_VERSION
    assert len(on_disk["chokepoints"]) == 10
    assert all(c["chokepoints"] == [] for c in on_disk["companies"].values())
    saved = backups.list_backups(db_path)
    assert len(saved) == 1
    assert saved[0].read_bytes() == original, "the backup holds the file as it was"


def test_a_read_only_open_migrates_in_memory_and_leaves_the_file_alone(db_path: Path) -> None:
    original = _old_file(db_path, 2)
    bench = Workbench.open(db_path, read_only=True)
    try:
        assert ("NVIDIA", "supplies", "CoreWeave") in _relations(bench)
    finally:
        bench.close()
    assert db_path.read_bytes() == original
    assert backups.list_backups(db_path) == []


def test_a_migrated_file_opens_again_without_a_second_migration(db_path: Path) -> None:
    _old_file(db_path, 2)
    Workbench.open(db_path).close()
    first = db_path.read_bytes()
    bench = Workbench.open(db_path)
    try:
        assert len(bench.database.table("relations")) == 6
    finally:
        bench.close()
    assert json.loads(db_path.read_bytes()) == json.loads(first)
