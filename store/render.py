"""Companies as Markdown and JSON documents (``moatscope show``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.checklist import Checklist
from store.memo import checklist_section
from store.models import ChecklistRun, Company

if TYPE_CHECKING:
    from store.relation_ops import ValueChain


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


def value_chain_markdown(chain: ValueChain | None) -> str:
    """The memo's "Value chain" section, which follows ``company_markdown``: other layers,
    chokepoints, each group of related companies with the relation's note, a loop of
    supplies, a portfolio conflict (an absorber the fund is invested in); "" when there is
    none of it."""
    if not chain:
        return ""
    lines = ["\n## Value chain\n\n"]
    lines.append(_field("Also listed in", ", ".join(chain.secondary_layers)))
    lines.append(_field("Depends on", ", ".join(chain.chokepoints)))
    for heading, links in chain.relations.groups():
        named = [f"{link.name} ({link.note})" if link.note else link.name for link in links]
        lines.append(_field(heading, ", ".join(named)))
    if chain.cycle:
        lines.append(_field("Cycle of supplies", " → ".join(chain.cycle)))
    if chain.conflicts:
        *rest, last = chain.conflicts
        names = f"{', '.join(rest)} and {last} are" if rest else f"{last} is"
        who = f"{names} invested and could absorb this company"
        lines.append(_field("Portfolio conflict", who))
    return "".join(lines)


def value_chain_data(chain: ValueChain) -> dict[str, Any]:
    """The same as JSON-ready data (``moatscope show --format json``)."""
    return {
        "secondary_layers": chain.secondary_layers,
        "chokepoints": chain.chokepoints,
        **{
            heading.casefold().replace(" ", "_"): [
                {"id": link.company_id, "name": link.name, "note": link.note} for link in links
            ]
            for heading, links in chain.relations.groups()
        },
        "supply_cycle": chain.cycle,
        "portfolio_conflicts": chain.conflicts,
    }
