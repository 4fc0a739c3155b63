"""What the cells of an import mean: headers of data-provider exports, cleaned cells, rows.

A CSV header is matched case-insensitively against the aliases of the common
exports (Crunchbase organisations, PitchBook companies, a plain
``name,website,layer,tags`` sheet). Every cell is stripped of control characters,
terminal escape sequences and bidi overrides, and columns without a field are kept as
source data. Reading the file is ``store.import_file`` and ``store.csv_file``; JSON
exports are checked for shape here. Pure functions: nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from store.import_file import ImportFileError as ImportFileError
from store.import_file import shown
from store.text import clean as clean_text

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


_LINE_BREAK = re.compile(r"\s*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])\s*")


def clean(cell: str) -> str:
    """A cell without control characters, escape sequences or bidi overrides, trimmed and
    bounded; line breaks and tabs are kept."""
    if not (cell.isascii() and cell.isprintable()):  # most cells are, and hold nothing to strip
        cell = clean_text(cell)
    return cell.strip()[:MAX_CELL]


def one_line(text: str) -> tuple[str, int]:
    """``text`` on one line, its lines joined with a space and tabs made spaces, and how
    many lines it had."""
    if text.isprintable():  # no line break, no tab
        return text, 1 if text else 0
    lines = [line for line in _LINE_BREAK.split(text.strip()) if line]
    return " ".join(lines).replace("\t", " "), len(lines)


def field_of(header: str) -> str | None:
    """The field a header means (see ALIASES), or None."""
    return _BY_HEADER.get(normalise_header(header))


def header_index(rows: list[list[str]]) -> int:
    """Which of the first rows is the header (it names the company column), or -1."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if "name" in {field_of(cell) for cell in row}:
            return index
    return -1


def read_json_export(path: Path, text: str) -> dict[str, Any]:
    """A moatscope JSON export, checked for shape."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ImportFileError(
            f"{shown(path)} is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    if (
        not isinstance(data, dict)
        or "moatscope_export" not in data
        or not isinstance(data.get("companies"), list)
        or not isinstance(data.get("layers", []), list)
        or not isinstance(data.get("runs", []), list)
        or not isinstance(data.get("relations", []), list)
        or not isinstance(data.get("chokepoints", []), list)
    ):
        raise ImportFileError(
            f"{shown(path)} is JSON but not a moatscope export (moatscope export --format json)."
        )
    return data


def source_row(
    number: int, cells: list[str], columns: list[str | None], headers: list[str]
) -> SourceRow:
    """Row ``number`` of a CSV file from its cells, given what each column means."""
    row = SourceRow(number, {})
    for position, cell in enumerate(cells):
        value = clean(cell)
        if not value:
            continue
        name = columns[position] if position < len(columns) else None
        header = headers[position] if position < len(headers) else ""
        if name == "industries":
            row.industries.append(value)
            row.extra[header] = value
        elif name is not None and name not in row.fields:
            row.fields[name] = value
        else:
            row.extra[header or f"column {position + 1}"] = value
    return row
