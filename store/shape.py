"""The shape of stored records: what the app reads of each one without pydantic.

Lists, search, the run index, the change log, triage and the import matcher read
stored records as plain dicts (see ``store.rows``): they subscript some fields and
compare, join or casefold others. A record that lacks such a field, or holds a value
of another type there, would raise deep inside them. ``store.open_check`` holds every
record of every table the app reads to the shapes below when a database opens, so
whatever it accepts reads without error; the full models (``store.models``) still
validate a record when it is shown or changed (``store.stored``).

A shape lists only what those readers touch, in the words the interface uses, so a
refusal can say what is wrong ("a company has no name").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from store.chain_models import RelationKind
from store.models import Status, Verdict

NONE = type(None)
TEXT = frozenset({str})
NUMBER = frozenset({int, float})


@dataclass(frozen=True)
class Field:
    """One field of a record: the types its readers accept, in interface words."""

    key: str
    """The key in the stored record."""
    label: str
    """What the interface calls it ("one-liner")."""
    kinds: frozenset[type]
    """The types the value may have (exactly: ``bool`` is not ``int``)."""
    expected: str
    """The allowed types in words ("text", "a list of text")."""
    required: bool = False
    """Readers subscript it, so it must be there."""
    choices: tuple[str, ...] = ()
    """When set, the only values allowed (a status, a verdict)."""
    items: frozenset[type] | Shape | None = None
    """For a list or an object: the shape of each item, or ``TEXT`` for text items."""


@dataclass(frozen=True)
class Shape:
    """The fields of one kind of record that the app reads."""

    what: str
    """The record in words, with its article ("a company")."""
    fields: tuple[Field, ...]
    possessive: str = ""
    """How to say "its" ("a company's"); empty for records nested in another."""

    def the(self, label: str) -> str:
        """ "a company's name", or "the date of a status change of a company"."""
        return f"{self.possessive} {label}" if self.possessive else f"the {label} of {self.what}"


def _text(key: str, label: str, *, required: bool = False) -> Field:
    return Field(key, label, TEXT, "text", required)


def _optional_text(key: str, label: str) -> Field:
    return Field(key, label, frozenset({str, NONE}), "text or null")


def _choice(key: str, label: str, values: Iterable[str], *, required: bool = False) -> Field:
    return Field(key, label, TEXT, "text", required, tuple(values))


def _records(key: str, label: str, shape: Shape, *, required: bool = False) -> Field:
    return Field(key, label, frozenset({list}), f"a list of {label}", required, items=shape)


STATUSES = tuple(status.value for status in Status)
VERDICTS = tuple(verdict.value for verdict in Verdict)

STATUS_CHANGE = Shape(
    "a status change of a company",
    (
        _text("at", "date", required=True),
        _choice("before", "previous status", STATUSES, required=True),
        _choice("after", "new status", STATUSES, required=True),
        _text("reason", "reason"),
    ),
)
COMPANY = Shape(
    "a company",
    (
        _text("id", "id", required=True),
        _text("name", "name", required=True),
        _optional_text("layer", "layer"),
        _choice("status", "status", STATUSES),
        Field("tags", "tags", frozenset({list}), "a list of text", items=TEXT),
        _text("one_liner", "one-liner"),
        _text("website", "website"),
        _text("created", "date added"),
        _text("updated", "date changed"),
        _optional_text("revisit", "revisit date"),
        _text("pass_reason", "pass reason"),
        Field("notes", "notes", frozenset({list}), "a list"),
        _records("status_log", "status history", STATUS_CHANGE),
        Field("provider_ids", "provider ids", frozenset({dict}), "an object of text", items=TEXT),
        Field("secondary_layers", "other layers", frozenset({list}), "a list of text", items=TEXT),
        Field("chokepoints", "chokepoints", frozenset({list}), "a list of text", items=TEXT),
    ),
    possessive="a company's",
)
RUN = Shape(
    "a checklist run",
    (
        _text("id", "id", required=True),
        _text("company_id", "company", required=True),
        _text("created", "date", required=True),
        _choice("verdict", "verdict", VERDICTS, required=True),
        Field("coverage", "coverage", NUMBER, "a number", required=True),
        Field("score", "score", NUMBER | {NONE}, "a number or null"),
        Field("sequence", "number", frozenset({int}), "a whole number"),
        _text("checklist_id", "checklist", required=True),
        Field("checklist_version", "checklist version", frozenset({int}), "a whole number", True),
    ),
    possessive="a checklist run's",
)
KINDS = tuple(kind.value for kind in RelationKind)
RELATION = Shape(
    "a relation",
    (
        _text("id", "id", required=True),
        _text("from_company", "first company", required=True),
        _text("to_company", "second company", required=True),
        _choice("kind", "kind", KINDS, required=True),
        _text("note", "note"),
        _text("created", "date"),
    ),
    possessive="a relation's",
)
CHOKEPOINT = Shape(
    "a chokepoint",
    (
        _text("id", "id", required=True),
        _text("name", "name", required=True),
        _optional_text("layer", "layer"),
        _text("note", "note"),
    ),
    possessive="a chokepoint's",
)
UNDOABLE_TABLES = ("companies", "layers", "runs", "relations", "chokepoints", "conflicts")
OP = Shape(
    "a change in an undo entry",
    (
        _choice("table", "kind of record", UNDOABLE_TABLES, required=True),
        _text("key", "id", required=True),
        Field("before", "earlier copy", frozenset({dict, NONE}), "an object or null", True),
    ),
)
CHANGE = Shape(
    "an undo entry",
    (
        _text("id", "id", required=True),
        _text("at", "date", required=True),
        _text("label", "description", required=True),
        Field("undone", "undone mark", frozenset({bool}), "true or false", required=True),
        _records("ops", "changes", OP, required=True),
        _records("redo", "changes to redo", OP),
        _text("session", "session"),
    ),
    possessive="an undo entry's",
)
CONFLICT = Shape(
    "a conflict",
    (
        _text("id", "id", required=True),
        _text("table", "kind of record", required=True),
        _text("key", "record", required=True),
        Field("sides", "sides", frozenset({list}), "a list", required=True),
    ),
    possessive="a conflict's",
)
"""A merge's conflict (``store.conflicts``): read leniently, only a copy in the undo log
is held to this."""
SHAPES: dict[str, Shape] = {
    "companies": COMPANY,
    "runs": RUN,
    "changes": CHANGE,
    "relations": RELATION,
    "chokepoints": CHOKEPOINT,
}
"""Tables read as plain records; ``layers`` are few and validated whole."""


@dataclass(frozen=True)
class Problem:
    """What is wrong with one stored record."""

    table: str
    key: str
    """The record's key in its table: where to find its line."""
    message: str
    """In the interface's words, without the record's place ("a company has no name")."""


def describe(value: Any) -> str:
    """A value as a person reads it: "a number", "the text 'x'", "null"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the text {quote(value)}"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"


def quote(value: str, limit: int = 40) -> str:
    """``value`` in quotes on one line, cut to ``limit`` characters."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def record_problem(shape: Shape, record: Mapping[str, Any]) -> str | None:
    """What is wrong with ``record`` as a ``shape``, or None."""
    for spec in shape.fields:
        if spec.key not in record:
            if spec.required:
                return f"{shape.what} has no {spec.label}"
            continue
        problem = _value_problem(shape, spec, record[spec.key])
        if problem:
            return problem
    return None


def _value_problem(shape: Shape, spec: Field, value: Any) -> str | None:
    the = shape.the(spec.label)
    if type(value) not in spec.kinds:
        return f"{the} should be {spec.expected}, not {describe(value)}"
    if spec.choices and value not in spec.choices:
        return f"{the} should be one of {', '.join(spec.choices)}, not {quote(value)}"
    if spec.items is None or value is None:
        return None
    items = value.values() if isinstance(value, dict) else value
    for item in items:
        if isinstance(spec.items, Shape):
            if type(item) is not dict:
                return f"{the} should hold only records, not {describe(item)}"
            if problem := record_problem(spec.items, item):
                return problem
        elif type(item) not in spec.items:
            return f"{the} should hold only text, not {describe(item)}"
    return None
