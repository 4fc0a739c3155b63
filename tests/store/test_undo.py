"""Undo: every change, bulk and deletes included, reversed exactly; the log lives in the file."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from store import changes
from store.errors import WriteFailed
from store.rows import CompanyRow
from store.service import Workbench
from tests.store.conftest import PERFECT
from tests.store.ops import random_operation, tables


def _state(bench: Workbench) -> dict:
    return tables(bench, "companies", "runs", "layers")


def _fresh_rows(bench: Workbench) -> dict[str, CompanyRow]:
    runs = {}
    for run in bench.database.table("runs").values():
        current = runs.get(run["company_id"])
        if current is None or (run["created"], run["id"]) > (current["created"], current["id"]):
            runs[run["company_id"]] = run
    return {
        key: CompanyRow.build(record, runs.get(key))
        for key, record in bench.database.table("companies").items()
    }


def _ids(bench: Workbench, name: str) -> str:
    return bench.find(name).id


OPERATIONS: dict[str, tuple[Callable[[Workbench], object], str]] = {
    "add": (lambda b: b.add_company("Undo Me", layer="data"), "Added Undo Me"),
    "edit": (
        lambda b: b.edit_company(_ids(b, "NVIDIA"), one_liner="edited", founded_year=1993),
        "Edited NVIDIA",
    ),
    "rename": (
        lambda b: b.edit_company(_ids(b, "NVIDIA"), name="Nvidia Corp"),
        "Edited Nvidia Corp",
    ),
    "note": (lambda b: b.add_note(_ids(b, "Groq"), "a *note*"), "Added a note to Groq"),
    "status": (
        lambda b: b.set_status([_ids(b, "Groq")], "screening"),
        "Set status screening: Groq",
    ),
    "pass": (
        lambda b: b.set_status([_ids(b, "Groq")], "passed", reason="no moat"),
        "Set status passed: Groq",
    ),
    "tags": (lambda b: b.set_tags(_ids(b, "Groq"), ["inference", "lpu"]), "Edited Groq"),
    "add_tag_bulk": (
        lambda b: b.add_tag([_ids(b, "Groq"), _ids(b, "AMD")], "chips"),
        "Tagged chips: 2 companies",
    ),
    "remove_tag_bulk": (
        lambda b: b.remove_tag([r.id for r in b.rows(layer="compute")], "starter"),
        None,
    ),
    "bulk_status": (lambda b: b.set_status([r.id for r in b.rows(layer="data")], "watching"), None),
    "delete_one": (lambda b: b.delete_companies([_ids(b, "Groq")]), "Deleted Groq"),
    "delete_many": (lambda b: b.delete_companies([r.id for r in b.rows(layer="network")]), None),
    "record_run": (lambda b: b.record_run(_ids(b, "Groq"), PERFECT), "Scored Groq: Anchor"),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_is_undone_exactly(db_path: Path, name: str) -> None:
    operation, label = OPERATIONS[name]
    bench = Workbench.open(db_path)
    try:
        # Give Groq some history so deletes and edits have runs and notes to restore.
        bench.record_run(_ids(bench, "Groq"), {"A1": "y", "B1": "p"})
        bench.add_note(_ids(bench, "Groq"), "earlier note")
        before = _state(bench)
        rows_before = {row.id: row for row in bench.rows()}
        operation(bench)
        assert _state(bench) != before, "the operation changed nothing"
        returned = bench.undo()
        assert returned is not None
        if label is not None:
            assert returned == label
        assert _state(bench) == before
        assert {row.id: row for row in bench.rows()} == rows_before == _fresh_rows(bench)
    finally:
        bench.close()
    reopened = Workbench.open(db_path, read_only=True)
    try:
        assert _state(reopened) == before, "the undo was saved"
    finally:
        reopened.close()


def test_bulk_labels_count_companies(workbench: Workbench) -> None:
    ids = [row.id for row in workbench.rows(layer="network")]
    assert workbench.set_status(ids, "watching") == len(ids)
    assert workbench.undo() == f"Set status watching: {len(ids)} companies"
    assert workbench.delete_companies(ids) == len(ids)
    assert workbench.rows(layer="network") == []
    assert workbench.undo() == f"Deleted {len(ids)} companies"
    assert len(workbench.rows(layer="network")) == len(ids)


def test_delete_removes_and_undo_restores_runs(workbench: Workbench) -> None:
    groq = workbench.find("Groq").id
    run = workbench.record_run(groq, PERFECT)
    assert workbench.latest_run(groq).id == run.id
    workbench.delete_companies([groq])
    assert workbench.database.get("runs", run.id) is None
    assert workbench.undo() == "Deleted Groq"
    assert workbench.latest_run(groq).id == run.id
    assert workbench.row(groq).verdict == "anchor"


def test_repeated_undo_walks_back_then_returns_none(db_path: Path) -> None:
    bench = Workbench.open(db_path)
    try:
        assert bench.undo() is None, "a new database has nothing to undo"
        states = [_state(bench)]
        labels = []
        for name in ("add", "note", "add_tag_bulk", "record_run", "delete_many", "edit"):
            operation, _ = OPERATIONS[name]
            operation(bench)
            labels.append(
                bench.database.table("changes")[max(bench.database.table("changes"))]["label"]
            )
            states.append(_state(bench))
        for expected_label in reversed(labels):
            states.pop()
            assert bench.undo() == expected_label
            assert _state(bench) == states[-1]
        assert bench.undo() is None
        assert bench.undo() is None
        assert _state(bench) == states[0]
    finally:
        bench.close()


def test_undo_survives_close_and_reopen(db_path: Path) -> None:
    bench = Workbench.open(db_path)
    original = _state(bench)
    bench.add_company("Across Sessions", layer="power")
    middle = _state(bench)
    bench.delete_companies([bench.find("Crusoe").id, bench.find("Oklo").id])
    bench.close()

    bench = Workbench.open(db_path)
    try:
        assert bench.undo() == "Deleted 2 companies"
        assert _state(bench) == middle
    finally:
        bench.close()
    bench = Workbench.open(db_path)
    try:
        assert bench.undo() == "Added Across Sessions"
        assert _state(bench) == original
        assert bench.undo() is None
    finally:
        bench.close()


def test_new_change_after_undo_then_undo_again(workbench: Workbench) -> None:
    start = _state(workbench)
    workbench.add_company("First", layer="data")
    workbench.undo()
    workbench.add_company("Second", layer="data")
    assert workbench.undo() == "Added Second"
    assert workbench.undo() is None, "an undone change is not undone twice"
    assert _state(workbench) == start


def test_failed_operation_leaves_nothing_to_undo(workbench: Workbench) -> None:
    from store.errors import InvalidInput

    before = _state(workbench)
    with pytest.raises(InvalidInput):
        workbench.set_status([workbench.rows()[0].id], "passed")
    assert workbench.undo() is None
    assert _state(workbench) == before


def test_change_log_keeps_the_newest_kept_changes(
    workbench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "KEPT", 3)
    company = workbench.rows()[0].id
    for n in range(7):
        workbench.add_tag([company], f"t{n}")
    log = workbench.database.table("changes")
    assert len(log) == 3
    assert [entry["label"] for _, entry in sorted(log.items())] == [
        f"Tagged t{n}: {workbench.company(company).name}" for n in (4, 5, 6)
    ]
    for _ in range(3):
        assert workbench.undo() is not None
    assert workbench.undo() is None
    assert workbench.company(company).tags[-1] == "t3"


@pytest.mark.parametrize("seed", [11, 12])
def test_undo_everything_after_random_operations(db_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    bench = Workbench.open(db_path)
    try:
        history = [_state(bench)]
        for step in range(30):
            kind = random_operation(bench, rnd, step)
            if kind == "undo":
                if len(history) > 1:
                    history.pop()
            else:
                history.append(_state(bench))
            assert _state(bench) == history[-1]
        while len(history) > 1:
            history.pop()
            assert bench.undo() is not None
            assert _state(bench) == history[-1]
        assert {row.id: row for row in bench.rows()} == _fresh_rows(bench)
    finally:
        bench.close()


def _failing_commit(bench: Workbench, monkeypatch: pytest.MonkeyPatch, error: BaseException):
    def fail() -> None:
        raise error

    monkeypatch.setattr(bench, "commit", fail)


@pytest.mark.parametrize(
    "error", [WriteFailed("disk full"), OSError(5, "I/O error"), RuntimeError("a bug")]
)
def test_a_change_whose_save_fails_leaves_no_trace_in_memory_or_log(
    workbench: Workbench, db_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    monkeypatch.setattr(changes, "KEPT", 3)
    company = workbench.rows()[0].id
    for n in range(4):  # the log is full: the next change would push out its oldest entry
        workbench.add_tag([company], f"t{n}")
    before, log = _state(workbench), dict(workbench.database.table("changes"))
    workbench.database.storage.settle()  # the journal's changes into the file
    on_disk = db_path.read_bytes()
    _failing_commit(workbench, monkeypatch, error)
    with pytest.raises(type(error)):
        workbench.add_company("Zeta", layer="data")
    with pytest.raises(type(error)):
        workbench.add_tag([company], "t9")
    assert _state(workbench) == before
    assert workbench.database.table("changes") == log, "the log is as it was, oldest entry too"
    assert {row.id: row for row in workbench.rows()} == _fresh_rows(workbench)
    monkeypatch.undo()
    workbench.close()
    assert db_path.read_bytes() == on_disk, "closing writes nothing of the failed changes"


def test_a_change_log_that_cannot_be_extended_refuses_the_change(
    workbench: Workbench, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change lands with its undo entry or not at all: here the entry cannot be made."""
    before = _state(workbench)

    def broken(*args, **kwargs):
        raise KeyError("ops")

    monkeypatch.setattr(changes, "append", broken)
    with pytest.raises(KeyError):
        workbench.add_company("Zeta", layer="data")
    assert _state(workbench) == before
    assert "Zeta" not in {row.name for row in workbench.rows()}


def test_an_undo_whose_save_fails_is_taken_back(
    workbench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    company = workbench.add_company("Undo Me", layer="data")
    before, log = _state(workbench), dict(workbench.database.table("changes"))
    _failing_commit(workbench, monkeypatch, WriteFailed("disk full"))
    with pytest.raises(WriteFailed):
        workbench.undo()
    assert _state(workbench) == before and workbench.company(company.id).name == "Undo Me"
    assert workbench.database.table("changes") == log
    monkeypatch.undo()
    assert workbench.undo() == "Added Undo Me"
