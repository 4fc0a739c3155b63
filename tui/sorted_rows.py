"""A view's companies in sort order, kept change by change: a change costs the companies it
touched, not the size of the list.

What holds between calls (``SortedRows``):

- ``rows`` is in ``order``, which is total (no two rows share a key: ``view_actions.SORTS``
  ends every key with the id), so a row's key finds its place by bisection;
- ``by_id()`` maps the id of every row in ``rows`` to that very row (made when first
  needed: a change, or the search's warm-up thread, not the frame that sorts the list);
- ``rows`` is never changed in place: a change makes a new list (a copy, then a few
  deletions and insertions). The search index and the table recognise a list by identity,
  so a list they were handed keeps meaning what it meant.

``patch`` returns the ``Edits`` it made, in order: (index, None) removed the row at index,
(index, row) inserted row there. Applied in turn to any list parallel to the old rows (the
search index's texts), they give the list parallel to the new ones.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from operator import attrgetter
from threading import Lock
from typing import Any

from store.rows import CompanyRow

Edits = list[tuple[int, CompanyRow | None]]
Order = Callable[[CompanyRow], Any]


class SortedRows:
    """The rows of one view in one order (see the module docstring)."""

    def __init__(self, rows: Iterable[CompanyRow], order: Order) -> None:
        """Sort ``rows`` by ``order`` (every row read: a new view, not a change)."""
        self.order = order
        self.rows: list[CompanyRow] = sorted(rows, key=order)
        self._by_id: dict[str, CompanyRow] | None = None
        self._lock = Lock()
        """Held while ``_by_id`` is made or changed: a worker thread may make it ahead."""

    def by_id(self) -> dict[str, CompanyRow]:
        """Every row by id, made on first use (or ahead, by ``index`` in a worker thread)."""
        with self._lock:
            if self._by_id is None:
                rows = self.rows
                self._by_id = dict(zip(map(attrgetter("id"), rows), rows, strict=True))
            return self._by_id

    def position(self, row: CompanyRow | None) -> int | None:
        """Where ``row`` (a company's current row) is in ``rows``, by bisection."""
        if row is None:
            return None
        index = bisect_left(self.rows, self.order(row), key=self.order)
        found = index < len(self.rows) and self.rows[index].id == row.id
        return index if found else None

    def patch(self, changed: Iterable[str], current: Callable[[str], CompanyRow | None]) -> Edits:
        """Bring ``rows`` up to date with the companies ``changed``: ``current(id)`` is a
        company's row now, or None when this view does not show it (any more)."""
        by_id = self.by_id()
        with self._lock:
            rows, order = list(self.rows), self.order
            edits: Edits = []
            for company_id in changed:
                old, new = by_id.pop(company_id, None), current(company_id)
                if old is not None:
                    index = bisect_left(rows, order(old), key=order)
                    del rows[index]
                    edits.append((index, None))
                if new is not None:
                    index = bisect_left(rows, order(new), key=order)
                    rows.insert(index, new)
                    by_id[company_id] = new
                    edits.append((index, new))
            self.rows = rows
        return edits
