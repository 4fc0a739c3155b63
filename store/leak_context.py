"""What the checklist's leak questions need to see of a company's place in the stack.

The leak questions (``Checklist.leak_questions``: C1, value leaking to the layer above or
below; C2, an incumbent shipping it as a feature) are answered better with the company's
possible absorbers in view (the could-absorb relations to it, each with the absorber's status
and verdict) and the layers it sits between: the layer below and above its own in the stack
order, and the other layers it is listed in. An absorber whose status is ``invested`` is a
portfolio conflict: a company the fund owns could take this one's market.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from store.models import Status, Verdict

if TYPE_CHECKING:
    from store.service import Workbench


@dataclass(frozen=True)
class Absorber:
    """A company that could ship this one's product as a feature."""

    company_id: str
    name: str
    status: Status | None
    """None when its record is gone."""
    verdict: Verdict | None
    note: str = ""

    @property
    def conflict(self) -> bool:
        """True when the fund is invested in it."""
        return self.status is Status.INVESTED


@dataclass(frozen=True)
class LeakContext:
    """A company's absorbers and neighbouring layers (names), for C1 and C2."""

    absorbers: list[Absorber] = field(default_factory=list)
    layer: str | None = None
    """Its own layer's name, None without one."""
    below: str | None = None
    """The layer under its own in the stack, None at the bottom (or without a layer)."""
    above: str | None = None
    """The layer over its own, None at the top."""
    secondary: list[str] = field(default_factory=list)
    """The other layers it is listed in."""

    @property
    def conflicts(self) -> list[Absorber]:
        """The absorbers the fund is invested in."""
        return [absorber for absorber in self.absorbers if absorber.conflict]


def leak_context(workbench: Workbench, company_id: str) -> LeakContext:
    """``company_id``'s possible absorbers (by name) and the layers around it."""
    company = workbench.company(company_id)
    absorbers = []
    for link in workbench.relations_of(company_id).absorbers:
        row = workbench.row(link.company_id)
        status, verdict = (row.status, row.verdict) if row else (None, None)
        absorbers.append(Absorber(link.company_id, link.name, status, verdict, link.note))
    layers = workbench.layers()  # stack order, from the bottom up
    names = {layer.id: layer.name for layer in layers}
    ids = [layer.id for layer in layers]
    below = above = None
    if company.layer in names:
        at = ids.index(company.layer)
        below = names[ids[at - 1]] if at > 0 else None
        above = names[ids[at + 1]] if at + 1 < len(ids) else None
    return LeakContext(
        absorbers,
        names.get(company.layer) if company.layer else None,
        below,
        above,
        [names.get(layer, layer) for layer in company.secondary_layers],
    )
