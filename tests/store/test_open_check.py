"""The open check: its quick yes and its careful second look hold records to the same rules.

``first_problem`` first asks a function written out per table whether every record is
plainly fine, and looks closer only when it says no. These tests hold the quick answer
to the shapes in ``store.shape``: it says no to every value a shape forbids (so nothing
slips past), and whatever the check accepts can be read by the code that reads records
without pydantic.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from store import open_check
from store.open_check import first_problem
from store.rows import CompanyRow
from store.service import Workbench
from store.shape import (
    CHANGE,
    CHOKEPOINT,
    COMPANY,
    OP,
    RELATION,
    RUN,
    SHAPES,
    STATUS_CHANGE,
    UNDOABLE_TABLES,
    Field,
    Shape,
)

WRONG: list[Any] = [None, True, 0, 1.5, "", "text", [], ["x", 1], {}, {"a": 1}]
"""A value of each kind a JSON file can hold."""


def _allowed(spec: Field, value: Any) -> bool:
    if type(value) not in spec.kinds:
        return False
    return not spec.choices or value in spec.choices


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The tables of a database holding a record of every kind, nested ones included."""
    path = tmp_path_factory.mktemp("sample") / "db.json"
    bench = Workbench.open(path, author="tester")
    try:
        company = bench.add_company(
            "Sample Co", layer="compute", tags=["a"], provider_ids={"crunchbase": "x"}
        )
        bench.set_status([company.id], "passed", "too early")
        bench.record_run(company.id, {"A1": "y"})
        bench.add_note(company.id, "a note")
        bench.link(company.id, bench.find("NVIDIA").id, "competes", "a note")
        bench.set_chokepoints(company.id, ["hbm"])
        bench.set_secondary_layers(company.id, ["network"])
    finally:
        bench.close()
    return orjson.loads(path.read_bytes())


def _places(sample: dict[str, Any]) -> list[tuple[str, Shape, tuple[Any, ...]]]:
    """Where each shape's records sit in ``sample``: table, shape, path to the record."""
    company_id = next(key for key, c in sample["companies"].items() if c["status_log"])
    change_id = max(sample["changes"])
    return [
        ("companies", COMPANY, ("companies", company_id)),
        ("companies", STATUS_CHANGE, ("companies", company_id, "status_log", 0)),
        ("runs", RUN, ("runs", next(iter(sample["runs"])))),
        ("changes", CHANGE, ("changes", change_id)),
        ("changes", OP, ("changes", change_id, "ops", 0)),
        ("relations", RELATION, ("relations", next(iter(sample["relations"])))),
        ("chokepoints", CHOKEPOINT, ("chokepoints", "hbm")),
    ]


def _at(tables: dict[str, Any], where: tuple[Any, ...]) -> dict[str, Any]:
    node: Any = tables
    for step in where:
        node = node[step]
    return node


def _cases(sample: dict[str, Any]) -> list[tuple[str, tuple[Any, ...], str, Any]]:
    cases = []
    for table, shape, where in _places(sample):
        for spec in shape.fields:
            for value in WRONG:
                if not _allowed(spec, value):
                    cases.append((table, where, spec.key, value))
            if spec.required:
                cases.append((table, where, spec.key, KeyError))
            if spec.choices:
                cases.append((table, where, spec.key, "not-a-choice"))
    return cases


def test_the_sample_is_plainly_fine(sample: dict[str, Any]) -> None:
    for name in SHAPES:
        assert open_check._plainly_fine(name, sample[name]), name
    assert first_problem(sample) is None


def test_every_value_a_shape_forbids_is_refused_by_both_answers(sample: dict[str, Any]) -> None:
    cases = _cases(sample)
    assert len(cases) > 150
    for table, where, key, value in cases:
        tables = copy.deepcopy(sample)
        record = _at(tables, where)
        if value is KeyError:
            del record[key]
        else:
            record[key] = value
        assert not open_check._plainly_fine(table, tables[table]), (where, key, value)
        problem = first_problem(tables)
        assert problem is not None, (where, key, value)
        assert problem.table == table and problem.key == where[1], (problem, where, key)


def test_an_optional_field_left_out_is_accepted_after_a_closer_look(
    sample: dict[str, Any],
) -> None:
    """Files of an earlier schema lack fields added since: the quick answer says no, the
    closer look accepts them."""
    for _, shape, where in _places(sample):
        for spec in shape.fields:
            if spec.required:
                continue
            tables = copy.deepcopy(sample)
            del _at(tables, where)[spec.key]
            assert first_problem(tables) is None, (where, spec.key)


def _json() -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8)
    return st.recursive(
        scalars | st.floats(allow_nan=False, allow_infinity=False),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=6,
    )


@st.composite
def _damaged(draw: st.DrawFn, sample: dict[str, Any]) -> dict[str, Any]:
    tables = copy.deepcopy(sample)
    for _ in range(draw(st.integers(1, 3))):
        _, shape, where = draw(st.sampled_from(_places(sample)))
        try:
            record = _at(tables, where)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change took the way there
        if not isinstance(record, dict):
            continue
        key = draw(st.sampled_from([spec.key for spec in shape.fields]) | st.text(max_size=6))
        if draw(st.booleans()) and key in record:
            del record[key]
        else:
            record[key] = draw(_json())
    return tables


@given(data=st.data())
def test_whatever_the_check_accepts_is_read_without_error(
    sample: dict[str, Any], data: st.DataObject
) -> None:
    tables = data.draw(_damaged(sample))
    quick = {name: open_check._plainly_fine(name, tables[name]) for name in SHAPES}
    problem = first_problem(tables)
    if all(quick.values()):
        assert problem is None, "the quick answer said yes to a record at fault"
    if problem is not None:
        return
    runs = {run["company_id"]: run for run in tables["runs"].values()}
    for record in tables["companies"].values():
        row = CompanyRow.build(record, runs.get(record["id"]))
        " ".join((row.name, row.one_liner, *row.tags)).casefold()
        sorted([(row.created, row.updated, row.revisit or "", row.name)])
    for entry in tables["changes"].values():
        for op in entry["ops"]:
            assert op["table"] in UNDOABLE_TABLES and isinstance(op["key"], str)


def test_a_real_database_passes_quickly(tmp_path: Path) -> None:
    """The seeded database, as written, takes the quick way through every table."""
    path = tmp_path / "db.json"
    Workbench.open(path).close()
    tables = orjson.loads(path.read_bytes())
    assert all(open_check._plainly_fine(name, tables.get(name, {})) for name in SHAPES)
