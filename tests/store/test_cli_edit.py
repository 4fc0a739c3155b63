"""The command line's changes to one company: status, tag, delete.

Each is one change saved before exit 0; a refusal is one sentence on stderr, exit 1, and
the file untouched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.models import Status
from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error


@pytest.fixture
def kestrel(db_path: Path, cli) -> str:
    """A company added with the CLI; its id."""
    result = cli("--db", str(db_path), "add", "Kestrel", "--layer", "compute", "--tag", "gpu")
    assert result.code == 0, result.err
    bench = Workbench.open(db_path, read_only=True)
    try:
        return bench.find("Kestrel").id
    finally:
        bench.close()


def company(db_path: Path, company_id: str):
    bench = Workbench.open(db_path, read_only=True)
    try:
        return bench.company(company_id)
    finally:
        bench.close()


def test_status_moves_the_company_and_passing_needs_a_reason(
    db_path: Path, cli, kestrel: str
) -> None:
    result = cli("--db", str(db_path), "status", "kestrel", "screening")
    assert (result.code, result.out) == (0, "Kestrel is now screening.\n"), result.err
    assert company(db_path, kestrel).status is Status.SCREENING

    before = Fingerprint.of(db_path)
    refused = cli("--db", str(db_path), "status", "Kestrel", "passed")
    assert_one_line_error(refused, "A reason is required to pass on a company", "--reason")
    assert "pass_reason" not in refused.err, "the interface's words, not a field name"
    assert Fingerprint.of(db_path) == before

    result = cli("--db", str(db_path), "status", "Kestrel", "passed", "--reason", "Too early")
    assert result.code == 0, result.err
    passed = company(db_path, kestrel)
    assert (passed.status, passed.pass_reason) == (Status.PASSED, "Too early")


def test_an_unknown_status_or_company_is_refused(db_path: Path, cli, kestrel: str) -> None:
    before = Fingerprint.of(db_path)
    assert_one_line_error(
        cli("--db", str(db_path), "status", "Kestrel", "maybe"), "Unknown status 'maybe'"
    )
    assert_one_line_error(
        cli("--db", str(db_path), "status", "Nobody", "watching"), "No company is named"
    )
    assert Fingerprint.of(db_path) == before


def test_tag_adds_and_removes_in_one_change(db_path: Path, cli, kestrel: str) -> None:
    result = cli("--db", str(db_path), "tag", "Kestrel", "+edge", "-GPU", "+Seed Stage")
    assert (result.code, result.out) == (0, "Tags of Kestrel: edge, Seed Stage.\n"), result.err
    assert company(db_path, kestrel).tags == ["edge", "Seed Stage"]
    bench = Workbench.open(db_path)
    try:
        assert bench.undo() is not None
        assert bench.company(kestrel).tags == ["gpu"], "one undo takes the whole command back"
    finally:
        bench.close()


@pytest.mark.parametrize("changes", [[], ["gpu"], ["+"], ["--db", "elsewhere.json"]])
def test_tag_refuses_what_is_not_a_tag_change(
    db_path: Path, cli, kestrel: str, changes: list[str]
) -> None:
    before = Fingerprint.of(db_path)
    assert_one_line_error(cli("--db", str(db_path), "tag", "Kestrel", *changes), "TAG")
    assert Fingerprint.of(db_path) == before


def test_delete_needs_yes(db_path: Path, cli, kestrel: str) -> None:
    before = Fingerprint.of(db_path)
    assert_one_line_error(cli("--db", str(db_path), "delete", "Kestrel"), "needs --yes")
    assert Fingerprint.of(db_path) == before
    result = cli("--db", str(db_path), "delete", "Kestrel", "--yes")
    assert (result.code, result.out) == (0, "Deleted Kestrel.\n"), result.err
    bench = Workbench.open(db_path, read_only=True)
    try:
        assert "Kestrel" not in {row.name for row in bench.rows()}
    finally:
        bench.close()
    assert_one_line_error(cli("--db", str(db_path), "delete", "Kestrel", "--yes"), "No company")


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "Kest", "screening"],
        ["tag", "Kest", "+hot"],
        ["note", "Kest", "a note for someone else"],
        ["delete", "Kest", "--yes"],
    ],
)
def test_a_change_needs_the_whole_name_not_a_part_of_one(
    db_path: Path, cli, kestrel: str, argv: list[str]
) -> None:
    """A part of a name that matches one company is not taken as that company by a
    command that changes it: a deleted 'Kest' must not become a change to 'Kestrel'."""
    before = Fingerprint.of(db_path)
    refused = cli("--db", str(db_path), *argv)
    assert_one_line_error(refused, "No company is named 'Kest'; did you mean Kestrel (")
    assert "Give the whole name or the id." in refused.err
    assert Fingerprint.of(db_path) == before

    shown = cli("--db", str(db_path), "show", "Kest")
    assert (shown.code, shown.out.splitlines()[0]) == (0, "# Kestrel"), "reading takes a part"
    done = cli("--db", str(db_path), argv[0], "kestrel", *argv[2:])
    assert done.code == 0, done.err
