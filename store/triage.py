"""Triage queries of the workbench: the inbox, revisits, what changed since a moment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store import clock
from store.models import Status
from store.report import Activity, activity_since
from store.rows import CompanyRow
from store.seed import STARTER_SOURCE

if TYPE_CHECKING:
    from store.service import Workbench

COMPANIES, RUNS, CHANGES = "companies", "runs", "changes"


def passed_at(record: dict) -> str:
    """When a company was last passed: its latest move to passed, else its last update."""
    moves = [
        entry["at"] for entry in record.get("status_log", ()) if entry.get("after") == "passed"
    ]
    return max(moves, default=record.get("updated", ""))


def inbox_reason(row: CompanyRow, today: str) -> str:
    """Why ``row`` waits in the inbox on day ``today`` (ISO), or "" if it does not."""
    if row.status is Status.REFERENCE:  # a reference point, outside the pipeline
        return ""
    reasons = []
    snoozed = bool(row.revisit) and row.revisit > today
    if row.status is Status.NEW and not snoozed:
        reasons.append("new")
    if row.revisit and row.revisit <= today:
        reasons.append("revisit due")
    if row.layer is None and row.status != Status.PASSED:
        reasons.append("no layer")
    return ", ".join(reasons)


class TriageQueries:
    """Mixed into Workbench: what waits for a decision, and what happened."""

    def inbox(self: Workbench) -> list[tuple[CompanyRow, str]]:
        """Companies waiting for a decision, newest first, each with why it is here.

        New companies unless snoozed with a revisit date still to come, companies due
        for a revisit, and companies without a layer that we have not passed on; never a
        reference company (the starter set, until someone moves one into the pipeline).
        """
        return list(self._caches.inbox())

    def inbox_count(self: Workbench) -> int:
        """How many companies are in the inbox (without ordering them)."""
        return len(self._caches.inbox_reasons())

    def recent_pass_reasons(self: Workbench, limit: int = 5) -> list[str]:
        """The reasons of the latest passes, newest first, without repeats.

        Passes in the same second are told apart by the change log's order.
        """
        latest_change: dict[str, str] = {}
        for sequence, change in sorted(self.database.table(CHANGES).items()):
            for op in change["ops"]:
                if op["table"] == COMPANIES:
                    latest_change[op["key"]] = sequence
        passed = sorted(
            (
                (when, latest_change.get(company_id, ""), reason)
                for company_id, (when, reason) in self._caches.passes().items()
            ),
            reverse=True,
        )
        reasons: list[str] = []
        for *_, reason in passed:
            if reason not in reasons:
                reasons.append(reason)
                if len(reasons) == limit:
                    break
        return reasons

    def upcoming_revisits(self: Workbench, limit: int = 5) -> list[CompanyRow]:
        """The next companies due for a revisit, soonest first."""
        today = clock.today().isoformat()
        later = [row for row in self._caches.rows().values() if row.revisit and row.revisit > today]
        return sorted(later, key=lambda row: (row.revisit, row.name.casefold()))[:limit]

    def changed_since(self: Workbench, moment: str) -> list[tuple[CompanyRow, str]]:
        """Companies added, changed or scored at or after ``moment`` (ISO), newest first."""
        items = []
        for row in self._caches.rows().values():
            run = self._caches.latest_runs.get(row.id)
            if row.created >= moment and row.source != STARTER_SOURCE:
                what = "added"
            elif run is not None and run["created"] >= moment:
                what = "scored"
            elif row.updated >= moment:
                what = "changed"
            else:
                continue
            items.append((row, what))
        items.sort(key=lambda item: item[0].updated, reverse=True)
        return items

    def activity(self: Workbench, since: str) -> Activity:
        """Decisions, runs and additions since ``since`` (ISO timestamp or date). A move to
        ``reference`` takes a company out of the pipeline and is no decision on it, so it is
        left out; a move out of it, into the pipeline, is a decision like any other, and a
        checklist run counts whatever the company's status (scoring is work done)."""
        names = {layer.id: layer.name for layer in self.layers()}
        return activity_since(
            since,
            map(_without_moves_to_reference, self.database.table(COMPANIES).values()),
            self.database.table(RUNS).values(),
            names,
        )


REFERENCE = Status.REFERENCE.value


def _without_moves_to_reference(record: dict) -> dict:
    """``record``, or a copy whose status history leaves out the moves to ``reference``."""
    log = record.get("status_log", ())
    if not any(entry.get("after") == REFERENCE for entry in log):
        return record
    return {**record, "status_log": [entry for entry in log if entry.get("after") != REFERENCE]}
