"""The TUI's open leaves the relations and the change log for later (store/later.py): they
are read and checked when first used, before anything is written, and a table that fails
its check then makes the session read-only, writing nothing."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from store.errors import ReadOnlyStore
from store.journal import journal_path
from store.service import Workbench
from tests.store.conftest import Fingerprint


def _linked(db_path: Path) -> tuple[str, str]:
    """A compacted database with one relation; the two companies' ids."""
    bench = Workbench.open(db_path)
    first, second = (row.id for row in bench.rows()[:2])
    bench.link(first, second, "supplies", "wafers")
    bench.close()
    return first, second


def test_the_tables_left_for_later_are_read_when_first_used(db_path: Path) -> None:
    first, second = _linked(db_path)
    bench = Workbench.open(db_path, background=True)
    try:
        assert bench.database.storage.pending == {"relations", "changes"}
        assert bench.rows() and bench.layer_references()
        assert bench.database.storage.pending == {"relations", "changes"}
        chain = bench.value_chain(first)
        assert [link.company_id for link in chain.relations.customers] == [second]
        assert not bench.database.storage.pending
        assert bench.next_undo() is not None
    finally:
        bench.close()


def test_a_change_reads_them_first_and_the_snapshot_keeps_every_one(db_path: Path) -> None:
    _linked(db_path)
    before = orjson.loads(db_path.read_bytes())
    bench = Workbench.open(db_path, background=True)
    bench.add_company("Later Inc", layer="compute")
    assert not bench.database.storage.pending
    bench.close()
    after = orjson.loads(db_path.read_bytes())
    assert after["relations"] == before["relations"]
    assert set(before["changes"]) < set(after["changes"])
    assert not journal_path(db_path).exists()


def test_closing_before_they_are_read_loses_none_of_them(db_path: Path) -> None:
    _linked(db_path)
    before = db_path.read_bytes()
    bench = Workbench.open(db_path, background=True)
    bench.close()
    assert db_path.read_bytes() == before


@pytest.mark.parametrize(
    "damage, where",
    [
        (b'"kind":"supplies"', "a relation's kind"),
        (b'"kind":"supplies",', None),  # the relation is no longer valid JSON
    ],
)
def test_a_relation_at_fault_makes_the_session_read_only_and_writes_nothing(
    db_path: Path, damage: bytes, where: str | None
) -> None:
    first, _ = _linked(db_path)
    raw = db_path.read_bytes()
    broken = b'"kind":7' if where else b'"kind":"supplies",,'
    db_path.write_bytes(raw.replace(damage, broken, 1))
    before = Fingerprint.of(db_path)
    told: list[str] = []
    bench = Workbench.open(db_path, background=True)
    bench.database.refused.append(told.append)
    assert not bench.read_only, "the open itself is not refused: the first frame comes first"
    chain = bench.value_chain(first)
    assert chain.relations.customers == []
    assert bench.read_only
    (sentence,) = told
    assert str(db_path) in sentence and sentence == bench.notice
    assert (where in sentence and "line " in sentence) if where else "JSON" in sentence
    with pytest.raises(ReadOnlyStore):
        bench.add_company("Never Written", layer="data")
    bench.close()
    assert Fingerprint.of(db_path) == before
    assert not journal_path(db_path).exists()


def test_the_command_line_still_refuses_such_a_file_at_open(db_path: Path) -> None:
    from store.errors import StoreUnreadable

    _linked(db_path)
    db_path.write_bytes(db_path.read_bytes().replace(b'"kind":"supplies"', b'"kind":7', 1))
    with pytest.raises(StoreUnreadable, match="a relation's kind"):
        Workbench.open(db_path)
