"""The command table: every row with a key is in the help screen and the palette, and the
palette names the key a user has now, after a keymap in the settings remaps it."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from store.service import Workbench
from store.settings import Settings, save_settings
from tests.tui.conftest import SIZE, paste, recording, screen_text, settle, told
from tui.__main__ import make_app
from tui.commands import APP_COMMANDS, Command
from tui.screens.help import HelpScreen, bindings_table
from tui.screens.main import MainScreen
from tui.screens.main_commands import MAIN_COMMANDS
from tui.screens.note_editor import NoteEditor

KEYED = [command for command in (*MAIN_COMMANDS, *APP_COMMANDS) if command.keys]


async def palette_entries(pilot: Pilot, typed: str = "") -> dict[str, str]:
    """Open the palette, type ``typed`` and read every entry listed: title → its text."""
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    if typed:
        await paste(pilot, typed)
    results = palette.query_one(CommandList)
    for _ in range(100):
        if results.option_count and (not typed or _titles(results)[0].endswith(typed)):
            break
        await pilot.pause(0.02)
    entries = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
    return dict(entry.partition("\n")[::2] for entry in entries)


def _titles(results: CommandList) -> list[str]:
    return [
        str(results.get_option_at_index(i).prompt).partition("\n")[0]
        for i in range(results.option_count)
    ]


def help_lines(app: Any) -> list[str]:
    """The open help screen's rows, as plain text."""
    assert isinstance(app.screen, HelpScreen)
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(bindings_table(app, app.screen.bindings_snapshot))
    return console.export_text().splitlines()


def shown_keys(app: Any, command: Command) -> list[str]:
    """Each of the row's keys as the footer and help write it."""
    return [app.get_key_display(Binding(key, command.action)) for key in command.keys.split(",")]


def test_every_action_of_the_main_screen_is_in_the_palette_and_has_a_binding_id() -> None:
    assert all(command.title for command in MAIN_COMMANDS)
    assert all(command.id for command in KEYED)
    ids = [command.id for command in KEYED]
    assert len(ids) == len(set(ids)), "one id per binding, so a keymap names one action"
    titles = [command.title for command in MAIN_COMMANDS]
    assert len(titles) == len(set(titles))


async def test_every_row_with_a_key_is_in_the_help_and_the_palette(bench: Workbench) -> None:
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        lines = help_lines(app)
        for command in KEYED:
            # One row per action: q shares Textual's row for ^q, which says "Quit the app…".
            said = (command.help, command.label)
            sentence = next((s for s in said if any(s in line for line in lines)), None)
            assert sentence, f"the help lists {command.id}"
            row = next(line for line in lines if sentence in line)
            keys = row[: row.index(sentence)]
            for key in shown_keys(app, command):
                assert key in keys.replace(",", " ").split(), f"{key} beside {sentence!r}"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        entries = await palette_entries(pilot)
        for command in KEYED:
            if command.title:
                keys = " or ".join(shown_keys(app, command))
                text = command.palette or command.help
                assert entries[command.title] == f"{text} ({keys})"


async def test_a_key_remapped_in_the_settings_is_the_key_the_palette_names(
    bench: Workbench,
) -> None:
    save_settings(Settings(keymap={"company.note": "A", "view.filter": "slash,ctrl+f"}))
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        entries = await palette_entries(pilot, "company: Add note")
        assert entries["company: Add note"] == (
            "Write a Markdown note on the highlighted company (A)"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor), "the palette entry still runs the action"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

        entries = await palette_entries(pilot, "view: Filter")
        assert entries["view: Filter"].endswith("notes (/ or ^f)")
        await pilot.press("escape")
        await pilot.press("question_mark")
        note = next(line for line in help_lines(app) if "Add a Markdown note" in line)
        assert note.split()[0] == "A", "the help names the new key too"


async def test_while_typing_in_the_filter_the_palette_names_no_letter_key(
    bench: Workbench,
) -> None:
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        entries = await palette_entries(pilot)
        assert entries["company: Add note"] == "Write a Markdown note on the highlighted company"
        assert entries["view: Clear filter"] == "Show every company of the layer again (esc)"


async def test_messages_name_the_remapped_keys(bench: Workbench) -> None:
    save_settings(Settings(keymap={"company.add": "plus", "edit.undo": "U"}))
    app = recording(make_app(bench))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "y")
        await pilot.pause()
        assert any(message.endswith(" · U undoes") for message in told(app)), told(app)
        await pilot.press("U")
        await palette_entries(pilot, "layer: Add")
        await pilot.press("enter")
        await pilot.pause()
        await paste(pilot, "Cooling")
        await pilot.press("enter")
        await settle(pilot)
        assert "No companies here yet: press + to add one." in screen_text(app)


async def test_the_detail_pane_names_the_remapped_keys(bench: Workbench) -> None:
    save_settings(Settings(keymap={"company.note": "A", "company.checklist": "C"}))
    app = make_app(bench)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = " ".join(app.screen.query_one("CompanyDetail").text.split())  # unwrapped
        assert "No notes yet: press A to add one." in detail
        assert "Not scored yet: press C to run the moat checklist." in detail
        assert "press a to" not in detail and "press c to" not in detail
