"""The merge's three inputs: read, recognised as moatscope databases, brought to one schema.

A side that is not a moatscope snapshot (not JSON, conflict markers from a plain line
merge, another program's file) or that a newer moatscope wrote is refused in a sentence
(``MergeRefused``), before anything is written. An empty base is a merge without a common
ancestor (git passes an empty file when both sides added the file). Older sides are
upgraded in memory with the schema steps ``store.db`` opens files with, to the newest
version among the three; the step that makes relations (3 → 4) would give them random ids
and the time of the merge, so here the relations it makes get ids derived from what they
join and the date of the company they were read from: the three inputs upgrade alike.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from store.db import APP_MARK, META, META_KEY, MIGRATIONS, SCHEMA_VERSION, meta_record
from store.errors import MoatscopeError
from store.merge_lines import FormatError, Lines, canonical_lines, parse, serialise
from store.storage import Tables

_MARKER = b"<<<<<<< "
"""What a line-by-line merge writes at the start of a conflict (git's first marker)."""
CHAIN_STEP = 3
"""The schema step that makes relations (``store.chain_migration``)."""


class MergeRefused(MoatscopeError):
    """An input the merge cannot take; nothing was written."""


def read_side(
    raw: bytes, what: str, seen: dict[bytes, tuple[str, bytes]], *, base: bool = False
) -> tuple[Lines, int]:
    """The records of one input as canonical bytes (``store.merge_lines``; ``seen`` is
    shared by the three inputs), and its schema version (0 for an empty base)."""
    if base and (not raw or raw.isspace()):
        return {}, 0
    try:
        lines = canonical_lines(raw, seen)
    except FormatError as error:
        if raw.startswith(_MARKER) or b"\n" + _MARKER in raw:
            raise MergeRefused(
                f"{what} holds conflict markers from a line-by-line merge, not a moatscope "
                "database; restore it from git (git checkout --theirs or --ours) and merge "
                "again."
            ) from None
        raise MergeRefused(f"{what} is not a moatscope database: {error}.") from None
    return lines, _version(lines, what)


def _version(lines: Lines, what: str) -> int:
    found = lines.get(META, {}).get(META_KEY)
    meta = orjson.loads(found) if found is not None else None
    if not isinstance(meta, dict) or meta.get("app") != APP_MARK:
        raise MergeRefused(f"{what} is not a moatscope database (it has no moatscope mark).")
    version = meta.get("schema_version")
    if type(version) is not int or version < 1:
        raise MergeRefused(f"{what} has a schema version moatscope has never written.")
    if version > SCHEMA_VERSION:
        raise MergeRefused(
            f"{what} was written by a newer moatscope (schema {version}; this version reads "
            f"up to {SCHEMA_VERSION}); upgrade moatscope and merge again."
        )
    return version


def upgrade(lines: Lines, version: int, target: int, what: str) -> Lines:
    """``lines`` brought from schema ``version`` to ``target`` (0: nothing there)."""
    if version == 0 or version >= target:
        return lines
    tables = parse(lines)
    for step in range(version, target):
        before = set(tables.get("relations", {}))
        try:
            MIGRATIONS[step](tables)
        except (AttributeError, KeyError, TypeError, ValueError):
            raise MergeRefused(
                f"{what} could not be upgraded from schema {version} (a record is malformed)."
            ) from None
        if step == CHAIN_STEP:
            _settle_relations(tables, before)
    tables[META][META_KEY] = meta_record(target)
    return serialise(tables)


def _settle_relations(tables: Tables, before: set[str]) -> None:
    """Give the relations a schema step made ids and dates that depend only on the data."""
    relations = tables["relations"]
    companies = tables.get("companies", {})
    for key in sorted(set(relations) - before):
        relation = relations.pop(key)
        joined = "\0".join(str(relation[part]) for part in ("from_company", "to_company", "kind"))
        digest = hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()
        relation["id"] = f"rel-{digest[:20]}"
        relation["created"] = _date_of(companies.get(relation["to_company"]))
        relations[relation["id"]] = relation


def _date_of(company: Any) -> str:
    if isinstance(company, dict):
        for field in ("updated", "created"):
            if isinstance(company.get(field), str):
                return company[field]
    return "2000-01-01T00:00:00Z"
