"""The 3-way merge of two snapshots with their common base, by record and by field.

``merge(base, ours, theirs)`` takes three snapshot files' bytes and returns the merged
file's bytes, in the snapshot's own format (``store.storage``: one record per line, keys
sorted, tables and records in key order), so the result opens with ``Database.open`` and
is what a save would write. It is pure: no clock, no randomness, no environment.

The rules, table by table and record by record (the values' rules: ``store.merge_values``):

- a record changed on one side only takes that side; on both sides alike, either;
- changed differently on both sides (or added on both with different content, against an
  empty base): merged field by field; a field changed on one side takes that change, the
  same field changed differently on both is a conflict (``store.conflicts``) and keeps the
  base's value; ``updated`` takes the later time; a company's tags merge as a set (case
  folded), its other layers and chokepoints as sets of ids, its notes and status changes
  as unions keyed by id (a status change by its content), objects key by key;
- deleted on one side and changed on the other: the changed record stays, with a conflict;
  deleted on both: gone. The runs and relations of a company kept so stay with it. A
  record a kept record names (a run's company, a relation's companies, a company's layers
  and chokepoints) that one side deleted while the other kept it stays too, with a
  conflict: nothing kept points at nothing;
- the undo log (``changes``), the conflicts and the schema mark are bookkeeping: where
  both sides differ the canonically smaller record is kept, without a conflict.

Symmetry: every choice is made on the values, never on which side they came from (a
clash keeps the base's value, an edit against a delete, or the canonically smaller of
two), and a conflict holds its two sides in canonical order, so ``merge(O, A, B)`` is
``merge(O, B, A)`` byte for byte. When one side equals the base the other is taken
verbatim, so ``merge(O, A, O)``, ``merge(O, O, A)`` and ``merge(O, A, A)`` are ``A``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from store.conflicts import RECORD, TABLE, conflict_record
from store.db import META, META_KEY, gc_paused, meta_record
from store.merge_input import MergeRefused, read_side, upgrade
from store.merge_lines import Lines, serialise
from store.merge_values import (
    MISSING,
    Clash,
    Merged,
    as_set,
    by_id,
    by_time,
    canonical,
    change_key,
    latest,
    mapping,
    note_key,
    settled,
)
from store.storage import Snapshot, Tables

__all__ = ["MergeRefused", "Outcome", "merge", "merge_files"]

Rule = Callable[[str, Any, Any, Any], Merged]
RULES: dict[tuple[str, str], Rule] = {
    ("companies", "tags"): as_set(str.casefold),
    ("companies", "secondary_layers"): as_set(str),
    ("companies", "chokepoints"): as_set(str),
    ("companies", "notes"): by_id(note_key, by_time("created")),
    ("companies", "status_log"): by_id(change_key, by_time("at")),
}
"""A field's rule by table; any other field is ``latest`` (``updated``) or ``mapping``,
which merges an object key by key and any other value whole."""
QUIET = frozenset({"changes", TABLE, META})
"""Tables whose records are merged whole, with no conflict recorded."""
REFERENCES = (
    ("runs", "company_id", "companies"),
    ("relations", "from_company", "companies"),
    ("relations", "to_company", "companies"),
    ("companies", "layer", "layers"),
    ("companies", "secondary_layers", "layers"),
    ("companies", "chokepoints", "chokepoints"),
    ("chokepoints", "layer", "layers"),
)
"""(table, field, table it names): records a kept record names are kept."""
DEPENDENTS = (("runs", ("company_id",)), ("relations", ("from_company", "to_company")))
"""Records that belong to a company: deleted with it, and kept with it."""
WORDS = {
    "companies": ("company", "companies"),
    "runs": ("checklist run", "checklist runs"),
    "relations": ("relation", "relations"),
    "layers": ("layer", "layers"),
    "chokepoints": ("chokepoint", "chokepoints"),
}

Found = list[tuple[str, str, Clash]]
"""Clashes with their table and record key."""


@dataclass
class Outcome:
    """A merge's result: the file's bytes, and what came in from theirs."""

    data: bytes
    came_in: Counter[str] = field(default_factory=Counter)
    """Records, by table, that the merge took from theirs (not as ours had them)."""
    conflicts: int = 0

    def summary(self) -> str:
        """ "merged: 3 companies from theirs, 1 conflict"."""
        parts = [
            f"{count} {WORDS[name][count != 1]}"
            for name, count in sorted(self.came_in.items())
            if name in WORDS and count
        ]
        text = ", ".join(parts) + " from theirs" if parts else "nothing new from theirs"
        if self.conflicts:
            text += f", {self.conflicts} conflict{'s' if self.conflicts != 1 else ''}"
        return f"merged: {text}"


def merge(base: bytes, ours: bytes, theirs: bytes) -> bytes:
    """The merged snapshot's bytes (see the module's rules); raises ``MergeRefused``."""
    return merge_files(base, ours, theirs).data


def merge_files(
    base: bytes, ours: bytes, theirs: bytes, names: tuple[str, str, str] = ("", "", "")
) -> Outcome:
    """Merge three snapshots; ``names`` name the files in a refusal."""
    labels = [
        name or what for name, what in zip(names, ("the base", "ours", "theirs"), strict=True)
    ]
    seen: dict[bytes, tuple[str, bytes]] = {}
    with gc_paused(freeze=False):
        sides = [
            read_side(raw, label, seen, base=index == 0)
            for index, (raw, label) in enumerate(zip((base, ours, theirs), labels, strict=True))
        ]
        seen.clear()
        target = max(version for _, version in sides)
        o, a, b = (
            upgrade(lines, version, target, label)
            for (lines, version), label in zip(sides, labels, strict=True)
        )
        try:
            merged, found, came_in = _merge_tables(o, a, b)
            _keep_dependents((a, b), merged, found)
            found += _keep_named(o, a, b, merged)
            _record_conflicts(merged, found, (a, b))
            merged.setdefault(META, {})[META_KEY] = _bytes(meta_record(target))
            return Outcome(write(merged), came_in, len(found))
        except (orjson.JSONEncodeError, RecursionError):
            raise MergeRefused("a record is nested too deeply to be merged.") from None


def _bytes(record: Any) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def _doc(line: bytes | None) -> Any:
    return MISSING if line is None else orjson.loads(line)


def write(lines: Lines) -> bytes:
    """The records (canonical bytes) as a snapshot file: exactly what ``store.storage``
    writes."""
    ordered = [
        (name, [orjson.dumps(key) + b": " + table[key] for key in sorted(table)])
        for name, table in sorted(lines.items())
    ]
    return b"".join(Snapshot(0, ordered).chunks())


def dump(tables: Tables) -> bytes:
    """Tables of records as a snapshot file (``write``)."""
    return write(serialise(tables))


def _merge_tables(o: Lines, a: Lines, b: Lines) -> tuple[Lines, Found, Counter[str]]:
    """Every table merged: a record the same on two sides is settled on its bytes; only
    one changed differently on both is parsed and merged field by field."""
    merged: Lines = {}
    found: Found = []
    came_in: Counter[str] = Counter()
    for name in sorted(set(o) | set(a) | set(b)):
        old, mine, yours = (lines.get(name, {}) for lines in (o, a, b))
        table = merged[name] = {}
        for key in set(old) | set(mine) | set(yours):
            base, ours, theirs = old.get(key), mine.get(key), yours.get(key)
            if ours == theirs or ours == base:
                chosen = theirs
            elif theirs == base:
                chosen = ours
            else:
                record, clashes = merge_record(name, _doc(base), _doc(ours), _doc(theirs))
                found += [(name, key, clash) for clash in clashes]
                chosen = None if record is MISSING else _bytes(record)
            if chosen is not None:
                table[key] = chosen
            if chosen != ours:
                came_in[name] += 1
    return merged, found, came_in


def merge_record(table: str, base: Any, ours: Any, theirs: Any) -> Merged:
    """One record of ``table`` merged (``MISSING`` where absent); the clashes found."""
    done, value = settled(base, ours, theirs)
    if done:
        return value, []
    if table in QUIET:
        if ours is MISSING or theirs is MISSING:
            return (theirs if ours is MISSING else ours), []
        return min(ours, theirs, key=canonical), []
    if ours is MISSING or theirs is MISSING:
        kept = theirs if ours is MISSING else ours
        return kept, [Clash(RECORD, "", base, ours, theirs)]
    return _merge_fields(table, {} if base is MISSING else base, ours, theirs)


def _merge_fields(table: str, base: dict, ours: dict, theirs: dict) -> Merged:
    record: dict[str, Any] = {}
    clashes: list[Clash] = []
    for name in sorted(set(base) | set(ours) | set(theirs)):
        rule = RULES.get((table, name)) or (latest if name == "updated" else mapping)
        trio = (side.get(name, MISSING) for side in (base, ours, theirs))
        value, found = rule(name, *trio)
        clashes += found
        if value is not MISSING:
            record[name] = value
    secondary = record.get("secondary_layers")
    if table == "companies" and type(secondary) is list and record.get("layer") in secondary:
        record["secondary_layers"] = [key for key in secondary if key != record["layer"]]
    return record, clashes


def _names(value: Any) -> list[str]:
    if type(value) is str:
        return [value]
    return [item for item in value if type(item) is str] if type(value) is list else []


def _keep_named(o: Lines, a: Lines, b: Lines, merged: Lines) -> Found:
    """Bring back the records a kept record names that one side deleted and the other
    kept; each with a conflict on the record. Repeated until nothing more comes back."""
    found: Found = []
    again = True
    while again:
        again = False
        for table, name, target in REFERENCES:
            kept = merged.setdefault(target, {})
            gone = (set(a.get(target, {})) | set(b.get(target, {}))) - set(kept)
            if not gone:
                continue
            needles = re.compile(b"|".join(re.escape(orjson.dumps(key)) for key in gone))
            for line in list(merged.get(table, {}).values()):
                if not needles.search(line):
                    continue  # names none of them (a quick look at its bytes)
                record = orjson.loads(line)
                for key in _names(record.get(name)):
                    if key in gone and key not in kept:
                        sides = [t.get(target, {}).get(key) for t in (a, b)]
                        kept[key] = sides[1] if sides[0] is None else sides[0]
                        docs = (_doc(o.get(target, {}).get(key)), *map(_doc, sides))
                        found.append((target, key, Clash(RECORD, "", *docs)))
                        again = True
    return found


def _keep_dependents(sides: tuple[Lines, Lines], merged: Lines, found: Found) -> None:
    """A company deleted on one side and changed on the other is kept: so are its runs and
    relations, which the delete took with it and the other side still has."""
    kept = {key for name, key, clash in found if name == "companies" and clash.field == RECORD}
    if not kept:
        return
    needles = re.compile(b"|".join(re.escape(orjson.dumps(key)) for key in kept))
    for table, fields in DEPENDENTS:
        have = merged.setdefault(table, {})
        for side in sides:
            for key, line in side.get(table, {}).items():
                if key in have or not needles.search(line):
                    continue
                record = orjson.loads(line)
                if any(type(record.get(f)) is str and record[f] in kept for f in fields):
                    have[key] = line


def _name_of(merged: Lines, record: Any) -> str:
    """The name a conflict shows: the record's, or its company's."""
    if type(record) is not dict:
        return ""
    if type(record.get("name")) is str:
        return record["name"]
    for field_name in ("company_id", "from_company"):
        key = record.get(field_name)
        line = merged.get("companies", {}).get(key) if type(key) is str else None
        company = None if line is None else orjson.loads(line)
        if type(company) is dict and type(company.get("name")) is str:
            return company["name"]
    return ""


def _record_conflicts(merged: Lines, found: Found, sides: tuple[Lines, Lines]) -> None:
    """Each clash as a conflict record (one per place: the last found wins)."""
    if not found:
        return
    table = merged.setdefault(TABLE, {})
    for name, key, clash in found:
        records = tuple(_doc(t.get(name, {}).get(key)) for t in sides)
        line = merged.get(name, {}).get(key)
        record = (
            orjson.loads(line)
            if line is not None
            else next((r for r in records if r is not MISSING), None)
        )
        mine, yours = (None if r is MISSING else r for r in records)
        conflict = conflict_record(name, key, _name_of(merged, record), clash, (mine, yours))
        table[conflict["id"]] = _bytes(conflict)
