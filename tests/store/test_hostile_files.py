"""Generated hostile database files: one sentence or success, never a traceback.

Each example starts from a real database and damages it: a field of any record (company,
note, status change, checklist run, undo entry and its earlier copies, layer, schema
record) replaced by a value of another type or removed, keys added, records replaced,
text full of escape sequences, bidi overrides and control characters, huge cells,
random bytes, truncated or non-JSON files. The store and the command line then either
refuse it in one sentence, leaving the file byte-identical and nothing but the lock
beside it, or open it, and then every way of reading it works.
"""

from __future__ import annotations

import copy
import io
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from store.errors import MoatscopeError
from store.service import Workbench
from tests.store.conftest import Fingerprint
from tests.store.records import write_tables

HOSTILE_TEXT = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;owned\x07",
    "\x1b]52;c;cGF5bG9hZA==\x07",
    "\u202eevil\u202c",
    "[red]x",
    "[@click=app.quit]quit",
    "line\nbreak",
    "cr\rreturn",
    "nul\x00byte",
    "\x9b31m",
    "",
    " ",
    "x" * 300,
    "ж" * 5_000,
    "y" * 300_000,
]
"""Text a file may hold: escape sequences, markup, controls, and huge cells."""


def _text() -> st.SearchStrategy[str]:
    return st.sampled_from(HOSTILE_TEXT) | st.text(max_size=12)


def _json() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**63), 2**63 - 1)
        | st.floats(allow_nan=False, allow_infinity=False)
        | _text()
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text(), inner, max_size=3),
        max_leaves=5,
    )


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A database with a record of every kind: notes, a status history, provider ids, a
    run, undo entries with earlier copies."""
    path = tmp_path_factory.mktemp("original") / "db.json"
    bench = Workbench.open(path, author="tester")
    try:
        company = bench.add_company("Hostile Base", layer="compute", provider_ids={"cb": "x"})
        bench.add_note(company.id, "First note")
        bench.set_status([company.id], "passed", "too early")
        bench.record_run(company.id, {"A1": "y", "B1": "n"})
        bench.add_tag([bench.find("NVIDIA").id], "chips")
    finally:
        bench.close()
    return path.read_bytes()


def _records(tables: dict[str, Any]) -> list[dict[str, Any]]:
    """Every record, and every record inside one, that a change can damage."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for table in tables.values():
        for record in table.values():
            walk(record)
    return found


@st.composite
def damaged_tables(draw: st.DrawFn, original: bytes) -> bytes:
    tables = orjson.loads(original)
    for _ in range(draw(st.integers(1, 3))):
        record = draw(st.sampled_from(_records(tables)))
        key = draw(st.sampled_from(sorted(record)) | _text()) if record else draw(_text())
        action = draw(st.sampled_from(["set", "set", "delete", "replace"]))
        if action == "delete":
            record.pop(key, None)
        elif action == "replace":
            record.clear()
            value = draw(_json())
            if isinstance(value, dict):
                record.update(value)
        else:
            record[key] = draw(_json())
    return _serialised(tables)


def _serialised(tables: dict[str, Any]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.json"
        write_tables(path, copy.deepcopy(tables))
        return path.read_bytes()


@st.composite
def damaged_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "random", "tail"]))
    at = draw(st.integers(0, len(original)))
    if kind == "truncate":
        return original[:at]
    if kind == "flip":
        at = min(at, len(original) - 1)
        return (
            original[:at] + bytes([original[at] ^ draw(st.integers(1, 255))]) + original[at + 1 :]
        )
    if kind == "insert":
        return original[:at] + draw(st.binary(min_size=1, max_size=16)) + original[at:]
    if kind == "tail":
        return original + draw(st.binary(min_size=1, max_size=16))
    return draw(st.binary(max_size=512))


def _one_sentence(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message, message
    assert message.rstrip().endswith((".", "?", ")")), message


def _read_or_refuse(step: Callable[[], object]) -> None:
    try:
        step()
    except MoatscopeError as error:
        _one_sentence(str(error))


def _read_everything(bench: Workbench) -> None:
    rows = bench.rows()
    bench.inbox()
    bench.inbox_count()
    bench.layer_totals()
    bench.layers()
    bench.recent_pass_reasons()
    bench.upcoming_revisits()
    bench.changed_since("2000-01-01T00:00:00Z")
    bench.activity("2000-01-01")
    bench.export_csv()
    bench.export_json()
    _read_or_refuse(bench.export_markdown)
    for row in rows[-4:]:
        bench.notes_text(row.id)
        bench.problem(row.id)
        _read_or_refuse(lambda row=row: bench.profile(row.id))
        _read_or_refuse(lambda row=row: bench.find(row.name))
        _read_or_refuse(lambda row=row: bench.add_note(row.id, "checked"))
    _read_or_refuse(lambda: bench.add_company("Zeta Hostile", layer="compute"))
    _read_or_refuse(bench.undo)
    _read_or_refuse(bench.undo)
    bench.rows()


def _open_and_read(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.json"
        path.write_bytes(raw)
        before = Fingerprint.of(path)
        try:
            bench = Workbench.open(path, author="tester")
        except MoatscopeError as error:
            event("refused")
            _one_sentence(str(error))
            assert Fingerprint.of(path) == before, "a refused file is left byte-identical"
            assert {p.name for p in Path(folder).iterdir()} <= {"db.json", "db.json.lock"}
            return
        event("opened")
        try:
            _read_everything(bench)
        finally:
            bench.close()


@settings(max_examples=120)
@given(data=st.data())
def test_damaged_records_are_read_or_refused_by_the_store(
    original: bytes, data: st.DataObject
) -> None:
    _open_and_read(data.draw(damaged_tables(original)))


@settings(max_examples=80)
@given(data=st.data())
def test_damaged_bytes_are_read_or_refused_by_the_store(
    original: bytes, data: st.DataObject
) -> None:
    _open_and_read(data.draw(damaged_bytes(original)))


def _cli(*argv: str) -> tuple[int, str, str]:
    from tui.__main__ import open_tui
    from tui.cli import run

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = run(list(argv), open_tui=open_tui)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    assert "Traceback" not in err.getvalue()
    assert "\x1b" not in out.getvalue() + err.getvalue(), "escape sequences stay inert"
    if code != 0:
        assert code == 1 and err.getvalue().startswith("moatscope: "), err.getvalue()
        assert err.getvalue().count("\n") == 1, err.getvalue()
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=50)
@given(data=st.data())
def test_damaged_files_through_the_command_line(original: bytes, data: st.DataObject) -> None:
    raw = data.draw(damaged_tables(original) | damaged_bytes(original))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.json"
        path.write_bytes(raw)
        before = Fingerprint.of(path)
        listed = _cli("list", "--db", str(path))[0]
        shown = _cli("show", "Hostile", "--db", str(path))[0]
        if listed != 0:  # refused at open: every way in refuses, and nothing is written
            event("refused")
            assert shown == 1
            assert _cli("add", "Zeta", "--layer", "compute", "--db", str(path))[0] == 1
            assert _cli("--db", str(path))[0] == 1, "the TUI's way in refuses too"
            assert Fingerprint.of(path) == before
        else:
            event("opened")
            _cli("add", "Zeta", "--layer", "compute", "--db", str(path))
        assert {p.name for p in Path(folder).iterdir()} <= {"db.json", "db.json.lock"}
