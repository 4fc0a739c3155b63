"""Random user operations on a Workbench, for the format and undo tests."""

from __future__ import annotations

import random
from typing import Any

import orjson

from store.service import Workbench

ANSWERS = ["yes", "partly", "no", "unknown"]
KINDS = ["supplies", "could-absorb", "competes"]


def tables(bench: Workbench, *names: str) -> dict[str, Any]:
    """A deep copy of some tables (all of them when no name is given)."""
    data = bench.database.storage.read()
    chosen = {name: data.get(name, {}) for name in names} if names else data
    return orjson.loads(orjson.dumps(chosen))


def random_operation(bench: Workbench, rnd: random.Random, step: int) -> str:
    """Do one random user operation; returns its name."""
    ids = sorted(row.id for row in bench.rows())
    kind = rnd.choice(
        [
            "add",
            "add",
            "edit",
            "note",
            "status",
            "bulk_status",
            "tags",
            "add_tag",
            "remove_tag",
            "delete",
            "delete_many",
            "run",
            "run",
            "undo",
            "undo",
            "link",
            "link",
            "unlink",
            "depends",
        ]
    )
    if kind == "add" or len(ids) < 4:
        bench.add_company(
            f"Random {step} {rnd.random():.6f}",
            layer=rnd.choice(["power", "compute", "network", "data", "orchestration"]),
            one_liner=rnd.choice(["", "does things", "ünïcode ✓", "[red]x"]),
            tags=rnd.sample(["a", "b", "c", "gpu"], rnd.randint(0, 3)),
        )
        return "add"
    target = rnd.choice(ids)
    if kind == "edit":
        bench.edit_company(
            target,
            one_liner=f"edited {step}",
            stage=rnd.choice(["Seed", "", "A"]),
            founded_year=rnd.choice([None, 2019, 2024]),
        )
    elif kind == "note":
        bench.add_note(target, f"note {step}\n" + "x" * rnd.randint(1, 3000))
    elif kind == "status":
        bench.set_status([target], rnd.choice(["screening", "diligence", "watching"]))
    elif kind == "bulk_status":
        chosen = rnd.sample(ids, min(len(ids), rnd.randint(2, 6)))
        if rnd.random() < 0.5:
            bench.set_status(chosen, "passed", reason=f"reason {step}")
        else:
            bench.set_status(chosen, "invested")
    elif kind == "tags":
        bench.set_tags(target, rnd.sample(["x", "y", "z", "starter"], rnd.randint(0, 4)))
    elif kind == "add_tag":
        bench.add_tag(rnd.sample(ids, min(len(ids), 3)), f"t{step % 4}")
    elif kind == "remove_tag":
        bench.remove_tag(rnd.sample(ids, min(len(ids), 5)), "starter")
    elif kind == "delete":
        bench.delete_companies([target])
    elif kind == "delete_many":
        bench.delete_companies(rnd.sample(ids, 3))
    elif kind == "run":
        questions = [q.id for q in bench.checklist.questions]
        bench.record_run(target, {q: rnd.choice(ANSWERS) for q in questions if rnd.random() < 0.9})
    elif kind == "undo":
        bench.undo()
    else:
        return _chain_operation(bench, rnd, kind, target, ids)
    return kind


def _chain_operation(
    bench: Workbench, rnd: random.Random, kind: str, target: str, ids: list[str]
) -> str:
    """Link two companies, unlink, or set a company's chokepoints: always one change (an
    unlink with no relation to remove links instead); returns what it did."""
    relations = sorted(bench.relation_records().values(), key=_key)
    if kind == "unlink" and relations:
        relation = rnd.choice(relations)
        bench.unlink(relation["from_company"], relation["to_company"], relation["kind"])
        return "unlink"
    if kind == "depends":
        bench.set_chokepoints(target, rnd.sample(["hbm", "foundry", "optics"], rnd.randint(0, 2)))
        return "depends"
    taken = {_key(relation) for relation in relations}
    free = [
        (target, other, relation_kind)
        for other in ids
        for relation_kind in KINDS
        if other != target and (target, other, relation_kind) not in taken
    ]
    source, other, relation_kind = rnd.choice(free)
    bench.link(source, other, relation_kind, rnd.choice(["", "note ✓", "[red]x"]))
    return "link"


def _key(relation: dict[str, Any]) -> tuple[str, str, str]:
    return relation["from_company"], relation["to_company"], relation["kind"]
