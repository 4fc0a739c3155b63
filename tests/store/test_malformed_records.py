"""A malformed record is refused at open in one sentence naming its line; the file is untouched.

Every table the app reads is covered (companies, checklist runs, layers, the undo log and
the schema record), through the store, every command and the TUI's way in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from store import backups
from store.errors import StoreUnreadable
from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error
from tests.store.records import Tables, leftovers, read_tables, record_line, write_tables

ACME = "Acme Optics"


@dataclass(frozen=True)
class Base:
    """A database with one company of ours, its run and its undo entries, backed up."""

    path: Path
    company: str
    run: str
    newest: Path

    def damage(self, case: Case) -> tuple[int, Fingerprint]:
        """Apply ``case`` to the file; the line it names and the file's fingerprint."""
        tables = read_tables(self.path)
        table, key = case.damage(tables, self)
        write_tables(self.path, tables)
        return record_line(self.path, table, key), Fingerprint.of(self.path)


@pytest.fixture
def base(db_path: Path) -> Base:
    bench = Workbench.open(db_path)
    company = bench.add_company(ACME, layer="network", tags=["optics"])
    run = bench.record_run(company.id, {"A1": "y", "B1": "n"})
    bench.close()
    Workbench.open(db_path).close()  # a writer open keeps a backup of this version
    newest = backups.newest_backup(db_path)
    assert newest is not None
    return Base(db_path, company.id, run.id, newest)


@dataclass(frozen=True)
class Case:
    damage: Callable[[Tables, Base], tuple[str, str]]
    """Changes the tables; returns the table and key of the record at fault."""
    says: str


def _company(change: Callable[[dict[str, Any]], Any]) -> Callable[[Tables, Base], tuple[str, str]]:
    def damage(tables: Tables, base: Base) -> tuple[str, str]:
        result = change(tables["companies"][base.company])
        if isinstance(result, dict):
            tables["companies"][base.company] = result
        return "companies", base.company

    return damage


def _run(change: Callable[[dict[str, Any]], Any]) -> Callable[[Tables, Base], tuple[str, str]]:
    def damage(tables: Tables, base: Base) -> tuple[str, str]:
        change(tables["runs"][base.run])
        return "runs", base.run

    return damage


def _newest_change(
    change: Callable[[dict[str, Any]], Any],
) -> Callable[[Tables, Base], tuple[str, str]]:
    def damage(tables: Tables, base: Base) -> tuple[str, str]:
        key = max(tables["changes"])
        change(tables["changes"][key])
        return "changes", key

    return damage


def _layer(change: Callable[[dict[str, Any]], Any]) -> Callable[[Tables, Base], tuple[str, str]]:
    def damage(tables: Tables, base: Base) -> tuple[str, str]:
        change(tables["layers"]["compute"])
        return "layers", "compute"

    return damage


def _schema(value: Any) -> Callable[[Tables, Base], tuple[str, str]]:
    def damage(tables: Tables, base: Base) -> tuple[str, str]:
        meta = tables["meta"]["schema"]
        if value is KeyError:
            del meta["schema_version"]
        else:
            meta["schema_version"] = value
        return "meta", "schema"

    return damage


def _rekey_change(tables: Tables, base: Base) -> tuple[str, str]:
    key = max(tables["changes"])
    entry = tables["changes"].pop(key)
    tables["changes"]["abc"] = {**entry, "id": "abc"}
    return "changes", "abc"


def _copy_without_name(entry: dict[str, Any]) -> None:
    op = next(op for op in entry["ops"] if op["table"] == "companies")
    del op["before"]["name"]


def _relation(**fields: Any) -> Callable[[Tables, Base], tuple[str, str]]:
    """A relation from our company to itself, with ``fields`` (None: left out)."""

    def damage(tables: Tables, base: Base) -> tuple[str, str]:
        record = {
            "id": "rel-000000000001",
            "from_company": base.company,
            "to_company": base.company,
            "kind": "supplies",
            "note": "",
            "created": "2026-01-01T00:00:00Z",
        }
        record.update(fields)
        tables["relations"]["rel-000000000001"] = {k: v for k, v in record.items() if v is not None}
        return "relations", "rel-000000000001"

    return damage


def _chokepoint(
    change: Callable[[dict[str, Any]], Any],
) -> Callable[[Tables, Base], tuple[str, str]]:
    def damage(tables: Tables, base: Base) -> tuple[str, str]:
        change(tables["chokepoints"]["hbm"])
        return "chokepoints", "hbm"

    return damage


CASES: dict[str, Case] = {
    "relation-kind": Case(
        _relation(kind="owns"),
        "a relation's kind should be one of supplies, could-absorb, competes, not 'owns'",
    ),
    "relation-no-company": Case(_relation(to_company=None), "a relation has no second company"),
    "relation-company-number": Case(
        _relation(from_company=7), "a relation's first company should be text, not a number"
    ),
    "chokepoint-no-name": Case(_chokepoint(lambda r: r.pop("name")), "a chokepoint has no name"),
    "chokepoint-layer-list": Case(
        _chokepoint(lambda r: r.update(layer=["power"])),
        "a chokepoint's layer should be text or null, not a list",
    ),
    "company-chokepoints-text": Case(
        _company(lambda r: r.update(chokepoints="hbm")),
        "a company's chokepoints should be a list of text, not the text 'hbm'",
    ),
    "company-other-layers-numbers": Case(
        _company(lambda r: r.update(secondary_layers=[1])),
        "a company's other layers should hold only text, not a number",
    ),
    "no-name": Case(_company(lambda r: r.pop("name")), "a company has no name"),
    "name-number": Case(
        _company(lambda r: r.update(name=5)), "a company's name should be text, not a number"
    ),
    "empty-record": Case(_company(lambda r: {}), "a company has no id"),
    "unknown-status": Case(
        _company(lambda r: r.update(status="frozen")),
        "a company's status should be one of new, screening, diligence, invested, passed, "
        "watching, reference, not 'frozen'",
    ),
    "tags-text": Case(
        _company(lambda r: r.update(tags="a, b")),
        "a company's tags should be a list of text, not the text 'a, b'",
    ),
    "tag-number": Case(
        _company(lambda r: r.update(tags=["x", 3])),
        "a company's tags should hold only text, not a number",
    ),
    "layer-list": Case(
        _company(lambda r: r.update(layer=["network"])),
        "a company's layer should be text or null, not a list",
    ),
    "notes-object": Case(
        _company(lambda r: r.update(notes={})), "a company's notes should be a list, not an object"
    ),
    "created-null": Case(
        _company(lambda r: r.update(created=None)),
        "a company's date added should be text, not null",
    ),
    "status-change-half": Case(
        _company(lambda r: r.update(status_log=[{"at": "2026-01-01T00:00:00Z", "before": "new"}])),
        "a status change of a company has no new status",
    ),
    "provider-id-number": Case(
        _company(lambda r: r.update(provider_ids={"crunchbase": 5})),
        "a company's provider ids should hold only text, not a number",
    ),
    "key-not-id": Case(
        _company(lambda r: r.update(id="co-someone-else")),
        "but its id is 'co-someone-else'",
    ),
    "run-no-company": Case(_run(lambda r: r.pop("company_id")), "a checklist run has no company"),
    "run-verdict": Case(
        _run(lambda r: r.update(verdict="great")),
        "a checklist run's verdict should be one of incomplete, leaks_value, unproven, anchor, "
        "contender, long_shot, "
        "not 'great'",
    ),
    "run-score-text": Case(
        _run(lambda r: r.update(score="80")),
        "a checklist run's score should be a number or null, not the text '80'",
    ),
    "run-sequence-bool": Case(
        _run(lambda r: r.update(sequence=True)),
        "a checklist run's number should be a whole number, not true",
    ),
    "undo-no-label": Case(_newest_change(lambda e: e.pop("label")), "an undo entry has no"),
    "undo-undone-text": Case(
        _newest_change(lambda e: e.update(undone="no")),
        "an undo entry's undone mark should be true or false, not the text 'no'",
    ),
    "undo-ops-object": Case(
        _newest_change(lambda e: e.update(ops={})),
        "an undo entry's changes should be a list of changes, not an object",
    ),
    "undo-op-table": Case(
        _newest_change(lambda e: e["ops"][0].update(table="meta")),
        "should be one of companies, layers, runs, relations, chokepoints, conflicts, not 'meta'",
    ),
    "undo-copy-no-name": Case(
        _newest_change(_copy_without_name), "in an undo entry, a company has no name"
    ),
    "undo-key": Case(_rekey_change, "an undo entry is filed under 'abc', which is not a number"),
    "layer-no-name": Case(_layer(lambda r: r.pop("name")), "a layer has no name"),
    "layer-bad-id": Case(
        _layer(lambda r: r.update(id="Compute Layer")),
        "a layer's id must be lower-case letters, digits and hyphens",
    ),
    "schema-0": Case(_schema(0), "the schema version 0 is not one moatscope has written"),
    "schema-negative": Case(_schema(-1), "the schema version -1 is not one moatscope has written"),
    "schema-text": Case(
        _schema("2"), "the schema version should be a whole number, not the text '2'"
    ),
    "schema-true": Case(_schema(True), "the schema version should be a whole number, not true"),
    "schema-missing": Case(
        _schema(KeyError), "the schema version should be a whole number, not nothing"
    ),
}


def _assert_refused(message: str, base: Base, line: int, says: str) -> None:
    assert message.startswith(f"Cannot open {base.path}: line {line}: "), message
    assert says in message
    assert str(base.newest) in message
    assert "\n" not in message


def _assert_untouched(base: Base, before: Fingerprint) -> None:
    assert Fingerprint.of(base.path) == before
    assert leftovers(base.path) == []
    assert backups.newest_backup(base.path) == base.newest, "a refused file is not backed up"


@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "reader"])
@pytest.mark.parametrize("kind", sorted(CASES))
def test_malformed_record_is_refused_naming_its_line(
    kind: str, read_only: bool, base: Base
) -> None:
    line, before = base.damage(CASES[kind])
    with pytest.raises(StoreUnreadable) as caught:
        Workbench.open(base.path, read_only=read_only)
    _assert_refused(str(caught.value), base, line, CASES[kind].says)
    _assert_untouched(base, before)
    base.path.write_bytes(base.newest.read_bytes())
    bench = Workbench.open(base.path)
    try:
        assert not bench.read_only, "the refused open released the lock"
    finally:
        bench.close()


def _commands(base: Base, tmp_path: Path) -> list[list[str]]:
    csv_file = tmp_path / "new.csv"
    csv_file.write_text("Organization Name,Website\nNewco,newco.example\n", encoding="utf-8")
    return [
        ["list"],
        ["list", "--format", "json"],
        ["show", ACME],
        ["add", "Zeta", "--layer", "compute"],
        ["note", ACME, "a note"],
        ["export", "--format", "csv"],
        ["export", "--format", "md"],
        ["report", "--since", "7d"],
        ["import", str(csv_file)],
        ["import", str(csv_file), "--dry-run"],
    ]


@pytest.mark.parametrize("kind", ["name-number", "run-verdict", "undo-copy-no-name", "schema-0"])
def test_every_command_and_the_tui_refuse_in_one_sentence(
    kind: str, base: Base, tmp_path: Path, cli, capsys
) -> None:
    from tui.__main__ import open_tui
    from tui.cli import run

    line, before = base.damage(CASES[kind])
    for argv in _commands(base, tmp_path):
        result = cli(*argv, "--db", str(base.path))
        assert_one_line_error(result, f"{base.path}: line {line}: ", CASES[kind].says)
        assert str(base.newest) in result.err
    capsys.readouterr()
    assert run(["--db", str(base.path)], open_tui=open_tui) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"moatscope: Cannot open {base.path}: line {line}: ")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    _assert_untouched(base, before)


def test_add_with_a_malformed_undo_log_writes_nothing(base: Base, cli) -> None:
    """The undo log is checked at open, so a change never lands without its undo entry."""
    line, before = base.damage(CASES["undo-ops-object"])
    result = cli("add", "Zeta", "--layer", "compute", "--db", str(base.path))
    assert_one_line_error(result, f"line {line}: an undo entry's changes should be a list")
    assert b"Zeta" not in base.path.read_bytes()
    _assert_untouched(base, before)


def test_a_record_line_is_found_in_a_reindented_file(base: Base) -> None:
    """A file laid out by hand still gets a line, or at least the record's key."""
    import json

    tables = read_tables(base.path)
    tables["companies"][base.company]["name"] = None
    base.path.write_text(json.dumps(tables, indent=2))
    text = base.path.read_text().split("\n")
    line = next(n for n, row in enumerate(text, 1) if row.strip() == f'"{base.company}": {{')
    with pytest.raises(StoreUnreadable, match=f"line {line}: a company's name should be text"):
        Workbench.open(base.path)


def test_undo_still_works_after_the_check(base: Base) -> None:
    bench = Workbench.open(base.path)
    try:
        assert bench.undo() is not None  # the run
        assert bench.undo() is not None  # the company
        assert bench.row(base.company) is None
    finally:
        bench.close()
