"""The schema version: newer files refused untouched, schema 1 migrated after a backup."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from store import backups
from store.db import SCHEMA_VERSION
from store.errors import StoreTooNew
from store.paths import backup_dir
from store.service import Workbench
from tests.store.conftest import FIXTURES, Fingerprint, assert_one_line_error

SCHEMA1 = FIXTURES / "schema1.json"


def _with_schema(path: Path, version: int) -> None:
    Workbench.open(path).close()
    raw = path.read_bytes()
    old = f'"schema_version":{SCHEMA_VERSION}'.encode()
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, f'"schema_version":{version}'.encode()))


@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "reader"])
def test_newer_schema_is_refused_untouched(db_path: Path, read_only: bool) -> None:
    _with_schema(db_path, SCHEMA_VERSION + 1)
    before = Fingerprint.of(db_path)
    backups_before = backups.list_backups(db_path)
    with pytest.raises(StoreTooNew) as caught:
        Workbench.open(db_path, read_only=read_only)
    message = str(caught.value)
    assert str(db_path) in message
    assert f"schema {SCHEMA_VERSION + 1}" in message
    assert "upgrade" in message.lower()
    assert "\n" not in message
    assert Fingerprint.of(db_path) == before
    assert backups.list_backups(db_path) == backups_before
    assert sorted(db_path.parent.glob(f".{db_path.name}.tmp-*")) == []


def test_newer_schema_refused_by_the_cli(db_path: Path, cli) -> None:
    _with_schema(db_path, 99)
    before = Fingerprint.of(db_path)
    for argv in (["list"], ["add", "X", "--layer", "compute"]):
        assert_one_line_error(cli(*argv, "--db", str(db_path)), str(db_path), "schema 99")
    assert Fingerprint.of(db_path) == before


def test_schema_1_is_migrated_after_a_backup(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copyfile(SCHEMA1, db_path)
    original = SCHEMA1.read_bytes()
    assert json.loads(original)["meta"]["schema"]["schema_version"] == 1

    bench = Workbench.open(db_path)
    try:
        assert not bench.read_only
        assert bench.company("co-000000000001").tags == ["starter", "gpu"]
        assert bench.company("co-000000000002").tags == []
        assert bench.company("co-000000000003").tags == ["a", "b", "c"]
        assert bench.company("co-000000000003").notes[0].body == "A v1 note\nwith two lines."
        assert bench.latest_run("co-000000000001").score == 100.0
        assert bench.undo() is None  # the change log starts empty
        # Tag filters work on migrated lists.
        assert [row.name for row in bench.rows(tag="GPU")] == ["Old Starter"]
    finally:
        bench.close()

    on_disk = json.loads(db_path.read_bytes())
    assert on_disk["meta"]["schema"]["schema_version"] == SCHEMA_VERSION
    assert on_disk["meta"]["schema"]["app"] == "moatscope"
    assert "changes" in on_disk
    assert all(isinstance(c["tags"], list) for c in on_disk["companies"].values())
    assert on_disk["companies"]["co-000000000003"]["tags"] == ["a", "b", "c"]
    # Everything else came across unchanged (schema 4 adds the value chain's empty lists).
    old = json.loads(original)
    added = {"tags", "secondary_layers", "chokepoints"}
    for key, company in old["companies"].items():
        assert on_disk["companies"][key]["secondary_layers"] == []
        assert {k: v for k, v in on_disk["companies"][key].items() if k not in added} == {
            k: v for k, v in company.items() if k not in added
        }
    assert on_disk["layers"] == old["layers"]
    assert on_disk["runs"] == old["runs"]

    saved = backups.list_backups(db_path)
    assert len(saved) == 1
    assert saved[0].parent == backup_dir(db_path)
    assert saved[0].read_bytes() == original, "the backup holds the schema-1 file as it was"

    # The migrated file reopens as a current one, with no second migration backup.
    again = Workbench.open(db_path)
    try:
        assert again.company("co-000000000001").tags == ["starter", "gpu"]
        again.add_company("After Migration", layer="network")
        assert again.undo() == "Added After Migration"
    finally:
        again.close()


def test_schema_1_indented_by_hand_is_migrated_too(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text(json.dumps(json.loads(SCHEMA1.read_bytes()), indent=2))
    bench = Workbench.open(db_path)
    try:
        assert bench.company("co-000000000003").tags == ["a", "b", "c"]
    finally:
        bench.close()
    assert json.loads(db_path.read_bytes())["meta"]["schema"]["schema_version"] == SCHEMA_VERSION


def test_schema_1_opened_read_only_is_readable_and_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copyfile(SCHEMA1, db_path)
    before = Fingerprint.of(db_path)
    bench = Workbench.open(db_path, read_only=True)
    try:
        assert bench.company("co-000000000001").tags == ["starter", "gpu"]
    finally:
        bench.close()
    assert Fingerprint.of(db_path) == before
    assert backups.list_backups(db_path) == []


def test_cli_lists_a_schema_1_file(db_path: Path, cli) -> None:
    db_path.parent.mkdir(parents=True)
    shutil.copyfile(SCHEMA1, db_path)
    before = Fingerprint.of(db_path)
    result = cli("list", "--format", "json", "--db", str(db_path))
    assert result.code == 0, result.err
    rows = {row["name"]: row for row in json.loads(result.out)}
    assert rows["Messy Tags"]["tags"] == ["a", "b", "c"]
    # Reading does not rewrite the file; the first writing command migrates it.
    assert Fingerprint.of(db_path) == before
    assert cli("note", "Messy Tags", "hello", "--db", str(db_path)).code == 0
    assert json.loads(db_path.read_bytes())["meta"]["schema"]["schema_version"] == SCHEMA_VERSION
    assert backups.newest_backup(db_path).read_bytes() == SCHEMA1.read_bytes()
