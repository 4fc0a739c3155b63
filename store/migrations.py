"""Schema upgrades: ``MIGRATIONS[n]`` turns the tables of schema ``n`` into ``n + 1``, in
memory, when a file is opened (``store.db`` has backed the file up first, and writes the
upgraded file at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.chain_migration import migrate_to_chain
from store.storage import Tables

Record = dict[str, Any]


def _migrate_1_to_2(tables: Tables) -> None:
    """Schema 1 kept tags as one comma-separated string and had no change log."""
    for company in tables.get("companies", {}).values():
        if isinstance(company.get("tags"), str):
            company["tags"] = [tag.strip() for tag in company["tags"].split(",") if tag.strip()]
    tables.setdefault("changes", {})


def _to_reference(company: Record) -> None:
    """A starter company still at ``new`` that nobody has moved becomes a reference point."""
    untouched = company.get("status", "new") == "new" and not company.get("status_log")
    if company.get("source") == "starter" and untouched:
        company["status"] = "reference"


def _migrate_2_to_3(tables: Tables) -> None:
    """Schema 3 has the status ``reference``: starter companies (source ``starter``) still at
    ``new`` with no status history become reference points, outside the pipeline; a starter
    someone moved keeps its status, and no company is added or removed. The change log's
    images of companies are upgraded alike, so undoing an older change brings a starter
    back as a reference point, not into the inbox."""
    for company in tables.get("companies", {}).values():
        _to_reference(company)
    for change in tables.get("changes", {}).values():
        for op in [*change.get("ops", ()), *change.get("redo", ())]:
            if op.get("table") == "companies" and isinstance(op.get("before"), dict):
                _to_reference(op["before"])


MIGRATIONS: dict[int, Callable[[Tables], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: migrate_to_chain,
}
"""Step ``n`` upgrades schema ``n`` to ``n + 1``; 3 → 4 is the value chain
(``store.chain_migration``)."""
