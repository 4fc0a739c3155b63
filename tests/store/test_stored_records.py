"""A record the app can read but that breaks a rule of its model: shown, never changed blindly.

The open check vouches for what lists read; the full models validate a company when it is
shown or changed. A record with a founded year in the future (typed into the file by
hand) opens, lists and shows; a change that would drop the value at fault is refused in
one sentence, and an edit that corrects it is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.errors import BrokenRecord, InvalidInput
from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error
from tests.store.records import read_tables, record_line, write_tables

NAME = "Future Fab"


def _with_broken_company(path: Path, **fields: Any) -> str:
    bench = Workbench.open(path)
    company = bench.add_company(NAME, layer="compute", website="futurefab.example")
    bench.record_run(company.id, {"A1": "y"})
    bench.close()
    tables = read_tables(path)
    tables["companies"][company.id].update(fields)
    write_tables(path, tables)
    return company.id


BROKEN: dict[str, dict[str, Any]] = {
    "founded-3000": {"founded_year": 3000},
    "website": {"website": "not a web address"},
    "unknown-field": {"favourite_colour": "teal"},
    "blank-note": {"notes": [{"id": "nt-1", "body": " ", "created": "2026-01-01T00:00:00Z"}]},
    "note-not-a-record": {"notes": ["just text"]},
    "bad-date": {"created": "last tuesday"},
    "long-name": {"name": "N" * 300},
    "two-line-name": {"name": "Future\nFab"},
    "empty-name": {"name": ""},
    "tag-with-comma": {"tags": ["a,b"]},
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_company_breaking_a_rule_is_listed_shown_and_exported(
    kind: str, db_path: Path, cli
) -> None:
    company_id = _with_broken_company(db_path, **BROKEN[kind])
    before = Fingerprint.of(db_path)
    bench = Workbench.open(db_path)
    try:
        assert bench.row(company_id) is not None
        profile = bench.profile(company_id)
        assert profile.company.id == company_id
        assert profile.latest is not None
        assert bench.problem(company_id).endswith(
            f"(line {record_line(db_path, 'companies', company_id)} of {db_path})"
        )
        assert bench.export_markdown([company_id])
        assert bench.notes_text(company_id) is not None
    finally:
        bench.close()
    for argv in (["list"], ["show", company_id], ["show", company_id, "--format", "json"]):
        result = cli(*argv, "--db", str(db_path))
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
    assert cli("export", "--format", "md", "--db", str(db_path)).code == 0
    assert Fingerprint.of(db_path).data == before.data


def test_the_value_at_fault_is_named_with_its_line(db_path: Path) -> None:
    company_id = _with_broken_company(db_path, founded_year=3000)
    line = record_line(db_path, "companies", company_id)
    bench = Workbench.open(db_path)
    try:
        assert bench.company(company_id).founded_year is None, "left out when shown"
        assert bench.problem(company_id) == (
            f"its founded year 3000 is in the future (line {line} of {db_path})"
        )
    finally:
        bench.close()


def test_changes_that_would_drop_the_value_are_refused(db_path: Path, cli) -> None:
    company_id = _with_broken_company(db_path, founded_year=3000)
    line = record_line(db_path, "companies", company_id)
    before = Fingerprint.of(db_path)
    bench = Workbench.open(db_path)
    try:
        for change in (
            lambda: bench.add_note(company_id, "hello"),
            lambda: bench.set_status([company_id], "screening"),
            lambda: bench.add_tag([company_id], "hot"),
            lambda: bench.set_revisit([company_id], "2030-01-01"),
            lambda: bench.set_layer([company_id], "power"),
            lambda: bench.record_run(company_id, {"A1": "n"}),
        ):
            with pytest.raises(BrokenRecord) as caught:
                change()
            assert str(caught.value) == (
                f"Cannot change {NAME}: its founded year 3000 is in the future "
                f"(line {line} of {db_path}); edit the company to correct that first."
            )
    finally:
        bench.close()
    result = cli("note", NAME, "hello", "--db", str(db_path))
    assert_one_line_error(result, "founded year 3000 is in the future", str(db_path))
    assert Fingerprint.of(db_path).data == before.data


def test_an_edit_that_corrects_the_value_is_saved(db_path: Path) -> None:
    company_id = _with_broken_company(db_path, founded_year=3000, website="not a web address")
    bench = Workbench.open(db_path)
    try:
        with pytest.raises(InvalidInput) as caught:
            bench.edit_company(company_id, founded_year=2001)
        assert "website" in caught.value.problems, "the value still at fault is named"
        bench.edit_company(company_id, founded_year=2001, website="futurefab.example")
        assert bench.problem(company_id) == ""
        bench.add_note(company_id, "corrected")
    finally:
        bench.close()
    stored = read_tables(db_path)["companies"][company_id]
    assert stored["founded_year"] == 2001
    assert stored["website"] == "https://futurefab.example"


def test_a_run_breaking_a_rule_is_shown(db_path: Path, cli) -> None:
    bench = Workbench.open(db_path)
    company = bench.add_company(NAME, layer="compute")
    run = bench.record_run(company.id, {"A1": "y"})
    bench.close()
    tables = read_tables(db_path)
    tables["runs"][run.id]["answers"]["A1"] = {"answer": "maybe"}
    tables["runs"][run.id]["created"] = "soon"
    write_tables(db_path, tables)
    bench = Workbench.open(db_path)
    try:
        assert [shown.id for shown in bench.runs(company.id)] == [run.id]
        latest = bench.latest_run(company.id)
        assert latest is not None and "A1" not in latest.answers
    finally:
        bench.close()
    result = cli("show", NAME, "--db", str(db_path))
    assert result.code == 0, result.err


def test_a_json_import_meets_a_stored_note_that_is_not_a_record(
    db_path: Path, cli, tmp_path: Path
) -> None:
    bench = Workbench.open(db_path)
    company = bench.add_company(NAME, layer="compute")
    bench.add_note(company.id, "from the other analyst")
    bench.close()
    export = tmp_path / "export.json"
    assert (
        cli("export", "--format", "json", "--output", str(export), "--db", str(db_path)).code == 0
    )
    tables = read_tables(db_path)
    tables["companies"][company.id]["notes"] = ["just text"]
    write_tables(db_path, tables)
    result = cli("import", str(export), "--db", str(db_path))
    assert result.code == 0, result.err
    assert f"same id as {NAME}; added 1 notes" in result.out
