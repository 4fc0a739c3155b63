"""Ids for a team: a new record's id holds 80 random bits, starter companies' ids come from
their names (with fixed times), so two databases seeded apart hold the same starters and a
merge of them keeps each starter once; ids made before (12 hex digits) still work."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

import assets
from store import clock
from store.chain_models import RelationKind
from store.merge import merge
from store.models import new_id
from store.service import Workbench
from tests.store.conftest import FIXTURES

NEW_ID = re.compile(r"(co|nt|run|rel)-[0-9a-f]{20}")


def _starter_names() -> list[str]:
    return [
        entry["name"] for entry in json.loads(assets.path("starter.json").read_bytes())["companies"]
    ]


def _seeded(
    path: Path, author: str, company: str, monkeypatch: pytest.MonkeyPatch, at: datetime
) -> bytes:
    monkeypatch.setattr(clock, "now", lambda: at)
    bench = Workbench.open(path, author=author)
    try:
        bench.add_company(company, layer="compute")
    finally:
        bench.close()
    return path.read_bytes()


def _starter_lines(raw: bytes) -> list[bytes]:
    return sorted(line for line in raw.splitlines() if b'"source":"starter"' in line)


def test_a_new_id_holds_80_random_bits() -> None:
    ids = [new_id("co") for _ in range(1000)]
    assert all(NEW_ID.fullmatch(key) for key in ids)
    assert len(set(ids)) == 1000


def test_a_company_note_run_and_relation_added_get_20_hex_digit_ids(tmp_path: Path) -> None:
    bench = Workbench.open(tmp_path / "db.json", author="ada")
    try:
        supplier = bench.add_company("Acme", layer="compute")
        customer = bench.add_company("Bolt", layer="power")
        bench.add_note(supplier.id, "First call.")
        bench.link(supplier.id, customer.id, RelationKind.SUPPLIES)
        note = bench.find("Acme").notes[0]
        relations = bench.database.table("relations")
    finally:
        bench.close()
    assert NEW_ID.fullmatch(supplier.id) and NEW_ID.fullmatch(customer.id)
    assert NEW_ID.fullmatch(note.id)
    assert relations and all(NEW_ID.fullmatch(key) for key in relations)


def test_two_databases_seeded_apart_hold_the_same_starter_records_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = _seeded(
        tmp_path / "ada.json", "ada", "Acme", monkeypatch, datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    )
    ben = _seeded(
        tmp_path / "ben.json", "ben", "Bolt", monkeypatch, datetime(2027, 2, 3, 17, 5, tzinfo=UTC)
    )
    starters = _starter_lines(ada)
    assert len(starters) == len(_starter_names())
    assert starters == _starter_lines(ben)


def test_a_starter_id_comes_from_its_name_whatever_its_case(tmp_path: Path) -> None:
    bench = Workbench.open(tmp_path / "db.json")
    try:
        crusoe = bench.find("Crusoe")
    finally:
        bench.close()
    assert crusoe.id == "co-" + hashlib.blake2b(b"crusoe", digest_size=10).hexdigest()


def test_a_merge_of_two_databases_seeded_apart_keeps_each_starter_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = _seeded(
        tmp_path / "ada.json", "ada", "Acme", monkeypatch, datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    )
    ben = _seeded(
        tmp_path / "ben.json", "ben", "Bolt", monkeypatch, datetime(2027, 2, 3, 17, 5, tzinfo=UTC)
    )
    merged = tmp_path / "merged.json"
    merged.write_bytes(merge(b"", ada, ben))
    bench = Workbench.open(merged, read_only=True)
    try:
        names = Counter(row["name"] for row in bench.database.table("companies").values())
        conflicts = bench.database.table("conflicts")
    finally:
        bench.close()
    assert all(names[name] == 1 for name in _starter_names())
    assert names["Acme"] == names["Bolt"] == 1
    assert len(names) == len(_starter_names()) + 2
    assert not conflicts


def test_a_database_with_ids_of_12_hex_digits_opens_edits_and_links(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    shutil.copy(FIXTURES / "export" / "db.json", path)
    bench = Workbench.open(path, author="ada")
    try:
        old, other = "co-073df61b71a2", "co-07cff5459c97"  # Dynter AI, Nexhel Compute
        bench.add_note(old, "Still here.")
        bench.link(old, other, RelationKind.SUPPLIES)
        new = bench.add_company("Newer Co", layer="compute")
        bench.link(new.id, old, RelationKind.COMPETES)
        company = bench.company(old)
    finally:
        bench.close()
    assert company.name == "Dynter AI"
    assert "Still here." in [note.body for note in company.notes]
    reopened = Workbench.open(path, read_only=True)
    try:
        kinds = {
            (r["from_company"], r["to_company"]): r["kind"]
            for r in reopened.database.table("relations").values()
        }
    finally:
        reopened.close()
    assert kinds[(old, other)] == "supplies" and kinds[(new.id, old)] == "competes"
