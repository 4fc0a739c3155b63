"""What the leak questions see: a company's possible absorbers with their status and
verdict, the layers around its own, and a portfolio conflict (an invested absorber) in the
memo's value-chain section."""

from __future__ import annotations

from pathlib import Path

from store.leak_context import leak_context
from store.models import Status
from store.render import value_chain_data, value_chain_markdown
from store.service import Workbench

LINE = "- **Portfolio conflict:** NVIDIA is invested and could absorb this company"


def absorbed(bench: Workbench) -> str:
    groq = bench.find("Groq").id
    bench.link(bench.find("NVIDIA").id, groq, "could-absorb", "ships it as a feature")
    bench.link(bench.find("AWS Trainium").id, groq, "could-absorb")
    bench.link(groq, bench.find("Baseten").id, "could-absorb")  # Groq absorbs: not listed
    bench.set_status([bench.find("NVIDIA").id], "invested")
    return groq


def test_the_absorbers_with_status_and_verdict_and_the_layers_around(workbench) -> None:
    groq = absorbed(workbench)
    workbench.set_secondary_layers(groq, ["network"])
    context = leak_context(workbench, groq)
    assert [(a.name, a.status, a.verdict, a.note) for a in context.absorbers] == [
        ("AWS Trainium", Status.REFERENCE, None, ""),
        ("NVIDIA", Status.INVESTED, None, "ships it as a feature"),
    ]
    assert [a.name for a in context.conflicts] == ["NVIDIA"]
    assert (context.below, context.layer, context.above) == (
        "Power & Facilities",
        "Compute",
        "Networking & Interconnect",
    )
    assert context.secondary == ["Networking & Interconnect"]


def test_the_top_and_bottom_layers_have_one_neighbour(workbench) -> None:
    power = leak_context(workbench, workbench.find("Crusoe").id)
    assert (power.below, power.above) == (None, "Compute")
    top = leak_context(workbench, workbench.find("Baseten").id)
    assert (top.below, top.above) == ("Data", None)
    assert top.absorbers == [] and top.conflicts == []


def test_the_memo_names_a_portfolio_conflict(workbench, tmp_path: Path) -> None:
    groq = absorbed(workbench)
    section = value_chain_markdown(workbench.value_chain(groq))
    assert section.splitlines()[-1] == LINE
    assert value_chain_data(workbench.value_chain(groq))["portfolio_conflicts"] == ["NVIDIA"]
    memo = tmp_path / "groq.md"
    workbench.write_export(memo, "md", [groq])
    assert LINE in memo.read_text(encoding="utf-8")
    workbench.set_status([workbench.find("NVIDIA").id], "watching")
    assert "Portfolio conflict" not in value_chain_markdown(workbench.value_chain(groq))


def test_two_invested_absorbers_are_named_together(workbench) -> None:
    groq = absorbed(workbench)
    workbench.set_status([workbench.find("AWS Trainium").id], "invested")
    section = value_chain_markdown(workbench.value_chain(groq))
    assert (
        "- **Portfolio conflict:** AWS Trainium and NVIDIA are invested and could absorb "
        "this company" in section
    )
