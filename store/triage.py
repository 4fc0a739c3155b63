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


def _passed_at(record: dict) -> str:
    """When a company was last passed: its latest move to passed, else its last update."""
    moves = [
        entry["at"] for entry in record.get("status_log", ()) if entry.get("after") == "passed"
    ]
    return max(moves, default=record.get("updated", ""))


def inbox_reason(row: CompanyRow, today: str) -> str:
    """Why ``row`` waits in the inbox on day ``today`` (ISO), or "" if it does not."""
    reasons = []
    snoozed = bool(row.revisit) and row.revisit > today
    if row.status == Status.NEW and row.source != STARTER_SOURCE and not snoozed:
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

        New companies (not the starter set) unless snoozed with a revisit date
        still to come, companies due for a revisit, and companies without a layer
        that we have not passed on.
        """
        key, items, ordered = self._inbox_items()
        if not ordered:
            items.sort(key=lambda item: (item[0].name.casefold(), item[0].id))
            items.sort(key=lambda item: item[0].created, reverse=True)
            self._inbox = (key, items, True)
        return list(items)

    def inbox_count(self: Workbench) -> int:
        """How many companies are in the inbox (without ordering them)."""
        return len(self._inbox_map())

    def _inbox_map(self: Workbench) -> dict[str, str]:
        """Company id to why it is in the inbox today; after the first call of a day,
        each change updates only the companies it touched."""
        today = clock.today().isoformat()
        if self._inbox_reasons is None or self._inbox_day != today:
            self._inbox_reasons = {
                row.id: reason
                for row in self._row_cache().values()
                if (reason := inbox_reason(row, today))
            }
            self._inbox_day = today
        return self._inbox_reasons

    def _inbox_items(self: Workbench) -> tuple[tuple[int, str], list[tuple[CompanyRow, str]], bool]:
        """The inbox as of this change and day (computed once for both), and whether sorted."""
        today = clock.today().isoformat()
        key = (self.revision, today)
        if self._inbox is not None and self._inbox[0] == key:
            return self._inbox
        rows = self._row_cache()
        items = [(rows[company_id], reason) for company_id, reason in self._inbox_map().items()]
        self._inbox = (key, items, False)
        return self._inbox

    def recent_pass_reasons(self: Workbench, limit: int = 5) -> list[str]:
        """The reasons of the latest passes, newest first, without repeats.

        Passes in the same second are told apart by the change log's order.
        """
        if self._passes is None:
            self._passes = {
                row.id: entry for row in self._row_cache().values() if (entry := self._pass_of(row))
            }
        latest_change: dict[str, str] = {}
        for sequence, change in sorted(self.database.table(CHANGES).items()):
            for op in change["ops"]:
                if op["table"] == COMPANIES:
                    latest_change[op["key"]] = sequence
        passed = sorted(
            (
                (passed_at, latest_change.get(company_id, ""), reason)
                for company_id, (passed_at, reason) in self._passes.items()
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

    def _pass_of(self: Workbench, row: CompanyRow) -> tuple[str, str] | None:
        """When ``row``'s company was passed and why, if it is passed with a reason."""
        if row.status != Status.PASSED:
            return None
        record = self.database.get(COMPANIES, row.id) or {}
        reason = record.get("pass_reason", "")
        return (_passed_at(record), reason) if reason else None

    def upcoming_revisits(self: Workbench, limit: int = 5) -> list[CompanyRow]:
        """The next companies due for a revisit, soonest first."""
        today = clock.today().isoformat()
        later = [row for row in self._row_cache().values() if row.revisit and row.revisit > today]
        return sorted(later, key=lambda row: (row.revisit, row.name.casefold()))[:limit]

    def changed_since(self: Workbench, moment: str) -> list[tuple[CompanyRow, str]]:
        """Companies added, changed or scored at or after ``moment`` (ISO), newest first."""
        items = []
        for row in self._row_cache().values():
            run = self._latest_runs.get(row.id)
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
        """Decisions, runs and additions since ``since`` (ISO timestamp or date)."""
        names = {layer.id: layer.name for layer in self.layers()}
        return activity_since(
            since,
            self.database.table(COMPANIES).values(),
            self.database.table(RUNS).values(),
            names,
        )
