"""The schema step that brings the value chain: relations, chokepoints, secondary layers.

A database from before it gains an empty relations table, the default chokepoints and, on
every company, empty lists of secondary layers and chokepoints. The free-text "likely
absorber" and "upstream dependency" fields become relations where their text names a company
in the database: the whole text, or each part of it between commas and the word "and", is
compared with every company's name (case-insensitive, after ``store.text.clean``). A name
found becomes a relation (the absorber could-absorb the company; the upstream dependency
supplies it) and leaves the field; what names nothing stays there as it was written. The
database is backed up before any migration is written (``store.db``).
"""

from __future__ import annotations

import re
from typing import Any

from store import clock
from store.chain_models import RelationKind, default_chokepoints
from store.models import new_id
from store.text import clean

Tables = dict[str, dict[str, Any]]
FIELDS = {
    "absorber": (RelationKind.COULD_ABSORB, "likely absorber"),
    "upstream": (RelationKind.SUPPLIES, "upstream dependency"),
}
"""Each free-text field, the relation its names become, and its name in the interface."""
_SEPARATORS = re.compile(r"\s*(?:,|\band\b)\s*", re.IGNORECASE)


def migrate_to_chain(tables: Tables) -> None:
    """Add the value chain's tables and fields; turn named companies into relations."""
    tables.setdefault("relations", {})
    if "chokepoints" not in tables:
        tables["chokepoints"] = {c.id: c.model_dump(mode="json") for c in default_chokepoints()}
    # A malformed record is skipped here; the open check that follows names it.
    companies = [
        c
        for c in tables.get("companies", {}).values()
        if isinstance(c, dict) and isinstance(c.get("id"), str)
    ]
    for company in companies:
        company.setdefault("secondary_layers", [])
        company.setdefault("chokepoints", [])
    _upgrade_images(tables.get("changes", {}))
    by_name = _names(companies)
    seen = {
        (r.get("from_company"), r.get("to_company"), r.get("kind"))
        for r in tables["relations"].values()
        if isinstance(r, dict)
    }
    for company in companies:
        for field, (kind, label) in FIELDS.items():
            for other in _named(company, field, by_name):
                key = (other, company["id"], kind.value)
                if key not in seen:
                    seen.add(key)
                    relation = _relation(other, company["id"], kind, f"from its {label}")
                    tables["relations"][relation["id"]] = relation


def _upgrade_images(log: dict[str, Any]) -> None:
    """The change log's copies of companies get the new fields too, so undoing an older
    change brings back a company the app reads the quick way."""
    for change in log.values():
        if not isinstance(change, dict):
            continue
        for op in [*change.get("ops", ()), *change.get("redo", ())]:
            if isinstance(op, dict) and op.get("table") == "companies":
                if isinstance(before := op.get("before"), dict):
                    before.setdefault("secondary_layers", [])
                    before.setdefault("chokepoints", [])


def _names(companies: list[dict[str, Any]]) -> dict[str, str | None]:
    """Folded name to company id (None when two companies share it: neither is meant)."""
    found: dict[str, str | None] = {}
    for company in companies:
        name, company_id = company.get("name"), company.get("id")
        if isinstance(name, str) and isinstance(company_id, str):
            folded = _fold(name)
            found[folded] = None if folded in found else company_id
    return found


def _fold(text: str) -> str:
    return " ".join(clean(text).split()).casefold()


def _named(company: dict[str, Any], field: str, by_name: dict[str, str | None]) -> list[str]:
    """The ids of the companies ``company``'s ``field`` names; the field keeps the rest."""
    text = company.get(field)
    if not isinstance(text, str) or not text.strip():
        return []
    itself = company["id"]
    whole = by_name.get(_fold(text))
    if whole is not None and whole != itself:
        company[field] = ""
        return [whole]
    parts = [part for part in _SEPARATORS.split(text) if part.strip()]
    ids = [found if (found := by_name.get(_fold(part))) != itself else None for part in parts]
    if not any(ids):
        return []
    company[field] = ", ".join(
        part.strip() for part, found in zip(parts, ids, strict=True) if found is None
    )
    return [found for found in ids if found is not None]


def _relation(source: str, target: str, kind: RelationKind, note: str) -> dict[str, Any]:
    return {
        "id": new_id("rel"),
        "from_company": source,
        "to_company": target,
        "kind": kind.value,
        "note": note,
        "created": clock.stamp(),
    }
