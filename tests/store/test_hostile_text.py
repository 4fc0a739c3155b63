"""Hostile text is stored exactly as typed and printed with control characters made visible."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from store.errors import InvalidInput
from store.service import Workbench
from tests.store.conftest import STARTER_COUNT

NAMES = [
    "[@click=app.quit]Evil[/]",
    "[red]x",
    "[bold magenta]Loud[/bold magenta] Inc",
    "\x1b[31mred\x1b[0m Corp",
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "Bell\x07 and backspace\x08 and NUL\x00 Co",
    "C1 \x9b31m control",
    "🦄 Unicorn 🚀",
    "שלום בינה",
    "مرحبا للذكاء",
    "\u202eevil RTL override",
    "Ünïcödé Ltd ß",
    '{"json": "in a name"}',
    'back\\slash and "quotes"',
    "tab\tinside",
]

LONG_NOTE = (
    "# Heading\n\n- [link](javascript:alert(1))\n"
    "\x1b[2J\x1b[H cleared? \x1b]0;title\x07\r\nCRLF line\r\n"
    "[@click=app.quit]click me[/] [red]red[/red] ${{ template }} %s %n\n"
    "🦄 emoji and שלום RTL and \u202e override\n" + "lorem ipsum dolor sit amet " * 370
)


def test_long_note_is_really_long() -> None:
    assert len(LONG_NOTE) >= 10_000


@pytest.fixture
def hostile(db_path: Path) -> dict[str, str]:
    """Every hostile name added with a hostile note; returns name -> id."""
    bench = Workbench.open(db_path)
    ids = {}
    try:
        for name in NAMES:
            company = bench.add_company(name, layer="compute", one_liner=name, tags=[name[:20]])
            bench.add_note(company.id, LONG_NOTE + name)
            ids[name] = company.id
    finally:
        bench.close()
    return ids


def test_hostile_text_round_trips_byte_for_byte(db_path: Path, hostile: dict[str, str]) -> None:
    bench = Workbench.open(db_path)
    try:
        for name, company_id in hostile.items():
            company = bench.company(company_id)
            assert company.name == name
            assert company.one_liner == name
            assert company.tags == [name[:20].strip()]
            assert company.notes[-1].body == LONG_NOTE + name
            assert bench.find(name).id == company_id
    finally:
        bench.close()
    # The file is valid JSON holding the same strings.
    data = json.loads(db_path.read_bytes())
    stored = {c["name"]: c for c in data["companies"].values()}
    for name in NAMES:
        assert stored[name]["notes"][-1]["body"] == LONG_NOTE + name
    # and raw control bytes never reach the file (JSON escapes them)
    raw = db_path.read_bytes()
    assert b"\x1b" not in raw and b"\x00" not in raw and b"\x07" not in raw


def _assert_terminal_safe(output: str) -> None:
    assert "\x1b" not in output
    assert "\x9b" not in output
    assert "\x07" not in output and "\x00" not in output and "\x08" not in output
    assert "\r" not in output


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_cli_list_never_prints_raw_control_characters(
    db_path: Path, hostile, cli, fmt: str
) -> None:
    result = cli("list", "--format", fmt, "--db", str(db_path))
    assert result.code == 0, result.err
    # CSV rows end with CRLF by the standard; no other carriage return may appear.
    _assert_terminal_safe(result.out.replace("\r\n", "\n") if fmt == "csv" else result.out)
    if fmt == "json":
        names = {row["name"] for row in json.loads(result.out)}
        assert set(NAMES) <= names, "JSON keeps the exact text (escaped by JSON itself)"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.out)))
        assert len(rows) == len(NAMES) + STARTER_COUNT
        assert "[@click=app.quit]Evil[/]" in {row["name"] for row in rows}
        assert "\\x1b[31mred\\x1b[0m Corp" in {row["name"] for row in rows}
    else:
        assert "[@click=app.quit]Evil[/]" in result.out
        assert "[red]x" in result.out
        assert "\\x1b[31mred" in result.out
        assert "🦄 Unicorn 🚀" in result.out


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_cli_show_never_prints_raw_control_characters(
    db_path: Path, hostile, cli, fmt: str
) -> None:
    for name, company_id in hostile.items():
        result = cli("show", company_id, "--format", fmt, "--db", str(db_path))
        assert result.code == 0, result.err
        _assert_terminal_safe(result.out)
        if fmt == "json":
            document = json.loads(result.out)
            assert document["name"] == name
            assert document["notes"][-1]["body"] == LONG_NOTE + name
        else:
            assert "lorem ipsum" in result.out
    shown = cli("show", hostile["[@click=app.quit]Evil[/]"], "--db", str(db_path))
    assert shown.out.startswith("# [@click=app.quit]Evil[/]\n")
    assert "[@click=app.quit]click me[/]" in shown.out
    assert "\\x1b[2J" in shown.out


def test_cli_messages_about_hostile_names_are_safe(db_path: Path, hostile, cli) -> None:
    result = cli("show", "\x1b[31mnobody", "--db", str(db_path))
    assert result.code == 1
    assert result.err.count("\n") == 1
    _assert_terminal_safe(result.err)
    added = cli("add", "\x1b[32mgreen", "--layer", "data", "--db", str(db_path))
    assert added.code == 0, added.err
    _assert_terminal_safe(added.out)
    assert "\\x1b[32mgreen" in added.out


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
    assert "name" in result.err
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
