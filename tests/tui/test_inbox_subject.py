"""Every inbox key acts on the company the inbox highlights, whatever the main list selects.

The main screen stays beneath the inbox with its own selection (Lightmatter, here); the
inbox highlights another name (Basalt Storage). Each key is pressed as a user would, and
the database file is read back: the change is on the inbox's company and Lightmatter is
untouched.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from store.models import Status, Verdict
from store.service import Workbench
from tests.tui.conftest import (
    FIVE,
    FOURTEEN,
    SIZE,
    go_to,
    highlighted,
    listed,
    main,
    on_disk,
    screen_text,
    type_text,
)
from tui.screens.inbox import InboxScreen
from tui.screens.wizard import ChecklistWizard, RunResult

pytestmark = pytest.mark.seeded_early

SELECTED = "Lightmatter"
"""The company selected in the main list when the inbox opens."""
HIGHLIGHTED = "Basalt Storage"
"""The company the inbox highlights (second in the inbox)."""


async def open_inbox_on_another_company(pilot: Pilot, bench: Workbench) -> None:
    """Select Lightmatter in the main list, open the inbox, highlight Basalt Storage."""
    app = pilot.app
    layer = bench.find(SELECTED).layer
    while main(app).layer_id != layer:
        await pilot.press("right_square_bracket")
    await go_to(pilot, SELECTED)
    await pilot.press("i")
    assert listed(app) == FIVE
    await pilot.press("j")
    assert highlighted(app) == HIGHLIGHTED
    assert main(app).table.current.name == SELECTED, "the main list keeps its own selection"


def untouched(stored: Workbench, before: Any) -> bool:
    """Lightmatter as it was before the test: no change, no run, no note."""
    company = stored.find(SELECTED)
    return stored.company(company.id) == before and stored.runs(company.id) == []


async def test_c_runs_the_checklist_on_the_inbox_company_and_the_inbox_goes_on(
    app, bench: Workbench, five: dict[str, str], db_path: Path
) -> None:
    lightmatter = bench.company(bench.find(SELECTED).id)
    async with app.run_test(size=SIZE) as pilot:
        await open_inbox_on_another_company(pilot, bench)
        await pilot.press("c")
        assert isinstance(app.screen, ChecklistWizard)
        assert f"{HIGHLIGHTED} · question 1 of 14" in screen_text(app)
        assert SELECTED not in screen_text(app)

        await pilot.press(*FOURTEEN, "ctrl+s")
        assert isinstance(app.screen, RunResult)
        assert f"{HIGHLIGHTED} · checklist saved" in screen_text(app)
        await pilot.press("escape")

        assert isinstance(app.screen, InboxScreen)
        assert listed(app) == FIVE, "a checklist run is not a decision: the name stays"
        assert highlighted(app) == HIGHLIGHTED, "the cursor stays on the company just scored"
        assert "Anchor  score 100" in screen_text(app), "its detail shows the new verdict"
        await pilot.press("s")
        assert highlighted(app) == "Cinder Compute", "the next decision moves on as always"
        assert main(app).table.current.name == SELECTED

    with on_disk(app, db_path) as stored:
        (run,) = stored.runs(five[HIGHLIGHTED])
        assert (run.score, run.verdict) == (100, Verdict.ANCHOR)
        assert stored.company(five[HIGHLIGHTED]).status is Status.SCREENING
        assert untouched(stored, lightmatter)


async def test_every_inbox_key_changes_the_company_the_inbox_highlights(
    app, bench: Workbench, five: dict[str, str], db_path: Path
) -> None:
    """Each key on the second name of the inbox; decisions move the next one up."""
    lightmatter = bench.company(bench.find(SELECTED).id)
    arclight = bench.company(five["Arclight Optics"])
    async with app.run_test(size=SIZE) as pilot:
        await open_inbox_on_another_company(pilot, bench)
        await pilot.press("5", "t", *"gpu", "enter", "a", *"Met them", "ctrl+s")
        assert highlighted(app) == HIGHLIGHTED, "a layer, a tag or a note is not a decision"
        await pilot.press("s")
        assert highlighted(app) == "Cinder Compute"
        await pilot.press("w")
        assert highlighted(app) == "Driftwood"
        await pilot.press("p", *"No moat", "enter")
        assert highlighted(app) == "Ember Grid"
        await pilot.press("r", "1")
        assert isinstance(app.screen, InboxScreen)
        assert listed(app) == ["Arclight Optics"]
        assert main(app).table.current.name == SELECTED
    with on_disk(app, db_path) as stored:
        basalt = stored.company(five[HIGHLIGHTED])
        assert (basalt.layer, basalt.tags, basalt.status) == (
            "orchestration",
            ["gpu"],
            Status.SCREENING,
        )
        assert [note.body for note in basalt.notes] == ["Met them"]
        assert stored.company(five["Cinder Compute"]).status is Status.WATCHING
        assert stored.company(five["Driftwood"]).pass_reason == "No moat"
        assert stored.company(five["Ember Grid"]).revisit == date(2026, 11, 27)
        assert stored.company(five["Arclight Optics"]) == arclight, "the first name: untouched"
        assert untouched(stored, lightmatter)


async def test_u_undoes_the_last_decision_not_the_highlighted_company(
    app, bench: Workbench, five: dict[str, str], db_path: Path
) -> None:
    lightmatter = bench.company(bench.find(SELECTED).id)
    async with app.run_test(size=SIZE) as pilot:
        await open_inbox_on_another_company(pilot, bench)
        await pilot.press("w")
        assert highlighted(app) == "Cinder Compute"
        await pilot.press("j", "t", *"later", "enter")
        assert highlighted(app) == "Driftwood"
        await pilot.press("k")
        assert highlighted(app) == "Cinder Compute"
        await pilot.press("u")
        assert highlighted(app) == "Driftwood", "undo goes back to the company it changed"
        await pilot.press("u")
        assert highlighted(app) == HIGHLIGHTED
        assert listed(app) == FIVE
    with on_disk(app, db_path) as stored:
        assert {stored.company(cid).status for cid in five.values()} == {Status.NEW}
        assert stored.company(five["Driftwood"]).tags == []
        assert untouched(stored, lightmatter)


async def test_a_note_typed_in_the_inbox_is_saved_on_the_inbox_company(
    app, bench: Workbench, five: dict[str, str], db_path: Path
) -> None:
    """The note editor is kept between openings: opened from the main list first, then
    from the inbox, it saves on the company it was opened for each time."""
    async with app.run_test(size=SIZE) as pilot:
        layer = bench.find(SELECTED).layer
        while main(app).layer_id != layer:
            await pilot.press("right_square_bracket")
        await go_to(pilot, SELECTED)
        await pilot.press("a")
        await type_text(pilot, "On the main list")
        await pilot.press("ctrl+s", "i", "j", "a")
        await type_text(pilot, "From the inbox")
        await pilot.press("ctrl+s")
        assert highlighted(app) == HIGHLIGHTED
    with on_disk(app, db_path) as stored:
        notes_of = {
            name: [note.body for note in stored.company(stored.find(name).id).notes]
            for name in (SELECTED, HIGHLIGHTED)
        }
        assert notes_of == {SELECTED: ["On the main list"], HIGHLIGHTED: ["From the inbox"]}
