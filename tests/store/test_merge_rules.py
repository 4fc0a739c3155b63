"""The merge driver's rules, one 3-way case per row: base, ours, theirs → what the file holds.

Each case is checked both ways round (``merge(O, A, B)`` and ``merge(O, B, A)`` must be the
same bytes), and the merged file must open as a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest

from store.conflicts import conflict_id
from store.db import Database, meta_record
from store.merge import MergeRefused, dump, merge, merge_files
from store.service import Workbench

T0, T1, T2 = "2026-11-01T09:00:00Z", "2026-11-02T09:00:00Z", "2026-11-03T09:00:00Z"
ACME: dict[str, Any] = {
    "id": "co-acme",
    "name": "Acme",
    "layer": "compute",
    "secondary_layers": [],
    "chokepoints": [],
    "one_liner": "",
    "website": "",
    "headquarters": "",
    "founded_year": None,
    "stage": "",
    "status": "new",
    "pass_reason": "",
    "tags": ["ai"],
    "owner": "",
    "source": "manual",
    "absorber": "",
    "upstream": "",
    "revisit": None,
    "kill_criterion": "",
    "created": T0,
    "updated": T0,
    "notes": [],
    "status_log": [],
    "provider_ids": {},
    "source_data": {},
}
LAYERS = {
    key: {"id": key, "name": key.title(), "position": n, "summary": "", "bottlenecks": [],
          "keywords": []}
    for n, key in enumerate(("compute", "network", "power"))
}  # fmt: skip
CHOKEPOINTS = {"hbm": {"id": "hbm", "name": "HBM supply", "layer": "compute", "note": ""}}
GONE = None


def note(key: str, body: str, at: str = T1) -> dict[str, Any]:
    return {"id": key, "created": at, "author": "ada", "body": body}


def move(before: str, after: str, at: str) -> dict[str, Any]:
    return {"at": at, "before": before, "after": after, "reason": ""}


def run(key: str, company: str = "co-acme") -> dict[str, Any]:
    return {
        "id": key, "company_id": company, "checklist_id": "moat", "checklist_version": 2,
        "created": T1, "sequence": 1, "author": "ada", "answers": {}, "score": None,
        "coverage": 0.0, "verdict": "incomplete",
    }  # fmt: skip


def acme(**changes: Any) -> dict[str, Any]:
    return {**ACME, **changes}


def snapshot(*companies: dict[str, Any] | None, **tables: dict[str, Any]) -> bytes:
    """A snapshot file holding ``companies`` (None: none) and any other tables."""
    data: dict[str, Any] = {
        "meta": {"schema": meta_record()},
        "layers": LAYERS,
        "chokepoints": CHOKEPOINTS,
        "companies": {c["id"]: c for c in companies if c is not None},
        "runs": {},
        "relations": {},
        "changes": {},
    }
    data.update(tables)
    return dump(data)


@dataclass(frozen=True)
class Case:
    name: str
    base: dict[str, Any] | None
    ours: dict[str, Any] | None
    theirs: dict[str, Any] | None
    expect: dict[str, Any] | None
    """Fields the merged Acme must hold (None: Acme is gone)."""
    conflicts: set[tuple[str, str]] = field(default_factory=set)
    """(field, item) of each conflict on Acme."""


CASES = [
    Case("one side edits a field", acme(), acme(stage="Seed", updated=T1), acme(),
         {"stage": "Seed", "updated": T1}),
    Case("each side edits another field", acme(), acme(stage="Seed", updated=T1),
         acme(owner="ben", updated=T2), {"stage": "Seed", "owner": "ben", "updated": T2}),
    Case("both make the same edit", acme(), acme(stage="Seed"), acme(stage="Seed"),
         {"stage": "Seed"}),
    Case("same field, different values: base kept, conflict", acme(stage="Pre"),
         acme(stage="Seed", updated=T1), acme(stage="Series A", updated=T2),
         {"stage": "Pre", "updated": T2}, {("stage", "")}),
    Case("a field removed on one side, changed on the other", acme(stage="Pre"),
         {k: v for k, v in acme().items() if k != "stage"}, acme(stage="Seed"),
         {"stage": "Seed"}, {("stage", "")}),
    Case("tags: adds from both sides", acme(), acme(tags=["ai", "hot"]),
         acme(tags=["ai", "cold"]), {"tags": ["ai", "cold", "hot"]}),
    Case("tags: a remove and an add", acme(tags=["ai", "x"]), acme(tags=["x"]),
         acme(tags=["ai", "x", "new"]), {"tags": ["x", "new"]}),
    Case("tags: one tag added in two spellings", acme(), acme(tags=["ai", "GPU"]),
         acme(tags=["ai", "gpu"]), {"tags": ["ai", "GPU"]}),
    Case("other layers and chokepoints as sets", acme(),
         acme(secondary_layers=["network"], chokepoints=["hbm"]),
         acme(secondary_layers=["power"]),
         {"secondary_layers": ["network", "power"], "chokepoints": ["hbm"]}),
    Case("a secondary layer that became the primary is dropped", acme(secondary_layers=["power"]),
         acme(layer="network", secondary_layers=["power"]),
         acme(secondary_layers=["power", "network"]),
         {"layer": "network", "secondary_layers": ["power"]}),
    Case("notes: a union by id, oldest first", acme(notes=[note("n0", "base", T0)]),
         acme(notes=[note("n0", "base", T0), note("n2", "two", T2)]),
         acme(notes=[note("n0", "base", T0), note("n1", "one", T1)]),
         {"notes": [note("n0", "base", T0), note("n1", "one", T1), note("n2", "two", T2)]}),
    Case("notes: one note edited differently on both sides", acme(notes=[note("n0", "base")]),
         acme(notes=[note("n0", "mine")]), acme(notes=[note("n0", "yours")]),
         {"notes": [note("n0", "base")]}, {("notes", "n0")}),
    Case("notes: deleted on one side, edited on the other: kept",
         acme(notes=[note("n0", "base")]), acme(notes=[]), acme(notes=[note("n0", "edited")]),
         {"notes": [note("n0", "edited")]}, {("notes", "n0")}),
    Case("status changes: a union, by time", acme(),
         acme(status="screening", status_log=[move("new", "screening", T1)]),
         acme(status="watching", status_log=[move("new", "watching", T2)]),
         {"status": "new",
          "status_log": [move("new", "screening", T1), move("new", "watching", T2)]},
         {("status", "")}),
    Case("status changes: a repeat of the same change is kept apart",
         acme(status_log=[move("new", "screening", T1)]),
         acme(status_log=[move("new", "screening", T1), move("new", "screening", T1)]),
         acme(status_log=[move("new", "screening", T1), move("screening", "new", T2)]),
         {"status_log": [move("new", "screening", T1), move("new", "screening", T1),
                         move("screening", "new", T2)]}),
    Case("provider ids key by key", acme(provider_ids={"a": "1"}),
         acme(provider_ids={"a": "1", "b": "2"}), acme(provider_ids={"a": "9"}),
         {"provider_ids": {"a": "9", "b": "2"}}),
    Case("provider ids: one key changed on both", acme(provider_ids={"a": "1"}),
         acme(provider_ids={"a": "2"}), acme(provider_ids={"a": "3"}),
         {"provider_ids": {"a": "1"}}, {("provider_ids", "a")}),
    Case("added on both sides: field by field, smaller value kept", None,
         acme(stage="Seed", owner="ada"), acme(stage="Series A", tags=["ai", "x"]),
         {"stage": "Seed", "owner": "", "tags": ["ai", "x"]}, {("stage", ""), ("owner", "")}),
    Case("deleted on one side, edited on the other: kept", acme(), GONE,
         acme(stage="Seed"), {"stage": "Seed"}, {("", "")}),
    Case("deleted on one side, untouched on the other: gone", acme(), GONE, acme(), None),
    Case("deleted on both sides: gone", acme(), GONE, GONE, None),
    Case("added on one side", None, GONE, acme(), {"name": "Acme"}),
]  # fmt: skip


def _conflicts_on(merged: dict[str, Any], key: str) -> set[tuple[str, str]]:
    return {
        (c["field"], c["item"])
        for c in merged.get("conflicts", {}).values()
        if c["key"] == key and c["table"] == "companies"
    }


def _opens(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "merged.json"
    path.write_bytes(data)
    Database.open(path, read_only=True).close()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_merge_rule(case: Case, tmp_path: Path) -> None:
    base, ours, theirs = snapshot(case.base), snapshot(case.ours), snapshot(case.theirs)
    data = merge(base, ours, theirs)
    assert merge(base, theirs, ours) == data
    assert merge(base, data, data) == data
    _opens(data, tmp_path)
    merged = orjson.loads(data)
    company = merged["companies"].get("co-acme")
    if case.expect is None:
        assert company is None
        return
    assert company is not None
    assert {k: company.get(k) for k in case.expect} == case.expect
    assert _conflicts_on(merged, "co-acme") == case.conflicts


def test_a_conflict_holds_base_both_sides_who_and_when() -> None:
    base = snapshot(acme(stage="Pre"))
    ours = snapshot(acme(stage="Seed", updated=T1, notes=[note("n1", "x")]))
    theirs = snapshot(acme(stage="Series A", updated=T2))
    merged = orjson.loads(merge(base, ours, theirs))
    conflict = merged["conflicts"][conflict_id("companies", "co-acme", "stage", "")]
    assert conflict["name"] == "Acme" and conflict["base"] == "Pre"
    assert conflict["sides"] == [
        {"value": "Seed", "who": "", "when": T1},
        {"value": "Series A", "who": "", "when": T2},
    ]
    assert merged["companies"]["co-acme"]["notes"] == [note("n1", "x")]


def test_a_run_added_to_a_company_the_other_side_deleted_keeps_the_company() -> None:
    base = snapshot(acme())
    ours = snapshot(GONE)
    theirs = snapshot(acme(), runs={"run-1": run("run-1")})
    merged = orjson.loads(merge(base, ours, theirs))
    assert merge(base, theirs, ours) == dump(merged)
    assert set(merged["runs"]) == {"run-1"} and "co-acme" in merged["companies"]
    assert _conflicts_on(merged, "co-acme") == {("", "")}


def test_relations_are_a_union_by_id() -> None:
    beta = acme(id="co-beta", name="Beta")
    link = {"from_company": "co-acme", "to_company": "co-beta", "note": "", "created": T1}
    ours = {"rel-1": {**link, "id": "rel-1", "kind": "supplies"}}
    theirs = {"rel-2": {**link, "id": "rel-2", "kind": "competes"}}
    merged = orjson.loads(
        merge(
            snapshot(acme(), beta),
            snapshot(acme(), beta, relations=ours),
            snapshot(acme(), beta, relations=theirs),
        )
    )
    assert set(merged["relations"]) == {"rel-1", "rel-2"}
    assert "conflicts" not in merged


def test_the_undo_log_merges_without_conflicts() -> None:
    entry = {"id": "0000000001", "at": T1, "label": "x", "ops": [], "undone": False,
             "session": "s", "redo": []}  # fmt: skip
    ours = snapshot(acme(), changes={"0000000001": entry})
    theirs = snapshot(acme(), changes={"0000000001": {**entry, "label": "y"}})
    merged = orjson.loads(merge(snapshot(acme()), ours, theirs))
    assert merged["changes"]["0000000001"]["label"] == "x"
    assert "conflicts" not in merged


def test_an_empty_base_merges_two_files_added_on_both_sides() -> None:
    data = merge(b"", snapshot(acme()), snapshot(acme(id="co-b", name="B")))
    assert set(orjson.loads(data)["companies"]) == {"co-acme", "co-b"}


def test_an_older_side_is_upgraded_first(tmp_path: Path) -> None:
    """A schema-2 base and side merge with a schema-4 side: the result is schema 4, and the
    upgrade of both older inputs made the same records (no random ids, no clock)."""
    old = (Path(__file__).parent / "fixtures" / "schema2.json").read_bytes()
    path = tmp_path / "new.json"
    path.write_bytes(old)
    bench = Workbench.open(path)
    bench.add_company("Newco", layer="compute")
    bench.close()
    new = path.read_bytes()
    data = merge(old, old, new)
    assert data == merge(old, new, old) == new
    merged = orjson.loads(merge(old, new, new))
    assert merged["meta"]["schema"] == meta_record()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"not json", "is not a moatscope database"),
        (b'{"companies": {}}', "is not a moatscope database"),
        (b"<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> theirs\n", "conflict markers"),
        (snapshot(acme()).replace(b'"schema_version":4', b'"schema_version":99'),
         "upgrade moatscope"),
    ],
)  # fmt: skip
def test_what_is_not_a_database_this_version_reads_is_refused(raw: bytes, words: str) -> None:
    good = snapshot(acme())
    for inputs in ((good, raw, good), (good, good, raw), (raw, good, good)):
        with pytest.raises(MergeRefused, match=words):
            merge_files(*inputs)


def test_a_malformed_record_is_kept_as_it_is() -> None:
    """A record that breaks a rule (tags that are not a list, a note without an id) merges
    whole, like any value, and the file stays valid JSON."""
    broken = acme(tags="ai, hot", notes=[{"body": "no id"}])
    data = merge(snapshot(acme()), snapshot(broken), snapshot(acme(stage="Seed")))
    company = orjson.loads(data)["companies"]["co-acme"]
    assert company["tags"] == "ai, hot" and company["stage"] == "Seed"
    assert company["notes"] == [{"body": "no id"}]


def test_a_file_in_another_layout_merges_alike() -> None:
    """A file re-indented by hand (not one record per line) is parsed whole: the same
    result, in the snapshot's own layout."""
    base, theirs = snapshot(acme()), snapshot(acme(stage="Seed"))
    ours = acme(owner="ada", updated=T1)
    tables = orjson.loads(snapshot(ours))
    indented = orjson.dumps(tables, option=orjson.OPT_INDENT_2)
    squeezed = orjson.dumps(tables)
    expected = merge(base, snapshot(ours), theirs)
    assert merge(base, indented, theirs) == merge(base, squeezed, theirs) == expected
    assert merge(base, theirs, indented) == expected


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw.replace(b'},\n"co-acme"', b'}, "co-x": {},\n"co-acme"'),
        lambda raw: raw.replace(b"},\n", b"}\n", 1),
        lambda raw: raw.replace(b'"companies": {\n', b'"companies": {\n\n'),
        lambda raw: raw[:-3] + b"},\n}\n",
    ],
)
def test_a_file_almost_in_the_layout_is_read_as_json_or_refused(change) -> None:
    """Lines that look like the layout but are not one record per line never reach the
    result as they are: the file is read whole (or refused when it is not JSON)."""
    beta = acme(id="co-a", name="A")
    raw = change(snapshot(beta, acme()))
    try:
        expected = dump(orjson.loads(raw))
    except orjson.JSONDecodeError:
        with pytest.raises(MergeRefused, match="is not a moatscope database"):
            merge(raw, raw, raw)
        return
    assert merge(raw, raw, raw) == expected


def test_a_conflict_on_a_run_with_a_malformed_company_id_is_recorded() -> None:
    odd = {**run("run-1"), "company_id": ["co-acme"], "author": "x"}
    ours, theirs = {**odd, "author": "ada"}, {**odd, "author": "ben"}
    merged = orjson.loads(
        merge(
            snapshot(acme(), runs={"run-1": odd}),
            snapshot(acme(), runs={"run-1": ours}),
            snapshot(acme(), runs={"run-1": theirs}),
        )
    )
    (conflict,) = merged["conflicts"].values()
    assert (conflict["table"], conflict["field"], conflict["name"]) == ("runs", "author", "")


def test_a_company_kept_against_a_delete_keeps_its_runs_and_links() -> None:
    """The delete took the company's runs and relations with it; the other side edited the
    company: it stays, and what belongs to it stays with it."""
    beta = acme(id="co-beta", name="Beta")
    link = {"id": "rel-1", "from_company": "co-beta", "to_company": "co-acme",
            "kind": "supplies", "note": "", "created": T1}  # fmt: skip
    base = snapshot(acme(), beta, runs={"run-1": run("run-1")}, relations={"rel-1": link})
    ours = snapshot(GONE, beta)
    theirs = snapshot(
        acme(stage="Seed"), beta, runs={"run-1": run("run-1")}, relations={"rel-1": link}
    )
    merged = orjson.loads(merge(base, ours, theirs))
    assert merge(base, theirs, ours) == dump(merged)
    assert merged["companies"]["co-acme"]["stage"] == "Seed"
    assert set(merged["runs"]) == {"run-1"} and set(merged["relations"]) == {"rel-1"}
    assert _conflicts_on(merged, "co-acme") == {("", "")}
