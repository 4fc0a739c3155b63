"""The checklist's results in other views, driven with Pilot and checked against the store.

Comparing marked companies (``C`` and the palette), filtering by verdict, writing a memo
(``w``), and a broken user checklist file. Each test presses what a user would press and
then reads the database file back, or the memo, to check what was really written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from textual.geometry import Region
from textual.widgets import Input

from store.checklist import active_checklist, builtin_checklist, user_checklist_path
from store.service import Workbench
from tests.tui.conftest import (
    FOURTEEN,
    PERFECT,
    SIZE,
    go_to,
    main,
    on_disk,
    recording,
    run_command,
    screen_text,
    shown,
    text_of,
    told,
    type_text,
)
from tui import __main__ as entry
from tui.__main__ import make_app
from tui.screens.compare import CompareScreen, CompareTable
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.main import MainScreen
from tui.screens.run_result import RunResult
from tui.widgets.company_table import CompanyTable

# C: compare ---------------------------------------------------------------------------------


def _row_styles(widget: CompareTable) -> dict[str, Style]:
    """The style of the first cell of every rendered line, keyed by the line's first word."""
    width, height = widget.size
    styles = {}
    for strip in widget.render_lines(Region(0, 0, width, height)):
        segments = [segment for segment in strip if segment.text.strip()]
        if segments:
            styles[segments[0].text.split()[0]] = segments[0].style
    return styles


async def test_C_compares_two_marked_companies_and_highlights_a_differing_answer(
    app, bench: Workbench
) -> None:
    bench.record_run(bench.find("Crusoe").id, PERFECT)
    bench.record_run(
        bench.find("Digital Realty").id,
        {**PERFECT, "C2": {"answer": "yes", "evidence": "Colocation giants offer the same."}},
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        assert isinstance(app.screen, MainScreen), "nothing to compare without marks"
        assert "Mark two or three companies with space, then compare." in told(app)
        await pilot.press("space", "space", "C")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        text = screen_text(app)
        assert "Compare: Crusoe · Digital Realty" in text
        header = next(line for line in text.splitlines() if "Question" in line)
        assert "Crusoe" in header and "Digital Realty" in header
        verdicts = next(line for line in text.splitlines() if line.strip().startswith("Verdict"))
        assert verdicts.split()[1:] == ["Anchor", "Contender"]
        assert "Colocation giants offer the same." in text

        compare = screen.query_one(CompareTable)
        differs = compare.get_component_rich_style("compare-table--differs")
        assert differs.bgcolor is not None and differs.bold
        styles = _row_styles(compare)
        assert styles["C2"].bgcolor == differs.bgcolor and styles["C2"].bold, (
            "the differing answer is highlighted"
        )
        for same in ("A1", "C1", "D3"):
            assert styles[same].bgcolor != differs.bgcolor, f"{same} is answered alike"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_palette_compares_three_and_an_unscored_one_shows_as_such(app, bench) -> None:
    bench.record_run(bench.find("Crusoe").id, PERFECT)
    bench.record_run(bench.find("Equinix").id, {**PERFECT, "A1": "partly"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space", "space")
        await run_command(pilot, "company: Compare marked", "compare")
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
        assert "Compare: Crusoe · Digital Realty · Equinix" in text
        assert "not scored" in text
        compare = app.screen.query_one(CompareTable)
        styles = _row_styles(compare)
        differs = compare.get_component_rich_style("compare-table--differs")
        assert styles["A1"].bgcolor == differs.bgcolor


# Filter by verdict --------------------------------------------------------------------------


async def test_typing_verdict_anchor_in_the_filter_shows_only_anchors(
    app, bench: Workbench
) -> None:
    bench.record_run(bench.find("Crusoe").id, PERFECT)
    bench.record_run(bench.find("Oklo").id, {**PERFECT, "C2": "yes"})
    bench.record_run(bench.find("Vertiv").id, {**PERFECT, "C1": "yes"})
    bench.record_run(bench.find("Equinix").id, PERFECT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "verdict:anchor")
        assert shown(app) == ["Crusoe", "Equinix"]
        assert "2 of 9" in text_of(main(app), "#view-title")
        await pilot.press("enter")
        assert isinstance(app.focused, CompanyTable) and shown(app) == ["Crusoe", "Equinix"]
        await pilot.press("slash", "escape")
        assert len(shown(app)) == 9


# w: memo ------------------------------------------------------------------------------------


async def test_w_writes_a_memo_and_asks_before_replacing_a_file(
    app, bench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    equinix = bench.find("Equinix").id
    bench.edit_company(
        equinix,
        absorber="Hyperscalers building their own campuses",
        upstream="Utility interconnects",
    )
    evidence = {"answer": "yes", "evidence": "Wait lists in 9 of 10 metros."}
    bench.record_run(equinix, {**PERFECT, "A1": evidence, "C2": "yes"})
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "Equinix")
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        assert "Write a memo on Equinix to" in screen_text(app)
        assert dialog.query_one("#value", Input).value == str(home / "equinix-memo.md")
        await pilot.press("home", "ctrl+k", *"m.md", "enter")
        assert isinstance(app.screen, MainScreen)
        assert "Memo written to m.md" in told(app)
        text = (tmp_path / "m.md").read_text(encoding="utf-8")
        assert text.startswith("# Equinix\n")
        for part in (
            "**Contender** · score 93",
            "| A1 |",
            "| Yes | Wait lists in 9 of 10 metros. |",
            "| C2 |",
            "Likely absorber:** Hyperscalers building their own campuses",
            "Upstream dependency:** Utility interconnects",
            "moat v2",
        ):
            assert part in text, part

        # enter accepts the file name offered; once it exists, the next memo asks first.
        memo = home / "equinix-memo.md"
        await pilot.press("w", "enter")
        assert memo.read_text(encoding="utf-8") == text
        memo.write_text("my own edits", encoding="utf-8")
        await pilot.press("w", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == f"{memo} exists. Replace it?"
        assert "exists. Replace it?" in screen_text(app)
        await pilot.press("n")
        assert isinstance(app.screen, MainScreen)
        assert memo.read_text(encoding="utf-8") == "my own edits", "n keeps the file"
        await pilot.press("w", "enter", "y")
        assert isinstance(app.screen, MainScreen)
        assert memo.read_text(encoding="utf-8") == text, "y replaces it"


# A broken user checklist file ---------------------------------------------------------------


async def test_a_broken_checklist_file_warns_and_the_app_still_scores(
    bench: Workbench, db_path: Path
) -> None:
    path = user_checklist_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{\n  "id": "mine",\n  "version": 2,\n  "title": "Mine"\n  "sections": []\n}\n')
    checklist, warning = active_checklist()
    assert checklist == builtin_checklist()
    assert str(path) in warning and "line 5" in warning
    bench.checklist = checklist
    app = recording(make_app(bench, warnings=(warning,)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert warning in told(app, "warning")
        await pilot.press("c", *FOURTEEN, "ctrl+s")
        assert isinstance(app.screen, RunResult)
        assert text_of(app.screen, "#verdict") == "Anchor"
    with on_disk(app, db_path) as stored:
        (run,) = stored.runs(stored.find("Crusoe").id)
        assert (run.checklist_id, run.checklist_version, run.score) == ("moat", 2, 100)


def test_open_tui_hands_the_checklist_warning_to_the_app(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = user_checklist_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json")
    built: list[tuple[Workbench, tuple[str, ...]]] = []

    class Ran:
        return_code = 0

        def run(self) -> None:
            pass

    def fake_make_app(workbench: Workbench, warnings: tuple[str, ...] = ()) -> Ran:
        built.append((workbench, warnings))
        return Ran()

    monkeypatch.setattr(entry, "make_app", fake_make_app)
    assert entry.open_tui(db_path) == 0
    ((workbench, warnings),) = built
    assert workbench.checklist == builtin_checklist()
    (warning,) = warnings
    assert warning.startswith(f"{path}, line 1: not valid JSON")
    assert warning.endswith("Using the built-in checklist.")
