"""The inbox, the layer totals, the recent pass reasons and the list of changed companies are
kept up to date change by change; after any sequence of changes they equal what a fresh look
at every company gives."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from store import clock
from store.errors import WriteFailed
from store.service import Workbench
from tests.store.ops import random_operation


def _fresh(bench: Workbench) -> Workbench:
    """A second workbench on the same data: nothing cached, everything computed anew."""
    return Workbench(bench.database, bench.checklist, author="fresh")


def _totals(bench: Workbench) -> dict:
    return {
        layer: (n, round(avg, 9) if avg is not None else None, bench.layer_references().get(layer))
        for layer, (n, avg) in bench.layer_totals().items()
    } | {("references", layer): n for layer, n in bench.layer_references().items()}


def _triage_operation(bench: Workbench, rnd: random.Random, step: int) -> str:
    """Changes that move companies in and out of the inbox and between layers."""
    ids = sorted(row.id for row in bench.rows())
    target = rnd.choice(ids)
    today = clock.today()
    kind = rnd.choice(["snooze", "due", "unset", "no_layer", "layer", "new", "pass", "reference"])
    if kind == "pass":
        bench.set_status([target], "passed", rnd.choice(["too early", "thin wrapper", "price"]))
    elif kind == "snooze":
        bench.set_revisit([target], today + timedelta(days=rnd.randint(1, 30)))
    elif kind == "due":
        bench.set_revisit([target], today - timedelta(days=rnd.randint(0, 3)))
    elif kind == "unset":
        bench.set_revisit([target], None)
    elif kind == "no_layer":
        bench.edit_company(target, layer=None)
    elif kind == "layer":
        bench.edit_company(target, layer=rnd.choice(["power", "compute", "data"]))
    elif kind == "reference":
        bench.set_status([target], "reference")
    else:
        bench.set_status([target], "new")
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_inbox_totals_and_pass_reasons_stay_equal_to_a_fresh_count(
    db_path: Path, seed: int
) -> None:
    rnd = random.Random(seed)
    bench = Workbench.open(db_path)
    try:
        assert bench.inbox_count() == _fresh(bench).inbox_count()
        assert _totals(bench) == _totals(_fresh(bench))
        assert bench.recent_pass_reasons() == _fresh(bench).recent_pass_reasons()
        for step in range(60):
            if rnd.random() < 0.5:
                _triage_operation(bench, rnd, step)
            else:
                random_operation(bench, rnd, step)
            fresh = _fresh(bench)
            assert bench.inbox() == fresh.inbox(), f"step {step}"
            assert bench.inbox_count() == len(fresh.inbox())
            assert _totals(bench) == _totals(fresh), f"step {step}"
            assert bench.recent_pass_reasons() == fresh.recent_pass_reasons(), f"step {step}"
            for company_id in sorted(row.id for row in bench.rows())[:40]:
                assert bench.relations_of(company_id) == fresh.relations_of(company_id)
            assert bench.exposure() == fresh.exposure(), f"step {step}"
        pipeline = sum(n for n, _ in bench.layer_totals().values())
        assert pipeline + sum(bench.layer_references().values()) == len(bench.rows())
        assert pipeline == sum(row.status != "reference" for row in bench.rows())
    finally:
        bench.close()


def test_changed_after_names_what_each_change_touched(db_path: Path) -> None:
    bench = Workbench.open(db_path)
    try:
        start = bench.revision
        assert bench.changed_after(start) == set()
        first = bench.add_company("Tallied One", layer="power")
        second = bench.add_company("Tallied Two", layer="data")
        assert bench.changed_after(start) == {first.id, second.id}
        middle = bench.revision
        bench.set_status([first.id], "watching")
        assert bench.changed_after(middle) == {first.id}
        bench.undo()
        assert bench.changed_after(middle) == {first.id}, "an undo touches what it reverts"
        assert bench.changed_after(bench.revision + 1) is None
        for step in range(70):
            bench.set_status([second.id], "watching" if step % 2 else "screening")
        assert bench.changed_after(start) is None, "too long ago: the caller reads everything"
    finally:
        bench.close()


def _everything(bench: Workbench) -> tuple:
    """What the caches answer: rows, runs, inbox, totals, pass reasons."""
    return (
        {row.id: row for row in bench.rows()},
        {row.id: (bench.latest_run(row.id), bench.runs(row.id)) for row in bench.rows()},
        bench.inbox(),
        bench.inbox_count(),
        _totals(bench),
        bench.recent_pass_reasons(),
    )


def test_changes_whose_save_fails_leave_every_cache_as_a_fresh_count(
    workbench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caches follow a change that is rolled back as they follow one that lands."""
    first, second = sorted(row.id for row in workbench.rows())[:2]
    workbench.record_run(first, {"A1": "yes"})
    workbench.set_status([second], "passed", "too early")
    before = _everything(workbench)
    assert before == _everything(_fresh(workbench))
    start = workbench.revision

    def fail() -> None:
        raise WriteFailed("disk full")

    monkeypatch.setattr(workbench, "commit", fail)
    attempts = [
        lambda: workbench.record_run(first, {"A1": "no", "A2": "no"}),
        lambda: workbench.set_status([first], "passed", "thin wrapper"),
        lambda: workbench.edit_company(second, layer=None),
        lambda: workbench.delete_companies([first, second]),
        workbench.undo,
    ]
    for attempt in attempts:
        with pytest.raises(WriteFailed):
            attempt()
        assert _everything(workbench) == before
        assert _everything(_fresh(workbench)) == before
    assert workbench.revision == start + len(attempts), "each rollback is a revision views see"
    assert workbench.changed_after(start) == {first, second}
