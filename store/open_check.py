"""The check every database passes when it opens: each record has the shape the app reads.

``first_problem`` finds the first record, in any table the app reads, that lacks a
field its readers subscript or holds a value of a type they cannot handle (see
``store.shape``), a record filed under a key that is not its id, and an undo entry
that could not be undone safely. A file it accepts can be listed, searched, triaged
and undone without an error.

Most files are fine, so each table is first checked by a function written out for
its records (``_FINE``), which only says yes or no; only when it says no are the
records checked again against their shape, which finds the first one at fault and
says why. A test holds the two to the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from store.models import Layer
from store.problems import problems_from
from store.shape import (
    COMPANY,
    KINDS,
    NONE,
    NUMBER,
    SHAPES,
    STATUSES,
    VERDICTS,
    Problem,
    Shape,
    quote,
    record_problem,
)

Record = Mapping[str, Any]
A_LAYER = "a layer"


def first_problem(tables: Mapping[str, Mapping[str, Record]]) -> Problem | None:
    """The first record the app could not read, or None when every one is fine."""
    problem = next(_layer_problems(tables.get("layers", {})), None)
    for name, shape in SHAPES.items():
        table = tables.get(name, {})
        if problem is None and not _plainly_fine(name, table):
            problem = next(_table_problems(name, shape, table), None)
    return problem


def _table_problems(name: str, shape: Shape, table: Mapping[str, Record]) -> Iterator[Problem]:
    for key, record in table.items():
        message = record_problem(shape, record) or _key_problem(shape.what, key, record)
        if message is None and name == "changes":
            message = _entry_problem(key, record)
        if message is not None:
            yield Problem(name, key, message)


def _key_problem(what: str, key: str, record: Record) -> str | None:
    if record["id"] != key:
        return f"{what} is filed under {quote(key)} but its id is {quote(record['id'])}"
    return None


def _entry_problem(key: str, entry: Record) -> str | None:
    """An undo entry's key orders the log and its earlier copies are written back by undo."""
    if not (key.isascii() and key.isdigit()):
        return f"an undo entry is filed under {quote(key)}, which is not a number"
    for op in [*entry["ops"], *entry.get("redo", [])]:
        before = op["before"]
        if before is None or _copy_fine(op["table"], op["key"], before):
            continue
        if op["table"] == "layers":
            message = _layer_problem(before) or _key_problem(A_LAYER, op["key"], before)
        else:
            shape = SHAPES[op["table"]]
            message = record_problem(shape, before) or _key_problem(shape.what, op["key"], before)
        if message is not None:
            return f"in an undo entry, {message}"
    return None


def _copy_fine(table: str, key: str, copy: Record) -> bool:
    try:
        return _FINE_COPY[table](copy) and copy["id"] == key
    except (KeyError, TypeError):
        return False


def _layer_problem(record: Record) -> str | None:
    """What is wrong with a stored layer, which is validated whole (there are few), or None."""
    try:
        Layer.model_validate(record)
    except ValidationError as error:
        where, message = next(iter(problems_from(error).items()))
        field = where.split(".")[0]
        if message == "is not a known field":
            return f"a layer has a field {quote(field)} that moatscope does not know"
        label = field.replace("_", " ")
        if message == "is required":
            return f"a layer has no {label}"
        return f"a layer's {label} {message}"
    return None


def _layer_problems(table: Mapping[str, Record]) -> Iterator[Problem]:
    for key, record in table.items():
        message = _layer_problem(record) or _key_problem(A_LAYER, key, record)
        if message is not None:
            yield Problem("layers", key, message)


def _plainly_fine(name: str, table: Mapping[str, Record]) -> bool:
    """True when every record of table ``name`` plainly has its shape and is filed under
    its id; False when one may not (then each is looked at to find it)."""
    fine = _FINE[name]
    try:
        for key, record in table.items():
            if not fine(record) or record["id"] != key:
                return False
    except (KeyError, TypeError):  # a field missing, or a status that is a list
        return False
    return True


# The written-out checks leave the id's type to their callers, which compare it with the
# key the record is filed under (text): equal, it is text.


def _company_fine(r: Record) -> bool:
    tags, history, provider_ids = r["tags"], r["status_log"], r["provider_ids"]
    if (
        type(r["name"]) is not str
        or type(r["layer"]) not in _TEXT_OR_NONE
        or r["status"] not in _STATUSES
        or type(r["one_liner"]) is not str
        or type(r["website"]) is not str
        or type(r["created"]) is not str
        or type(r["updated"]) is not str
        or type(r["revisit"]) not in _TEXT_OR_NONE
        or type(r["pass_reason"]) is not str
        or type(tags) is not list
        or type(r["notes"]) is not list
        or type(history) is not list
        or type(provider_ids) is not dict
    ):
        return False
    for tag in tags:
        if type(tag) is not str:
            return False
    secondary, chokepoints = r["secondary_layers"], r["chokepoints"]
    if type(secondary) is not list or type(chokepoints) is not list:
        return False
    for key in (*secondary, *chokepoints):
        if type(key) is not str:
            return False
    return not (history or provider_ids) or _extras_fine(r)


def _extras_fine(r: Record) -> bool:
    """A company's status history and provider ids, which most companies do not have."""
    return record_problem(COMPANY, r) is None


def _relation_fine(r: Record) -> bool:
    return (
        type(r["from_company"]) is str
        and type(r["to_company"]) is str
        and r["kind"] in _KINDS
        and type(r["note"]) is str
        and type(r["created"]) is str
    )


def _chokepoint_fine(r: Record) -> bool:
    return type(r["name"]) is str and type(r["layer"]) in _TEXT_OR_NONE and type(r["note"]) is str


def _run_fine(r: Record) -> bool:
    return (
        type(r["company_id"]) is str
        and type(r["created"]) is str
        and r["verdict"] in _VERDICTS
        and type(r["coverage"]) in NUMBER
        and type(r["score"]) in _NUMBER_OR_NONE
        and type(r["sequence"]) is int
        and type(r["checklist_id"]) is str
        and type(r["checklist_version"]) is int
    )


def _entry_fine(r: Record) -> bool:
    key = r["id"]
    if not (
        type(key) is str
        and key.isascii()
        and key.isdigit()
        and type(r["at"]) is str
        and type(r["label"]) is str
        and type(r["undone"]) is bool
        and type(r["ops"]) is list
        and type(r["redo"]) is list
        and type(r["session"]) is str
    ):
        return False
    return _ops_fine(r["ops"]) and _ops_fine(r["redo"])


def _ops_fine(ops: list[Any]) -> bool:
    for op in ops:
        if type(op) is not dict or op["table"] not in _FINE_COPY or type(op["key"]) is not str:
            return False
        before = op["before"]
        if before is not None and (
            type(before) is not dict
            or not _FINE_COPY[op["table"]](before)
            or before["id"] != op["key"]
        ):
            return False
    return True


def _layer_fine(r: Record) -> bool:
    return _layer_problem(r) is None


_FINE: dict[str, Callable[[Record], bool]] = {
    "companies": _company_fine,
    "runs": _run_fine,
    "changes": _entry_fine,
    "relations": _relation_fine,
    "chokepoints": _chokepoint_fine,
}
"""Whether a record plainly has the shape of its table (``SHAPES``): every field there,
of its type. Stricter than the shape (an optional field missing makes it say no)."""
_FINE_COPY: dict[str, Callable[[Record], bool]] = {
    "companies": _company_fine,
    "layers": _layer_fine,
    "runs": _run_fine,
    "relations": _relation_fine,
    "chokepoints": _chokepoint_fine,
}
"""For an earlier copy in the undo log: whether it is plainly fine, by its table."""
_STATUSES = frozenset(STATUSES)
_VERDICTS = frozenset(VERDICTS)
_KINDS = frozenset(KINDS)
_TEXT_OR_NONE = frozenset({str, NONE})
_NUMBER_OR_NONE = NUMBER | {NONE}
