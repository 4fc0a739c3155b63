"""A new database's first content: the stack and the starter companies."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

import assets
from store.chain_models import default_chokepoints
from store.models import Company, Layer, Status, name_id
from store.storage import Tables

STARTER_TAG = "starter"
STARTER_SOURCE = "starter"
STARTER_TIME = datetime(2026, 11, 1, tzinfo=UTC)
"""The starters' ``created`` and ``updated``: fixed, like their ids (``name_id``), so two
databases seeded on two machines at two times hold the same starter records byte for byte,
and a team's merge keeps each starter once."""


def default_layers() -> list[Layer]:
    """The five layers of the stack, from ``assets/stack.json``."""
    raw = orjson.loads(assets.path("stack.json").read_bytes())
    return [Layer.model_validate(layer) for layer in raw["layers"]]


def starter_companies() -> list[Company]:
    """The starter companies, tagged ``starter``, from ``assets/starter.json``: reference
    points with the status ``reference`` (outside the pipeline) until someone moves one.
    Each one's id comes from its name and its times are ``STARTER_TIME``: every new
    database holds the same starter records."""
    raw = orjson.loads(assets.path("starter.json").read_bytes())
    return [
        Company(
            id=name_id("co", entry["name"]),
            created=STARTER_TIME,
            updated=STARTER_TIME,
            name=entry["name"],
            layer=entry["layer"],
            one_liner=entry.get("one_liner", ""),
            website=entry.get("website", ""),
            tags=[STARTER_TAG],
            source=STARTER_SOURCE,
            status=Status.REFERENCE,
        )
        for entry in raw["companies"]
    ]


def seed_tables() -> Tables:
    """The tables of a freshly created database."""
    layers = default_layers()
    return {
        "layers": {layer.id: layer.model_dump(mode="json") for layer in layers},
        "companies": {c.id: c.model_dump(mode="json") for c in starter_companies()},
        "runs": {},
        "changes": {},
        "relations": {},
        "chokepoints": {c.id: c.model_dump(mode="json") for c in default_chokepoints()},
    }


def layers_only() -> Tables:
    """A new database with the stack but no starter companies (for a first import)."""
    tables = seed_tables()
    tables["companies"] = {}
    return tables


def nothing() -> Tables:
    """A new database with no layers at all (an import brings its own)."""
    return {"layers": {}, "companies": {}, "runs": {}, "changes": {}, "relations": {}}
