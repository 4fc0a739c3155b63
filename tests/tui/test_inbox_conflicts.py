"""The inbox's conflicts, made by ``store.merge`` on real files and resolved with one key.

Two people edited the same copy of a database: one note both changed (ours by this user,
theirs by zed, whose text carries an escape code and markup) and a founding year both
changed (no side says who). Merged, the file holds two conflicts; the inbox lists them
first, and ``[``, ``]`` and ``v`` resolve the current one as ``moatscope resolve`` would.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from textual.pilot import Pilot

from store.merge import dump, merge
from store.service import Workbench
from tests.tui.conftest import (
    help_text,
    inbox,
    on_disk,
    recording,
    screen_text,
    settle,
    told,
    type_text,
)
from tui.__main__ import make_app
from tui.cli import run
from tui.screens.dialogs import PromptDialog
from tui.screens.inbox_conflicts import ConflictBlock
from tui.screens.main import MainScreen

HOSTILE = "\x1b[2J[bold red]pwned[/]"
ME = "ada"
"""This user: the name the command line signs with too (``default_author``)."""


@pytest.fixture(autouse=True)
def user_is_ada(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, ME)


def _copy_with(base: Path, path: Path, author: str, body: str, year: int) -> None:
    """``base`` copied to ``path`` with Zeta's year edited by ``author`` and Acme's note
    rewritten as ``author`` wrote it (in the file: the model keeps no escape codes)."""
    shutil.copyfile(base, path)
    bench = Workbench.open(path, author=author)
    bench.edit_company(bench.find("Zeta").id, founded_year=year)
    bench.close()
    raw = orjson.loads(path.read_bytes())
    acme = next(c for c in raw["companies"].values() if c["name"] == "Acme")
    acme["notes"][0].update(body=body, author=author)
    path.write_bytes(dump(raw))


def merged(folder: Path, target: Path) -> None:
    """``target``: the merge of two people's edits of one base, with two conflicts."""
    base = folder / "base.json"
    bench = Workbench.open(base, author=ME)
    bench.add_company("Acme", layer="compute")
    bench.add_note(bench.find("Acme").id, "first")
    bench.add_company("Zeta", layer="power", founded_year=2018)
    bench.close()
    theirs = folder / "theirs.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_with(base, target, ME, "mine", 2019)
    _copy_with(base, theirs, "zed", HOSTILE, 2020)
    target.write_bytes(merge(base.read_bytes(), target.read_bytes(), theirs.read_bytes()))


@pytest.fixture
def team(tmp_path: Path, db_path: Path) -> Iterator[Workbench]:
    merged(tmp_path, db_path)
    shutil.copyfile(db_path, tmp_path / "cli.json")  # what the command line resolves
    bench = Workbench.open(db_path, author=ME)
    yield bench
    bench.close()


@pytest.fixture
def app(team: Workbench) -> Any:
    return recording(make_app(team))


def resolved_by_cli(tmp_path: Path, *how: str) -> dict[str, Any]:
    """What ``moatscope resolve`` makes of the first open conflict: the companies' notes and
    years, and the conflicts left."""
    path = tmp_path / "cli.json"
    first = read(path, lambda bench: bench.conflicts()[0].id)
    assert run(["--db", str(path), "resolve", first, *how]) == 0
    return read(path, outcome)


def read(path: Path, what: Any) -> Any:
    bench = Workbench.open(path, read_only=True)
    try:
        return what(bench)
    finally:
        bench.close()


def outcome(bench: Workbench) -> dict[str, Any]:
    acme, zeta = bench.find("Acme"), bench.find("Zeta")
    return {
        "notes": [(note.body, note.author) for note in acme.notes],
        "year": zeta.founded_year,
        "conflicts": [(c.name, c.field) for c in bench.conflicts()],
    }


def shown_conflicts(app: Any) -> list[tuple[str, str]]:
    return [(c.name, c.field) for c in inbox(app).query_one(ConflictBlock).conflicts]


async def open_inbox(pilot: Pilot) -> None:
    await pilot.press("i")
    await settle(pilot)


async def test_the_inbox_lists_the_conflicts_first_with_both_values(app) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await open_inbox(pilot)
        assert shown_conflicts(app) == [("Acme", "notes"), ("Zeta", "founded_year")]
        text = screen_text(app)
        lines = text.splitlines()
        title = next(i for i, line in enumerate(lines) if "Conflicts · 2" in line)
        assert title < next(i for i, line in enumerate(lines) if "Name" in line and "Why" in line)
        assert f"yours: mine ({ME}, 2026-11-20)" in text
        assert "theirs: \\x1b[2J[bold red]pwned[/] (zed, 2026-11-20)" in text  # text, not markup
        assert "1: 2019" in text and "2: 2020" in text
        assert "Inbox · 4" in text and "Inbox 4" in app.title  # two companies, two conflicts
        footer = lines[-1]
        assert "[ Keep 1st" in footer and "] Keep 2nd" in footer
        await pilot.press("question_mark")
        await pilot.pause()
        helped = help_text(app)
        assert "keep the first value shown (yours" in helped
        assert "keep the second value shown (theirs" in helped and "type the value" in helped


@pytest.mark.parametrize(
    ("keys", "cli"),
    [
        (("left_square_bracket",), ("--ours",)),
        (("right_square_bracket",), ("--theirs",)),
        (("v", *"Rack-scale GPUs", "enter"), ("--value", "Rack-scale GPUs")),
    ],
)
async def test_each_key_resolves_as_the_command_line_does(
    app, team: Workbench, db_path: Path, tmp_path: Path, keys: tuple[str, ...], cli: tuple
) -> None:
    expected = resolved_by_cli(tmp_path, *cli)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_inbox(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        assert shown_conflicts(app) == [("Zeta", "founded_year")]  # the next is current
        assert "Inbox 3" in app.title and "Inbox · 3" in screen_text(app)
        with on_disk(app, db_path) as stored:
            assert outcome(stored) == expected


async def test_the_year_takes_either_side_and_then_the_conflicts_are_gone(
    app, db_path: Path
) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await open_inbox(pilot)
        await pilot.press("left_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert shown_conflicts(app) == []
        assert "Conflicts" not in screen_text(app) and "Keep 1st" not in screen_text(app)
        with on_disk(app, db_path) as stored:
            assert outcome(stored) == {"notes": [("mine", ME)], "year": 2020, "conflicts": []}


async def test_a_value_the_model_refuses_leaves_the_conflict(app, db_path: Path) -> None:
    merge_left = read(db_path, outcome)["year"]  # (the base's: a conflict keeps the base)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_inbox(pilot)
        await pilot.press("left_square_bracket", "v")
        await type_text(pilot, "soon")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        assert "Founded must be a whole number" in screen_text(app)
        await pilot.press("escape", "y")  # (discard what was typed)
        await settle(pilot)
        assert shown_conflicts(app) == [("Zeta", "founded_year")]
        with on_disk(app, db_path) as stored:
            assert outcome(stored)["year"] == merge_left == 2018
            assert outcome(stored)["conflicts"] == [("Zeta", "founded_year")]


async def test_undo_on_the_main_screen_brings_the_conflict_back(app, db_path: Path) -> None:
    before = read(db_path, outcome)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_inbox(pilot)
        await pilot.press("right_square_bracket", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and "Inbox 3" in app.title
        await pilot.press("u")
        await settle(pilot)
        assert "Inbox 4" in app.title
        assert any("Undone" in message for message in told(app))
        with on_disk(app, db_path) as stored:
            assert outcome(stored) == before
        await open_inbox(pilot)
        assert shown_conflicts(app) == [("Acme", "notes"), ("Zeta", "founded_year")]


async def test_at_80_by_24_each_conflict_fits_its_lines(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        lines = screen_text(app).splitlines()
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        (values,) = [line for line in lines if "yours:" in line]
        assert "theirs: \\x1b[2J[bold red]pwned" in values and values.rstrip(" │").endswith("…")
        assert "Zeta · Founded" in screen_text(app)


@pytest.mark.usefixtures("steady_header")
def test_the_conflicts_at_80_by_24(snap_compare, app) -> None:
    """The picture shows, above the two companies: "Conflicts · 2", Acme's note with "yours:
    mine" and "theirs:" zed's text with its escape code written out and its markup as
    brackets, cut with "…"; Zeta's year "1: 2019" and "2: 2020"; the footer starts with
    "[ Keep 1st", "] Keep 2nd", "v Type value"."""

    async def run_before(pilot: Pilot) -> None:
        await open_inbox(pilot)
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
