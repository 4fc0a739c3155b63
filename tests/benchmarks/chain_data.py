"""A generated database with a value chain: three relations per company, dependences on
chokepoints and a few secondary layers, added to a ``data.dataset`` file.

Deterministic like ``data``: one seed, one file. Relations are of each kind alike and never
repeat or join a company to itself; about 30% of the companies depend on one to three of the
default chokepoints, and 5% are listed in a second layer.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import orjson

from store.chain_models import RelationKind, default_chokepoints
from store.storage import MemoryStorage
from tests.benchmarks import data

RELATIONS_PER_COMPANY = 3
KINDS = [kind.value for kind in RelationKind]


@cache
def chained(dataset: data.Dataset) -> data.Dataset:
    """``dataset`` with ``RELATIONS_PER_COMPANY`` relations per company, in a new file."""
    tables = orjson.loads(dataset.path.read_bytes())
    rng = random.Random(data.SEED + 22)
    ids = sorted(tables["companies"])
    points = [point.id for point in default_chokepoints()]
    tables["chokepoints"] = {
        point.id: point.model_dump(mode="json") for point in default_chokepoints()
    }
    for key in ids:
        company = tables["companies"][key]
        if rng.random() < 0.3:
            company["chokepoints"] = rng.sample(points, rng.randint(1, 3))
        if rng.random() < 0.05:
            others = [layer for layer in data.LAYERS if layer != company["layer"]]
            company["secondary_layers"] = [rng.choice(others)]
    tables["relations"] = _relations(rng, ids, RELATIONS_PER_COMPANY * len(ids))
    path = dataset.path.with_name(dataset.path.stem + "-chain.json")
    MemoryStorage(path, tables, on_disk=False).flush()
    return replace(dataset, path=path, file_bytes=path.stat().st_size)


def _relations(rng: random.Random, ids: list[str], count: int) -> dict[str, dict]:
    relations: dict[str, dict] = {}
    seen: set[tuple[str, str, str]] = set()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    while len(relations) < count:
        source, target, kind = rng.choice(ids), rng.choice(ids), rng.choice(KINDS)
        if source == target or (source, target, kind) in seen:
            continue
        seen.add((source, target, kind))
        key = f"rel-{rng.getrandbits(48):012x}"
        when = start + timedelta(minutes=rng.randrange(500_000))
        relations[key] = {
            "id": key,
            "from_company": source,
            "to_company": target,
            "kind": kind,
            "note": rng.choice(["", "", "capacity contract", "ships it as a feature"]),
            "created": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    return relations


def relation_count(path: Path) -> int:
    return len(orjson.loads(path.read_bytes()).get("relations", {}))
