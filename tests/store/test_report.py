"""What happened since a date: ``Workbench.activity``, the Markdown report, ``moatscope report``.

One week of work on a fresh database, each step at its own moment (the clock is
set by the test): decisions before the cut-off date, then advances, a watch,
passes with reasons, a verdict that moved from Contender to Anchor, a first run
and an added company.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store import clock
from store.models import Status
from store.report import report_markdown
from store.service import Workbench
from tests.store.conftest import PERFECT, assert_one_line_error

CONTENDER = {**PERFECT, "A2": "p", "B3": "n", "C2": "y"}
"""82 (24.5 of 30), with a risk answered Yes."""
LEAKS = {**PERFECT, "A1": "n", "A2": "n", "A3": "n"}
"""70 (21 of 30), but every value test answered No."""


class Clock:
    """The store's clock, moved by the test."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)

    def set(self, day: int, hour: int = 10) -> None:
        self.moment = datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def when(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moving = Clock()
    monkeypatch.setattr(clock, "now", lambda: moving.moment)
    return moving


@pytest.fixture
def week(db_path: Path, when: Clock) -> Iterator[Workbench]:
    """A database seeded on 10 November with a week of decisions and runs on it."""
    bench = Workbench.open(db_path, author="tester")

    def ids(*names: str) -> list[str]:
        return [bench.find(name).id for name in names]

    when.set(12)
    bench.set_status(ids("Vertiv"), Status.PASSED, "Before the cut-off")
    bench.set_status(ids("Lambda"), Status.SCREENING)
    when.set(14)
    bench.record_run(bench.find("Groq").id, CONTENDER)
    when.set(16)
    bench.set_status(ids("Groq"), Status.SCREENING)
    bench.set_status(ids("Cerebras"), Status.DILIGENCE)
    bench.set_status(ids("Etched"), Status.WATCHING)
    bench.set_status(ids("Oklo", "Equinix"), Status.PASSED, "Public company")
    bench.set_status(ids("Lancium"), Status.PASSED, "No moat")
    bench.add_company("Kestrel Photonics", layer="network")
    when.set(17)
    bench.record_run(bench.find("Groq").id, PERFECT)
    when.set(18)
    bench.record_run(bench.find("Etched").id, LEAKS)
    when.set(20, 9)
    yield bench
    bench.close()


EXPECTED = """\
# moatscope report since 2026-11-15

2 advanced, 1 watched, 3 passed, 2 scored; 1 company added.

## Advanced (2)

- **Cerebras** (Compute) new → diligence, 2026-11-16
- **Groq** (Compute) new → screening, 2026-11-16

## Watching (1)

- **Etched** (Compute) new → watching, 2026-11-16

## Passed (3)

- **Equinix** (Power & Facilities) new → passed, 2026-11-16: Public company
- **Lancium** (Power & Facilities) new → passed, 2026-11-16: No moat
- **Oklo** (Power & Facilities) new → passed, 2026-11-16: Public company

## Pass reasons

- Public company ×2
- No moat

## Verdicts (2 runs)

- **Groq**: Contender 82 → Anchor 100 (2026-11-17)
- **Etched**: first run, Leaks value 70 (2026-11-18)

## Added (1)

Kestrel Photonics
"""


def test_activity_lists_decisions_reasons_and_verdict_changes_since_a_date(week: Workbench) -> None:
    activity = week.activity("2026-11-15")
    decisions = [(d.company, d.before, d.after, d.reason) for d in activity.decisions]
    assert decisions == [
        ("Cerebras", "new", "diligence", ""),
        ("Equinix", "new", "passed", "Public company"),
        ("Etched", "new", "watching", ""),
        ("Groq", "new", "screening", ""),
        ("Lancium", "new", "passed", "No moat"),
        ("Oklo", "new", "passed", "Public company"),
    ], "by time, then by name; decisions before the date are left out"
    assert {d.layer for d in activity.decisions if d.company == "Groq"} == {"Compute"}
    counts = [activity.count(kind) for kind in ("advanced", "watched", "passed")]
    assert counts == [2, 1, 3]
    assert activity.summary == "2 advanced, 1 watched, 3 passed, 2 scored"
    groq, etched = activity.runs
    assert (groq.company, groq.before["verdict"], groq.after["verdict"]) == (
        "Groq",
        "contender",
        "anchor",
    )
    assert (round(groq.before["score"]), groq.after["score"]) == (82, 100)
    assert (etched.company, etched.before, etched.after["verdict"]) == (
        "Etched",
        None,
        "leaks_value",
    )
    assert activity.added == ["Kestrel Photonics"], "starter companies are not news"
    assert not activity.empty


def test_the_markdown_report(week: Workbench) -> None:
    assert report_markdown(week.activity("2026-11-15")) == EXPECTED


def test_an_earlier_date_takes_in_the_earlier_decisions(week: Workbench) -> None:
    activity = week.activity("2026-11-11")
    assert activity.summary == "3 advanced, 1 watched, 4 passed, 3 scored"
    text = report_markdown(activity)
    assert "- **Vertiv** (Power & Facilities) new → passed, 2026-11-12: Before the cut-off" in text
    assert "- **Groq**: first run, Contender 82 (2026-11-14)" in text


def test_a_quiet_period_says_so(week: Workbench) -> None:
    activity = week.activity("2026-11-19")
    assert activity.empty and activity.summary == "0 advanced, 0 watched, 0 passed, 0 scored"
    assert report_markdown(activity) == (
        "# moatscope report since 2026-11-19\n\n"
        "0 advanced, 0 watched, 0 passed, 0 scored; 0 companies added.\n\n"
        "Nothing was decided, scored or added in this period.\n"
    )


def test_the_session_summary_counts_only_this_session(week: Workbench, when: Clock) -> None:
    session_start = clock.stamp()
    assert week.activity(session_start).empty
    week.set_status([week.find("Modal").id], Status.SCREENING)
    activity = week.activity(session_start)
    assert activity.summary == "1 advanced, 0 watched, 0 passed, 0 scored"


# moatscope report --since -------------------------------------------------------------------


def test_cli_report_prints_the_same_markdown(week: Workbench, db_path: Path, cli) -> None:
    expected = report_markdown(week.activity("2026-11-15"))
    week.close()
    result = cli("report", "--since", "2026-11-15", "--db", str(db_path))
    assert result.code == 0 and result.err == ""
    assert result.out == expected == EXPECTED
    assert db_path.exists()


def test_cli_report_since_a_number_of_days(week: Workbench, db_path: Path, cli) -> None:
    week.close()
    result = cli("report", "--since", "7d", "--db", str(db_path))
    assert result.code == 0, result.err
    assert result.out.startswith("# moatscope report since 2026-11-13\n")
    assert "- **Groq**: first run, Contender 82 (2026-11-14)" in result.out
    assert "Vertiv" not in result.out


def test_cli_report_days_are_counted_in_utc_whatever_the_local_zone(
    week: Workbench, db_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """7 days before 2026-11-20 09:00 UTC is 2026-11-13 09:00 UTC, in New York too."""
    from tui.cli_data import parse_since

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert parse_since("7d") == "2026-11-13T09:00:00Z"
        assert parse_since("2026-11-15T12:00:00+02:00") == "2026-11-15T10:00:00Z"
        assert parse_since("2026-11-15T12:00:00") == "2026-11-15T12:00:00Z"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("since", ["last week", "2026-13-01", "7 days", ""])
def test_cli_report_with_a_bad_date_gives_one_sentence_and_exit_1(
    week: Workbench, db_path: Path, cli, since: str
) -> None:
    week.close()
    result = cli("report", "--since", since, "--db", str(db_path))
    assert_one_line_error(result, f"{since!r} is not a date", "2026-11-15")


def test_cli_report_requires_since(cli) -> None:
    result = cli("report")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "--since" in result.err


@pytest.mark.parametrize("since", ["99999999999d", "1000000d", "999999999d"])
def test_cli_report_too_far_back_gives_one_sentence(
    week: Workbench, db_path: Path, cli, since: str
) -> None:
    week.close()
    result = cli("report", "--since", since, "--db", str(db_path))
    assert_one_line_error(result, f"{since!r} reaches back before the year 1", "fewer days")


def test_a_status_set_when_a_company_is_added_is_a_decision(
    week: Workbench, db_path: Path, cli
) -> None:
    week.close()
    added = cli(
        "add", "Passy", "--layer", "data", "--status", "passed", "--reason", "too early",
        "--db", str(db_path),
    )  # fmt: skip
    assert added.code == 0, added.err
    watched = cli("add", "Watchy", "--layer", "data", "--status", "watching", "--db", str(db_path))
    assert watched.code == 0, watched.err
    result = cli("report", "--since", "2026-11-20", "--db", str(db_path))
    assert result.code == 0, result.err
    assert "- **Passy** (Data) new → passed, 2026-11-20: too early" in result.out
    assert "- **Watchy** (Data) new → watching, 2026-11-20" in result.out
    assert "## Pass reasons\n\n- too early\n" in result.out
    bench = Workbench.open(db_path, read_only=True)
    try:
        log = bench.find("Passy").status_log
        assert [(c.before, c.after, c.reason) for c in log] == [("new", "passed", "too early")]
        assert bench.find("Watchy").status_log[0].after == "watching"
    finally:
        bench.close()


def test_a_rescore_names_both_checklist_versions(db_path: Path, when: Clock) -> None:
    from store.checklist import builtin_checklist
    from store.runs import rescore_difference, save_rescore

    bench = Workbench.open(db_path, checklist=builtin_checklist(1), author="tester")
    try:
        when.set(12)
        old = bench.record_run(bench.find("Groq").id, {**PERFECT, "C4": "y"})
        bench.checklist = builtin_checklist()
        when.set(14)
        save_rescore(bench, rescore_difference(old, builtin_checklist(1), bench.checklist))
        activity = bench.activity("2026-11-13")
    finally:
        bench.close()
    assert "- **Groq**: Contender 96 (v1) → Anchor 93 (v2) (2026-11-14)" in report_markdown(
        activity
    )
