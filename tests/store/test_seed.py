"""A new database starts with the stack and the starters; then the database is the truth."""

from __future__ import annotations

import json
from pathlib import Path

import assets
from store.seed import STARTER_TAG
from store.service import Workbench

LAYER_IDS = ["power", "compute", "network", "data", "orchestration"]


def test_first_open_seeds_five_layers_and_starters(db_path: Path) -> None:
    bench = Workbench.open(db_path)
    try:
        layers = bench.layers()
        assert [layer.id for layer in layers] == LAYER_IDS
        assert [layer.name for layer in layers] == [
            "Power & Facilities",
            "Compute",
            "Networking & Interconnect",
            "Data",
            "Orchestration & Inference",
        ]
        for layer in layers:
            assert layer.summary and layer.bottlenecks and layer.keywords
        rows = bench.rows()
        starters = json.loads(assets.path("starter.json").read_bytes())["companies"]
        assert {row.name for row in rows} == {entry["name"] for entry in starters}
        for row in rows:
            assert row.tags == (STARTER_TAG,)
            assert row.website.startswith("https://")
            assert row.layer in LAYER_IDS
            assert row.one_liner
            assert row.status == "reference"
        for layer_id in LAYER_IDS:
            assert len(bench.rows(layer=layer_id)) >= 5, layer_id
        assert bench.undo() is None, "seeding is not an undoable change"
        assert bench.database.table("runs") == {}
    finally:
        bench.close()


def test_second_open_does_not_reseed(db_path: Path) -> None:
    bench = Workbench.open(db_path)
    count = len(bench.rows())
    nvidia = bench.find("NVIDIA").id
    bench.delete_companies([nvidia])
    bench.close()
    bench = Workbench.open(db_path)
    try:
        assert len(bench.rows()) == count - 1
        assert "NVIDIA" not in {row.name for row in bench.rows()}
        bench.delete_companies([row.id for row in bench.rows(tag=STARTER_TAG)])
    finally:
        bench.close()
    bench = Workbench.open(db_path)
    try:
        assert bench.rows() == []
        assert len(bench.layers()) == 5
    finally:
        bench.close()
