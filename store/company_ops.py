"""Company operations of the workbench: add, edit, delete, note, decide, tag, score.

Each validates everything first and then makes one change (``Workbench._change``), so an
operation on several companies lands whole or not at all. A company whose stored record
breaks a rule is refused (``_whole``) rather than changed, which would drop the value at
fault; ``edit_company`` starts from the stored record so it can correct that value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from store import clock
from store.errors import InvalidInput
from store.models import (
    Answer,
    AnswerEntry,
    ChecklistRun,
    Company,
    Note,
    Status,
    StatusChange,
    normalise_tags,
)
from store.problems import validated
from store.scoring import score
from store.seed import STARTER_TAG

if TYPE_CHECKING:
    from store.service import Workbench

COMPANIES, LAYERS, RUNS = "companies", "layers", "runs"
AnswerValue = Answer | str | AnswerEntry | Mapping[str, str]
"""An answer as callers give it: the answer alone, or with its comment."""


class CompanyOps:
    """Mixed into Workbench: what users do to companies."""

    def add_company(self: Workbench, name: str, layer: str | None = None, **fields: Any) -> Company:
        """Add a company; ``fields`` are any other Company fields."""
        company = validated(Company, {"name": name, "layer": layer, "source": "manual", **fields})
        self._check_layer(company.layer)
        self._check_unique_name(company.name)
        _check_pass_reason(company)
        # A company added with a decision already made (passed, watching...) made it now.
        company = _log_status(company.model_copy(update={"status": Status.NEW}), company)
        with self._change(f"Added {company.name}") as change:
            change.put(COMPANIES, company.model_dump(mode="json"))
        return company

    def edit_company(self: Workbench, company_id: str, **fields: Any) -> Company:
        """Change some fields of a company; nothing is saved unless all are valid."""
        current = self.company(company_id)
        for protected in ("id", "created", "notes"):
            fields.pop(protected, None)
        # From the stored record, not the company as shown: a value at fault stays until
        # the edit replaces it, and is named if it does not.
        data = {**self._record(company_id), **fields, "updated": clock.now()}
        if data.get("status") != Status.PASSED:
            data["pass_reason"] = ""
        company = _log_status(current, validated(Company, data))
        self._check_layer(company.layer)
        self._check_unique_name(company.name, company.id)
        _check_pass_reason(company)
        with self._change(f"Edited {company.name}") as change:
            change.put(COMPANIES, company.model_dump(mode="json"))
        return company

    def delete_companies(
        self: Workbench, company_ids: Iterable[str], label: str | None = None
    ) -> int:
        """Delete companies with their checklist runs and relations, as one change (named
        ``label``, or "Deleted NAME" / "Deleted N companies"); undo brings them back."""
        ids = [cid for cid in dict.fromkeys(company_ids) if self.database.get(COMPANIES, cid)]
        if not ids:
            return 0
        label = label or (
            f"Deleted {self.database.get(COMPANIES, ids[0])['name']}"
            if len(ids) == 1
            else (f"Deleted {len(ids)} companies")
        )
        runs_of = self._caches.runs_of
        run_ids = [r["id"] for company_id in set(ids) for r in runs_of.get(company_id, ())]
        with self._change(label) as change:
            change.delete(RUNS, run_ids)
            change.delete("relations", self._relation_ids(ids))  # undo brings them back
            change.delete(COMPANIES, ids)
        return len(ids)

    def starter_ids(self: Workbench) -> list[str]:
        """Every company tagged ``starter``, whatever its status, in name order."""
        rows = [
            row
            for row in self._caches.rows().values()
            if any(tag.casefold() == STARTER_TAG for tag in row.tags)
        ]
        return [row.id for row in sorted(rows, key=lambda row: (row.name.casefold(), row.id))]

    def remove_starters(self: Workbench) -> int:
        """Delete every company tagged ``starter`` (with its runs) as one change, which one
        undo brings back whole; returns how many."""
        ids = self.starter_ids()
        companies = "company" if len(ids) == 1 else "companies"
        return self.delete_companies(ids, f"Deleted {len(ids)} starter {companies}")

    def add_note(self: Workbench, company_id: str, body: str, author: str | None = None) -> Note:
        """Add a Markdown note to a company."""
        current = self._whole(company_id)
        note = validated(Note, {"body": body, "author": author or self.author})
        updated = current.model_copy(
            update={"notes": [*current.notes, note], "updated": clock.now()}
        )
        with self._change(f"Added a note to {current.name}") as change:
            change.put(COMPANIES, updated.model_dump(mode="json"))
        return note

    def set_status(
        self: Workbench, company_ids: Iterable[str], status: Status | str, reason: str = ""
    ) -> int:
        """Move companies to ``status``; passing needs a reason."""
        status = validated(_StatusInput, {"status": status}).status
        if status == Status.PASSED and not reason.strip():
            raise InvalidInput({"pass_reason": "a reason is required to pass on a company"})
        pass_reason = reason.strip() if status == Status.PASSED else ""
        today = clock.today()

        def decided(company: Company) -> dict[str, Any]:
            # Deciding on a company that was due for a revisit is the revisit.
            due = company.revisit is not None and company.revisit <= today
            return {
                "status": status,
                "pass_reason": pass_reason,
                "revisit": None if due else company.revisit,
            }

        return self._update_many(company_ids, f"Set status {status.value}", decided)

    def set_revisit(self: Workbench, company_ids: Iterable[str], revisit: date | str | None) -> int:
        """Set (or clear, with None) the date to look at companies again."""
        when = validated(_RevisitInput, {"revisit": revisit}).revisit
        label = f"Revisit on {when.isoformat()}" if when else "Cleared revisit date"
        return self._update_many(company_ids, label, lambda c: {"revisit": when})

    def set_tags(self: Workbench, company_id: str, tags: Iterable[str]) -> Company:
        """Replace a company's tags."""
        return self.edit_company(company_id, tags=list(tags))

    def add_tag(self: Workbench, company_ids: Iterable[str], tag: str) -> int:
        """Add one tag to several companies."""
        (tag,) = _one_tag(tag)
        return self._update_many(company_ids, f"Tagged {tag}", lambda c: {"tags": [*c.tags, tag]})

    def remove_tag(self: Workbench, company_ids: Iterable[str], tag: str) -> int:
        """Remove one tag from several companies."""
        (tag,) = _one_tag(tag)
        folded = tag.casefold()
        return self._update_many(
            company_ids,
            f"Untagged {tag}",
            lambda c: {"tags": [t for t in c.tags if t.casefold() != folded]},
        )

    def record_run(
        self: Workbench, company_id: str, answers: Mapping[str, AnswerValue]
    ) -> ChecklistRun:
        """Score ``answers`` with the current checklist and keep the run."""
        company = self._whole(company_id)
        entries = {qid: _entry(value) for qid, value in answers.items()}
        unknown = sorted(set(entries) - set(self.checklist.by_id))
        if unknown:
            raise InvalidInput({"answers": f"unknown question ids {', '.join(unknown)}"})
        result = score(self.checklist, {qid: e.answer for qid, e in entries.items()})
        latest = self._caches.latest_runs.get(company.id)
        run = ChecklistRun(
            sequence=(latest.get("sequence", 0) if latest else 0) + 1,
            company_id=company.id,
            checklist_id=self.checklist.id,
            checklist_version=self.checklist.version,
            author=self.author,
            answers=entries,
            score=result.score,
            coverage=result.coverage,
            verdict=result.verdict,
        )
        stamp = company.model_copy(update={"updated": clock.now()})
        with self._change(f"Scored {company.name}: {result.verdict.label}") as change:
            change.put(RUNS, run.model_dump(mode="json"))
            change.put(COMPANIES, stamp.model_dump(mode="json"))
        return run

    def _update_many(
        self: Workbench,
        company_ids: Iterable[str],
        label: str,
        update: Callable[[Company], dict[str, Any]],
    ) -> int:
        """Apply ``update`` to each company as one change labelled ``label: who``."""
        stamp = clock.now()
        updated = []
        for company_id in dict.fromkeys(company_ids):
            current = self._whole(company_id)
            data = {**current.model_dump(), **update(current), "updated": stamp}
            updated.append(_log_status(current, validated(Company, data)).model_dump(mode="json"))
        if not updated:
            return 0
        suffix = updated[0]["name"] if len(updated) == 1 else f"{len(updated)} companies"
        with self._change(f"{label}: {suffix}") as change:
            change.put_many(COMPANIES, updated)
        return len(updated)

    def _check_layer(self: Workbench, layer_id: str | None) -> None:
        if layer_id is not None and self.database.get(LAYERS, layer_id) is None:
            self.layer(layer_id)

    def _check_unique_name(self: Workbench, name: str, company_id: str | None = None) -> None:
        folded = name.strip().casefold()
        for record in self.database.table(COMPANIES).values():
            if record["name"].casefold() == folded and record["id"] != company_id:
                raise InvalidInput({"name": f"a company named {record['name']!r} already exists"})


class _StatusInput(BaseModel):
    status: Status


class _RevisitInput(BaseModel):
    revisit: date | None


def _log_status(before: Company, after: Company) -> Company:
    """``after`` with its status change (if any) appended to the status log."""
    if before.status == after.status:
        return after
    change = StatusChange(before=before.status, after=after.status, reason=after.pass_reason)
    return after.model_copy(update={"status_log": [*after.status_log, change]})


def _one_tag(tag: str) -> list[str]:
    try:
        tags = normalise_tags([tag])
    except ValueError as error:
        raise InvalidInput({"tags": str(error)}) from None
    if not tags:
        raise InvalidInput({"tags": "a tag must not be empty"})
    return tags


def _entry(value: AnswerValue) -> AnswerEntry:
    if isinstance(value, AnswerEntry):
        return value
    if isinstance(value, Mapping):
        return validated(AnswerEntry, value)
    return validated(AnswerEntry, {"answer": value})


def _check_pass_reason(company: Company) -> None:
    if company.status == Status.PASSED and not company.pass_reason.strip():
        raise InvalidInput({"pass_reason": "a reason is required to pass on a company"})
