"""Companies as Markdown and JSON documents (``moatscope show``)."""

from __future__ import annotations

from typing import Any

from store.checklist import Checklist
from store.memo import checklist_section
from store.models import ChecklistRun, Company


def company_document(company: Company, runs: list[ChecklistRun], layer_name: str) -> dict[str, Any]:
    """Everything about a company as JSON-ready data, runs included."""
    data = company.model_dump(mode="json")
    data["layer_name"] = layer_name
    data["runs"] = [run.model_dump(mode="json") for run in runs]
    latest = runs[-1] if runs else None
    data["score"] = latest.score if latest else None
    data["verdict"] = latest.verdict.value if latest else None
    return data


def _field(label: str, value: object) -> str:
    return f"- **{label}:** {value}\n" if value not in ("", None, []) else ""


def company_markdown(
    company: Company, runs: list[ChecklistRun], layer_name: str, checklist: Checklist
) -> str:
    """A one-page memo: description, status, the latest checklist run (``store.memo``), notes."""
    parts = [f"# {company.name}\n\n"]
    if company.one_liner:
        parts.append(f"{company.one_liner}\n\n")
    parts.append(_field("Layer", layer_name or "unsorted"))
    status = company.status.value
    if company.pass_reason:
        status += f" ({company.pass_reason})"
    parts.append(_field("Status", status))
    for label, value in (
        ("Website", company.website),
        ("Headquarters", company.headquarters),
        ("Founded", company.founded_year),
        ("Stage", company.stage),
        ("Tags", ", ".join(company.tags)),
        ("Likely absorber", company.absorber),
        ("Upstream dependency", company.upstream),
        ("Revisit", company.revisit),
        ("Kill criterion", company.kill_criterion),
    ):
        parts.append(_field(label, value))
    if runs:
        parts.append(checklist_section(runs[-1], checklist))
    if company.notes:
        parts.append("\n## Notes\n")
        for note in sorted(company.notes, key=lambda n: n.created, reverse=True):
            parts.append(
                f"\n### {note.created:%Y-%m-%d} · {note.author or 'unknown'}\n\n"
                f"{note.body.strip()}\n"
            )
    return "".join(parts)
