"""Lists of ids a company holds: its secondary layers and the chokepoints it depends on.

Kept apart from ``store.models`` so the Company model gains only its fields there. A list
holds each id once, in the order first given; a company's secondary layers never hold its
primary layer (moving a company into one of them makes it primary there, and only there).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"


def distinct(ids: list[str]) -> list[str]:
    """``ids`` without repeats, first spelling kept."""
    return list(dict.fromkeys(ids))


IdList = Annotated[list[Annotated[str, Field(pattern=ID_PATTERN)]], AfterValidator(distinct)]
"""Layer or chokepoint ids: lower-case letters, digits and hyphens, each once."""


def drop_primary(company: Any) -> Any:
    """A company's secondary layers without its primary layer (a model ``after`` check)."""
    if company.layer in company.secondary_layers:
        kept = [layer for layer in company.secondary_layers if layer != company.layer]
        object.__setattr__(company, "secondary_layers", kept)
    return company
