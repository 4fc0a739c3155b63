"""The chain picture and the chokepoints view at 80×24 and 160×45: review each picture
against its test's docstring before accepting an update."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import quiet, run_command
from tests.tui.test_snapshots import on_groq, scored  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("steady_header")

CUSTOMERS = [
    "CoreWeave", "Lambda", "Together AI", "Fireworks AI", "Baseten", "Modal", "Replicate",
    "Anyscale", "Hugging Face", "Weights & Biases", "Databricks", "Scale AI", "Snowflake",
]  # fmt: skip


@pytest.fixture
def chained(scored: Workbench) -> Workbench:  # noqa: F811
    """Groq with two suppliers, thirteen customers, three possible absorbers, four
    competitors, three chokepoints, another layer, and a loop through CoreWeave."""
    bench = scored
    groq = bench.find("Groq").id

    def link(first: str, kind: str, second: str, note: str = "") -> None:
        bench.link(bench.find(first).id, bench.find(second).id, kind, note)

    link("TSMC", "supplies", "Groq", "14 nm wafers")
    link("SK hynix", "supplies", "Groq")
    for name in CUSTOMERS:
        link("Groq", "supplies", name)
    link("CoreWeave", "supplies", "Groq", "GPU hours for the compiler team")
    for name in ("NVIDIA", "Google TPU", "AWS Trainium"):
        link(name, "could-absorb", "Groq")
    for name in ("Cerebras", "Etched", "AMD", "Tenstorrent"):
        link("Groq", "competes", name)
    bench.set_chokepoints(groq, ["foundry", "hbm", "packaging"])
    bench.set_secondary_layers(groq, ["orchestration"])
    for name in ("Cerebras", "Etched", "Lambda", "Pinecone", "Baseten"):
        bench.set_chokepoints(bench.find(name).id, ["foundry", "gpu-cloud"])
    return bench


async def chain_of_groq(pilot: Pilot) -> None:
    await on_groq(pilot)
    await pilot.press("v")
    await quiet(pilot)


def test_chain_picture_narrow(app, chained, snap_compare) -> None:
    """At 80×24, Groq's chain: "Possible absorbers (3)" with the cursor on AWS Trainium
    (names by alphabet, not scored: plain), "Customers (13)" on three lines (Lambda
    orange: Incomplete), the arrow "▲ value flows up…", the centre "▶ Groq" (green
    reverse: Anchor) with "Compute · Anchor · also in Orchestration & Inference", the
    chokepoints beside it cut to "Leading-edge foundry capacity, HBM supply, +1 more",
    "▲ built on its suppliers", "Suppliers (3)", "Competitors (4)" (Cerebras blue, Etched
    red), "Could absorb: none", the loop "Groq → CoreWeave → Groq", and the cursor's
    line "Possible absorbers: AWS Trainium" above the footer."""
    assert snap_compare(app, run_before=chain_of_groq, terminal_size=(80, 24))


def test_chain_picture_wide(app, chained, snap_compare) -> None:
    """At 160×45, the same picture with every name whole on its band's line (all seven
    customers, no "+N more"), the three chokepoints by name, and the cursor moved to the
    suppliers' TSMC: the status line says "Suppliers: TSMC · 14 nm wafers"."""

    async def run_before(pilot: Pilot) -> None:
        await chain_of_groq(pilot)
        await pilot.press("j", "j")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(160, 45))


async def chokepoints(pilot: Pilot) -> None:
    await run_command(pilot, "view: Chokepoints")
    await quiet(pilot)


def test_chokepoints_view_narrow(app, chained, snap_compare) -> None:
    """At 80×24, the chokepoints the most depended on first, the cursor on the first:
    "2  Leading-edge foundry capacity · Compute", then (indented, dim) "by status:
    diligence 1, passed 1" and "by verdict: anchor 1, leaks value 1" (the
    reference starters that depend on it are outside the pipeline: not counted); then
    GPU-cloud capacity, Advanced packaging and HBM supply with 1 each, then the six with
    none ("0  Gas turbines and transformers · Power & Facilities"…), one line each in stack
    order, the list scrolling under the title. The title says "10, 4 with companies
    depending on them" and is cut with "…" rather than wrapped."""
    assert snap_compare(app, run_before=chokepoints, terminal_size=(80, 24))


def test_chokepoints_view_wide(app, chained, snap_compare) -> None:
    """At 160×45, enter on the first chokepoint lists the companies depending on it:
    "Depend on Leading-edge foundry capacity · 2", then Etched ("Compute · passed ·
    Leaks value") and Groq ("Compute · diligence · Anchor"), the cursor on the first."""

    async def run_before(pilot: Pilot) -> None:
        await chokepoints(pilot)
        await pilot.press("enter")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(160, 45))


def test_link_dialog_at_the_kind_step(app, chained, snap_compare) -> None:
    """At 80×24, l on Groq, "cer" typed and enter: the dialog "Link Groq to…" shows the
    five kinds, each with its letter and the sentence it makes ("s  Groq supplies
    Cerebras", "b  Cerebras supplies Groq", "a  Groq could absorb Cerebras", "p  Cerebras
    could absorb Groq", "c  Groq competes with Cerebras"), the first highlighted, the hint
    "A letter (or ↑↓ and enter) picks how they are linked · esc cancels" and its own bar."""

    async def run_before(pilot: Pilot) -> None:
        await on_groq(pilot)
        await pilot.press("l", *"cer", "enter")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_depends_on_chokepoints_dialog(app, chained, snap_compare) -> None:
    """At 80×24, the palette's "company: Depends on chokepoints…" on Groq: the ten
    chokepoints with a tick box each, Leading-edge foundry capacity, Advanced packaging
    and HBM supply ticked, the hint "space ticks · enter saves · esc cancels"."""

    async def run_before(pilot: Pilot) -> None:
        await on_groq(pilot)
        await run_command(pilot, "company: Depends on chokepoints…")
        await quiet(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
