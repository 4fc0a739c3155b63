"""Conflicts: what a merge found changed differently on both sides, kept as records.

A conflict lives in the ``conflicts`` table of the database, one record per line like any
other, until someone resolves it (``store.conflict_ops``). Its id is derived from where it
is (table, record, field, item), so two merges that meet the same clash, in either order,
make the same record. It holds the base's value and the two sides' in canonical order
(their bytes, keys sorted), not as "ours" and "theirs": the merged file must be the same
whichever side git calls ours (``merge(O, A, B) == merge(O, B, A)``). Each side says who
changed it and when, as far as the record tells (``updated_by`` or ``author``; ``updated``,
``created`` or ``at``); which side is the reader's own is decided when resolving, by who.

A conflict on the record itself (``field`` empty) is a delete on one side against a change
on the other: the merge kept the changed record; a side's value is then the whole record,
or null for the delete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.merge_values import MISSING, Clash, canonical

TABLE = "conflicts"
RECORD = ""
"""The field of a conflict on the record itself (deleted on one side, changed on the other)."""


def conflict_id(table: str, key: str, field: str, item: str) -> str:
    """The conflict's id: 80 bits of a hash of where it is."""
    joined = "\0".join((table, key, field, item)).encode("utf-8", "surrogatepass")
    return f"cf-{hashlib.sha256(joined).hexdigest()[:20]}"


@dataclass(frozen=True)
class Side:
    """One side's value, and who changed it when (empty when the record does not say)."""

    value: Any
    who: str
    when: str


@dataclass(frozen=True)
class Conflict:
    """One open conflict, as read from its record."""

    id: str
    table: str
    key: str
    name: str
    """The record's name (or its company's) when the conflict was found."""
    field: str
    """The field; empty (``RECORD``) for the record itself."""
    item: str
    """Within the field: a note's id, an object's key; empty for the whole field."""
    base: Any
    sides: tuple[Side, Side]

    @classmethod
    def read(cls, record: Mapping[str, Any]) -> Conflict | None:
        """The conflict a stored record holds; None for a record not of this shape."""
        texts = [record.get(name) for name in ("id", "table", "key", "name", "field", "item")]
        sides = record.get("sides")
        if not all(type(text) is str for text in texts) or type(sides) is not list:
            return None
        if len(sides) != 2 or not all(type(side) is dict for side in sides):
            return None
        read = tuple(
            Side(side.get("value"), _text(side.get("who")), _text(side.get("when")))
            for side in sides
        )
        return cls(*texts, record.get("base"), read)  # type: ignore[arg-type]


def _text(value: Any) -> str:
    return value if type(value) is str else ""


def _plain(value: Any) -> Any:
    return None if value is MISSING else value


def _first_text(record: Any, fields: tuple[str, ...]) -> str:
    if type(record) is not dict:
        return ""
    return next((record[f] for f in fields if type(record.get(f)) is str), "")


def _side(value: Any, record: Any) -> dict[str, Any]:
    """A side of a clash: its value, and who and when from the item or else the record."""
    source = value if type(value) is dict else record
    return {
        "value": _plain(value),
        "who": _first_text(source, ("updated_by", "author"))
        or _first_text(record, ("updated_by", "author")),
        "when": _first_text(source, ("updated", "created", "at")),
    }


def conflict_record(
    table: str, key: str, name: str, clash: Clash, records: tuple[Any, Any]
) -> dict[str, Any]:
    """The stored record of ``clash`` in record ``key`` of ``table``; ``records`` are the
    two sides' whole records (for who and when). Symmetric in the two sides."""
    sides = sorted((_side(clash.ours, records[0]), _side(clash.theirs, records[1])), key=canonical)
    return {
        "id": conflict_id(table, key, clash.field, clash.item),
        "table": table,
        "key": key,
        "name": name,
        "field": clash.field,
        "item": clash.item,
        "base": _plain(clash.base),
        "sides": sides,
    }


def open_conflicts(tables: Mapping[str, Mapping[str, Any]]) -> list[Conflict]:
    """Every conflict the tables hold, by table, name and field; malformed ones left out."""
    found = [Conflict.read(record) for record in tables.get(TABLE, {}).values()]
    return sorted(
        (conflict for conflict in found if conflict is not None),
        key=lambda c: (c.table, c.name.casefold(), c.key, c.field, c.item),
    )
