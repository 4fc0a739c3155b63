"""The checklist wizard and its result page at 80×24, driven with Pilot: everything on the
page is on screen or scrolls into view, and the footer keeps its keys."""

from __future__ import annotations

from store.checklist import builtin_checklist
from tests.tui.conftest import footer_text, screen_text, wizard
from tui.screens.run_result import RunResult

SMALL = (80, 24)


async def test_at_80x24_the_question_answers_evidence_and_score_are_all_on_screen(app) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c", *["right"] * 7)  # C1: a risk, with the longest answer bar
        await pilot.pause()
        page = wizard(app)
        footer_top = app.size.height - 1
        for selector in ("#answers", "#evidence", "#evidence-line", "#running-score"):
            region = page.query_one(selector).region
            assert 0 < region.height and region.bottom <= footer_top, selector
        text = screen_text(app)
        assert "a risk: Yes counts against it" in text and "So far: no score" in text
        box = page.query_one("#question-box")
        assert box.max_scroll_y > 0, "the help does not fit: the box scrolls"
        await pilot.press("end")  # (the question box has the focus)
        await pilot.pause()
        last = builtin_checklist().by_id["C1"].help_by_layer["power"].split()[-2:]
        assert " ".join(last) in screen_text(app), "the end of the help (Crusoe's layer's)"
        assert all(key in footer_text(app) for key in ("Yes", "Unknown", "Quit", "Help"))


async def test_at_80x24_every_answer_of_the_result_scrolls_into_view(app) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c", *"y" * 14, "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RunResult)
        assert "D3" not in screen_text(app), "fourteen answers do not fit under the verdict"
        await pilot.press("end")
        await pilot.pause()
        assert "D3  Yes" in screen_text(app)
        assert "Done" in footer_text(app)


async def test_at_80x24_a_date_s_message_takes_a_line_from_the_question_box(app) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c", "tab", "tab", "tab", *"2026-13-01", "tab")
        await pilot.pause()
        page = wizard(app)
        footer_top = app.size.height - 1
        for selector in ("#answers", "#evidence", "#date-problem", "#running-score"):
            region = page.query_one(selector).region
            assert 0 < region.height and region.bottom <= footer_top, selector
        assert "Date '2026-13-01' is not a date: write it as YYYY-MM-DD." in screen_text(app)
        inside = page.query_one("#wizard-page").content_region.bottom
        assert page.query_one("#running-score").region.bottom <= inside, "nothing overflows"
