"""A file too large for the machine's memory is refused up front, in one sentence that
gives the file's size, the memory its import would take and what the machine has, with
nothing read past its first bytes and nothing written. The machine's figure is faked
(and the big file is sparse): no test needs gigabytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import import_file
from store.import_file import ImportFileError, open_source, size_text
from tests.store.conftest import Fingerprint, assert_one_line_error
from tests.store.import_helpers import counts, run_import, seeded

GB = 2**30


def _sparse_csv(path: Path, size: int) -> Path:
    """A CSV header followed by ``size`` bytes that take no room on the disk."""
    with path.open("wb") as handle:
        handle.write(b"Organization Name,Website\r\nGroq,groq.com\r\n")
        handle.truncate(size)
    return path


def test_available_memory_is_read_from_the_machine() -> None:
    available = import_file.available_memory()
    assert available is not None and available > 16 * 2**20


def test_a_csv_larger_than_memory_allows_is_refused_with_the_figures(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_file, "available_memory", lambda: 2 * GB)
    sheet = _sparse_csv(tmp_path / "huge.csv", 300 * 2**20)
    seeded(db_path)
    before = Fingerprint.of(db_path)
    needed = 300 * 2**20 * import_file.CSV_EXPANSION
    assert_one_line_error(
        run_import(cli, db_path, sheet),
        f"{sheet} is 300 MB; importing it takes about {size_text(needed)} of memory and this "
        "machine has 2.0 GB available: split the file, or close other programs and try again.",
    )
    assert size_text(needed) == "3.8 GB"
    assert Fingerprint.of(db_path) == before


def test_no_database_is_created_for_a_file_refused_for_memory(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_file, "available_memory", lambda: 2**20)
    sheet = tmp_path / "small.csv"
    sheet.write_text("name,website\nGroq,groq.com\nCerebras,cerebras.ai\n" * 2000)
    db = tmp_path / "new" / "moatscope.json"
    db.parent.mkdir()
    result = run_import(cli, db, sheet)
    assert_one_line_error(result, "of memory and this machine has 1.0 MB available")
    assert list(db.parent.iterdir()) == []


def test_a_json_export_is_weighed_with_its_own_expansion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"moatscope_export": 1, "companies": []}) + " " * 100_000)
    size = export.stat().st_size
    monkeypatch.setattr(import_file, "available_memory", lambda: size * 10)
    assert open_source(export).is_json  # 8 times its size fits in 10
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name\n" + "x" * (size - 5))
    with pytest.raises(ImportFileError, match="of memory"):
        open_source(sheet)  # 13 times does not


def test_a_file_within_memory_imports_and_an_unknown_figure_never_refuses(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("name,website\nNewco Alpha,alpha.example\n")
    seeded(db_path)
    monkeypatch.setattr(import_file, "available_memory", lambda: None)
    assert counts(run_import(cli, db_path, sheet, "--dry-run")) == (1, 0, 0, 0)
    monkeypatch.setattr(import_file, "available_memory", lambda: sheet.stat().st_size * 13)
    assert counts(run_import(cli, db_path, sheet)) == (1, 0, 0, 0)
