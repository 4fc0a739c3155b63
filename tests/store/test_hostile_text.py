"""Hostile text: cleaned on every way in, never written raw to a terminal on any way out.

Markup (``[red]``, ``[@click=...]``), emoji and right-to-left script are text like any
other and are kept exactly. What a terminal would act on rather than show is not:
escape sequences, control characters (tab and line feed aside) and bidi overrides.
A database written before that rule, or edited by hand, may still hold them; every
output keeps them inert (``legacy`` below builds such a file).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import orjson
import pytest

from store.errors import InvalidInput
from store.models import Company, Note, new_id
from store.service import Workbench
from tests.store.conftest import STARTER_COUNT

CLEAR = "Cli\x1b[2JClear"
OSC52 = "Clip\x1b]52;c;SGVsbG8=\x07board"

HOSTILE = {
    # typed or imported: what is stored
    "[@click=app.quit]Evil[/]": "[@click=app.quit]Evil[/]",
    "[red]x": "[red]x",
    "[bold magenta]Loud[/bold magenta] Inc": "[bold magenta]Loud[/bold magenta] Inc",
    CLEAR: "CliClear",
    OSC52: "Clipboard",
    "\x1b[31mred\x1b[0m Corp": "red Corp",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07": "link",
    "Bell\x07 and backspace\x08 and NUL\x00 Co": "Bell and backspace and NUL Co",
    "C1 \x9b31m control": "C1  control",
    "Next\x85Line Co": "NextLine Co",
    "🦄 Unicorn 🚀": "🦄 Unicorn 🚀",
    "שלום בינה": "שלום בינה",
    "مرحبا للذكاء": "مرحبا للذكاء",
    "\u202eevil RTL override": "evil RTL override",
    "iso\u2066late\u2069d": "isolated",
    "Ünïcödé Ltd ß": "Ünïcödé Ltd ß",
    '{"json": "in a name"}': '{"json": "in a name"}',
    'back\\slash and "quotes"': 'back\\slash and "quotes"',
    "tab\tinside": "tab inside",
}

NOTE = (
    "# Heading\n\n- [link](javascript:alert(1))\n"
    "\x1b[2J\x1b[H cleared? \x1b]0;title\x07\r\nCRLF line\r\n"
    "[@click=app.quit]click me[/] [red]red[/red] ${{ template }} %s %n\n"
    "🦄 emoji and שלום RTL and \u202e override\n\ttabbed\n" + "lorem ipsum dolor sit amet " * 370
)
CLEAN_NOTE = (
    "# Heading\n\n- [link](javascript:alert(1))\n"
    " cleared? \nCRLF line\n"
    "[@click=app.quit]click me[/] [red]red[/red] ${{ template }} %s %n\n"
    "🦄 emoji and שלום RTL and  override\n\ttabbed\n" + "lorem ipsum dolor sit amet " * 370
)

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What no output may hold raw (tab and line feed are fine)."""


def assert_terminal_safe(output: str) -> None:
    """No escape, control character (but tab and line feed) or bidi override."""
    found = UNSAFE.search(output)
    assert found is None, f"{found.group()!r} at {found.start()}: {output[found.start() - 40 :]!r}"


def test_the_note_is_long() -> None:
    assert len(NOTE) >= 10_000


# The way in ---------------------------------------------------------------------------------


@pytest.fixture
def typed(db_path: Path) -> dict[str, str]:
    """Every hostile name added through the service with a hostile note; name -> id."""
    bench = Workbench.open(db_path)
    ids = {}
    try:
        for name in HOSTILE:
            company = bench.add_company(
                name, layer="compute", one_liner=name, tags=[name[:20]], headquarters=name
            )
            bench.add_note(company.id, NOTE)
            ids[name] = company.id
    finally:
        bench.close()
    return ids


def test_text_is_cleaned_on_the_way_in_and_markup_kept(
    db_path: Path, typed: dict[str, str]
) -> None:
    bench = Workbench.open(db_path)
    try:
        for name, company_id in typed.items():
            company = bench.company(company_id)
            assert company.name == HOSTILE[name]
            assert company.one_liner == company.headquarters == HOSTILE[name]
            assert company.notes[-1].body == CLEAN_NOTE
            assert bench.find(HOSTILE[name]).id == company_id
    finally:
        bench.close()
    raw = db_path.read_bytes()
    assert not re.search(rb"\\u00[01][0-9a-f]|\\u007f|\\r", raw), "a control character is stored"
    assert_terminal_safe(raw.decode())


def test_edits_status_reasons_and_answers_are_cleaned(workbench: Workbench) -> None:
    company = workbench.add_company("Plain Co", layer="data")
    workbench.edit_company(company.id, one_liner=OSC52, kill_criterion=CLEAR)
    workbench.set_status([company.id], "passed", reason="too \x1b[5mearly\u202e")
    workbench.record_run(company.id, {"A1": {"answer": "y", "evidence": "a\x1b[2J\x07b"}})
    stored = workbench.company(company.id)
    assert (stored.one_liner, stored.kill_criterion) == ("Clipboard", "CliClear")
    assert stored.pass_reason == stored.status_log[-1].reason == "too early"
    assert workbench.runs(company.id)[-1].answers["A1"].evidence == "ab"


def test_layers_are_cleaned(workbench: Workbench) -> None:
    layer = workbench.add_layer("Sp\x1b[8mace\u202e")
    assert layer.name == "Space"


def test_a_name_only_of_escapes_is_empty_and_refused(workbench: Workbench) -> None:
    with pytest.raises(InvalidInput) as caught:
        workbench.add_company("\x1b[2J\x07", layer="data")
    assert "name" in caught.value.problems


def test_cli_add_and_note_clean_what_they_store(db_path: Path, cli) -> None:
    added = cli("add", CLEAR, "--layer", "compute", "--db", str(db_path))
    assert added.code == 0, added.err
    assert added.out.startswith("Added CliClear (")
    noted = cli("note", "CliClear", "first\x1b]52;c;SGVsbG8=\x07 call", "--db", str(db_path))
    assert noted.code == 0, noted.err
    bench = Workbench.open(db_path, read_only=True)
    try:
        company = bench.find("CliClear")
        assert company.name == "CliClear"
        assert company.notes[-1].body == "first call"
    finally:
        bench.close()


def test_json_import_cleans_names_notes_and_answers(
    workbench: Workbench, db_path: Path, tmp_path: Path
) -> None:
    record = Company(name="placeholder", layer="compute").model_dump(mode="json")
    record.update(
        name=CLEAR,
        one_liner=OSC52,
        tags=["\u202etag"],
        notes=[{**Note(body="x").model_dump(mode="json"), "body": "n\x1b[2Jote\r\n"}],
    )
    run = {
        "id": new_id("run"),
        "company_id": record["id"],
        "checklist_id": "moat",
        "checklist_version": 1,
        "created": record["created"],
        "answers": {"A1": {"answer": "yes", "evidence": "e\x9b2Jvidence"}},
    }
    export = {"moatscope_export": 1, "schema_version": 2, "companies": [record], "runs": [run]}
    source = tmp_path / "hostile.json"
    source.write_bytes(orjson.dumps(export))
    workbench.apply_import(workbench.plan_import(source))
    company = workbench.find("CliClear")
    assert (company.name, company.one_liner, company.tags) == ("CliClear", "Clipboard", ["tag"])
    assert company.notes[0].body == "note\n"
    assert workbench.runs(company.id)[0].answers["A1"].evidence == "evidence"


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "bad \udcff bytes"),
        ("one_liner", "half a surrogate \ud800"),
        ("tags", ["tag\udcff"]),
    ],
)
def test_text_that_cannot_be_stored_is_refused_not_crashing(
    workbench: Workbench, db_path: Path, field: str, value
) -> None:
    """Undecodable bytes (e.g. argv under surrogateescape) are refused at the boundary."""
    before = db_path.read_bytes()
    fields = {"name": "Surrogate Co", "layer": "compute", field: value}
    with pytest.raises(InvalidInput) as caught:
        workbench.add_company(**fields)
    assert field in caught.value.problems
    assert db_path.read_bytes() == before
    workbench.add_company("Fine After", layer="compute")  # the store still saves
    workbench.close()
    assert "Fine After" in {
        c["name"] for c in json.loads(db_path.read_bytes())["companies"].values()
    }


def test_layer_with_undecodable_text_is_refused(workbench: Workbench) -> None:
    with pytest.raises(InvalidInput) as caught:
        workbench.add_layer("Layer \udcff")
    assert "name" in caught.value.problems


def test_note_with_undecodable_text_is_refused(workbench: Workbench) -> None:
    company = workbench.rows()[0]
    with pytest.raises(InvalidInput) as caught:
        workbench.add_note(company.id, "note \udcff")
    assert "body" in caught.value.problems


def test_cli_add_with_undecodable_argument_is_one_line(db_path: Path, cli) -> None:
    result = cli("add", "bad\udcffname", "--layer", "compute", "--db", str(db_path))
    assert result.code == 1, result
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "Name" in result.err
    listing = cli("list", "--format", "json", "--db", str(db_path))
    assert listing.code == 0
    assert len(json.loads(listing.out)) == STARTER_COUNT


def test_a_record_that_cannot_be_serialised_fails_the_save_cleanly(
    workbench: Workbench, db_path: Path
) -> None:
    """Behind validation: a bad record gives WriteFailed, not a crash, and leaves the file."""
    from store.errors import WriteFailed

    before = db_path.read_bytes()
    database = workbench.database
    database.put("companies", {"id": "co-bad", "name": "bad \udcff"})
    with pytest.raises(WriteFailed, match="co-bad"):
        database.flush()
    assert db_path.read_bytes() == before
    database.delete("companies", ["co-bad"])
    database.flush()
    assert (
        json.loads(db_path.read_bytes())["companies"].keys()
        == json.loads(before)["companies"].keys()
    )


# The way out, from a database that already holds such bytes ---------------------------------


def legacy_records() -> list[dict]:
    """Hostile companies as an older moatscope (or a hand edit) left them: uncleaned."""
    records = []
    for index, name in enumerate(HOSTILE):
        record = Company(name=f"placeholder {index}", layer="compute").model_dump(mode="json")
        note = Note(body="placeholder").model_dump(mode="json")
        record.update(
            name=name,
            one_liner=name,
            tags=[name[:20]],
            absorber=name,
            status="passed",
            pass_reason=name,
            notes=[{**note, "body": NOTE + name}],
            status_log=[
                {"at": record["created"], "before": "new", "after": "passed", "reason": name}
            ],
        )
        records.append(record)
    return records


@pytest.fixture
def legacy(db_path: Path) -> dict[str, str]:
    """A database file holding hostile bytes in names, notes, reasons and answers."""
    bench = Workbench.open(db_path)
    try:
        records = legacy_records()
        bench.database.put_many("companies", records)
        bench.database.put_many(
            "runs",
            [
                {
                    "id": new_id("run"),
                    "company_id": record["id"],
                    "checklist_id": "moat",
                    "checklist_version": 1,
                    "created": record["created"],
                    "sequence": 1,
                    "author": "\x1b[2Jme",
                    "answers": {"A1": {"answer": "yes", "evidence": record["name"]}},
                    "score": 100.0,
                    "coverage": 0.2,
                    "verdict": "incomplete",
                }
                for record in records
            ],
        )
        bench.database.flush()
    finally:
        bench.close()
    assert b"\\u001b[2J" in db_path.read_bytes()
    return {record["name"]: record["id"] for record in records}


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_list_never_prints_raw_control_characters(db_path: Path, legacy, cli, fmt: str) -> None:
    result = cli("list", "--format", fmt, "--db", str(db_path))
    assert result.code == 0, result.err
    # CSV rows end with CRLF by the standard; no other carriage return may appear.
    assert_terminal_safe(result.out.replace("\r\n", "\n") if fmt == "csv" else result.out)
    if fmt == "json":
        names = {row["name"] for row in json.loads(result.out)}
        assert set(HOSTILE) <= names, "JSON keeps the exact text (escaped by JSON itself)"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.out)))
        assert len(rows) == len(HOSTILE) + STARTER_COUNT
        assert "[@click=app.quit]Evil[/]" in {row["name"] for row in rows}
        assert "\\x1b[31mred\\x1b[0m Corp" in {row["name"] for row in rows}
    else:
        assert "[@click=app.quit]Evil[/]" in result.out
        assert "\\x1b[31mred" in result.out
        assert "🦄 Unicorn 🚀" in result.out


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_show_prints_what_is_stored_cleaned(db_path: Path, legacy, cli, fmt: str) -> None:
    """A company read for display is read as the models clean it: as it would be saved."""
    for name, company_id in legacy.items():
        result = cli("show", company_id, "--format", fmt, "--db", str(db_path))
        assert result.code == 0, result.err
        assert_terminal_safe(result.out)
        if fmt == "json":
            document = json.loads(result.out)
            assert document["name"] == HOSTILE[name].strip()
            assert document["notes"][-1]["body"].startswith(CLEAN_NOTE)
    shown = cli("show", legacy[CLEAR], "--db", str(db_path))
    assert shown.out.startswith("# CliClear\n")
    assert "[@click=app.quit]click me[/]" in shown.out
    assert " cleared? \nCRLF line\n" in shown.out


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_export_to_standard_output_is_terminal_safe(db_path: Path, legacy, cli, fmt) -> None:
    result = cli("export", "--format", fmt, "--db", str(db_path))
    assert result.code == 0, result.err
    assert_terminal_safe(result.out.replace("\r\n", "\n") if fmt == "csv" else result.out)
    if fmt == "md":
        assert "# CliClear" in result.out and "# Clipboard" in result.out
        assert "[@click=app.quit]click me[/]" in result.out
    elif fmt == "csv":
        names = {row["name"] for row in csv.DictReader(io.StringIO(result.out))}
        assert {"CliClear", "Clipboard", "[red]x", "evil RTL override"} <= names
    else:
        names = {company["name"] for company in json.loads(result.out)["companies"]}
        assert set(HOSTILE) <= names, "the JSON export keeps the data, escaped by JSON"


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_export_files_hold_no_raw_control_characters(
    db_path: Path, legacy, cli, fmt: str, tmp_path: Path
) -> None:
    target = tmp_path / f"out.{fmt}"
    result = cli("export", "--format", fmt, "--output", str(target), "--db", str(db_path))
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    assert_terminal_safe(text.replace("\r\n", "\n") if fmt == "csv" else text)


def test_memo_folder_holds_no_raw_control_characters(
    db_path: Path, legacy, cli, tmp_path: Path
) -> None:
    folder = tmp_path / "memos"
    result = cli("export", "--format", "md", "--output", f"{folder}/", "--db", str(db_path))
    assert result.code == 0, result.err
    memos = {memo.name: memo for memo in folder.iterdir()}
    assert len(memos) == STARTER_COUNT + len(HOSTILE)
    assert "# CliClear" in memos["cliclear.md"].read_text(encoding="utf-8")
    for memo in memos.values():
        assert_terminal_safe(memo.read_text(encoding="utf-8"))


def test_report_is_terminal_safe(db_path: Path, legacy, cli) -> None:
    result = cli("report", "--since", "2000-01-01", "--db", str(db_path))
    assert result.code == 0, result.err
    assert_terminal_safe(result.out)
    assert "**CliClear**" in result.out
    assert "- Clipboard" in result.out  # the pass reason, in the reasons' list


def test_messages_about_hostile_names_are_safe(db_path: Path, legacy, cli) -> None:
    result = cli("show", "\x1b[31mnobody\u202e", "--db", str(db_path))
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert_terminal_safe(result.err)
