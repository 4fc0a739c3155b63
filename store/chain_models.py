"""The value chain's records: relations between companies and the chokepoints they rest on.

A relation reads from ``from_company`` to ``to_company``: ``supplies`` (from sells a part,
service or capacity that to depends on), ``could-absorb`` (from is an incumbent platform that
could ship to's product as a feature) or ``competes``. A relation never joins a company to
itself, and two relations never share from, to and kind (``store.relation_ops`` checks both
against the database). A chokepoint is a scarce input (HBM supply, grid interconnection
queues...) filed under the layer where it sits; companies name the chokepoints they depend on
in ``Company.chokepoints``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import orjson
from pydantic import Field

import assets
from store import clock
from store.id_lists import ID_PATTERN
from store.models import LaterModel, Line, Name, new_id


class RelationKind(StrEnum):
    """What a relation says about its two companies."""

    SUPPLIES = "supplies"
    COULD_ABSORB = "could-absorb"
    COMPETES = "competes"


class Relation(LaterModel):
    """A link from one company to another, shown on both."""

    id: str = Field(default_factory=lambda: new_id("rel"))
    """Stable identifier."""
    from_company: str
    """The id of the company the relation starts from (the supplier, the absorber)."""
    to_company: str
    """The id of the company it points to (the customer, the company that could be absorbed)."""
    kind: RelationKind
    """Supplies, could-absorb or competes."""
    note: Line = ""
    """Why, in one line."""
    created: datetime = Field(default_factory=lambda: clock.now())
    """When it was made (UTC)."""


class Chokepoint(LaterModel):
    """A scarce input the pipeline's companies may depend on."""

    id: str = Field(pattern=ID_PATTERN)
    """Stable identifier, lower-case (``hbm``, ``interconnection``...)."""
    name: Name
    """Display name, e.g. "HBM supply"."""
    layer: str | None = None
    """The layer where it sits, or None."""
    note: Line = ""
    """What makes it scarce, in one sentence."""


def default_chokepoints() -> list[Chokepoint]:
    """The chokepoints a new database starts with, from ``assets/chokepoints.json``."""
    raw = orjson.loads(assets.path("chokepoints.json").read_bytes())
    return [Chokepoint.model_validate(entry) for entry in raw["chokepoints"]]
