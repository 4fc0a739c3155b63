"""A run keeps its own checklist; re-scoring shows the difference and saves only when asked."""

from __future__ import annotations

from pathlib import Path

from store.checklist import builtin_checklist, checklist_of
from store.models import Verdict
from store.runs import rescore_difference, save_rescore, stored_result
from store.service import Workbench

V1, V2 = builtin_checklist(1), builtin_checklist()
# An Oklo-like pre-revenue company: nothing in A is Yes yet, risks checked.
PRE_REVENUE = dict(
    zip("A1 A2 A3 B1 B2 B3 B4 C1 C2 C3 C4 D1 D2 D3".split(), "ppupnpynnpyyyy", strict=True)
)


def _v1_run(db_path: Path):
    bench = Workbench.open(db_path, checklist=V1, author="tester")
    company = bench.add_company("Fission Works", layer="power")
    run = bench.record_run(company.id, PRE_REVENUE)
    bench.close()
    return run


def test_a_run_finds_its_own_checklist(db_path: Path) -> None:
    run = _v1_run(db_path)
    assert (run.checklist_version, run.verdict) == (1, Verdict.LEAKS_VALUE)
    assert checklist_of(run, V2) is V1
    assert checklist_of(run.model_copy(update={"checklist_version": 2}), V2) is V2
    other = run.model_copy(update={"checklist_id": "mine", "checklist_version": 7})
    assert checklist_of(other, V2) is V2  # a user checklist since changed: the nearest


def test_the_difference_shows_before_and_after_and_saves_nothing(db_path: Path) -> None:
    run = _v1_run(db_path)
    difference = rescore_difference(run, V1, V2)
    assert difference.before.verdict == Verdict.LEAKS_VALUE
    assert difference.before.score == run.score
    assert difference.after.verdict == Verdict.UNPROVEN
    assert difference.version == 2 and difference.changed
    assert difference.missing == ("A3",)
    assert len(difference.carried) == 13 and difference.dropped == ()
    bench = Workbench.open(db_path, author="tester")
    try:
        assert [r.id for r in bench.runs(run.company_id)] == [run.id]
    finally:
        bench.close()


def test_saving_a_rescore_adds_a_version_2_run_and_keeps_the_old_one(db_path: Path) -> None:
    run = _v1_run(db_path)
    bench = Workbench.open(db_path, author="tester")
    try:
        new = save_rescore(bench, rescore_difference(run, V1, bench.checklist))
        runs = bench.runs(run.company_id)
        assert [r.id for r in runs] == [run.id, new.id]
        assert runs[0] == run  # the version-1 run is untouched
        assert (new.checklist_version, new.verdict) == (2, Verdict.UNPROVEN)
        assert new.answers == {q: e for q, e in run.answers.items() if q in V2.by_id}
    finally:
        bench.close()


def test_a_stored_result_is_never_recomputed(db_path: Path) -> None:
    run = _v1_run(db_path)
    odd = run.model_copy(update={"score": 12.0, "verdict": Verdict.ANCHOR})
    result = stored_result(odd, V1)
    assert (result.score, result.verdict) == (12.0, Verdict.ANCHOR)
    assert result.reason == "Anchor: as saved with moat v1."
    assert stored_result(run, V1).reason.startswith("Leaks value: no value test")
