"""Version 2's texts: no double counting, help per stage and per layer, version 1 kept."""

from __future__ import annotations

import json

import pytest

import assets
from store.checklist import STAGES, builtin_checklist

V1, V2 = builtin_checklist(1), builtin_checklist()
LAYERS = [layer["id"] for layer in json.loads(assets.path("stack.json").read_bytes())["layers"]]
UNITS = {
    "power": ("$/MWh", "time-to-power"),
    "compute": ("$/GPU-hour", "utilisation"),
    "network": ("pJ/bit", "bandwidth"),
    "data": ("throughput to accelerators",),
    "orchestration": ("cost per million tokens",),
}


def test_version_1_is_kept_with_its_own_texts() -> None:
    assert (V1.version, V1.rules, V2.version, V2.rules) == (1, 1, 2, 2)
    assert [q.id for q in V1.questions] == [q.id for q in V2.questions]
    assert V1.by_id["A3"].text != V2.by_id["A3"].text
    assert V1.by_id["D3"].weight == 1 and V2.by_id["D3"].weight == 2


def test_every_question_says_what_counts_as_evidence_at_each_stage() -> None:
    for question in V2.questions:
        assert set(question.help_by_stage) == set(STAGES), question.id
        assert question.help_by_stage["pre-revenue"].startswith("Before revenue:")
        assert question.help_by_stage["production"].startswith("In production:")
        assert set(question.help_by_layer) <= set(LAYERS), question.id


@pytest.mark.parametrize("qid", ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "D3"])
def test_measurable_questions_have_help_for_every_layer(qid: str) -> None:
    assert set(V2.by_id[qid].help_by_layer) == set(LAYERS)


@pytest.mark.parametrize("qid", ["A2", "B1"])
def test_cost_questions_ask_in_each_layers_units(qid: str) -> None:
    for layer, units in UNITS.items():
        for unit in units:
            assert unit in V2.by_id[qid].help_by_layer[layer], (qid, layer, unit)


def test_a2_and_b3_can_be_answered_outside_software() -> None:
    assert "$/MWh" in V2.by_id["A2"].help_by_layer["power"]
    assert "pJ/bit" in V2.by_id["A2"].help_by_layer["network"]
    assert "downloads" not in V2.by_id["B3"].help_by_layer["power"]


def test_help_for_shows_the_part_that_applies() -> None:
    a1 = V2.by_id["A1"]
    parts = a1.help_for(stage="pre-revenue", layer="power")
    assert parts == [a1.help, a1.help_by_stage["pre-revenue"], a1.help_by_layer["power"]]
    assert a1.help_for() == [a1.help]
    assert V2.by_id["C2"].help_for(layer="power") == [V2.by_id["C2"].help]


def test_overlapping_questions_point_at_each_other_instead_of_counting_twice() -> None:
    text = {q.id: f"{q.text} {q.help}" for q in V2.questions}
    assert "once adopted" in text["A3"].lower() and "B3" in text["A3"]
    assert "before anyone is locked in" in text["B3"] and "A3" in text["B3"]
    assert "reaches volume" in text["A1"] or "at volume" in text["A1"]
    assert "D3" in text["A1"] and "A1" in text["D3"]
    assert all(word in text["D3"] for word in ("build", "cool", "connect", "locate"))
    assert "C3" in text["D1"] and "D1" in text["C3"]
    assert all(word in text["C1"] for word in ("above", "below", "both"))


def test_the_seeds_ideas_are_where_they_belong() -> None:
    assert "Training builds the factory and inference runs it" in V2.by_id["A2"].help
    assert "scale moment" in V2.by_id["B4"].help and "scale moment" in V2.by_id["B2"].help
    assert "before its product reaches volume" in V2.by_id["C3"].text
    assert "leaks" in V2.by_id["C1"].text
