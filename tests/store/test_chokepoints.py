"""Chokepoints and secondary layers through the store: the default list, editing like
layers, what companies depend on, the exposure roll-up, and listing by layer."""

from __future__ import annotations

import json

import pytest

import assets
from store.errors import InvalidInput, NotFound
from store.models import Status
from store.service import Workbench
from tests.store.ops import tables

NAMED_IN_DESIGN = [
    "Leading-edge foundry capacity",
    "Advanced packaging",
    "HBM supply",
    "Accelerator allocation",
    "Optical transceivers and DSPs",
    "Grid interconnection queues",
    "Gas turbines and transformers",
    "Nuclear fuel",
    "Water and cooling permits",
    "GPU-cloud capacity",
]


def test_a_new_database_holds_the_default_chokepoints(workbench: Workbench) -> None:
    shipped = json.loads(assets.path("chokepoints.json").read_bytes())["chokepoints"]
    assert sorted(c["name"] for c in shipped) == sorted(NAMED_IN_DESIGN)
    layers = {layer.id for layer in workbench.layers()}
    for chokepoint in workbench.chokepoints():
        assert chokepoint.layer in layers
        assert chokepoint.note.endswith(".") and "\n" not in chokepoint.note
    assert sorted(c.name for c in workbench.chokepoints()) == sorted(NAMED_IN_DESIGN)
    # In the stack's order: power's chokepoints first.
    assert workbench.chokepoints()[0].layer == "power"


def test_chokepoints_are_added_renamed_and_deleted_like_layers(workbench: Workbench) -> None:
    added = workbench.add_chokepoint("Liquid cooling parts", layer="power", note="Few makers.")
    assert added.id == "liquid-cooling-parts"
    assert workbench.add_chokepoint("Liquid cooling parts").id == "liquid-cooling-parts-2"
    renamed = workbench.edit_chokepoint(added.id, name="Cold plates")
    assert workbench.chokepoint(added.id).name == renamed.name == "Cold plates"
    with pytest.raises(InvalidInput, match="Name must not be empty"):
        workbench.edit_chokepoint(added.id, name="  ")
    with pytest.raises(NotFound, match="There is no layer 'moon'"):
        workbench.add_chokepoint("Lunar regolith", layer="moon")
    workbench.delete_chokepoint(added.id)
    with pytest.raises(NotFound, match="There is no chokepoint 'liquid-cooling-parts'"):
        workbench.chokepoint(added.id)
    workbench.undo()
    assert workbench.chokepoint(added.id).name == "Cold plates"


def test_deleting_a_chokepoint_takes_it_off_companies_and_undo_puts_both_back(
    workbench: Workbench,
) -> None:
    nvidia = workbench.find("NVIDIA").id
    workbench.set_chokepoints(nvidia, ["hbm", "packaging"])
    before = tables(workbench, "companies", "chokepoints")
    assert workbench.delete_chokepoint("hbm") == 1
    assert workbench.company(nvidia).chokepoints == ["packaging"]
    assert workbench.undo() == "Deleted chokepoint HBM supply"
    assert tables(workbench, "companies", "chokepoints") == before


def test_a_company_depends_only_on_chokepoints_that_exist(workbench: Workbench) -> None:
    nvidia = workbench.find("NVIDIA").id
    with pytest.raises(NotFound, match="There is no chokepoint 'unobtainium'"):
        workbench.set_chokepoints(nvidia, ["hbm", "unobtainium"])
    assert workbench.company(nvidia).chokepoints == []
    workbench.set_chokepoints(nvidia, ["hbm", "foundry", "hbm"])
    assert workbench.company(nvidia).chokepoints == ["hbm", "foundry"]
    assert [row.name for row in workbench.depending_on("hbm")] == ["NVIDIA"]


def test_exposure_counts_the_pipeline_by_status_and_verdict(workbench: Workbench) -> None:
    nvidia, amd, groq, etched = (
        workbench.find(name).id for name in ("NVIDIA", "AMD", "Groq", "Etched")
    )
    for company_id in (nvidia, amd, groq):
        workbench.set_chokepoints(company_id, ["hbm"])
    workbench.set_chokepoints(etched, ["foundry", "hbm"])
    workbench.set_status([nvidia], "invested")
    workbench.set_status([amd, etched], "diligence")
    workbench.set_status([groq], "screening")
    answers = dict.fromkeys("A1 A2 A3 B1 B2 B3 B4 D1 D2 D3".split(), "yes")
    workbench.record_run(nvidia, {**answers, **dict.fromkeys("C1 C2 C3 C4".split(), "no")})
    exposure = {e.chokepoint.id: e for e in workbench.exposure()}
    hbm = exposure["hbm"]
    assert hbm.companies == 4
    assert hbm.by_status == {"screening": 1, "diligence": 2, "invested": 1}
    assert hbm.by_verdict == {"anchor": 1, "unscored": 3}
    assert exposure["foundry"].companies == 1
    assert exposure["foundry"].by_status == {"diligence": 1}
    assert exposure["nuclear-fuel"].companies == 0 and exposure["nuclear-fuel"].by_status == {}
    assert [e.chokepoint.id for e in workbench.exposure()] == [
        c.id for c in workbench.chokepoints()
    ]


@pytest.mark.skipif(
    "reference" not in {s.value for s in Status}, reason="the status reference is not merged"
)
def test_exposure_leaves_out_companies_outside_the_pipeline(workbench: Workbench) -> None:
    nvidia, amd = workbench.find("NVIDIA").id, workbench.find("AMD").id
    workbench.set_chokepoints(nvidia, ["hbm"])
    workbench.set_chokepoints(amd, ["hbm"])
    workbench.set_status([nvidia], "reference")
    workbench.set_status([amd], "screening")
    hbm = next(e for e in workbench.exposure() if e.chokepoint.id == "hbm")
    assert (hbm.companies, hbm.by_status) == (1, {"screening": 1})


def test_a_secondary_layer_lists_the_company_there_marked_and_counted_once(
    workbench: Workbench,
) -> None:
    nvidia = workbench.find("NVIDIA").id
    total = sum(count for count, _ in workbench.layer_totals().values())
    network_before = workbench.layer_totals().get("network", (0, None))[0]
    workbench.set_secondary_layers(nvidia, ["network", "compute", "network"])
    assert workbench.company(nvidia).secondary_layers == ["network"], "its own layer left out"
    listed = {row.name: row for row in workbench.rows(layer="network")}
    assert "NVIDIA" in listed and listed["NVIDIA"].secondary_in("network")
    assert not listed["Arista Networks"].secondary_in("network")
    assert not workbench.row(nvidia).secondary_in("compute")
    assert sum(count for count, _ in workbench.layer_totals().values()) == total
    assert workbench.layer_totals().get("network", (0, None))[0] == network_before
    assert workbench.secondary_counts() == {"network": 1}
    with pytest.raises(NotFound, match="There is no layer 'moon'"):
        workbench.set_secondary_layers(nvidia, ["moon"])
    assert workbench.undo() == "Secondary layers: NVIDIA"
    assert workbench.company(nvidia).secondary_layers == []


def test_moving_a_company_into_a_secondary_layer_makes_it_primary_there_only(
    workbench: Workbench,
) -> None:
    nvidia = workbench.find("NVIDIA").id
    workbench.set_secondary_layers(nvidia, ["network", "power"])
    workbench.set_layer([nvidia], "network")
    assert workbench.company(nvidia).secondary_layers == ["power"]
    assert [r.name for r in workbench.rows(layer="network")].count("NVIDIA") == 1


def test_deleting_a_layer_leaves_its_chokepoints_without_one(workbench: Workbench) -> None:
    layer = workbench.add_layer("Space")
    point = workbench.add_chokepoint("Launch slots", layer=layer.id)
    workbench.delete_layer(layer.id)
    assert workbench.chokepoint(point.id).layer is None
    workbench.undo()
    assert workbench.chokepoint(point.id).layer == layer.id


def test_a_layer_listing_companies_as_secondary_is_not_deleted(workbench: Workbench) -> None:
    layer = workbench.add_layer("Space")
    workbench.set_secondary_layers(workbench.find("NVIDIA").id, [layer.id])
    with pytest.raises(InvalidInput, match="Space still has 1 companies"):
        workbench.delete_layer(layer.id)
