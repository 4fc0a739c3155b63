"""Properties of the merge driver over generated histories.

A base is built by a few generated edits, then each side applies its own edits to a copy
(add, edit, tag, note, status, run, link, delete, as the app writes them). Whatever the
edits: the result parses and opens; it is the same bytes whichever side is "ours"; a side
merged with itself or with the base gives that side back; merging the result again changes
nothing; and no edit is lost (a value changed on one side is in the result; one changed
differently on both is equal in the result to one of them, or a conflict holds both).
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from store.conflicts import RECORD
from store.db import Database, meta_record
from store.merge import dump, merge
from store.merge_values import MISSING, canonical

COMPANY_IDS = [f"co-{n}" for n in range(4)]
"""The first three are in every history's start; the last is added by an edit."""
NOTE_IDS = [f"nt-{n}" for n in range(3)]
TIMES = [f"2026-11-0{n}T09:00:00Z" for n in range(1, 8)]
WORDS = ["", "seed", "Series A", "ada", "ben", "x"]
TAGS = ["ai", "AI", "gpu", "hot", "cold"]
STATUSES = ["new", "screening", "diligence", "watching"]
SCALARS = ["stage", "owner", "layer"]
LAYERS = ["compute", "network", "power"]


def _company(key: str, at: str) -> dict[str, Any]:
    return {
        "id": key, "name": key.upper(), "layer": "compute", "secondary_layers": [],
        "chokepoints": [], "one_liner": "", "website": "", "headquarters": "",
        "founded_year": None, "stage": "", "status": "new", "pass_reason": "", "tags": [],
        "owner": "", "source": "manual", "absorber": "", "upstream": "", "revisit": None,
        "kill_criterion": "", "created": at, "updated": at, "notes": [], "status_log": [],
        "provider_ids": {}, "source_data": {},
    }  # fmt: skip


def _start() -> dict[str, Any]:
    layers = {
        key: {"id": key, "name": key.title(), "position": n, "summary": "", "bottlenecks": [],
              "keywords": []}
        for n, key in enumerate(LAYERS)
    }  # fmt: skip
    return {
        "meta": {"schema": meta_record()}, "layers": layers,
        "companies": {key: _company(key, TIMES[0]) for key in COMPANY_IDS[:3]}, "runs": {},
        "relations": {}, "changes": {}, "chokepoints": {},
    }  # fmt: skip


EDIT = st.tuples(
    st.sampled_from(["add", "edit", "tag", "note", "status", "run", "link", "delete"]),
    st.sampled_from(COMPANY_IDS),
    st.sampled_from(COMPANY_IDS),
    st.sampled_from(SCALARS),
    st.sampled_from(WORDS + LAYERS),
    st.sampled_from(TAGS),
    st.sampled_from(NOTE_IDS),
    st.sampled_from(STATUSES),
    st.sampled_from(TIMES),
)


def _apply(tables: dict[str, Any], edit: tuple[Any, ...]) -> None:
    kind, key, other, field, word, tag, note_id, status, at = edit
    companies = tables["companies"]
    if kind == "add":
        companies.setdefault(key, _company(key, at))
        return
    company = companies.get(key)
    if company is None:
        return
    company["updated"] = at
    if kind == "edit":
        company[field] = word if field != "layer" else (word if word in LAYERS else "power")
    elif kind == "tag":
        folded = [t for t in company["tags"] if t.casefold() != tag.casefold()]
        company["tags"] = folded if len(folded) < len(company["tags"]) else [*folded, tag]
    elif kind == "note":
        kept = [n for n in company["notes"] if n["id"] != note_id]
        if word == "x" and len(kept) < len(company["notes"]):
            company["notes"] = kept  # a note deleted
        else:
            note = {"id": note_id, "created": at, "author": "ada", "body": word or "b"}
            company["notes"] = sorted([*kept, note], key=lambda n: (n["created"], n["id"]))
    elif kind == "status" and status != company["status"]:
        change = {"at": at, "before": company["status"], "after": status, "reason": ""}
        company["status"], company["status_log"] = status, [*company["status_log"], change]
    elif kind == "run":
        run_id = f"run-{key}-{at[9]}"
        tables["runs"][run_id] = {
            "id": run_id, "company_id": key, "checklist_id": "moat", "checklist_version": 2,
            "created": at, "sequence": 1, "author": "ada", "answers": {}, "score": None,
            "coverage": 0.0, "verdict": "incomplete",
        }  # fmt: skip
    elif kind == "link" and other in companies and other != key:
        rel_id = f"rel-{key}-{other}"
        tables["relations"][rel_id] = {
            "id": rel_id, "from_company": key, "to_company": other, "kind": "supplies",
            "note": word, "created": at,
        }  # fmt: skip
    elif kind == "delete":
        del companies[key]
        for name, ends in (
            ("runs", ("company_id",)),
            ("relations", ("from_company", "to_company")),
        ):
            table = tables[name]
            for gone in [k for k, r in table.items() if key in (r[e] for e in ends)]:
                del table[gone]


def _history(edits: list[tuple[Any, ...]], start: dict[str, Any]) -> dict[str, Any]:
    tables = copy.deepcopy(start)
    for edit in edits:
        _apply(tables, edit)
    return tables


CONTESTED = st.lists(
    st.tuples(
        EDIT, st.sampled_from(WORDS + LAYERS), st.sampled_from(TAGS), st.sampled_from(STATUSES)
    ),
    max_size=4,
)
"""Edits both sides make to the same place, each with its own value."""
HISTORIES = st.tuples(
    st.lists(EDIT, max_size=8), st.lists(EDIT, max_size=6), st.lists(EDIT, max_size=6), CONTESTED
)


def _inputs(histories: tuple[Any, ...]) -> tuple[bytes, bytes, bytes]:
    first, mine, yours, contested = histories
    base = _history(first, _start())
    ours = [*mine, *(edit for edit, *_ in contested)]
    theirs = [
        *yours,
        *(
            (*edit[:4], word, tag, edit[6], status, edit[8])
            for edit, word, tag, status in contested
        ),
    ]
    return dump(base), dump(_history(ours, base)), dump(_history(theirs, base))


@settings(max_examples=150)
@given(HISTORIES)
def test_the_merge_is_valid_symmetric_and_idempotent(histories: Any) -> None:
    o, a, b = _inputs(histories)
    merged = merge(o, a, b)
    assert merge(o, b, a) == merged
    assert merge(o, a, a) == a and merge(o, a, o) == a and merge(o, o, b) == b
    assert merge(o, merged, merged) == merged == dump(orjson.loads(merged))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merged.json"
        path.write_bytes(merged)
        database = Database.open(path, read_only=True)
        assert set(database.table("companies")) == set(orjson.loads(merged)["companies"])
        database.close()


def _held(conflicts: list[dict[str, Any]], field: str, item: str, mine: Any, yours: Any) -> bool:
    """True when a conflict at (field, item) holds both values."""
    wanted = sorted(canonical(None if v is MISSING else v) for v in (mine, yours))
    return any(
        c["field"] == field
        and c["item"] == item
        and sorted(canonical(side["value"]) for side in c["sides"]) == wanted
        for c in conflicts
    )


def _check_value(found: Any, trio: tuple[Any, Any, Any], where: tuple[str, str], held) -> None:
    old, mine, yours = trio
    for changed, untouched in ((mine, yours), (yours, mine)):
        if canonical(untouched) == canonical(old) and canonical(changed) != canonical(old):
            assert canonical(found) == canonical(changed), (where, trio, found)
            return
    if canonical(mine) != canonical(old) and canonical(mine) != canonical(yours):
        equal = canonical(found) in (canonical(mine), canonical(yours))
        assert equal or held(*where, mine, yours), (where, trio, found)


def _check_items(found: Any, trio: tuple[Any, Any, Any], field: str, held) -> None:
    """A union by id: each note checked as a value of its own."""
    maps = [{} if v is MISSING else {n["id"]: n for n in v} for v in trio]
    got = {n["id"]: n for n in found}
    for key in set().union(*maps):
        values = tuple(m.get(key, MISSING) for m in maps)
        _check_value(got.get(key, MISSING), values, (field, key), held)


def _check_company(merged: dict[str, Any], trio: tuple[Any, ...], conflicts: list[Any]) -> None:
    held = lambda *args: _held(conflicts, *args)  # noqa: E731
    old, mine, yours = (({} if r is MISSING else r) for r in trio)
    for field in set(old) | set(mine) | set(yours):
        values = (old.get(field, MISSING), mine.get(field, MISSING), yours.get(field, MISSING))
        if field == "tags":
            folded = [{t.casefold() for t in v} if v is not MISSING else set() for v in values]
            result = {t.casefold() for t in merged["tags"]}
            assert (folded[1] | folded[2]) - folded[0] <= result, (values, result)
            assert not ((folded[0] - folded[1]) | (folded[0] - folded[2])) & result
        elif field == "notes":
            _check_items(merged["notes"], values, field, held)
        elif field == "status_log":
            entries = [{canonical(e) for e in v} if v is not MISSING else set() for v in values]
            result = {canonical(e) for e in merged["status_log"]}
            assert (entries[1] | entries[2]) - entries[0] <= result
        elif field == "updated" and len({canonical(v) for v in values}) == 3:
            assert merged["updated"] == max(values[1:])  # both changed: the later
        else:
            _check_value(merged.get(field, MISSING), values, (field, ""), held)


@settings(max_examples=150)
@given(HISTORIES)
def test_no_edit_is_lost(histories: Any) -> None:
    o, a, b = (orjson.loads(raw) for raw in _inputs(histories))
    merged = orjson.loads(merge(*(dump(t) for t in (o, a, b))))
    for name in ("companies", "runs", "relations"):
        for key in set(o[name]) | set(a[name]) | set(b[name]):
            trio = tuple(t[name].get(key, MISSING) for t in (o, a, b))
            found = merged[name].get(key, MISSING)
            conflicts = [
                c for c in merged.get("conflicts", {}).values()
                if c["table"] == name and c["key"] == key
            ]  # fmt: skip
            if found is not MISSING and name != "companies" and _company_kept(merged, found):
                conflicts.append({"field": RECORD})  # kept with its company (a conflict)
            _check_record(name, found, trio, conflicts)


def _company_kept(merged: dict[str, Any], record: dict[str, Any]) -> bool:
    """True when one of the record's companies was kept by a delete/edit conflict."""
    ends = {record.get(f) for f in ("company_id", "from_company", "to_company")}
    return any(
        c["table"] == "companies" and c["field"] == RECORD and c["key"] in ends
        for c in merged.get("conflicts", {}).values()
    )


def _check_record(name: str, found: Any, trio: tuple[Any, ...], conflicts: list[Any]) -> None:
    old, mine, yours = trio
    if MISSING in (mine, yours) and not (mine is MISSING and yours is MISSING):
        kept = yours if mine is MISSING else mine
        if canonical(kept) != canonical(old):  # deleted on one side, changed on the other
            assert canonical(found) == canonical(kept)
            assert any(c["field"] == RECORD for c in conflicts) or old is MISSING
        elif found is not MISSING:  # kept because a record on the other side names it
            assert any(c["field"] == RECORD for c in conflicts)
        return
    if mine is MISSING and yours is MISSING:
        assert found is MISSING
        return
    assert found is not MISSING
    if name == "companies":
        _check_company(found, trio, conflicts)
        return
    old, mine, yours = (({} if r is MISSING else r) for r in trio)
    for field in set(old) | set(mine) | set(yours):
        values = (old.get(field, MISSING), mine.get(field, MISSING), yours.get(field, MISSING))
        held = lambda *args: _held(conflicts, *args)  # noqa: E731
        _check_value(found.get(field, MISSING), values, (field, ""), held)


def _json() -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=4)
    return st.recursive(
        scalars | st.floats(allow_nan=False, allow_infinity=False),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
        max_leaves=5,
    )


HOSTILE_FIELDS = st.sampled_from(
    ["tags", "notes", "status_log", "updated", "provider_ids", "layer", "secondary_layers", "x"]
)
HOSTILE = st.dictionaries(HOSTILE_FIELDS, _json(), max_size=3)


@settings(max_examples=150)
@given(HOSTILE, HOSTILE, HOSTILE)
def test_records_that_break_every_rule_merge_symmetrically(
    base: Any, mine: Any, yours: Any
) -> None:
    """Any JSON in any field (a list of numbers for tags, notes without ids, ``1`` against
    ``1.0`` against ``true``): the merge neither fails nor depends on which side is ours."""
    start = _start()
    tables = []
    for fields in (base, mine, yours):
        side = copy.deepcopy(start)
        side["companies"]["co-0"].update(fields)
        tables.append(dump(side))
    merged = merge(*tables)
    assert merge(tables[0], tables[2], tables[1]) == merged
    assert orjson.loads(merged)["companies"]["co-0"]["id"] == "co-0"
    assert merge(tables[0], merged, merged) == merged
