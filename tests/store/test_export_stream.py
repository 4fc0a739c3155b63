"""Exports written as they are made: the same bytes as the whole document was, whatever
the size of the pieces, and a file whose making fails midway leaves nothing behind.

The goldens in ``fixtures/export`` were written by the exports before they streamed (one
document made whole, then written), from ``fixtures/export/db.json``: 30 generated
companies with runs, notes, relations and chokepoints, and one with hostile text.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from store import clock, exporting
from store.outfiles import OutputRefused
from store.service import Workbench
from store.text import json_safe
from tests.store.conftest import FIXTURES

GOLDEN = FIXTURES / "export"
FILES = {
    "csv": "companies.csv",
    "json": "export.json",
    "md": "memos.md",
    "relations-csv": "relations.csv",
}
EXPORTED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
"""The time the goldens were exported at (the JSON export's ``exported``)."""


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The golden database, opened read-only as ``moatscope export`` opens it."""
    monkeypatch.setattr(clock, "now", lambda: EXPORTED)
    path = tmp_path / "db" / "moatscope.json"
    path.parent.mkdir()
    shutil.copy(GOLDEN / "db.json", path)
    workbench = Workbench.open(path, read_only=True)
    yield workbench
    workbench.close()


@pytest.mark.parametrize("pieces", [1, 7, exporting.CHUNK_RECORDS])
@pytest.mark.parametrize("kind", list(FILES))
def test_a_streamed_export_is_the_old_whole_export_byte_for_byte(
    bench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, pieces: int
) -> None:
    monkeypatch.setattr(exporting, "CHUNK_RECORDS", pieces)
    target = tmp_path / f"out.{kind}"
    bench.write_export(target, kind)
    golden = (GOLDEN / FILES[kind]).read_bytes()
    assert target.read_bytes() == golden
    assert bench.export_bytes(kind) == golden
    if pieces == 1:  # a piece per record at least: written as it was made
        assert len(list(bench.export_chunks(kind))) > len(bench.rows())


@pytest.mark.parametrize("selection", ["all", "none", "first three", "hostile"])
def test_the_json_export_is_what_orjson_writes_of_the_whole_document(
    bench: Workbench, monkeypatch: pytest.MonkeyPatch, selection: str
) -> None:
    monkeypatch.setattr(exporting, "CHUNK_RECORDS", 2)
    rows = bench.rows()
    ids = {
        "all": None,
        "none": [],
        "first three": [row.id for row in rows[:3]],
        "hostile": [row.id for row in rows if "Hostile" in row.name],
    }[selection]
    streamed = bench.export_bytes("json", ids)
    document = orjson.loads(streamed)
    whole = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    assert streamed == json_safe(whole.decode()).encode() + b"\n"
    assert len(document["companies"]) == (len(rows) if ids is None else len(ids))


def _failing_after(monkeypatch: pytest.MonkeyPatch, module, name: str, calls: int, error):
    """Make ``module.name`` raise ``error`` on every ``calls``-th call."""
    original, seen = getattr(module, name), []

    def failing(*args, **kwargs):
        seen.append(1)
        if len(seen) % calls == 0:
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
@pytest.mark.parametrize(
    ("kind", "module", "name"),
    [
        ("md", "store.transfer", "memo_markdown"),
        ("csv", "store.exporting", "_company_row"),
        ("json", "store.exporting", "_json_safe"),
    ],
)
def test_an_export_failing_midway_leaves_no_file_and_an_old_one_whole(
    bench: Workbench,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    module: str,
    name: str,
    error: BaseException,
) -> None:
    monkeypatch.setattr(exporting, "CHUNK_RECORDS", 2)
    _failing_after(monkeypatch, __import__(module, fromlist=[name]), name, 5, error)
    out = tmp_path / "out"
    out.mkdir()
    new, old = out / "new.export", out / "old.export"
    old.write_bytes(b"the previous export\n")
    for target, replace in ((new, False), (old, True)):
        with pytest.raises(OutputRefused if isinstance(error, OSError) else KeyboardInterrupt):
            bench.write_export(target, kind, replace=replace)
    assert sorted(path.name for path in out.iterdir()) == ["old.export"]
    assert old.read_bytes() == b"the previous export\n"


def test_an_existing_file_is_refused_before_the_export_is_made(
    bench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_after(monkeypatch, exporting, "_company_row", 1, AssertionError("made"))
    target = tmp_path / "there.csv"
    target.write_text("kept\n")
    with pytest.raises(OutputRefused, match="exists already"):
        bench.write_export(target, "csv")
    assert target.read_text() == "kept\n"


def test_a_folder_of_memos_holds_the_golden_memos_one_a_file(
    bench: Workbench, tmp_path: Path
) -> None:
    memos = (GOLDEN / FILES["md"]).read_text()[:-1].split("\n\n---\n\n")
    ids = [row.id for row in bench.rows()]
    assert bench.write_memos(tmp_path / "memos", ids) == len(ids) == len(memos)
    written = sorted((tmp_path / "memos").iterdir())
    assert sorted(path.read_text() for path in written) == sorted(memo + "\n" for memo in memos)
    hostile = [path.name for path in written if "Hostile" in path.read_text()]
    assert hostile == ["sum-a1-red-hostile-co.md"]
