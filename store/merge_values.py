"""The 3-way merge of one value: a field, a set of tags, a list of notes, a mapping.

Each rule takes the base's value and the two sides' (``MISSING`` where the key is absent)
and returns the merged value and the clashes: the places where both sides changed the
same thing differently. Every rule is symmetric: swapping the two sides gives the same
value and the same clashes (a clash holds its two sides in canonical order, see
``store.conflicts``). Values are compared by their canonical bytes (orjson, keys sorted),
never with ``==``, which holds ``1``, ``1.0`` and ``true`` equal and would let the side
read first win. When one side left a value as the base had it, the other side's value is
taken verbatim, so ``merge(O, A, O)`` is ``A`` byte for byte.

A clash keeps the base's value in the merged record (the conflict holds both sides),
except where that would lose an edit: a delete on one side and an edit on the other keeps
the edit; with no base (added on both sides) the canonically smaller value is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
"""The value of a key a record does not have (a field removed, a record deleted)."""


def canonical(value: Any) -> bytes:
    """The value's bytes with keys sorted; empty for ``MISSING`` (sorts first)."""
    if value is MISSING:
        return b""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def same(one: Any, other: Any) -> bool:
    """True when the two values are the same JSON (type included)."""
    return one is other or canonical(one) == canonical(other)


@dataclass(frozen=True)
class Clash:
    """One thing both sides changed differently; ``held`` is what the merge kept."""

    field: str
    """The record's field; empty for the record itself (deleted on one side)."""
    item: str
    """Within the field: a note's id, a mapping's key; empty for the whole field."""
    base: Any
    ours: Any
    theirs: Any


Merged = tuple[Any, list[Clash]]


def settled(base: Any, ours: Any, theirs: Any) -> tuple[bool, Any]:
    """(True, value) when at most one side changed the value, or both alike."""
    if same(ours, theirs) or same(ours, base):
        return True, theirs
    if same(theirs, base):
        return True, ours
    return False, None


def held(base: Any, ours: Any, theirs: Any) -> Any:
    """What a clash keeps: the edit against a delete, else the base, else the smaller."""
    if ours is MISSING or theirs is MISSING:
        return theirs if ours is MISSING else ours
    if base is not MISSING:
        return base
    return min(ours, theirs, key=canonical)


def scalar(field: str, base: Any, ours: Any, theirs: Any, item: str = "") -> Merged:
    """A value merged whole: one side's change, or a clash."""
    done, value = settled(base, ours, theirs)
    if done:
        return value, []
    return held(base, ours, theirs), [Clash(field, item, base, ours, theirs)]


def latest(field: str, base: Any, ours: Any, theirs: Any) -> Merged:
    """A time of last change (``updated``): the later of the two, never a clash."""
    done, value = settled(base, ours, theirs)
    if done:
        return value, []
    if ours is MISSING or theirs is MISSING:
        return theirs if ours is MISSING else ours, []
    return max(ours, theirs, key=canonical), []


def _texts(*values: Any) -> bool:
    return all(
        value is MISSING or (type(value) is list and all(type(x) is str for x in value))
        for value in values
    )


def as_set(fold: Callable[[str], str]) -> Callable[[str, Any, Any, Any], Merged]:
    """Lists of text merged as sets (``fold`` says when two spellings are one): what either
    side removed is gone, what either added is in. Survivors keep the base's order, the
    added follow sorted; of two spellings of one item, the changed one, else the smaller."""

    def merge(field: str, base: Any, ours: Any, theirs: Any) -> Merged:
        done, value = settled(base, ours, theirs)
        if done:
            return value, []
        if not _texts(base, ours, theirs):
            return scalar(field, base, ours, theirs)
        sides = [dict(_ordered(v, fold)) for v in (ours, theirs)]
        old = dict(_ordered(base, fold))
        result: list[str] = []
        for key, spelt in old.items():
            if key in sides[0] and key in sides[1]:
                done, value = settled(spelt, sides[0][key], sides[1][key])
                result.append(value if done else min(sides[0][key], sides[1][key], key=canonical))
        added = sorted({key for side in sides for key in side if key not in old})
        for key in added:
            result.append(min((side[key] for side in sides if key in side), key=canonical))
        return result, []

    return merge


def _ordered(values: Any, fold: Callable[[str], str]) -> list[tuple[str, str]]:
    """Each folded item with its first spelling, in the list's order."""
    seen: dict[str, str] = {}
    for value in () if values is MISSING else values:
        seen.setdefault(fold(value), value)
    return list(seen.items())


def by_id(
    key_of: Callable[[Any], str], order: Callable[[Any], tuple[str, str]]
) -> Callable[[str, Any, Any, Any], Merged]:
    """Lists of records (notes, status changes) merged as a union keyed by ``key_of``: an
    item added on either side is in, one deleted is gone; one changed on both sides is a
    clash on that item. Sorted by ``order`` when both sides changed the list."""

    def merge(field: str, base: Any, ours: Any, theirs: Any) -> Merged:
        done, value = settled(base, ours, theirs)
        if done:
            return value, []
        maps = [_keyed(value, key_of) for value in (base, ours, theirs)]
        if any(found is None for found in maps):
            return scalar(field, base, ours, theirs)
        old, mine, yours = maps
        result, clashes = [], []
        for key in sorted(set(old) | set(mine) | set(yours)):
            trio = old.get(key, MISSING), mine.get(key, MISSING), yours.get(key, MISSING)
            item, found = scalar(field, *trio, item=key)
            clashes += found
            if item is not MISSING:
                result.append(item)
        result.sort(key=order)
        return result, clashes

    return merge


def _keyed(value: Any, key_of: Callable[[Any], str]) -> dict[str, Any] | None:
    """The list's items by key; None when it is not a list of records with distinct keys."""
    if value is MISSING:
        return {}
    if type(value) is not list or not all(type(item) is dict for item in value):
        return None
    found: dict[str, Any] = {}
    repeats: dict[str, int] = {}
    try:
        for item in value:
            key = key_of(item)
            if key.startswith("{"):  # keyed by content: a repeat is an item of its own
                repeats[key] = repeats.get(key, -1) + 1
                key = f"{key}#{repeats[key]}"
            found[key] = item
    except (KeyError, TypeError):
        return None
    return found if len(found) == len(value) else None


def note_key(note: dict[str, Any]) -> str:
    """A note's id (raises KeyError or TypeError when it has none)."""
    key = note["id"]
    if type(key) is not str:
        raise TypeError(key)
    return key


def change_key(change: dict[str, Any]) -> str:
    """A status change has no id: it is its content (a repeat of it is counted apart)."""
    return canonical(change).decode()


def by_time(field: str) -> Callable[[Any], tuple[str, str]]:
    """Order items by their time ``field`` (as text), then by their content."""
    return lambda item: (canonical(item.get(field, "")).decode(), canonical(item).decode())


def mapping(field: str, base: Any, ours: Any, theirs: Any) -> Merged:
    """An object merged key by key (provider ids, a run's answers); a key changed on both
    sides differently is a clash on that key."""
    done, value = settled(base, ours, theirs)
    if done:
        return value, []
    values = [{} if v is MISSING else v for v in (base, ours, theirs)]
    if not all(type(v) is dict for v in values):
        return scalar(field, base, ours, theirs)
    result, clashes = {}, []
    for key in sorted(set().union(*values)):
        trio = [v.get(key, MISSING) for v in values]
        merged, found = scalar(field, *trio, item=key)
        clashes += found
        if merged is not MISSING:
            result[key] = merged
    return result, clashes
