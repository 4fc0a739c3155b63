"""Exports: CSV for spreadsheets, JSON with full fidelity, Markdown memos."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from store import clock
from store.checklist import Checklist
from store.db import SCHEMA_VERSION
from store.models import ChecklistRun, Company, Verdict
from store.relation_ops import ValueChain
from store.render import company_markdown, value_chain_markdown
from store.text import clean

EXPORT_MARK = "moatscope_export"
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
    buffer = io.StringIO()
    # CRLF ends rows (RFC 4180) and makes the writer quote any cell holding a carriage return;
    # with "\n" alone, a stray CR in a tag was written bare and split the row in a spreadsheet.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for company in companies:
        run = latest.get(company["id"])
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
        writer.writerow([safe_cell(data.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue()


def export_document(
    layers: Iterable[Record],
    companies: Iterable[Record],
    runs: Iterable[Record],
    relations: Iterable[Record] = (),
    chokepoints: Iterable[Record] = (),
) -> dict[str, Any]:
    """Everything needed to rebuild these companies elsewhere: layers, notes, runs, the
    relations between them and the chokepoints."""
    return {
        EXPORT_MARK: 1,
        "schema_version": SCHEMA_VERSION,
        "exported": clock.stamp(),
        "layers": list(layers),
        "companies": list(companies),
        "runs": list(runs),
        "relations": list(relations),
        "chokepoints": list(chokepoints),
    }


RELATION_COLUMNS = ["from_id", "from", "kind", "to_id", "to", "note", "created"]


def relations_csv(relations: Iterable[Record], names: dict[str, str]) -> str:
    """One row per relation, each company by id and by name (``names``: id to name)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RELATION_COLUMNS)
    for relation in relations:
        source, target = relation["from_company"], relation["to_company"]
        cells = (source, names.get(source, ""), relation["kind"], target, names.get(target, ""))
        extra = (relation.get("note", ""), relation.get("created", ""))
        writer.writerow([safe_cell(cell) for cell in (*cells, *extra)])
    return buffer.getvalue()


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
    memos = list(memos)
    return "\n\n---\n\n".join(memos) + ("\n" if memos else "")
