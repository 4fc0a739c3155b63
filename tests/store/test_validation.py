"""Bad input gets a message naming the field, through the service and the CLI; nothing is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import clock
from store.errors import InvalidInput, NotFound
from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error

NEXT_YEAR = clock.today().year + 1

ADD_CASES = [
    # (fields, error type, field named in problems or None, words in the message)
    ({"name": ""}, InvalidInput, "name", ["empty"]),
    ({"name": "   "}, InvalidInput, "name", ["empty"]),
    ({"name": "two\nlines"}, InvalidInput, "name", ["single line"]),
    ({"name": "x" * 201}, InvalidInput, "name", ["too long", "200"]),
    ({"website": "not a url"}, InvalidInput, "website", ["not a web address"]),
    ({"website": "ftp://example.com"}, InvalidInput, "website", ["not a web address"]),
    ({"website": "https://"}, InvalidInput, "website", ["not a web address"]),
    ({"website": "javascript:alert(1)"}, InvalidInput, "website", ["not a web address"]),
    ({"founded_year": NEXT_YEAR}, InvalidInput, "founded_year", [str(NEXT_YEAR), "future"]),
    ({"founded_year": 3000}, InvalidInput, "founded_year", ["3000", "future"]),
    ({"founded_year": "soon"}, InvalidInput, "founded_year", ["whole number"]),
    ({"founded_year": 1066}, InvalidInput, "founded_year", ["too early"]),
    ({"layer": "quantum"}, NotFound, None, ["'quantum'", "power", "orchestration"]),
    ({"status": "maybe"}, InvalidInput, "status", ["'new'", "'passed'"]),
    ({"status": "passed"}, InvalidInput, "pass_reason", ["reason"]),
    ({"status": "passed", "pass_reason": "   "}, InvalidInput, "pass_reason", ["reason"]),
    ({"revisit": "next week"}, InvalidInput, "revisit", ["date"]),
    ({"tags": ["a,b"]}, InvalidInput, "tags", ["comma"]),
    ({"name": "NVIDIA"}, InvalidInput, "name", ["already exists"]),
    ({"name": "nvidia"}, InvalidInput, "name", ["already exists"]),
    ({"colour": "red"}, InvalidInput, "colour", ["not a known field"]),
]


@pytest.mark.parametrize("fields, error, field, words", ADD_CASES, ids=lambda v: repr(v)[:40])
def test_add_company_refuses_bad_input_and_saves_nothing(
    workbench: Workbench, db_path: Path, fields, error, field, words
) -> None:
    before = Fingerprint.of(db_path)
    count = len(workbench.rows())
    arguments = {"name": "Valid Name", "layer": "compute", **fields}
    with pytest.raises(error) as caught:
        workbench.add_company(**arguments)
    message = str(caught.value)
    if field is not None:
        assert field in caught.value.problems, caught.value.problems
        # The message uses the interface's words: no "founded_year: " prefix.
        assert f"{field}: " not in message and "_" not in message.split(" ")[0], message
        assert message[:1].isupper(), message
    for word in words:
        assert word in message, (word, message)
    assert "\n" not in message
    assert "pydantic" not in message.lower() and "errors.pydantic.dev" not in message
    assert Fingerprint.of(db_path) == before
    assert len(workbench.rows()) == count
    assert workbench.undo() is None


def test_valid_input_is_normalised(workbench: Workbench) -> None:
    company = workbench.add_company(
        "  Spaced Name  ",
        layer="compute",
        website="example.com",
        founded_year=clock.today().year,
        tags=[" gpu ", "GPU", "inference", ""],
    )
    assert company.name == "Spaced Name"
    assert company.website == "https://example.com"
    assert company.tags == ["gpu", "inference"]


def test_edit_with_bad_input_changes_nothing(workbench: Workbench, db_path: Path) -> None:
    company = workbench.rows()[0]
    before = Fingerprint.of(db_path)
    stored = workbench.database.copy("companies", company.id)
    for fields in (
        {"name": ""},
        {"website": "no way"},
        {"founded_year": 3000},
        {"layer": "nowhere"},
        {"status": "passed"},
        {"one_liner": "a\nb"},
    ):
        with pytest.raises((InvalidInput, NotFound)):
            workbench.edit_company(company.id, **fields)
    assert workbench.database.copy("companies", company.id) == stored
    assert Fingerprint.of(db_path) == before


def test_status_validation(workbench: Workbench, db_path: Path) -> None:
    ids = [row.id for row in workbench.rows()[:3]]
    before = Fingerprint.of(db_path)
    with pytest.raises(InvalidInput) as caught:
        workbench.set_status(ids, "maybe")
    assert "status" in caught.value.problems
    with pytest.raises(InvalidInput) as caught:
        workbench.set_status(ids, "passed")
    assert caught.value.problems == {"pass_reason": "a reason is required to pass on a company"}
    with pytest.raises(NotFound):
        workbench.set_status([ids[0], "co-missing"], "screening")
    assert Fingerprint.of(db_path) == before
    assert all(workbench.company(cid).status == "reference" for cid in ids)
    assert workbench.set_status(ids, "passed", reason="too early") == 3
    assert workbench.company(ids[0]).pass_reason == "too early"
    # Leaving "passed" clears the reason.
    workbench.edit_company(ids[0], status="watching")
    assert workbench.company(ids[0]).pass_reason == ""


def test_not_found_names_what_was_asked(workbench: Workbench) -> None:
    with pytest.raises(NotFound, match="'co-nope'"):
        workbench.company("co-nope")
    with pytest.raises(NotFound, match="'Nobody Inc'"):
        workbench.find("Nobody Inc")
    with pytest.raises(NotFound, match="matches"):
        workbench.find("a")  # many names contain an "a"
    with pytest.raises(NotFound):
        workbench.add_note("co-nope", "text")
    with pytest.raises(InvalidInput) as caught:
        workbench.add_note(workbench.rows()[0].id, "   \n ")
    assert "body" in caught.value.problems
    with pytest.raises(InvalidInput) as caught:
        workbench.record_run(workbench.rows()[0].id, {"Z9": "yes"})
    assert "Z9" in str(caught.value)
    with pytest.raises(InvalidInput) as caught:
        workbench.record_run(workbench.rows()[0].id, {"A1": "definitely"})
    assert "Answer" in str(caught.value)


CLI_CASES = [
    (["add", "", "--layer", "compute"], ["Name", "empty"]),
    (["add", "Web Co", "--layer", "compute", "--website", "not a url"], ["Website", "web address"]),
    (["add", "Layer Co", "--layer", "quantum"], ["'quantum'"]),
    (["add", "Status Co", "--layer", "compute", "--status", "maybe"], ["Status"]),
    (["add", "Pass Co", "--layer", "compute", "--status", "passed"], ["A reason is required"]),
    (["add", "NVIDIA", "--layer", "compute"], ["already exists"]),
    (["note", "NVIDIA", "  "], ["Note must not be empty"]),
    (["note", "Nobody Inc", "text"], ["'Nobody Inc'"]),
    (["show", "Nobody Inc"], ["'Nobody Inc'"]),
    (["list", "--status", "maybe"], ["'maybe'", "passed"]),
    (["list", "--layer", "quantum"], ["'quantum'"]),
]


@pytest.mark.parametrize(
    "argv, words", CLI_CASES, ids=lambda v: " ".join(v)[:40] if isinstance(v, list) else ""
)
def test_cli_bad_input_is_one_line_and_saves_nothing(db_path: Path, cli, argv, words) -> None:
    Workbench.open(db_path).close()
    before = Fingerprint.of(db_path)
    result = cli(*argv, "--db", str(db_path))
    assert_one_line_error(result, *words)
    for code_name in ("pass_reason", "body:", "name:", "website:", "status:"):
        assert code_name not in result.err, "the interface's words, not a field's code name"
    assert Fingerprint.of(db_path) == before


def test_cli_passed_with_a_reason_is_accepted(db_path: Path, cli) -> None:
    result = cli(
        "add",
        "Pass Co",
        "--layer",
        "compute",
        "--status",
        "passed",
        "--reason",
        "no moat",
        "--db",
        str(db_path),
    )
    assert result.code == 0, result.err
    bench = Workbench.open(db_path, read_only=True)
    try:
        company = bench.find("Pass Co")
        assert (company.status, company.pass_reason) == ("passed", "no moat")
    finally:
        bench.close()


@pytest.mark.parametrize(
    "argv",
    [["add"], ["add", "X"], ["frobnicate"], ["list", "--format", "xml"], ["show"], ["--nope"]],
)
def test_cli_usage_errors_are_one_sentence(cli, argv) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("moatscope: ") and "Traceback" not in result.err
