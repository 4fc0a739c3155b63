"""The keys contract: DESIGN.md's key tables, the README's key table and the keys the main
screen really binds (which its help and footer are generated from) agree.

Every key the README lists runs something on the main screen; every key the main screen
binds is in the README; every key of DESIGN.md's contract is bound, but for those of
features still to be built, named here with their issue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.tui.conftest import SIZE, main
from tui.screens.help import HelpScreen

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT.parent / "shared" / "DESIGN.md"

NAMES = {
    "↓": "down",
    "↑": "up",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "/": "slash",
    "*": "asterisk",
    "?": "question_mark",
    "F1": "f1",
    "esc": "escape",
    "pgup": "pageup",
    "pgdn": "pagedown",
}
"""How the documents write a key, to Textual's name for it."""

NOT_YET_BUILT: dict[str, str] = {}
"""Keys of DESIGN.md's contract whose feature is a later issue."""


def _rows(text: str, heading: str) -> list[str]:
    """The first cell of each row of every `| key | action |` table after ``heading``,
    up to the next heading of the same level."""
    level = heading.split(" ")[0]
    start = text.index(heading)
    end = text.find(f"\n{level} ", start + len(heading))
    section = text[start : end if end != -1 else len(text)]
    cells = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("|")]
    return [cell for cell in cells if cell not in ("key", "---")]


def _keys(cell: str) -> set[str]:
    """The keys a table cell names: backticked in the README, bare in DESIGN.md."""
    quoted = re.findall(r"`([^`]+)`", cell)
    words = quoted or re.split(r"\s*(?:/|,| or )\s*", cell)
    return {NAMES.get(word, word) for word in words if word}


def readme_keys() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set().union(*(_keys(cell) for cell in _rows(text, "## Keys")))


def design_keys() -> set[str]:
    text = DESIGN.read_text(encoding="utf-8")
    cells = _rows(text, "## Screens and keys (contract)")
    return set().union(*(_keys(cell) for cell in cells))


async def bound_keys(app) -> set[str]:
    """The keys the main screen binds, with the company list focused, that its help lists."""
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        screen.table.focus()
        await pilot.pause()
        keys = {
            key
            for key, active in screen.active_bindings.items()
            if active.binding.description and not active.binding.system
        }
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = set(app.screen.bindings_snapshot)
    assert keys <= listed  # the help lists every key it could
    return keys


@pytest.mark.skipif(not DESIGN.exists(), reason="../shared/DESIGN.md is beside the project")
async def test_the_design_contract_is_bound(app) -> None:
    bound = await bound_keys(app) | {"tab", "shift+tab", "ctrl+p"}
    missing = design_keys() - bound - set(NOT_YET_BUILT)
    assert not missing, f"DESIGN.md's keys without a binding: {sorted(missing)}"


async def test_the_readme_lists_every_key_and_only_bound_ones(app) -> None:
    bound = await bound_keys(app)
    listed = readme_keys()
    assert not bound - listed - {"ctrl+p"}, f"bound but not in the README: {bound - listed}"
    extra = listed - bound - {"tab", "shift+tab", "ctrl+p"}
    assert not extra, f"in the README but not bound: {sorted(extra)}"
