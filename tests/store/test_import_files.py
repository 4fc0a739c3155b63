"""Import files as they come: encodings, quotes left open, cells over several lines, files
too big to import at once, and reading them a buffer at a time.

Each test asserts what a person sees (the report, the one-sentence refusal) and what the
database file holds afterwards.
"""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from store import import_file
from store.csv_file import check_csv
from store.import_file import open_source
from store.importing import clean, one_line
from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error
from tests.store.import_helpers import (
    companies,
    counts,
    report_lines,
    row_line,
    run_import,
    seeded,
    tables,
)

# Encodings ---------------------------------------------------------------------------------

EXCEL_UNICODE_TEXT = (
    "Name\tWebsite\tHeadquarters\tDescription\r\n"
    'Société Thermique\tthermique.fr\tBesançon, France\t"Heat pumps, ""dry"" coolers"\r\n'
    "Kōbe Photonics\tkobe-photonics.jp\tKōbe, Japan\tOptical engines\r\n"
)
"""What Excel's "Unicode text" holds: tab-separated, commas and quotes inside cells."""


@pytest.mark.parametrize(
    ("label", "raw"),
    [
        ("UTF-16 LE with BOM", b"\xff\xfe" + EXCEL_UNICODE_TEXT.encode("utf-16-le")),
        ("UTF-16 LE without BOM", EXCEL_UNICODE_TEXT.encode("utf-16-le")),
        ("UTF-16 BE with BOM", b"\xfe\xff" + EXCEL_UNICODE_TEXT.encode("utf-16-be")),
        ("UTF-16 BE without BOM", EXCEL_UNICODE_TEXT.encode("utf-16-be")),
        ("UTF-32 with BOM", EXCEL_UNICODE_TEXT.encode("utf-32")),
        ("UTF-8 with BOM", EXCEL_UNICODE_TEXT.encode("utf-8-sig")),
    ],
)
def test_unicode_text_is_read(cli, db_path: Path, tmp_path: Path, label: str, raw: bytes) -> None:
    sheet = tmp_path / "unicode.txt"
    sheet.write_bytes(raw)
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, (label, result.err)
    assert counts(result) == (2, 0, 0, 0), label
    stored = companies(db_path)
    assert sorted(stored) == ["Kōbe Photonics", "Société Thermique"], label
    societe = stored["Société Thermique"]
    assert societe["headquarters"] == "Besançon, France"
    assert societe["one_liner"] == 'Heat pumps, "dry" coolers'
    assert societe["website"] == "https://thermique.fr"


def test_binary_with_nul_bytes_is_still_refused(cli, db_path: Path, tmp_path: Path) -> None:
    seeded(db_path)
    before = Fingerprint.of(db_path)
    blob = tmp_path / "archive.zip"
    blob.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 40)
    result = run_import(cli, db_path, blob)
    assert_one_line_error(
        result, f"{blob} is not a text file (it looks binary); export it as CSV first."
    )
    assert Fingerprint.of(db_path) == before


# Quotes left open --------------------------------------------------------------------------


def _rows_with_open_quote(path: Path, rows: int, at: int) -> Path:
    """A CSV of ``rows`` companies in which row ``at`` (a line of its own) opens a quote in
    its name and nothing closes it."""
    lines = ["name,website,description"]
    lines += [f"Company {n},company{n}.example,Makes part {n}" for n in range(2, rows + 2)]
    lines[at - 1] = f'"Broken {at},broken.example,The quote before Broken is never closed'
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "at"),
    [
        (6, 4),  # the reader reaches the end of the file inside the quote
        (20_000, 5),  # the open cell grows past the reader's limit long before the end
    ],
)
def test_an_unclosed_quote_refuses_the_file_with_its_line(
    cli, db_path: Path, tmp_path: Path, rows: int, at: int
) -> None:
    sheet = _rows_with_open_quote(tmp_path / "open-quote.csv", rows, at)
    message = f"{sheet}: the quote opened on line {at} is never closed; nothing was imported."
    assert_one_line_error(run_import(cli, db_path, sheet), message)
    assert not db_path.exists()
    seeded(db_path)
    before = Fingerprint.of(db_path)
    assert_one_line_error(run_import(cli, db_path, sheet), message)
    assert_one_line_error(run_import(cli, db_path, sheet, "--dry-run"), message)
    assert Fingerprint.of(db_path) == before


def test_the_line_of_an_open_quote_counts_lines_inside_earlier_quoted_cells(
    cli, db_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "late-quote.csv"
    sheet.write_text(
        "name,description\n"
        'Alpha,"first line\nsecond line"\n'  # lines 2-3: one row
        'Beta,"one\n\ntwo\nthree"\n'  # lines 4-7: one row
        'Gamma,"never closed\n'  # line 8
        "Delta,delta\n",
        encoding="utf-8",
    )
    assert_one_line_error(
        run_import(cli, db_path, sheet),
        f"{sheet}: the quote opened on line 8 is never closed; nothing was imported.",
    )


def test_a_closed_quote_over_many_lines_is_one_cell(cli, db_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "long-cell.csv"
    body = "\n".join(f"Paragraph {n}." for n in range(40))
    sheet.write_text(f'name,notes\nAlpha,"{body}"\nBeta,short\n', encoding="utf-8")
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, result.err
    assert counts(result) == (2, 0, 0, 0)
    assert companies(db_path)["Alpha"]["source_data"]["notes"] == body


def test_a_closed_quoted_cell_too_long_to_read_names_its_row(
    cli, db_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "giant-quoted.csv"
    giant = "word " * 30_000
    sheet.write_text(f'name,notes\nAlpha,a\n"Beta","{giant}"\nGamma,c\n', encoding="utf-8")
    assert_one_line_error(
        run_import(cli, db_path, sheet),
        "Row 3 is not valid CSV (a cell is longer than 131,072 characters); nothing was imported.",
    )
    assert not db_path.exists()


# Cells over several lines ------------------------------------------------------------------

MULTI_LINE = (
    "name,website,description,headquarters,tags,Notes\r\n"
    '"Helio\r\nFathom",heliofathom.io,"Immersion cooling tanks.\r\nThey drop into existing halls.",'
    '"Reno,\r\nNevada","cooling\ngpu","Met them twice.\nStrong team."\r\n'
    "Quillon Silicon,quillon.com,Inference ASICs for data centers.,Austin,,\r\n"
)
JOINED = (
    "name over 2 lines joined; headquarters over 2 lines joined; "
    "description over 2 lines joined into the one-liner, full text kept"
)


def test_cells_over_several_lines_are_joined_kept_and_counted(
    cli, db_path: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "multi-line.csv"
    sheet.write_bytes(MULTI_LINE.encode())
    seeded(db_path)
    before = Fingerprint.of(db_path)
    dry = run_import(cli, db_path, sheet, "--dry-run")
    assert dry.code == 0, dry.err
    assert Fingerprint.of(db_path) == before
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, result.err
    for report in (dry, result):
        assert counts(report) == (2, 0, 0, 0)
        helio = row_line(report, 2)
        assert helio.startswith("row 2: added Helio Fathom → Power & Facilities (matched ")
        assert helio.endswith(f"; {JOINED})"), helio
        # Rows are numbered as a spreadsheet shows them: the next row is row 3.
        assert "joined" not in row_line(report, 3)
        lines = report_lines(report)
        notice = "Text over several lines was joined onto one line in 1 row (each row says which)."
        assert lines[lines.index(notice) + 1] == "2 added, 0 updated, 0 duplicates, 0 skipped."
    stored = companies(db_path)["Helio Fathom"]
    assert stored["one_liner"] == "Immersion cooling tanks. They drop into existing halls."
    assert stored["headquarters"] == "Reno, Nevada"
    assert stored["tags"] == ["cooling", "gpu"]
    # No text is lost: the description is kept whole, a column of notes keeps its lines.
    assert stored["source_data"]["description"] == (
        "Immersion cooling tanks.\nThey drop into existing halls."
    )
    assert stored["source_data"]["Notes"] == "Met them twice.\nStrong team."
    assert "\r" not in json.dumps(tables(db_path)["companies"])


def test_the_preview_says_which_cells_were_joined(tmp_path: Path, workbench) -> None:
    sheet = tmp_path / "multi-line.csv"
    sheet.write_bytes(MULTI_LINE.encode())
    plan = workbench.plan_import(sheet)
    helio, quillon = plan.outcomes
    assert (helio.name, helio.joined, quillon.joined) == ("Helio Fathom", True, False)
    assert helio.reason == JOINED
    assert plan.joined == 1
    assert plan.notice == (
        "Text over several lines was joined onto one line in 1 row (each row says which)."
    )


def test_a_long_description_over_several_lines_is_cut_for_the_one_liner_and_kept(
    cli, db_path: Path, tmp_path: Path
) -> None:
    text = "\n".join(f"Sentence number {n} about what the company makes." for n in range(12))
    sheet = tmp_path / "long.csv"
    sheet.write_text(f'name,description\nAlpha,"{text}"\n', encoding="utf-8")
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, result.err
    assert "description over 12 lines joined into the one-liner, full text kept" in row_line(
        result, 2
    )
    alpha = companies(db_path)["Alpha"]
    assert len(alpha["one_liner"]) == 300 and alpha["one_liner"].endswith("…")
    assert alpha["one_liner"].startswith("Sentence number 0 about what the company makes. Sentence")
    assert alpha["source_data"]["description"] == text


def test_a_name_over_two_lines_matches_the_company_it_names(
    cli, db_path: Path, tmp_path: Path
) -> None:
    seeded(db_path)
    first = tmp_path / "first.csv"
    first.write_text("name,headquarters\nHelio Fathom,\n", encoding="utf-8")
    assert counts(run_import(cli, db_path, first)) == (1, 0, 0, 0)
    again = tmp_path / "again.csv"
    again.write_text('name,headquarters\n"Helio\nFathom",Reno\n', encoding="utf-8")
    result = run_import(cli, db_path, again)
    assert counts(result) == (0, 1, 0, 0)
    assert row_line(result, 2) == (
        "row 2: updated Helio Fathom → unsorted (same name as Helio Fathom; filled headquarters; "
        "name over 2 lines joined)"
    )
    assert companies(db_path)["Helio Fathom"]["headquarters"] == "Reno"


@pytest.mark.parametrize(
    ("cell", "cleaned", "joined"),
    [
        ("Acme\u202e Labs\u2066\u2069", "Acme Labs", ("Acme Labs", 1)),
        ("line one\r\nline two\rstill two", "line one\nline twostill two", None),
        ("\x1b[31mRed\x1b[0m\tCorp\x9b2J", "Red\tCorp", ("Red Corp", 1)),
        (" a \n\n  b\t\n", "a \n\n  b", ("a b", 2)),
        ("[red]x[/red]", "[red]x[/red]", ("[red]x[/red]", 1)),
    ],
)
def test_a_cell_keeps_its_text_and_loses_what_a_terminal_acts_on(
    cell: str, cleaned: str, joined: tuple[str, int] | None
) -> None:
    assert clean(cell) == cleaned
    if joined is not None:
        assert one_line(cleaned) == joined


# Files too big to import at once ------------------------------------------------------------


def _short_rows(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name,website\n")
        handle.writelines(f"Co {n},co{n}.example\n" for n in range(rows))
    return path


def test_more_rows_than_the_limit_are_refused_up_front(cli, db_path: Path, tmp_path: Path) -> None:
    assert import_file.MAX_ROWS == 200_000
    sheet = _short_rows(tmp_path / "too-many.csv", 200_001)
    seeded(db_path)
    before = Fingerprint.of(db_path)
    message = (
        f"{sheet} has more than 200,000 rows; moatscope imports up to 200,000 at a time: "
        "split the file."
    )
    assert_one_line_error(run_import(cli, db_path, sheet), message)
    assert_one_line_error(run_import(cli, db_path, sheet, "--dry-run"), message)
    assert Fingerprint.of(db_path) == before


def test_far_more_rows_are_estimated(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_file, "MAX_ROWS", 1_000)
    sheet = _short_rows(tmp_path / "many.csv", 50_000)
    assert_one_line_error(
        run_import(cli, db_path, sheet),
        f"{sheet} has about 50,000 rows; moatscope imports up to 1,000 at a time: split the file.",
    )
    assert not db_path.exists()


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(
    cli, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert import_file.MAX_BYTES == 512 * 2**20
    monkeypatch.setattr(import_file, "MAX_BYTES", 2**20)
    sheet = _short_rows(tmp_path / "large.csv", 100_000)
    size = import_file.size_text(sheet.stat().st_size)
    assert size == "2.4 MB"
    seeded(db_path)
    before = Fingerprint.of(db_path)
    assert_one_line_error(
        run_import(cli, db_path, sheet),
        f"{sheet} is 2.4 MB; moatscope imports files of up to 1.0 MB at a time: split the file.",
    )
    assert Fingerprint.of(db_path) == before


def test_a_refused_large_file_is_read_a_buffer_at_a_time(tmp_path: Path, workbench) -> None:
    sheet = _short_rows(tmp_path / "large.csv", 400_000)
    assert sheet.stat().st_size > 8 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(import_file.ImportFileError, match="imports up to 200,000 at a time"):
            workbench.plan_import(sheet)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2**20, peak  # the file is 8 MB; its text is never held whole


def test_the_check_reads_a_buffer_at_a_time(tmp_path: Path) -> None:
    sheet = _short_rows(tmp_path / "fine.csv", 150_000)
    assert sheet.stat().st_size > 3 * 2**20
    tracemalloc.start()
    try:
        layout = check_csv(open_source(sheet))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert layout.rows == 150_000
    assert peak < 2**20, peak


# Files that are not files ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting(cli, db_path: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    assert_one_line_error(
        run_import(cli, db_path, pipe), f"Cannot read {pipe}: it is not a regular file."
    )
    assert not db_path.exists()


def test_a_hostile_file_name_is_stored_and_shown_inert(cli, db_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "q4\x1b[31m\u202elist.csv"
    sheet.write_text("name\nAlpha\n", encoding="utf-8")
    result = run_import(cli, db_path, sheet)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert companies(db_path)["Alpha"]["source"] == "import: q4list.csv"
    bench = Workbench.open(db_path, author="tester")
    try:
        assert bench.undo() == "Imported q4list.csv: 1 added, 0 updated, 0 duplicates, 0 skipped"
    finally:
        bench.close()


@pytest.mark.parametrize("part", ['"runs": null', '"layers": 7', '"runs": {"a": 1}'])
def test_an_export_whose_parts_are_not_lists_is_refused(
    cli, db_path: Path, tmp_path: Path, part: str
) -> None:
    document = tmp_path / "export.json"
    document.write_text(f'{{"moatscope_export": 1, "companies": [], {part}}}', encoding="utf-8")
    assert_one_line_error(
        run_import(cli, db_path, document),
        f"{document} is JSON but not a moatscope export (moatscope export --format json).",
    )
