"""The value chain in the TUI: `l` links two companies (saved on disk, undone with u), the
detail's Value chain block, the chain picture walked with enter and esc, the chokepoints
view's counts, the palette's chain entries and the delete that says what goes with it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from store.service import Workbench
from tests.tui.conftest import (
    company_id,
    current,
    detail_text,
    main,
    on_disk,
    quiet,
    run_command,
    screen_text,
    settle,
    told,
    type_text,
)
from tui.screens.chain_screen import ChainScreen
from tui.screens.chokepoints_view import ChokepointsScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.link_dialog import LinkDialog
from tui.screens.main import MainScreen
from tui.screens.multi_pick import MultiPickDialog
from tui.widgets.roll_up import RollUpList


def relations(app, db_path: Path) -> list[tuple[str, str, str, str]]:
    """Every relation in the file, as (from name, kind, to name, note), sorted."""
    with on_disk(app, db_path) as stored:
        names = {row.id: row.name for row in stored.rows()}
        return sorted(
            (names[r["from_company"]], r["kind"], names[r["to_company"]], r.get("note", ""))
            for r in stored.relation_records().values()
        )


def error_of(app) -> str:
    return str(app.screen.query_one("#error").render())


async def link(pilot: Pilot, other: str, letter: str, note: str = "") -> None:
    """Press l on the highlighted company, pick ``other``, the kind ``letter``, a note."""
    await pilot.press("l")
    await pilot.pause()
    await type_text(pilot, other)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(letter)
    await pilot.pause()
    await type_text(pilot, note)
    await pilot.press("enter")
    await settle(pilot)


async def test_l_links_the_company_with_its_kind_and_note_and_u_undoes_it(
    app, db_path: Path
) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert current(app) == "Crusoe"
        await link(pilot, "Vertiv", "s", "cooling for its halls")
        assert isinstance(app.screen, MainScreen)
        assert relations(app, db_path) == [
            ("Crusoe", "supplies", "Vertiv", "cooling for its halls")
        ]
        assert "Customers Vertiv" in detail_text(app)
        await link(pilot, "Groq", "b")  # b: the other company supplies this one
        await link(pilot, "Oklo", "p")  # p: the other could absorb this one
        assert relations(app, db_path) == [
            ("Crusoe", "supplies", "Vertiv", "cooling for its halls"),
            ("Groq", "supplies", "Crusoe", ""),
            ("Oklo", "could-absorb", "Crusoe", ""),
        ]
        await pilot.press("u")
        await settle(pilot)
        assert [r[0] for r in relations(app, db_path)] == ["Crusoe", "Groq"]
        await pilot.press("U")
        await settle(pilot)
        assert len(relations(app, db_path)) == 3


async def test_a_link_to_itself_is_refused_with_the_stores_sentence_at_the_company_step(
    app, db_path: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        await type_text(pilot, "Crusoe")
        await pilot.press("enter")  # picked: refused at once, no kind or note asked
        await settle(pilot)
        assert isinstance(app.screen, LinkDialog)
        assert error_of(app).startswith("A company cannot be linked to itself")
        assert app.screen.step == 1
        await type_text(pilot, "c")  # (a letter here is typed into the name)
        assert app.screen.step == 1
        assert relations(app, db_path) == []


async def test_a_repeated_link_is_refused_at_the_kind_step(app, bench: Workbench, db_path) -> None:
    bench.link(company_id(bench, "Crusoe"), company_id(bench, "Vertiv"), "supplies")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await link(pilot, "Vertiv", "s", "again")
        assert isinstance(app.screen, LinkDialog)
        assert error_of(app) == "A relation Crusoe supplies Vertiv already exists"
        assert app.screen.step == 2
        await pilot.press("c")  # another kind is fine
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert [r[1] for r in relations(app, db_path)] == ["competes", "supplies"]


async def test_the_detail_shows_the_value_chain_block(app, bench: Workbench) -> None:
    crusoe = company_id(bench, "Crusoe")
    bench.link(company_id(bench, "Vertiv"), crusoe, "supplies")
    bench.link(crusoe, company_id(bench, "Groq"), "supplies")
    bench.link(company_id(bench, "Equinix"), crusoe, "could-absorb")
    bench.link(crusoe, company_id(bench, "Lancium"), "competes")
    bench.set_chokepoints(crusoe, ["turbines", "interconnection"])
    bench.set_secondary_layers(crusoe, ["compute"])
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        text = detail_text(app)
        assert "Value chain v: the picture, enter there goes to a company" in text
        for line in (
            "Suppliers Vertiv",
            "Customers Groq",
            "Absorbers Equinix",
            "Competes Lancium",
            "Also in Compute",
        ):
            assert line in text
        assert "Rests on Gas turbines and transformers, Grid interconnection queues" in text
        await pilot.press("j")  # Digital Realty: nothing linked
        await settle(pilot)
        assert "Value chain: none · press l to link one" in detail_text(app)


async def test_the_chain_picture_recentres_on_enter_and_goes_back_on_esc(
    app, bench: Workbench
) -> None:
    crusoe, groq = company_id(bench, "Crusoe"), company_id(bench, "Groq")
    bench.link(crusoe, groq, "supplies", "power for the LPU halls")
    bench.link(company_id(bench, "Oklo"), crusoe, "supplies")
    bench.link(groq, company_id(bench, "Oklo"), "supplies")  # a loop: Crusoe → Groq → Oklo
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        chain = app.screen
        assert isinstance(chain, ChainScreen)
        text = screen_text(app)
        assert "Value chain of Crusoe" in text
        assert "Loop of supplies: Crusoe → Groq → Oklo → Crusoe" in text
        assert "Customers: Groq · power for the LPU halls" in text  # the cursor's line
        await pilot.press("j")  # down to the suppliers: Oklo
        assert "Suppliers: Oklo" in screen_text(app)
        await pilot.press("k", "enter")
        await pilot.pause()
        assert chain.centre == groq
        assert "Value chain of Groq · 1 step in" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert chain.centre == crusoe
        await pilot.press("enter")  # Groq again, then close on it
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert main(app).layer_id == "compute"
        assert current(app) == "Groq"


async def test_esc_on_the_first_centre_closes_the_picture_on_it(app, bench: Workbench) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert "No relations yet: l on the main screen links one." in screen_text(app)
        await pilot.press("enter")  # nothing to go to: it says so and stays
        assert isinstance(app.screen, ChainScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert current(app) == "Crusoe"


async def test_the_chokepoints_view_counts_the_pipeline_and_lists_who_depends(
    app, bench: Workbench, five: dict[str, str]
) -> None:
    bench.set_chokepoints(five["Arclight Optics"], ["optics", "foundry"])
    bench.set_chokepoints(five["Cinder Compute"], ["foundry"])
    bench.set_status([five["Cinder Compute"]], "diligence")
    bench.set_chokepoints(company_id(bench, "Crusoe"), ["foundry"])  # a reference: left out
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await run_command(pilot, "view: Chokepoints")
        assert isinstance(app.screen, ChokepointsScreen)
        text = screen_text(app)
        assert "Chokepoints · 10, 2 with companies depending on them" in text
        assert "   2  Leading-edge foundry capacity · Compute" in text
        assert "by status: new 1, diligence 1" in text
        assert "by verdict: not scored 2" in text
        picks = app.screen.query_one("#chokepoints", RollUpList)
        ids = picks.ids
        assert ids[:2] == ["foundry", "optics"]  # the most depended on first
        picks.highlighted = ids.index("hbm")
        await pilot.press("enter")
        await pilot.pause()
        assert "No company in the pipeline depends on HBM supply." in told(app)
        picks.highlighted = 0  # the foundry
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Depend on Leading-edge foundry capacity · 2" in text
        assert "Arclight Optics" in text and "Cinder Compute" in text
        assert "Crusoe" not in text  # a reference company, outside the pipeline
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert current(app) == "Cinder Compute"


async def test_the_palette_sets_chokepoints_and_other_layers(
    app, bench: Workbench, db_path: Path
) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await run_command(pilot, "company: Depends on chokepoints…")
        assert isinstance(app.screen, MultiPickDialog)
        await pilot.press("space", "j", "space", "enter")
        await settle(pilot)
        await run_command(pilot, "company: Also in layers…")
        await pilot.press("space", "enter")  # the first other layer: Compute
        await settle(pilot)
        with on_disk(app, db_path) as stored:
            crusoe = stored.company(company_id(stored, "Crusoe"))
            first_two = [c.id for c in stored.chokepoints()[:2]]
        assert crusoe.chokepoints == first_two
        assert crusoe.secondary_layers == ["compute"]
        await pilot.press("right_square_bracket")
        await quiet(pilot)
        assert "Crusoe (also)" in screen_text(app)
        assert "Compute · 13" in screen_text(app)


async def test_chokepoints_are_added_renamed_and_deleted_from_the_palette(
    app, bench: Workbench, db_path: Path
) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await run_command(pilot, "chokepoint: Add")
        await type_text(pilot, "Transformers")
        await pilot.press("enter")
        await settle(pilot)
        with on_disk(app, db_path) as stored:
            added = next(c for c in stored.chokepoints() if c.name == "Transformers")
        assert added.layer == "power"
        await run_command(pilot, "chokepoint: Rename")
        picks = app.screen.query_one("#choices")
        ids = [picks.get_option_at_index(i).id for i in range(picks.option_count)]
        picks.highlighted = ids.index(added.id)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, "Grid transformers")
        await pilot.press("enter")
        await settle(pilot)
        with on_disk(app, db_path) as stored:
            assert stored.chokepoint(added.id).name == "Grid transformers"
        await run_command(pilot, "chokepoint: Delete")
        picks = app.screen.query_one("#choices")
        ids = [picks.get_option_at_index(i).id for i in range(picks.option_count)]
        picks.highlighted = ids.index(added.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "Delete the chokepoint Grid transformers?"
        await pilot.press("y")
        await settle(pilot)
        with on_disk(app, db_path) as stored:
            assert added.id not in {c.id for c in stored.chokepoints()}


async def test_a_link_is_removed_from_the_palette_and_undo_brings_it_back(
    app, bench: Workbench, db_path: Path
) -> None:
    bench.link(company_id(bench, "Crusoe"), company_id(bench, "Vertiv"), "supplies")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await run_command(pilot, "company: Remove link…")
        assert "Customers: Vertiv" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert relations(app, db_path) == []
        await pilot.press("u")
        await settle(pilot)
        assert relations(app, db_path) == [("Crusoe", "supplies", "Vertiv", "")]


async def test_deleting_a_linked_company_says_how_many_links_go_with_it(
    app, bench: Workbench, db_path: Path
) -> None:
    crusoe = company_id(bench, "Crusoe")
    bench.link(crusoe, company_id(bench, "Vertiv"), "supplies")
    bench.link(company_id(bench, "Oklo"), crusoe, "competes")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "Delete Crusoe? 2 links go with it."
        await pilot.press("y")
        await settle(pilot)
        assert relations(app, db_path) == []
        await pilot.press("u")
        await settle(pilot)
        assert len(relations(app, db_path)) == 2
