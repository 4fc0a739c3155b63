"""A record whose dict keys carry escape sequences is shown, without the entry at fault."""

from __future__ import annotations

from store.models import Company
from store.stored import shown


def test_an_imported_column_named_with_escapes_and_no_value_is_left_out() -> None:
    record = {
        "id": "co-0123456789ab",
        "name": "Replicate",
        "layer": "orchestration",
        "source_data": {"\x1b[31mred\x1b[0m": None, "Founded": "2019"},
    }
    company, problem = shown(Company, record)
    assert company.source_data == {"Founded": "2019"}
    assert problem.startswith("its imported columns")
