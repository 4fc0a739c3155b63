"""Stored records as models: shown even when they break a rule, changed only when whole.

The open check (``store.open_check``) vouches for what lists read; the full models hold
more rules (a founded year not in the future, a web address, a note with text...). A
record that breaks one, written by hand or by another version, is still shown:
``shown`` leaves out the values at fault, so their defaults take their place, and says
what they were. A change starts from ``whole`` instead, which refuses such a record, so
no change drops a value its user never saw go.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from store.errors import StoreUnreadable
from store.models import NAME_MAX
from store.problems import problems_from
from store.shape import quote
from store.text import clean

M = TypeVar("M", bound=BaseModel)

LABELS = {
    "one_liner": "one-liner",
    "founded_year": "founded year",
    "pass_reason": "pass reason",
    "kill_criterion": "kill criterion",
    "absorber": "likely absorber",
    "upstream": "upstream dependency",
    "revisit": "revisit date",
    "created": "date",
    "updated": "date changed",
    "status_log": "status history",
    "provider_ids": "provider ids",
    "source_data": "imported columns",
    "company_id": "company",
    "checklist_id": "checklist",
    "checklist_version": "checklist version",
}
"""Field names in the interface's words, where they differ."""


def shown(model: type[M], record: Mapping[str, Any]) -> tuple[M, str]:
    """``record`` as ``model`` and "", or, when it breaks a rule, as ``model`` without the
    values at fault and what is wrong ("its founded year 3000 is in the future")."""
    try:
        return model.model_validate(record), ""
    except ValidationError as error:
        problem, data = fault(error), dict(record)
        latest = error
    for _ in range(3):  # a value left out can bring a nested rule into play
        _leave_out(model, data, latest)
        try:
            return model.model_validate(data), problem
        except ValidationError as error:
            latest = error
    raise StoreUnreadable(f"A stored record cannot be shown: {problem}.")


def fault(error: ValidationError) -> str:
    """The first rule a record breaks, in the interface's words."""
    item = error.errors()[0]
    path = list(item["loc"])
    field = str(path[0]) if path else "record"
    label = LABELS.get(field, field.replace("_", " "))
    if len(path) > 1 and isinstance(path[1], int):
        label = f"{label.removesuffix('s')} {path[1] + 1}"
    kind = item["type"]
    if kind == "extra_forbidden":
        return f"it has a field {quote(field)} that moatscope does not know"
    if kind.startswith("datetime"):
        return f"its {label} is not a date and time like 2026-11-22T09:30:00Z"
    if kind.startswith("date"):
        return f"its {label} is not a date like 2026-12-31"
    message = next(iter(problems_from(error).values()))
    return f"its {label} {message}"


def _leave_out(model: type[BaseModel], data: dict[str, Any], error: ValidationError) -> None:
    items: dict[str, set[Any]] = {}
    for item in error.errors():
        loc = item["loc"]
        if not loc:
            continue
        field = str(loc[0])
        value = data.get(field)
        if len(loc) > 1 and isinstance(value, list | dict):
            items.setdefault(field, set()).add(loc[1])
        elif field in model.model_fields and model.model_fields[field].is_required():
            data[field] = _stand_in(value)
        else:
            data.pop(field, None)
    for field, keys in items.items():
        value = data[field]
        if isinstance(value, list):
            data[field] = [entry for index, entry in enumerate(value) if index not in keys]
        else:  # (the model names a key as cleaned: "\x1b[31mred" is "red" to it)
            data[field] = {k: v for k, v in value.items() if k not in keys and clean(k) not in keys}


def _stand_in(value: Any) -> Any:
    """A required value at fault, made to pass: a name on one line, trimmed, never empty."""
    if isinstance(value, str):
        return " ".join(value.split())[:NAME_MAX] or "(no name)"
    return value
