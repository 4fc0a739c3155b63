"""The small frictions of the forms: the edit form opens on its name field, each status
has its letter in the picker, and tags fields complete the tags already in use."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from store.models import Status
from tests.tui.conftest import SIZE, go_to, on_disk, screen_text, type_text
from tui.screens.edit_form import EditCompanyForm
from tui.screens.main import MainScreen
from tui.screens.status_picker import StatusPicker


async def test_the_edit_form_opens_on_the_name_field(app, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Oklo")
        await pilot.press("e")
        assert isinstance(app.screen, EditCompanyForm)
        assert app.focused is app.screen.query_one("#field-name", Input)
        await pilot.press("end", *" Power", "enter")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        assert stored.find("Oklo Power").status is Status.REFERENCE


async def test_each_status_has_its_letter_and_the_picker_shows_it(app, db_path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Equinix")
        await pilot.press("s")
        assert isinstance(app.screen, StatusPicker)
        lines = screen_text(app).splitlines()
        for letter, word in (("n", "new"), ("d", "diligence"), ("w", "watching")):
            assert any(f"{letter} {word}" in line for line in lines), word
        await pilot.press("w")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        assert stored.find("Equinix").status is Status.WATCHING


async def test_p_asks_the_reason_and_then_letters_are_typed_not_picked(app, db_path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Vertiv")
        await pilot.press("s", "p")
        picker = app.screen
        assert isinstance(picker, StatusPicker)
        assert app.focused is picker.query_one("#reason", Input)
        await type_text(pilot, "public, widespread")  # p, s, d, i, w and n: all typed
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        vertiv = stored.find("Vertiv")
    assert vertiv.status is Status.PASSED and vertiv.pass_reason == "public, widespread"


async def test_the_tags_prompt_completes_a_tag_in_use(app, bench, db_path) -> None:
    bench.add_tag([bench.find("Oklo").id], "nuclear")
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Crusoe")
        await pilot.press("t", "end")
        await type_text(pilot, ", nu")
        await pilot.press("right", "enter")
        assert isinstance(app.screen, MainScreen)
    with on_disk(app, db_path) as stored:
        assert "nuclear" in stored.find("Crusoe").tags


async def test_the_edit_forms_tags_field_completes_a_tag_in_use(app, bench, db_path) -> None:
    bench.add_tag([bench.find("Oklo").id], "Nuclear")
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Lancium")
        await pilot.press("e")
        field = app.screen.query_one("#field-tags", Input)
        field.focus()
        await pilot.press("end")
        await type_text(pilot, ", nUc")
        await pilot.press("right")
        assert field.value.endswith(", Nuclear"), "the tag in use keeps its spelling"
        await pilot.press("enter")
    with on_disk(app, db_path) as stored:
        assert "Nuclear" in stored.find("Lancium").tags
