"""The file: valid JSON, sorted keys, one record per line, always equal to the data in memory."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from store.journal import journal_path
from store.service import Workbench
from tests.store.ops import random_operation, tables


def _sorted_everywhere(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert keys == sorted(keys), f"keys not sorted: {keys}"
    return dict(pairs)


def compacted(bench: Workbench) -> bytes:
    """The file once the journal's changes are compacted into it (as closing does)."""
    bench.database.storage.settle()
    assert not journal_path(bench.database.path).exists()
    return bench.database.path.read_bytes()


def on_disk(path: Path) -> dict[str, Any]:
    """The tables a second, read-only session sees: the file and its journal."""
    reader = Workbench.open(path, read_only=True)
    try:
        return tables(reader)
    finally:
        reader.close()


def expected_file(data: dict[str, Any]) -> str:
    """The file as the format defines it, written independently with the standard library."""
    parts = []
    for name in sorted(data):
        records = data[name]
        if not records:
            parts.append(f"{json.dumps(name)}: {{}}")
            continue
        lines = [
            json.dumps(key, ensure_ascii=False)
            + ": "
            + json.dumps(records[key], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            for key in sorted(records)
        ]
        parts.append(f"{json.dumps(name)}: {{\n" + ",\n".join(lines) + "\n}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def check_layout(raw: bytes) -> dict[str, Any]:
    """Assert the one-record-per-line layout and sorted keys; returns the parsed data."""
    data = json.loads(raw, object_pairs_hook=_sorted_everywhere)
    text = raw.decode()
    lines = text.split("\n")
    assert lines[0] == "{" and lines[-2:] == ["}", ""]
    record_lines = 0
    for line in lines[1:-2]:
        body = line.removesuffix(",")
        if body == "}" or body.endswith(": {") or body.endswith(": {}"):
            continue
        record = json.loads("{" + body + "}")
        assert len(record) == 1, f"not one record per line: {line[:80]}"
        record_lines += 1
    assert record_lines == sum(len(table) for table in data.values())
    return data


def test_new_file_layout(workbench: Workbench, db_path: Path) -> None:
    raw = db_path.read_bytes()
    data = check_layout(raw)
    assert set(data) == {
        "changes",
        "chokepoints",
        "companies",
        "layers",
        "meta",
        "relations",
        "runs",
    }
    assert raw.decode() == expected_file(data)
    assert data["meta"]["schema"]["app"] == "moatscope"
    # One company per line: a change to one company changes one line of the file.
    company = workbench.rows()[5]
    workbench.edit_company(company.id, one_liner="first edit")
    before = {line.removesuffix(",") for line in compacted(workbench).decode().split("\n")}
    workbench.edit_company(company.id, one_liner="one line changed")
    journal_lines = journal_path(db_path).read_bytes().splitlines()
    assert len(journal_lines) == 3, "the change appends its two records and its commit line"
    after = compacted(workbench).decode().split("\n")
    changed = [line for line in after if line.removesuffix(",") not in before]
    # the company's line and one change-log line
    assert len(changed) == 2, changed
    assert any(company.id in line and "one line changed" in line for line in changed)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_file_always_equals_a_fresh_serialisation(db_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    bench = Workbench.open(db_path, author="fmt")
    kinds = set()
    try:
        for step in range(80):
            kinds.add(random_operation(bench, rnd, step))
            memory = tables(bench)
            assert on_disk(db_path) == memory, f"snapshot + journal differ after step {step}"
            raw = compacted(bench)
            assert raw.decode() == expected_file(memory), f"stale line after step {step}"
            assert check_layout(raw) == memory
        memory = tables(bench)
    finally:
        bench.close()
    assert {"add", "note", "undo", "run", "link"} <= kinds
    reopened = Workbench.open(db_path)
    try:
        assert tables(reopened) == memory
        # A save after reopening (cached lines from the parse) still writes the same file.
        random_operation(reopened, rnd, 999)
        assert compacted(reopened).decode() == expected_file(tables(reopened))
    finally:
        reopened.close()


def test_generator_of_records_is_written(workbench: Workbench, db_path: Path) -> None:
    """Database.put_many accepts any iterable (a generator inserted nothing before the fix)."""
    database = workbench.database
    template = database.copy("companies", workbench.rows()[0].id)
    fresh = ({**template, "id": f"co-gen{n}", "name": f"Generated {n}"} for n in range(3))
    database.put_many("companies", fresh)
    mixed = ({**template, "id": key, "name": f"Mixed {key}"} for key in ("co-gen0", "co-gen9"))
    database.put_many("companies", mixed)
    database.flush()
    compacted(workbench)
    on_disk = json.loads(db_path.read_bytes())["companies"]
    assert {"co-gen0", "co-gen1", "co-gen2", "co-gen9"} <= set(on_disk)
    assert on_disk["co-gen0"]["name"] == "Mixed co-gen0"
    assert on_disk["co-gen9"]["name"] == "Mixed co-gen9"
    assert db_path.read_bytes().decode() == expected_file(tables(workbench))


def test_unchanged_database_is_not_rewritten(db_path: Path) -> None:
    Workbench.open(db_path).close()
    stat = db_path.stat()
    bench = Workbench.open(db_path)
    bench.rows()
    bench.close()
    again = db_path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
