"""Relations between companies through the store: link, unlink, the groups each company
shows, every bad input, and undo and redo of each (a delete with relations included)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import InvalidInput, NotFound
from store.service import Workbench
from tests.store.ops import tables


def ids(bench: Workbench, *names: str) -> list[str]:
    return [bench.find(name).id for name in names]


def names(links) -> list[str]:
    return [link.name for link in links]


def test_a_relation_is_shown_on_both_companies_in_its_group(workbench: Workbench) -> None:
    nvidia, coreweave, lambda_, aws = ids(workbench, "NVIDIA", "CoreWeave", "Lambda", "AMD")
    workbench.link(nvidia, coreweave, "supplies", "H100 allocation")
    workbench.link(coreweave, lambda_, "competes")
    workbench.link(aws, coreweave, "could-absorb", "ships GPU hours as a feature")

    seen = workbench.relations_of(coreweave)
    assert names(seen.suppliers) == ["NVIDIA"]
    assert seen.suppliers[0].note == "H100 allocation"
    assert names(seen.absorbers) == ["AMD"], "a could-absorb to it makes the other an absorber"
    assert names(seen.competitors) == ["Lambda"]
    assert seen.customers == [] and seen.absorbs == []
    assert len(seen) == 3

    assert names(workbench.relations_of(nvidia).customers) == ["CoreWeave"]
    assert names(workbench.relations_of(aws).absorbs) == ["CoreWeave"]
    assert names(workbench.relations_of(lambda_).competitors) == ["CoreWeave"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "A company cannot be linked to itself (NVIDIA was given twice)"),
        ("duplicate", "A relation NVIDIA supplies CoreWeave already exists"),
        ("unknown", "A company with the id 'co-nowhere' is not in the database"),
        ("kind", "Kind must be one of 'supplies', 'could-absorb' or 'competes'"),
        ("note", "Note must be a single line"),
    ],
)
def test_bad_links_are_refused_in_one_sentence_and_nothing_changes(
    workbench: Workbench, case: str, message: str
) -> None:
    nvidia, coreweave = ids(workbench, "NVIDIA", "CoreWeave")
    workbench.link(nvidia, coreweave, "supplies")
    before = tables(workbench, "relations", "changes")
    arguments = {
        "itself": (nvidia, nvidia, "supplies", ""),
        "duplicate": (nvidia, coreweave, "supplies", "again"),
        "unknown": (nvidia, "co-nowhere", "competes", ""),
        "kind": (nvidia, coreweave, "eats", ""),
        "note": (nvidia, coreweave, "competes", "two\nlines"),
    }[case]
    with pytest.raises(InvalidInput) as error:
        workbench.link(*arguments)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
    assert tables(workbench, "relations", "changes") == before


def test_a_relation_to_a_deleted_company_is_refused(workbench: Workbench) -> None:
    nvidia, groq = ids(workbench, "NVIDIA", "Groq")
    workbench.delete_companies([groq])
    with pytest.raises(InvalidInput, match="it may have been deleted"):
        workbench.link(nvidia, groq, "competes")


def test_the_same_pair_may_hold_relations_of_different_kinds(workbench: Workbench) -> None:
    nvidia, coreweave = ids(workbench, "NVIDIA", "CoreWeave")
    workbench.link(nvidia, coreweave, "supplies")
    workbench.link(nvidia, coreweave, "could-absorb")
    workbench.link(coreweave, nvidia, "supplies")  # the other way round is another relation
    seen = workbench.relations_of(coreweave)
    assert names(seen.suppliers) == ["NVIDIA"] and names(seen.customers) == ["NVIDIA"]
    assert names(seen.absorbers) == ["NVIDIA"]


def test_a_cycle_of_supplies_is_allowed_and_found(workbench: Workbench) -> None:
    nvidia, coreweave, lambda_ = ids(workbench, "NVIDIA", "CoreWeave", "Lambda")
    workbench.link(nvidia, coreweave, "supplies")
    workbench.link(coreweave, lambda_, "supplies")
    assert workbench.supply_cycle(nvidia) == []
    workbench.link(lambda_, nvidia, "supplies")
    assert workbench.supply_cycle(nvidia) == [nvidia, coreweave, lambda_, nvidia]
    assert workbench.supply_cycle(lambda_) == [lambda_, nvidia, coreweave, lambda_]


def test_unlink_removes_one_kind_or_all_and_undo_and_redo_follow(workbench: Workbench) -> None:
    nvidia, coreweave = ids(workbench, "NVIDIA", "CoreWeave")
    workbench.link(nvidia, coreweave, "supplies")
    workbench.link(nvidia, coreweave, "competes")
    assert workbench.unlink(nvidia, coreweave, "competes") == 1
    assert len(workbench.relations_of(coreweave)) == 1
    assert workbench.undo() == "Unlinked NVIDIA and CoreWeave"
    assert len(workbench.relations_of(coreweave)) == 2
    assert workbench.redo_change().label == "Unlinked NVIDIA and CoreWeave"
    assert len(workbench.relations_of(coreweave)) == 1
    assert workbench.unlink(nvidia, coreweave) == 1
    assert len(workbench.relations_of(coreweave)) == 0
    with pytest.raises(NotFound, match="There is no relation from NVIDIA to CoreWeave"):
        workbench.unlink(nvidia, coreweave)
    with pytest.raises(NotFound, match="no supplies relation from CoreWeave to NVIDIA"):
        workbench.unlink(coreweave, nvidia, "supplies")


def test_undo_of_a_link_takes_it_back_and_redo_makes_it_again(workbench: Workbench) -> None:
    nvidia, coreweave = ids(workbench, "NVIDIA", "CoreWeave")
    workbench.link(nvidia, coreweave, "supplies")
    assert workbench.undo() == "Linked NVIDIA supplies CoreWeave"
    assert len(workbench.relations_of(nvidia)) == 0
    assert workbench.database.table("relations") == {}
    workbench.redo_change()
    assert names(workbench.relations_of(nvidia).customers) == ["CoreWeave"]


def test_a_delete_takes_the_relations_and_its_undo_brings_them_back(
    workbench: Workbench,
) -> None:
    nvidia, coreweave, lambda_ = ids(workbench, "NVIDIA", "CoreWeave", "Lambda")
    workbench.link(nvidia, coreweave, "supplies", "GPUs")
    workbench.link(lambda_, nvidia, "could-absorb")
    workbench.link(coreweave, lambda_, "competes")
    kept = tables(workbench, "relations")
    workbench.delete_companies([nvidia])
    assert len(workbench.relations_of(coreweave)) == 1, "only the relation without NVIDIA"
    assert len(workbench.relations_of(nvidia)) == 0
    assert workbench.undo() == "Deleted NVIDIA"
    assert tables(workbench, "relations") == kept
    assert names(workbench.relations_of(coreweave).suppliers) == ["NVIDIA"]
    workbench.redo_change()
    assert len(workbench.relations_of(coreweave)) == 1


def test_relations_survive_a_reopen(db_path: Path) -> None:
    bench = Workbench.open(db_path, author="tester")
    nvidia, coreweave = ids(bench, "NVIDIA", "CoreWeave")
    bench.link(nvidia, coreweave, "supplies", "GPUs")
    bench.close()
    again = Workbench.open(db_path, read_only=True)
    try:
        link = again.relations_of(coreweave).suppliers[0]
        assert (link.name, link.note, link.kind) == ("NVIDIA", "GPUs", "supplies")
    finally:
        again.close()


def test_a_link_refreshes_both_companies_in_views(workbench: Workbench) -> None:
    nvidia, coreweave = ids(workbench, "NVIDIA", "CoreWeave")
    revision = workbench.revision
    workbench.link(nvidia, coreweave, "supplies")
    assert workbench.changed_after(revision) == {nvidia, coreweave}
