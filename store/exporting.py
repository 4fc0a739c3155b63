"""Exports: CSV for spreadsheets, JSON with full fidelity, Markdown memos.

Each is made as a stream of pieces (``*_chunks``), a few hundred records at a time, so a
file is written as it is made and memory does not grow with the companies exported; the
whole text is the pieces joined, byte for byte.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from store import clock
from store.checklist import Checklist
from store.db import SCHEMA_VERSION
from store.models import ChecklistRun, Company, Verdict
from store.relation_ops import ValueChain
from store.render import company_markdown, value_chain_markdown
from store.text import clean, json_safe

EXPORT_MARK = "moatscope_export"
CHUNK_RECORDS = 256
"""Records made into text between two pieces of a streamed export."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "id",
    "name",
    "layer",
    "status",
    "pass_reason",
    "tags",
    "one_liner",
    "website",
    "headquarters",
    "founded_year",
    "stage",
    "owner",
    "absorber",
    "upstream",
    "revisit",
    "kill_criterion",
    "score",
    "verdict",
    "coverage",
    "scored",
    "notes",
    "created",
    "updated",
]


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula, without any
    character a terminal would act on."""
    text = "" if value is None else clean(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


Record = dict[str, Any]


def companies_csv(companies: Iterable[Record], latest: dict[str, Record]) -> str:
    """One row per stored company record with its latest score and verdict."""
    return "".join(companies_csv_chunks(companies, latest))


def companies_csv_chunks(companies: Iterable[Record], latest: dict[str, Record]) -> Iterator[str]:
    """``companies_csv`` in pieces, as its rows are made."""
    buffer = io.StringIO()
    # CRLF ends rows (RFC 4180) and makes the writer quote any cell holding a carriage return;
    # with "\n" alone, a stray CR in a tag was written bare and split the row in a spreadsheet.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for count, company in enumerate(companies, 1):
        writer.writerow(_company_row(company, latest.get(company["id"])))
        if count % CHUNK_RECORDS == 0:
            yield _taken(buffer)
    yield _taken(buffer)


def _company_row(company: Record, run: Record | None) -> list[str]:
    score = run.get("score") if run else None
    data = {
        **company,
        "tags": ", ".join(company.get("tags", ())),
        "notes": len(company.get("notes", ())),
        "score": "" if score is None else f"{score:.0f}",
        "verdict": Verdict(run["verdict"]).label if run else "",
        "coverage": f"{run['coverage']:.0%}" if run else "",
        "scored": run["created"] if run else "",
    }
    return [safe_cell(data.get(column)) for column in CSV_COLUMNS]


def _taken(buffer: io.StringIO) -> str:
    """What ``buffer`` holds, leaving it empty."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def export_json_chunks(
    layers: Iterable[Record],
    companies: Iterable[Record],
    runs: Iterable[Record],
    relations: Iterable[Record] = (),
    chokepoints: Iterable[Record] = (),
) -> Iterator[bytes]:
    """Everything needed to rebuild these companies elsewhere (layers, notes, runs, the
    relations between them and the chokepoints), as the bytes of the JSON document orjson
    writes with ``JSON_OPTIONS`` and a final line break, in pieces: the document is never
    held whole. DEL, C1 and bidi overrides are written as escapes (``json_safe``)."""
    head: dict[str, Any] = {
        EXPORT_MARK: 1,
        "schema_version": SCHEMA_VERSION,
        "exported": clock.stamp(),
    }
    lists = {
        "layers": layers,
        "companies": companies,
        "runs": runs,
        "relations": relations,
        "chokepoints": chokepoints,
    }
    keys = sorted([*head, *lists])
    yield b"{"
    for position, key in enumerate(keys):
        lead = b"\n  " + orjson.dumps(key) + b": "
        if key in head:
            yield lead + orjson.dumps(head[key]) + (b"," if position < len(keys) - 1 else b"")
        else:
            pieces = _json_list(lists[key], last=position == len(keys) - 1)
            yield lead + next(pieces)
            yield from pieces
    yield b"\n}\n"


def _json_list(records: Iterable[Record], *, last: bool) -> Iterator[bytes]:
    """A list of records as it is written at the document's second level (each record's
    lines indented four spaces more), in pieces; the first piece opens it."""
    pieces, count = [b"["], 0
    for record in records:
        text = orjson.dumps(record, option=JSON_OPTIONS).replace(b"\n", b"\n    ")
        pieces.append((b"\n    " if count == 0 else b",\n    ") + text)
        count += 1
        if count % CHUNK_RECORDS == 0:
            yield _json_safe(b"".join(pieces))
            pieces.clear()
    pieces.append((b"\n  ]" if count else b"]") + (b"" if last else b","))
    yield _json_safe(b"".join(pieces))


def _json_safe(data: bytes) -> bytes:
    return json_safe(data.decode()).encode()


RELATION_COLUMNS = ["from_id", "from", "kind", "to_id", "to", "note", "created"]


def relations_csv(relations: Iterable[Record], names: dict[str, str]) -> str:
    """One row per relation, each company by id and by name (``names``: id to name)."""
    return "".join(relations_csv_chunks(relations, names))


def relations_csv_chunks(relations: Iterable[Record], names: dict[str, str]) -> Iterator[str]:
    """``relations_csv`` in pieces, as its rows are made."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RELATION_COLUMNS)
    for count, relation in enumerate(relations, 1):
        source, target = relation["from_company"], relation["to_company"]
        cells = (source, names.get(source, ""), relation["kind"], target, names.get(target, ""))
        extra = (relation.get("note", ""), relation.get("created", ""))
        writer.writerow([safe_cell(cell) for cell in (*cells, *extra)])
        if count % CHUNK_RECORDS == 0:
            yield _taken(buffer)
    yield _taken(buffer)


def memo_markdown(
    company: Company,
    runs: list[ChecklistRun],
    layer_name: str,
    checklist: Checklist,
    chain: ValueChain | None = None,
) -> str:
    """One company's memo (its value chain last), without any character a terminal would
    act on."""
    memo = company_markdown(company, runs, layer_name, checklist) + value_chain_markdown(chain)
    return clean(memo)


def joined_memos(memos: Iterable[str]) -> str:
    """Memos in a single Markdown document, one after another."""
    return "".join(memo_document(memos))


def memo_document(memos: Iterable[str]) -> Iterator[str]:
    """``joined_memos`` in pieces: each memo as it comes, a rule between two."""
    any_memo = False
    for memo in memos:
        yield "\n\n---\n\n" + memo if any_memo else memo
        any_memo = True
    if any_memo:
        yield "\n"
