"""Relations between companies on the workbench: link, unlink, and each company's chain.

Every link and unlink is one change in the log, so ``u`` takes it back and redo makes it
again. A relation never joins a company to itself, never repeats (same from, to and kind)
and never names a company that is not in the database; a cycle of supplies is allowed (the
chain of a company can loop back to it: ``supply_cycle`` finds it, to be shown). Deleting a
company deletes its relations in the same change (``CompanyOps.delete_companies``), so undo
of the delete brings them back with it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from store.chain_models import Relation, RelationKind
from store.errors import InvalidInput, NotFound
from store.models import Company, Status
from store.problems import validated

if TYPE_CHECKING:
    from store.service import Workbench

RELATIONS, COMPANIES = "relations", "companies"
SUPPLIES, COULD_ABSORB, COMPETES = (k.value for k in RelationKind)
CYCLE_LIMIT = 8


def self_link(name: str) -> InvalidInput:
    """The refusal of a relation from company ``name`` to itself (the link dialog refuses
    it as soon as the company is picked, the store when a link is made)."""
    return InvalidInput(
        {"relation": f"a company cannot be linked to itself ({name} was given twice)"}
    )


"""The most companies a loop of supplies ``supply_cycle`` looks for may pass through."""


@dataclass(frozen=True)
class Link:
    """One relation as seen from one of its companies: the other company, and why."""

    relation_id: str
    company_id: str
    """The other company."""
    name: str
    """The other company's name (its id, should its record be gone)."""
    kind: str
    note: str


@dataclass
class Relations:
    """A company's relations, grouped by what the other company is to it."""

    suppliers: list[Link] = field(default_factory=list)
    """Companies that supply it (supplies, to it)."""
    customers: list[Link] = field(default_factory=list)
    """Companies it supplies."""
    absorbers: list[Link] = field(default_factory=list)
    """Possible absorbers: incumbents that could ship its product as a feature."""
    absorbs: list[Link] = field(default_factory=list)
    """Companies whose product it could ship as a feature."""
    competitors: list[Link] = field(default_factory=list)
    """Companies it competes with (either way round)."""

    def groups(self) -> list[tuple[str, list[Link]]]:
        """Each group with its heading, in the order a detail view shows them."""
        return [
            ("Suppliers", self.suppliers),
            ("Customers", self.customers),
            ("Possible absorbers", self.absorbers),
            ("Could absorb", self.absorbs),
            ("Competitors", self.competitors),
        ]

    def __len__(self) -> int:
        return sum(len(links) for _, links in self.groups())


@dataclass(frozen=True)
class ValueChain:
    """What a memo or a detail view says of a company's place in the chain."""

    relations: Relations
    secondary_layers: list[str]
    """The names of the other layers it is listed in."""
    chokepoints: list[str]
    """The names of the chokepoints it depends on."""
    cycle: list[str]
    """A loop of supplies through it, as names (first and last the same), or []."""
    conflicts: list[str] = field(default_factory=list)
    """The names of its possible absorbers the fund is invested in (portfolio conflicts)."""

    def __bool__(self) -> bool:
        return bool(len(self.relations) or self.secondary_layers or self.chokepoints)


class RelationOps:
    """Mixed into Workbench: the value chain between companies."""

    def link(
        self: Workbench, from_id: str, to_id: str, kind: RelationKind | str, note: str = ""
    ) -> Relation:
        """Make a relation from one company to another (one change)."""
        source, target = self._linkable(from_id), self._linkable(to_id)
        if from_id == to_id:
            raise self_link(source)
        relation = validated(
            Relation, {"from_company": from_id, "to_company": to_id, "kind": kind, "note": note}
        )
        for existing in self._caches.relations_of(from_id).values():
            if (existing["to_company"], existing["kind"]) == (to_id, relation.kind.value):
                what = f"{source} {relation.kind.value} {target}"
                raise InvalidInput({"relation": f"a relation {what} already exists"})
        with self._change(f"Linked {source} {relation.kind.value} {target}") as change:
            change.put(RELATIONS, relation.model_dump(mode="json"))
        return relation

    def unlink(
        self: Workbench, from_id: str, to_id: str, kind: RelationKind | str | None = None
    ) -> int:
        """Remove the relations from one company to another (of ``kind``, or all of
        them) as one change; returns how many went."""
        wanted = None if kind is None else validated(_KindInput, {"kind": kind}).kind.value
        found = [
            r["id"]
            for r in self._caches.relations_of(from_id).values()
            if r["to_company"] == to_id and wanted in (None, r["kind"])
        ]
        source, target = self._name_of(from_id), self._name_of(to_id)
        if not found:
            what = f"{wanted} relation" if wanted else "relation"
            raise NotFound(f"There is no {what} from {source} to {target}.")
        with self._change(f"Unlinked {source} and {target}") as change:
            change.delete(RELATIONS, found)
        return len(found)

    def relations_of(self: Workbench, company_id: str) -> Relations:
        """A company's relations, grouped, each group by the other company's name."""
        grouped = Relations()
        for record in self._caches.relations_of(company_id).values():
            outgoing = record["from_company"] == company_id
            other = record["to_company"] if outgoing else record["from_company"]
            link = Link(
                record["id"], other, self._name_of(other), record["kind"], record.get("note", "")
            )
            _group(grouped, record["kind"], outgoing).append(link)
        for _, links in grouped.groups():
            links.sort(key=lambda link: (link.name.casefold(), link.company_id))
        return grouped

    def value_chain(self: Workbench, company_id: str, company: Company | None = None) -> ValueChain:
        """A company's relations, other layers, chokepoints and supply loop, by name (an
        export of every memo passes the ``company`` it has already read)."""
        company = company or self.company(company_id)
        layers = {row.id: row.name for row in self.layers()} if company.secondary_layers else {}
        points = self.database.table("chokepoints")
        relations = self.relations_of(company_id)
        rows = [(link, self.row(link.company_id)) for link in relations.absorbers]
        return ValueChain(
            relations,
            [layers.get(layer, layer) for layer in company.secondary_layers],
            [points[c]["name"] if c in points else c for c in company.chokepoints],
            [self._name_of(cid) for cid in self.supply_cycle(company_id)],
            [link.name for link, row in rows if row and row.status is Status.INVESTED],
        )

    def relation_records(self: Workbench) -> dict[str, dict[str, Any]]:
        """Every stored relation by id (read-only)."""
        return self.database.table(RELATIONS)

    def supply_cycle(self: Workbench, company_id: str) -> list[str]:
        """The shortest loop of supplies from ``company_id`` back to it, as company ids
        (first and last the same), or [] when there is none of at most ``CYCLE_LIMIT``
        companies (a longer one says little, and the search stays short on a big chain)."""
        parents: dict[str, str] = {}
        depth = {company_id: 0}
        queue = deque([company_id])
        while queue:
            current = queue.popleft()
            if depth[current] >= CYCLE_LIMIT:
                continue
            for record in self._caches.relations_of(current).values():
                if record["kind"] != SUPPLIES or record["from_company"] != current:
                    continue
                customer = record["to_company"]
                if customer == company_id:
                    path = [current]
                    while path[-1] != company_id:
                        path.append(parents[path[-1]])
                    return [*reversed(path), company_id]
                if customer not in depth:
                    parents[customer] = current
                    depth[customer] = depth[current] + 1
                    queue.append(customer)
        return []

    def _linkable(self: Workbench, company_id: str) -> str:
        """The name of a company a relation may name; refuses one that is not there."""
        record = self.database.get(COMPANIES, company_id)
        if record is None:
            raise InvalidInput(
                {
                    "relation": f"a company with the id {company_id!r} is not in the database "
                    "(it may have been deleted)"
                }
            )
        return record["name"]

    def _name_of(self: Workbench, company_id: str) -> str:
        record = self.database.get(COMPANIES, company_id)
        return record["name"] if record else company_id

    def _relation_ids(self: Workbench, company_ids: list[str]) -> list[str]:
        """The relations that name any of ``company_ids``."""
        return sorted({key for cid in company_ids for key in self._caches.relations_of(cid)})


def _group(grouped: Relations, kind: str, outgoing: bool) -> list[Link]:
    if kind == SUPPLIES:
        return grouped.customers if outgoing else grouped.suppliers
    if kind == COULD_ABSORB:
        return grouped.absorbs if outgoing else grouped.absorbers
    return grouped.competitors


class _KindInput(BaseModel):
    kind: RelationKind
