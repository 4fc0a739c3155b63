"""Pydantic errors in a person's words: ``{field: message}`` for a form or a line of an
import, and ``validated`` to build a model or raise ``InvalidInput`` with them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from store.errors import InvalidInput

_FRIENDLY = {
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "date_from_datetime_parsing": "must be a date like 2026-12-31",
    "date_parsing": "must be a date like 2026-12-31",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_long": "is too long (at most {max_length} characters)",
    "string_pattern_mismatch": "must be lower-case letters, digits and hyphens",
    "extra_forbidden": "is not a known field",
}


def problems_from(error: ValidationError) -> dict[str, str]:
    """Turn a pydantic error into ``{field: message}`` a person can act on."""
    problems: dict[str, str] = {}
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "value"
        kind = item["type"]
        if kind == "value_error":
            message = str(item["ctx"]["error"])
        elif kind == "enum":
            message = f"must be one of {item['ctx']['expected']}"
        elif kind in _FRIENDLY:
            message = _FRIENDLY[kind].format(**item.get("ctx", {}))
        else:
            message = item["msg"][:1].lower() + item["msg"][1:]
        problems.setdefault(field, message)
    return problems


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """Build ``model`` from ``data`` or raise InvalidInput with readable messages."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(problems_from(error)) from None
