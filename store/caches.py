"""What the workbench memoises over its database, and how each change keeps it true.

Everything here is derived from the tables alone: a second ``Caches`` over the same
database gives the same answers (``tests/store/test_tallies.py`` compares the two after
random changes). ``changed(ops)`` runs after every change and undo, whether it was committed
or rolled back, and re-reads only the companies its ops name.

Invariants, between calls:

- ``latest_runs``: per company id, its newest run record (by created time, then sequence);
  ``runs_of``: per company id, all its run records, in no particular order. Both are the runs
  table indexed afresh whenever a change touches that table.
- ``rows()``: built on first use; from then on one ``CompanyRow`` per company record, built
  from that record and its entry in ``latest_runs``.
- layer scores (``layer_totals``): built on first use; per layer id (None: no layer), how many
  pipeline rows (any status but ``reference``) have each score (None: not scored). A layer
  without such rows has no entry, a score no row has is not counted. Layer references
  (``layer_references``), built with them: per layer id, how many ``reference`` rows it has
  (the starter set: reference points, left out of the pipeline's counts and averages).
- inbox reasons: as of one day, every company for which ``inbox_reason(row, day)`` is not
  empty, with that reason. On another day they are built again (dates move companies in
  and out).
- passes: every passed company with a reason, with when it was passed and the reason.
- inbox: the ordered inbox as of one (revision, day); any other revision or day builds it anew.
- relations (``relations_of``): built on first use; per company id, every relation record
  that names it (from or to), by relation id. A change's relation ops take each one out
  under its earlier copy's companies and put it back under its stored one's.
- ``revision`` counts changes and undos; ``recent`` keeps the latest ``RECENT_CHANGES`` of
  them with the companies each touched.

Layer scores, inbox reasons and passes are built from the rows, so they exist only once the
rows do; a changed row updates each of them by taking out its old entry and putting in its new.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from math import fsum
from typing import Any

from store import clock
from store.db import Database, Record, gc_paused
from store.models import Status
from store.rows import CompanyRow
from store.triage import inbox_reason, passed_at

COMPANIES, RUNS, RELATIONS = "companies", "runs", "relations"
RECENT_CHANGES = 64
"""How many revisions back a view can catch up change by change."""

InboxItem = tuple[CompanyRow, str]


class Caches:
    """The workbench's memoised views of one database (see the module docstring)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.latest_runs: dict[str, Record] = {}
        self.runs_of: dict[str, list[Record]] = {}
        self.revision = 0
        self.recent: deque[tuple[int, frozenset[str]]] = deque(maxlen=RECENT_CHANGES)
        self._rows: dict[str, CompanyRow] | None = None
        self._layer_scores: dict[str | None, Counter[float | None]] | None = None
        self._layer_references: Counter[str | None] = Counter()
        self._inbox_reasons: dict[str, str] | None = None
        self._inbox_day = ""
        self._passes: dict[str, tuple[str, str]] | None = None
        self._inbox: tuple[tuple[int, str], list[InboxItem]] | None = None
        self._relations: dict[str, dict[str, Record]] | None = None
        self.index_runs()

    # Runs and rows --------------------------------------------------------------------------

    def index_runs(self) -> None:
        """Index the runs table by company again."""
        latest: dict[str, Record] = {}
        runs_of: dict[str, list[Record]] = {}
        for run in self.database.table(RUNS).values():
            company_id = run["company_id"]
            runs_of.setdefault(company_id, []).append(run)
            current = latest.get(company_id)
            if current is None or _run_order(run) > _run_order(current):
                latest[company_id] = run
        self.latest_runs, self.runs_of = latest, runs_of

    def rows(self) -> dict[str, CompanyRow]:
        """Every company's row, by id."""
        if self._rows is None:
            runs = self.latest_runs
            with gc_paused():
                self._rows = {
                    key: CompanyRow.build(record, runs.get(key))
                    for key, record in self.database.table(COMPANIES).items()
                }
        return self._rows

    def relations_of(self, company_id: str) -> dict[str, Record]:
        """The relation records naming ``company_id``, by id (read-only)."""
        if self._relations is None:
            index: dict[str, dict[str, Record]] = {}
            for key, record in self.database.table(RELATIONS).items():
                index.setdefault(record["from_company"], {})[key] = record
                index.setdefault(record["to_company"], {})[key] = record
            self._relations = index
        return self._relations.get(company_id, {})

    def _reindex_relation(self, key: str, before: Record | None) -> None:
        if self._relations is None:
            return
        if before is not None:
            for company_id in (before["from_company"], before["to_company"]):
                self._relations.get(company_id, {}).pop(key, None)
        record = self.database.get(RELATIONS, key)
        if record is not None:
            for company_id in (record["from_company"], record["to_company"]):
                self._relations.setdefault(company_id, {})[key] = record

    # Keeping up with changes ----------------------------------------------------------------

    def changed(self, ops: list[dict[str, Any]]) -> None:
        """Bring every cache in step with a change's ops (applied or reverted)."""
        if any(op["table"] == RUNS for op in ops):
            self.index_runs()
        for op in ops:
            if op["table"] == RELATIONS:
                self._reindex_relation(op["key"], op["before"])
        affected = self._companies_in(ops)
        self.revision += 1
        self.recent.append((self.revision, frozenset(affected)))
        if self._rows is not None:
            for company_id in affected:
                self._update_row(company_id)

    def changed_after(self, revision: int) -> set[str] | None:
        """Ids of the companies changed after ``revision``; None if that is too long ago
        to tell (then a view reads everything again)."""
        if revision == self.revision:
            return set()
        if revision > self.revision or not self.recent or self.recent[0][0] > revision + 1:
            return None
        return {
            company_id
            for number, touched in self.recent
            if number > revision
            for company_id in touched
        }

    def _companies_in(self, ops: list[dict[str, Any]]) -> set[str]:
        """The companies whose rows ``ops`` may change: their own records and their runs;
        and the companies of the relations they touch (whose chains a view shows)."""
        affected: set[str] = set()
        for op in ops:
            if op["table"] == COMPANIES:
                affected.add(op["key"])
            elif op["table"] == RELATIONS:
                for record in (op["before"], self.database.get(RELATIONS, op["key"])):
                    if record is not None:
                        affected.update((record["from_company"], record["to_company"]))
            elif op["table"] == RUNS:
                run = op["before"] or self.database.get(RUNS, op["key"]) or {}
                if run.get("company_id"):
                    affected.add(run["company_id"])
        return affected

    def _update_row(self, company_id: str) -> None:
        assert self._rows is not None
        old = self._rows.get(company_id)
        record = self.database.get(COMPANIES, company_id)
        new = None
        if record is None:
            self._rows.pop(company_id, None)
        else:
            new = CompanyRow.build(record, self.latest_runs.get(company_id))
            self._rows[company_id] = new
        self._count_score(old, new)
        self._sort_into_inbox(company_id, new)
        self._note_pass(company_id, new)

    def _count_score(self, old: CompanyRow | None, new: CompanyRow | None) -> None:
        if self._layer_scores is None:
            return
        if old is not None and not old.status.in_pipeline:
            self._layer_references[old.layer] -= 1
            if not self._layer_references[old.layer]:
                del self._layer_references[old.layer]
        elif old is not None:
            scores = self._layer_scores[old.layer]
            scores[old.score] -= 1
            if not scores[old.score]:
                del scores[old.score]
            if not scores:
                del self._layer_scores[old.layer]
        if new is not None and not new.status.in_pipeline:
            self._layer_references[new.layer] += 1
        elif new is not None:
            self._layer_scores.setdefault(new.layer, Counter())[new.score] += 1

    def _sort_into_inbox(self, company_id: str, new: CompanyRow | None) -> None:
        if self._inbox_reasons is None:
            return
        self._inbox_reasons.pop(company_id, None)
        if new is not None and (reason := inbox_reason(new, self._inbox_day)):
            self._inbox_reasons[company_id] = reason

    def _note_pass(self, company_id: str, new: CompanyRow | None) -> None:
        if self._passes is None:
            return
        self._passes.pop(company_id, None)
        if new is not None and (entry := self._pass_of(new)):
            self._passes[company_id] = entry

    # Tallies --------------------------------------------------------------------------------

    def layer_totals(self) -> dict[str | None, tuple[int, float | None]]:
        """Per layer id (None: no layer): how many companies in the pipeline, and their
        average score (reference companies are left out)."""
        if self._layer_scores is None:
            tallies: defaultdict[str | None, Counter[float | None]] = defaultdict(Counter)
            references: Counter[str | None] = Counter()
            for row in self.rows().values():
                if row.status.in_pipeline:
                    tallies[row.layer][row.score] += 1
                else:
                    references[row.layer] += 1
            tallies.default_factory = None  # a plain dict from here on
            self._layer_scores, self._layer_references = tallies, references
        totals: dict[str | None, tuple[int, float | None]] = {}
        for layer, scores in self._layer_scores.items():
            scored = [(value, count) for value, count in scores.items() if value is not None]
            how_many = sum(count for _, count in scored)
            average = fsum(value * count for value, count in scored) / how_many if scored else None
            totals[layer] = (sum(scores.values()), average)
        return totals

    def layer_references(self) -> dict[str | None, int]:
        """Per layer id (None: no layer): how many reference companies, when any."""
        self.layer_totals()
        return dict(self._layer_references)

    def inbox_reasons(self) -> dict[str, str]:
        """Company id to why it is in the inbox today."""
        today = clock.today().isoformat()
        if self._inbox_reasons is None or self._inbox_day != today:
            self._inbox_reasons = {
                row.id: reason
                for row in self.rows().values()
                if (reason := inbox_reason(row, today))
            }
            self._inbox_day = today
        return self._inbox_reasons

    def inbox(self) -> list[InboxItem]:
        """The inbox, newest first (then by name), each company with why it is there.

        The caller gets the cached list itself and must not change it."""
        key = (self.revision, clock.today().isoformat())
        if self._inbox is not None and self._inbox[0] == key:
            return self._inbox[1]
        rows = self.rows()
        items = [(rows[company_id], reason) for company_id, reason in self.inbox_reasons().items()]
        items.sort(key=lambda item: (item[0].name.casefold(), item[0].id))
        items.sort(key=lambda item: item[0].created, reverse=True)
        self._inbox = (key, items)
        return items

    def passes(self) -> dict[str, tuple[str, str]]:
        """Per company passed with a reason: when it was passed, and the reason."""
        if self._passes is None:
            self._passes = {
                row.id: entry for row in self.rows().values() if (entry := self._pass_of(row))
            }
        return self._passes

    def _pass_of(self, row: CompanyRow) -> tuple[str, str] | None:
        """When ``row``'s company was passed and why, if it is passed with a reason."""
        if row.status != Status.PASSED:
            return None
        record = self.database.get(COMPANIES, row.id) or {}
        reason = record.get("pass_reason", "")
        return (passed_at(record), reason) if reason else None


def _run_order(run: Record) -> tuple[str, int]:
    return run["created"], run.get("sequence", 0)
