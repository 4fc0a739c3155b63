"""Reading import files: data-provider CSVs and moatscope JSON, as plain rows.

A CSV header is matched case-insensitively against the aliases of the common
exports (Crunchbase organisations, PitchBook companies, a plain
``name,website,layer,tags`` sheet). Rows above the header (PitchBook's preamble)
are skipped, a UTF-8 BOM is dropped, every cell is stripped of control characters
and terminal escape sequences, and columns without a field are kept as source
data. Pure functions: nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import orjson

from store.errors import MoatscopeError
from store.text import strip_controls

HEADER_SEARCH_ROWS = 30
MAX_CELL = 20_000

ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "organization name",
        "organisation name",
        "company",
        "company name",
        "companies",
        "organization",
        "startup",
    ),
    "website": ("website", "domain", "homepage", "url", "web site", "company website"),
    "one_liner": (
        "one_liner",
        "one-liner",
        "one liner",
        "description",
        "short description",
        "tagline",
        "summary",
    ),
    "full_description": ("full description", "long description"),
    "headquarters": (
        "headquarters",
        "headquarters location",
        "hq location",
        "hq",
        "location",
        "city",
    ),
    "founded": (
        "founded",
        "founded date",
        "year founded",
        "founded year",
        "founded_year",
        "founding year",
    ),
    "stage": (
        "stage",
        "last funding type",
        "last financing deal type",
        "funding stage",
        "last equity funding type",
        "deal type",
    ),
    "layer": ("layer", "stack layer"),
    "tags": ("tags", "tag", "labels"),
    "status": ("status", "pipeline status"),
    "owner": ("owner", "deal owner"),
    "crunchbase": ("organization name url", "crunchbase url", "cb url"),
    "pitchbook": ("company id", "company pbid", "pitchbook id", "pbid"),
    "industries": (
        "industries",
        "industry groups",
        "primary industry",
        "verticals",
        "keywords",
        "emerging spaces",
        "all industries",
        "primary industry sector",
        "primary industry group",
        "categories",
        "category",
    ),
}
"""Field to the headers (normalised) that mean it."""

_BY_HEADER = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


class ImportFileError(MoatscopeError):
    """The file cannot be imported at all; the message says why in one sentence."""


@dataclass
class SourceRow:
    """One company as read from a file, before it meets the database."""

    number: int
    """Line number in the file (for CSV, the physical row; 1-based)."""
    fields: dict[str, str]
    """Recognised fields (see ALIASES), cleaned."""
    extra: dict[str, str] = field(default_factory=dict)
    """Columns without a field of their own, by their original header."""
    industries: list[str] = field(default_factory=list)
    """Industry, keyword and vertical cells, used to suggest a layer."""


def normalise_header(header: str) -> str:
    """A header as looked up: no BOM, casefolded, single spaces."""
    return re.sub(r"\s+", " ", header.replace("\ufeff", "").strip().casefold())


def clean(cell: str) -> str:
    """A cell without control characters or escape sequences, trimmed and bounded."""
    return strip_controls(cell).strip()[:MAX_CELL]


def read_text(path: Path) -> str:
    """The file's text (UTF-8, with or without BOM; Windows-1252 as a fallback)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"There is no file {path}.") from None
    except OSError as error:
        raise ImportFileError(f"Cannot read {path}: {error.strerror or error}.") from None
    if not raw.strip():
        raise ImportFileError(f"{path} is empty: there is nothing to import.")
    if b"\x00" in raw[:8192]:
        raise ImportFileError(
            f"{path} is not a text file (it looks binary); export it as CSV first."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def is_moatscope_json(text: str) -> bool:
    """True when the text is JSON (a CSV never starts with "{"); checked fully on reading."""
    return text.lstrip().startswith("{")


def read_json_export(path: Path, text: str) -> dict[str, Any]:
    """A moatscope JSON export, checked for shape."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ImportFileError(
            f"{path} is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    if (
        not isinstance(data, dict)
        or "moatscope_export" not in data
        or not isinstance(data.get("companies"), list)
    ):
        raise ImportFileError(
            f"{path} is JSON but not a moatscope export (moatscope export --format json)."
        )
    return data


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _header_index(rows: list[list[str]]) -> int:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {_BY_HEADER.get(normalise_header(cell)) for cell in row}
        if "name" in names:
            return index
    return -1


def read_csv(path: Path, text: str) -> tuple[list[str], Iterator[SourceRow]]:
    """The header and the rows of a CSV export (rows above the header are skipped)."""
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:16384]))
    try:
        head = list(islice(reader, HEADER_SEARCH_ROWS))
    except csv.Error as error:
        raise ImportFileError(f"{path} is not a readable CSV file ({error}).") from None
    index = _header_index(head)
    if index < 0:
        raise ImportFileError(
            f"{path} has no column for the company name (looked for a header such as "
            "'name', 'Organization Name' or 'Companies')."
        )
    header = head[index]
    columns = [_BY_HEADER.get(normalise_header(cell)) for cell in header]
    originals = [clean(cell) for cell in header]
    return originals, _rows(reader, head[index + 1 :], columns, originals, index)


def _rows(
    reader: Iterator[list[str]],
    buffered: list[list[str]],
    columns: list[str | None],
    originals: list[str],
    header_index: int,
) -> Iterator[SourceRow]:
    number = header_index + 1
    try:
        for cells in chain(buffered, reader):
            number += 1
            if any(cell.strip() for cell in cells):
                yield _source_row(number, cells, columns, originals)
    except csv.Error as error:
        raise ImportFileError(
            f"Row {number + 1} is not valid CSV ({error}); nothing was imported."
        ) from None


def _source_row(
    number: int, cells: list[str], columns: list[str | None], originals: list[str]
) -> SourceRow:
    row = SourceRow(number, {})
    for position, cell in enumerate(cells):
        value = clean(cell)
        if not value:
            continue
        name = columns[position] if position < len(columns) else None
        header = originals[position] if position < len(originals) else f"column {position + 1}"
        if name == "industries":
            row.industries.append(value)
            row.extra[header] = value
        elif name is not None and name not in row.fields:
            row.fields[name] = value
        else:
            row.extra[header or f"column {position + 1}"] = value
    return row
