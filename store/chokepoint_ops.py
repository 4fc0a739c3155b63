"""Chokepoints and secondary layers on the workbench, and the pipeline's exposure.

Chokepoints are data the user edits, like layers: add, rename or describe, delete. Deleting
one takes it off every company that depended on it, in the same change, so undo puts both
back. ``exposure`` rolls the pipeline up per chokepoint: how many companies depend on it, by
status and by verdict; companies outside the pipeline (the status ``reference``, where it
exists) are left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.chain_models import Chokepoint
from store.errors import NotFound
from store.models import Status
from store.problems import validated
from store.rows import CompanyRow
from store.text import free_id

if TYPE_CHECKING:
    from store.service import Workbench

CHOKEPOINTS, COMPANIES, LAYERS = "chokepoints", "companies", "layers"
OUTSIDE_PIPELINE = frozenset(s for s in Status if s.value == "reference")
"""Statuses the roll-up leaves out: ``reference`` (the starter set), once it exists."""
UNSCORED = "unscored"


@dataclass(frozen=True)
class Exposure:
    """How much of the pipeline rests on one chokepoint."""

    chokepoint: Chokepoint
    companies: int
    by_status: dict[str, int]
    """Status value to count, in pipeline order, only statuses that occur."""
    by_verdict: dict[str, int]
    """Verdict value (or ``unscored``) to count, only those that occur."""


class ChokepointOps:
    """Mixed into Workbench: chokepoints, what companies depend on, secondary layers."""

    def chokepoints(self: Workbench) -> list[Chokepoint]:
        """Every chokepoint, by its layer's place in the stack, then by name."""
        order = {layer.id: layer.position for layer in self.layers()}
        found = [Chokepoint.model_validate(r) for r in self.database.table(CHOKEPOINTS).values()]
        return sorted(
            found, key=lambda c: (order.get(c.layer or "", len(order)), c.name.casefold(), c.id)
        )

    def chokepoint(self: Workbench, chokepoint_id: str) -> Chokepoint:
        """One chokepoint, or NotFound naming the known ones."""
        record = self.database.get(CHOKEPOINTS, chokepoint_id)
        if record is None:
            known = ", ".join(c.id for c in self.chokepoints()) or "none yet"
            raise NotFound(
                f"There is no chokepoint {chokepoint_id!r}; the chokepoints are {known}."
            )
        return Chokepoint.model_validate(record)

    def add_chokepoint(
        self: Workbench, name: str, layer: str | None = None, note: str = ""
    ) -> Chokepoint:
        """Add a chokepoint, its id made from its name."""
        self._check_layer(layer)
        taken = set(self.database.table(CHOKEPOINTS))
        new_id = free_id(name, taken, "chokepoint")
        chokepoint = validated(
            Chokepoint, {"id": new_id, "name": name, "layer": layer, "note": note}
        )
        with self._change(f"Added chokepoint {chokepoint.name}") as change:
            change.put(CHOKEPOINTS, chokepoint.model_dump(mode="json"))
        return chokepoint

    def edit_chokepoint(self: Workbench, chokepoint_id: str, **fields: Any) -> Chokepoint:
        """Rename a chokepoint, move it to another layer or change its note."""
        current = self.chokepoint(chokepoint_id)
        fields.pop("id", None)
        chokepoint = validated(Chokepoint, {**current.model_dump(), **fields})
        self._check_layer(chokepoint.layer)
        with self._change(f"Edited chokepoint {chokepoint.name}") as change:
            change.put(CHOKEPOINTS, chokepoint.model_dump(mode="json"))
        return chokepoint

    def delete_chokepoint(self: Workbench, chokepoint_id: str) -> int:
        """Delete a chokepoint and take it off the companies that depended on it (one
        change, undone whole); returns how many companies those were."""
        chokepoint = self.chokepoint(chokepoint_id)
        dependent = [r.id for r in self.rows() if chokepoint_id in r.chokepoints]
        updated = []
        for company_id in dependent:
            company = self._whole(company_id)
            kept = [c for c in company.chokepoints if c != chokepoint_id]
            updated.append(company.model_copy(update={"chokepoints": kept}).model_dump(mode="json"))
        with self._change(f"Deleted chokepoint {chokepoint.name}") as change:
            change.put_many(COMPANIES, updated)
            change.delete(CHOKEPOINTS, [chokepoint_id])
        return len(dependent)

    def set_chokepoints(self: Workbench, company_id: str, chokepoint_ids: Iterable[str]) -> int:
        """Replace the chokepoints a company depends on."""
        ids = list(dict.fromkeys(chokepoint_ids))
        for chokepoint_id in ids:
            self.chokepoint(chokepoint_id)
        return self._update_many([company_id], "Chokepoints", lambda c: {"chokepoints": ids})

    def set_secondary_layers(self: Workbench, company_id: str, layer_ids: Iterable[str]) -> int:
        """Replace the other layers a company is listed in (its own layer is left out)."""
        ids = list(dict.fromkeys(layer_ids))
        for layer_id in ids:
            self.layer(layer_id)
        return self._update_many(
            [company_id], "Secondary layers", lambda c: {"secondary_layers": ids}
        )

    def secondary_counts(self: Workbench) -> dict[str, int]:
        """Per layer id, how many companies are listed there as a secondary layer (not in
        ``layer_totals``, which counts each company once, in its own layer)."""
        counts: Counter[str] = Counter()
        for row in self._caches.rows().values():
            counts.update(layer for layer in row.secondary_layers if layer != row.layer)
        return dict(counts)

    def exposure(self: Workbench) -> list[Exposure]:
        """Per chokepoint, in ``chokepoints()`` order: the pipeline companies depending on
        it, by status and by verdict."""
        # (defaultdict: a Counter made only per chokepoint, not per row and chokepoint)
        statuses: defaultdict[str, Counter[str]] = defaultdict(Counter)
        verdicts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for row in self._caches.rows().values():
            if not row.chokepoints or row.status in OUTSIDE_PIPELINE:
                continue
            verdict = row.verdict.value if row.verdict else UNSCORED
            status = row.status.value
            for chokepoint_id in row.chokepoints:
                statuses[chokepoint_id][status] += 1
                verdicts[chokepoint_id][verdict] += 1
        return [
            _exposure(chokepoint, statuses.get(chokepoint.id), verdicts.get(chokepoint.id))
            for chokepoint in self.chokepoints()
        ]

    def depending_on(self: Workbench, chokepoint_id: str) -> list[CompanyRow]:
        """The companies that depend on a chokepoint, by name."""
        rows = [r for r in self._caches.rows().values() if chokepoint_id in r.chokepoints]
        return sorted(rows, key=lambda r: (r.name.casefold(), r.id))


_STATUS_ORDER = [s.value for s in Status]
_VERDICT_ORDER = ["anchor", "contender", "leaks_value", "incomplete", UNSCORED]


def _exposure(
    chokepoint: Chokepoint, statuses: Counter[str] | None, verdicts: Counter[str] | None
) -> Exposure:
    statuses, verdicts = statuses or Counter(), verdicts or Counter()
    return Exposure(
        chokepoint,
        sum(statuses.values()),
        {s: statuses[s] for s in _STATUS_ORDER if statuses[s]},
        {v: verdicts[v] for v in _VERDICT_ORDER if verdicts[v]},
    )
