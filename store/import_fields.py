"""A CSV row's cells as company fields: one line where a field holds one, bounded, checked.

Each helper writes what it finds into the company data it is given and says in ``joins`` or
``warnings`` what it changed on the way (the row's reason in the import report). A value
that is not what its column promises (a website that is no web address, a founded date
without a year) is left empty and kept as it was in the company's source data.
"""

from __future__ import annotations

import re
from typing import Any

from store.importing import one_line
from store.models import Status, normalise_website

SINGLE_LINE = {
    "name": "name",
    "headquarters": "headquarters",
    "stage": "stage",
    "owner": "owner",
    "layer": "layer",
    "status": "status",
    "website": "website",
    "founded": "founded",
    "crunchbase": "Crunchbase URL",
    "pitchbook": "PitchBook id",
}
"""Fields of a row that hold one line, and the word a report uses for each."""

DESCRIPTIONS = (("one_liner", "description"), ("full_description", "full description"))
"""The columns a one-liner is made of, and the name each is kept under in the source data."""


def one_line_fields(fields: dict[str, str], joins: list[str]) -> dict[str, str]:
    """``fields`` with each one-line field on one line; ``joins`` gets which were not."""
    result = dict(fields)
    for key, label in SINGLE_LINE.items():
        if key in fields:
            result[key], lines = one_line(fields[key])
            if lines > 1:
                joins.append(f"{label} over {lines} lines joined")
    return result


def bounded(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, the cut marked with an ellipsis."""
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def split_list(value: str) -> list[str]:
    """The items of a cell that lists several (separated by , ; | tab or newline)."""
    return [part.strip() for part in re.split(r"[,;|\n\t]", value) if part.strip()]


def one_liner(fields: dict[str, str], joins: list[str]) -> str:
    """The one-liner of a row: its own, else its full description, on one line, bounded."""
    description = fields.get("one_liner") or fields.get("full_description", "")
    text, lines = one_line(description)
    if lines > 1:
        joins.append(f"description over {lines} lines joined into the one-liner, full text kept")
    return bounded(text, 300)


def keep_descriptions(fields: dict[str, str], data: dict[str, Any]) -> None:
    """A description other than the one-liner made of it is kept whole, not lost."""
    for key, label in DESCRIPTIONS:
        if fields.get(key) and fields[key] != data["one_liner"]:
            data["source_data"].setdefault(label, fields[key])


def set_website(fields: dict[str, str], data: dict[str, Any], warnings: list[str]) -> None:
    """The row's website, normalised; one that is not a web address is left empty."""
    website = fields.get("website", "")
    try:
        data["website"] = normalise_website(website)
    except ValueError:
        warnings.append(f"website {website!r} is not a web address, left empty")
        data["source_data"]["website"] = website


def set_founded(fields: dict[str, str], data: dict[str, Any], warnings: list[str]) -> None:
    """The year in the row's founded cell; a cell without one leaves the year empty."""
    if founded := fields.get("founded"):
        year = _year(founded)
        if year is None:
            warnings.append(f"founded {founded!r} is not a date, left empty")
            data["source_data"]["founded"] = founded
        data["founded_year"] = year


def set_status(fields: dict[str, str], data: dict[str, Any], warnings: list[str]) -> None:
    """The row's status, when it is one an import may set (passing needs a reason)."""
    if status := fields.get("status"):
        if status.casefold() in {s.value for s in Status} and status.casefold() != "passed":
            data["status"] = status.casefold()
        else:
            warnings.append(f"status {status!r} is not one we can set on import; left as new")


def _year(value: str) -> int | None:
    match = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", value)
    return int(match.group(1)) if match else None
