"""Light, read-only views of companies for lists, built without pydantic validation."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress, count
from operator import attrgetter
from typing import Any

from store.models import Status, Verdict

_STATUS = {status.value: status for status in Status}
_VERDICT = {verdict.value: verdict for verdict in Verdict}


@dataclass(slots=True)
class CompanyRow:
    """What a list shows of one company; cheap to build for ten thousand.

    Treated as immutable: a change to the company builds a new row, which is how
    caches keyed on row identity (the search index) notice it.
    """

    id: str
    name: str
    layer: str | None
    status: Status
    tags: tuple[str, ...]
    one_liner: str
    website: str
    source: str
    created: str
    updated: str
    revisit: str | None
    score: float | None
    verdict: Verdict | None
    note_count: int
    secondary_layers: tuple[str, ...] = ()
    """The other layers it is listed in, marked secondary there."""
    chokepoints: tuple[str, ...] = ()
    """The ids of the chokepoints it depends on."""

    @classmethod
    def build(cls, record: dict[str, Any], run: dict[str, Any] | None) -> CompanyRow:
        """A row from a trusted stored record and its latest checklist run."""
        # Positional, in field order: built once per company on opening, so the cheaper call.
        return cls(
            record["id"],
            record["name"],
            record.get("layer"),
            _STATUS[record.get("status", "new")],
            tuple(record.get("tags", ())),
            record.get("one_liner", ""),
            record.get("website", ""),
            record.get("source", ""),
            record.get("created", ""),
            record.get("updated", ""),
            record.get("revisit"),
            run.get("score") if run else None,
            _VERDICT[run["verdict"]] if run else None,
            len(record.get("notes", ())),
            tuple(record.get("secondary_layers", ())),
            tuple(record.get("chokepoints", ())),
        )

    def secondary_in(self, layer: str) -> bool:
        """True when ``layer`` lists this company as a secondary layer, not its own."""
        return layer != self.layer and layer in self.secondary_layers


def position(rows: list[CompanyRow], company_id: str) -> int | None:
    """Where company ``company_id`` is in ``rows``, the ids compared in C (a list that was
    searched has its ids ready: see ``SearchIndex.position``)."""
    found = compress(count(), map(company_id.__eq__, map(attrgetter("id"), rows)))
    return next(found, None)
