"""Reading a CSV export: its delimiter, a check of the whole file, then its rows.

``check_csv`` reads every line once, a buffer at a time, before a row is planned: it
finds the delimiter and the header, settles the encoding (UTF-8, else Windows-1252),
counts the rows and refuses the file when one is not CSV, when a quote opened on some
line is never closed (the reader would otherwise take the rest of the file as one cell),
or when the rows are more than ``MAX_ROWS``, stopping at the first one past the limit.
``read_csv`` then streams the rows for the plan with the same checks. Rows are numbered
as a spreadsheet numbers them: a record whose quoted cell spans lines is one row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice

from store import import_file
from store.import_file import ImportFileError, Lines, SourceFile, shown
from store.importing import (
    HEADER_SEARCH_ROWS,
    SourceRow,
    clean,
    field_of,
    header_index,
    one_line,
    source_row,
)

DELIMITERS = (",", ";", "\t")
"""Candidates, preferred in this order when the header reads as well with several."""
QUOTE = '"'
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class CsvLayout:
    """How a checked CSV file is read."""

    encoding: str
    delimiter: str
    rows: int
    """Rows below the header that hold anything."""

    def reader(self, lines: Iterable[str]) -> Iterator[list[str]]:
        """A CSV reader over ``lines``."""
        return _reader(lines, self.delimiter)


def _reader(lines: Iterable[str], delimiter: str) -> Iterator[list[str]]:
    """Excel's quoting with ``delimiter``; spaces after a delimiter are skipped, so a quoted
    cell written after ", " is still one cell."""
    return csv.reader(lines, csv.excel, delimiter=delimiter, skipinitialspace=True)


def choose_delimiter(sample: str) -> str:
    """The delimiter under which the header of ``sample`` names the most known columns."""
    best, best_score = DELIMITERS[0], (-1, -1, 0)
    for order, delimiter in enumerate(DELIMITERS):
        reader = _reader(io.StringIO(sample, newline=""), delimiter)
        try:
            rows = list(islice(reader, HEADER_SEARCH_ROWS + 20))
        except csv.Error:
            continue
        index = header_index(rows)
        if index < 0:
            continue
        header = rows[index]
        known = len({field_of(cell) for cell in header} - {None})
        # The last sampled row may be cut short, so it does not count.
        steady = sum(len(row) == len(header) for row in rows[index + 1 : -1])
        score = (known, steady, -order)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def check_csv(source: SourceFile) -> CsvLayout:
    """Read the whole file once and say how to read it, or refuse it in one sentence."""
    *first, (encoding, errors) = source.encodings()
    for tried, strict in first:
        try:
            return _check(source, tried, strict)
        except UnicodeDecodeError:
            continue  # not UTF-8 after all: read it again as Windows-1252
    return _check(source, encoding, errors)


def _check(source: SourceFile, encoding: str, errors: str) -> CsvLayout:
    delimiter = choose_delimiter(source.head_text(encoding))
    layout = CsvLayout(encoding, delimiter, 0)
    with Lines(source, encoding, errors) as lines:
        found = records(source, layout, lines)
        head = list(islice(found, HEADER_SEARCH_ROWS))
        index = header_index(head)
        if index < 0:
            raise ImportFileError(
                f"{shown(source.path)} has no column for the company name (looked for a header "
                "such as 'name', 'Organization Name' or 'Companies')."
            )
        rows = sum(map(_filled, head[index + 1 :]))
        for cells in found:
            rows += _filled(cells)
            if rows > import_file.MAX_ROWS:
                raise _too_many_rows(source, rows, lines)
    return CsvLayout(encoding, delimiter, rows)


def read_csv(source: SourceFile, layout: CsvLayout) -> tuple[list[str], Iterator[SourceRow]]:
    """The header and the rows of a checked CSV file (rows above the header are skipped)."""
    lines = Lines(source, layout.encoding)
    try:
        found = records(source, layout, lines)
        head = list(islice(found, HEADER_SEARCH_ROWS))
    except BaseException:
        lines.close()
        raise
    index = header_index(head)
    if index < 0:
        lines.close()
        raise ImportFileError(f"{shown(source.path)} changed while it was being imported.")
    headers = [one_line(clean(cell))[0] for cell in head[index]]
    columns = [field_of(cell) for cell in head[index]]
    return headers, _rows(source, lines, found, head, index, columns, headers)


def _rows(
    source: SourceFile,
    lines: Lines,
    found: Iterator[list[str]],
    head: list[list[str]],
    index: int,
    columns: list[str | None],
    headers: list[str],
) -> Iterator[SourceRow]:
    number, count = index + 1, 0
    try:
        for cells in chain(head[index + 1 :], found):
            number += 1
            if _filled(cells):
                count += 1
                if count > import_file.MAX_ROWS:  # the file grew since it was checked
                    raise _too_many_rows(source, count, lines)
                yield source_row(number, cells, columns, headers)
    finally:
        lines.close()


def records(source: SourceFile, layout: CsvLayout, lines: Lines) -> Iterator[list[str]]:
    """The records of the file, or ImportFileError for a record that is not CSV or a quote
    that is never closed."""
    reader = layout.reader(lines)
    number, last_line = 0, 0
    try:
        for cells in reader:
            if lines.ended:
                # The reader asked for a line after the last: a quoted cell was still open,
                # and it holds every line break from its opening quote to the end.
                opened = reader.line_num - len(_LINE_BREAK.findall(cells[-1])) + 1
                raise _never_closed(source, opened)
            number, last_line = number + 1, reader.line_num
            yield cells
    except csv.Error as error:
        raise _not_csv(source, layout, number + 1, last_line + 1, error) from None


def _filled(cells: list[str]) -> bool:
    return any(cells) and not "".join(cells).isspace()


def _not_csv(
    source: SourceFile, layout: CsvLayout, number: int, line: int, error: csv.Error
) -> ImportFileError:
    if "field limit" not in str(error):
        return ImportFileError(f"Row {number} is not valid CSV ({error}); nothing was imported.")
    with Lines(source, layout.encoding) as lines:
        opened = quote_left_open(islice(lines, line - 1, None), line, layout.delimiter)
    if opened is not None:
        return _never_closed(source, opened)
    return ImportFileError(
        f"Row {number} is not valid CSV (a cell is longer than {csv.field_size_limit():,} "
        "characters); nothing was imported."
    )


def quote_left_open(lines: Iterator[str], first: int, delimiter: str) -> int | None:
    """The line of a quote that opens a cell of the record starting at line ``first`` and
    that nothing closes before the end of the file; None when the record ends."""
    inside, opened, number = False, first, first - 1
    for line in lines:
        number += 1
        body, pos = line.rstrip("\r\n"), 0
        if inside:
            pos = _after_closing(body, 0)
            if pos < 0:
                continue  # the quoted cell goes on over the next line
            inside = False
            pos = body.find(delimiter, pos) + 1
            if pos == 0:
                return None
        while True:  # at the start of a cell
            while body.startswith(" ", pos):
                pos += 1
            if body.startswith(QUOTE, pos):
                pos = _after_closing(body, pos + 1)
                if pos < 0:
                    inside, opened = True, number
                    break
            pos = body.find(delimiter, pos) + 1
            if pos == 0:
                return None
    return opened if inside else None


def _after_closing(body: str, pos: int) -> int:
    """Where a quoted cell continues after its closing quote ("" is a quote in it), or -1."""
    while (quote := body.find(QUOTE, pos)) >= 0:
        if not body.startswith(QUOTE * 2, quote):
            return quote + 1
        pos = quote + 2
    return -1


def _never_closed(source: SourceFile, line: int) -> ImportFileError:
    return ImportFileError(
        f"{shown(source.path)}: the quote opened on line {line:,} is never closed; "
        "nothing was imported."
    )


def _too_many_rows(source: SourceFile, rows: int, lines: Lines) -> ImportFileError:
    limit = import_file.MAX_ROWS
    estimate = _about(rows * source.size / max(lines.bytes_read, 1))
    count = f"about {estimate:,}" if estimate > limit else f"more than {limit:,}"
    return ImportFileError(
        f"{shown(source.path)} has {count} rows; moatscope imports up to {limit:,} at a time: "
        "split the file."
    )


def _about(number: float) -> int:
    """``number`` to two significant figures."""
    digits = max(len(str(int(number))) - 2, 0)
    return int(round(number, -digits))
