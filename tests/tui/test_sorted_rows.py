"""A view's list kept change by change (``SortedRows``) and the search's listing patched with
it give what sorting and searching every company afresh would give."""

from __future__ import annotations

import random

import pytest

from store.rows import CompanyRow
from tui.screens.view_actions import SORTS
from tui.search import SearchIndex
from tui.sorted_rows import SortedRows

WORDS = ("nova", "grid", "optics", "power", "novel", "groq", "photon", "cool")


def _row(rng: random.Random, company_id: str) -> CompanyRow:
    record = {
        "id": company_id,
        "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)}",
        "layer": rng.choice(["power", "compute", None]),
        "status": rng.choice(["new", "watching", "passed"]),
        "tags": rng.sample(WORDS, 2),
        "one_liner": " ".join(rng.sample(WORDS, 3)),
        "updated": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T00:00:00Z",
    }
    return CompanyRow.build(record, None)


def _notes(company_id: str) -> str:
    return "churn" if company_id.endswith("7") else ""


@pytest.mark.parametrize("sort", range(len(SORTS)))
def test_a_patched_list_and_its_search_match_a_fresh_sort_and_search(sort: int) -> None:
    rng = random.Random(sort)
    order = SORTS[sort][1]
    store = {f"co-{i:03}": _row(rng, f"co-{i:03}") for i in range(300)}

    def shown(company_id: str) -> CompanyRow | None:
        row = store.get(company_id)
        return row if row is not None and row.layer == "power" else None

    view = SortedRows((row for row in store.values() if shown(row.id)), order)
    search = SearchIndex(_notes)
    queries = ["", "nova", "no", "power grid", "churn", "zzz", "nvoa", "status:watch"]
    for step in range(60):
        query = queries[step % len(queries)]
        search.filter(view.rows, query)  # the listing the next change patches, if any
        changed = set(rng.sample(sorted(store), 3)) | {f"co-new-{step}"}
        for company_id in changed:
            if rng.random() < 0.2:
                store.pop(company_id, None)
            else:
                store[company_id] = _row(rng, company_id)
        old = view.rows
        edits = view.patch(changed, shown)
        search.patch(old, view.rows, edits)
        fresh = sorted((row for row in store.values() if shown(row.id)), key=order)
        assert view.rows == fresh and view.rows is not old
        assert view.by_id() == {row.id: row for row in fresh}
        for row in rng.sample(fresh, 5):
            assert view.position(row) == fresh.index(row)
            assert search.position(view.rows, row.id) == fresh.index(row)
        assert view.position(None) is None
        assert view.position(_row(rng, "co-none")) is None
        for again in {query, queries[(step + 1) % len(queries)]}:
            expected = SearchIndex(_notes).filter(fresh, again)
            assert search.filter(view.rows, again) == expected, (step, again)
