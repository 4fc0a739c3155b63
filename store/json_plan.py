"""Turning a moatscope JSON export into a plan, by the same rules as a CSV import.

Layers the database lacks are added; companies are matched by id, then as CSV rows are
(domain, provider id, name); a company already there gets its empty fields, the notes
and the checklist runs it lacks, and nothing else.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from store.import_match import Matcher
from store.import_plan import ImportPlan, Outcome, fill_empty
from store.importing import clean, one_line
from store.models import ChecklistRun, Company, Layer, problems_from


class JsonPlanner:
    """Builds an ImportPlan from a moatscope JSON export, by the same rules as CSV."""

    def __init__(
        self,
        records: dict[str, dict[str, Any]],
        layers: list[Layer],
        run_ids: set[str],
        source: str,
    ) -> None:
        self.records = records
        self.matcher = Matcher(records.values())
        self.layer_ids = {layer.id for layer in layers}
        self.run_ids = run_ids
        self.plan = ImportPlan(source)
        self.updated: dict[str, dict[str, Any]] = {}
        """Companies already here, as the plan leaves them so far."""

    def plan_export(self, data: dict[str, Any]) -> ImportPlan:
        """Plan layers, companies (with notes) and runs of an export."""
        self._plan_layers(data.get("layers", []))
        runs_of: dict[str, list[dict[str, Any]]] = {}
        for run in data.get("runs", []):
            if isinstance(run, dict) and isinstance(run.get("company_id"), str):
                runs_of.setdefault(run["company_id"], []).append(run)
        for number, raw in enumerate(data.get("companies", []), 1):
            self.plan.outcomes.append(self._company(number, raw, runs_of))
        self.plan.updates = list(self.updated.values())
        return self.plan

    def _plan_layers(self, layers: list[Any]) -> None:
        """Add the valid layers the database lacks."""
        for raw in layers:
            try:
                layer = Layer.model_validate(raw)
            except ValidationError:
                continue
            if layer.id not in self.layer_ids:
                self.layer_ids.add(layer.id)
                self.plan.layers.append(layer.model_dump(mode="json"))

    def _company(self, number: int, raw: Any, runs_of: dict[str, list[dict[str, Any]]]) -> Outcome:
        if not isinstance(raw, dict):
            return Outcome(number, "", "skip", "not a company record")
        try:
            company = Company.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(f"{k} {v}" for k, v in problems_from(error).items())
            name = one_line(clean(str(raw.get("name", ""))))[0][:80]
            return Outcome(number, name, "skip", problems)
        reason = ""
        if company.layer is not None and company.layer not in self.layer_ids:
            reason = f"layer {company.layer!r} is not a layer here; left unsorted"
            company = company.model_copy(update={"layer": None})
        record = company.model_dump(mode="json")
        existing = self.records.get(company.id)
        matched_by = "same id"
        if existing is None:
            existing, matched_by = self.matcher.find(record)
        runs = self._new_runs(
            runs_of.get(company.id, []), existing["id"] if existing else company.id
        )
        if existing is None:
            self.plan.additions.append(record)
            self.matcher.add(record)
            self.plan.runs.extend(runs)
            return Outcome(
                number, company.name, "add", reason, company.layer, "from the file", company.id
            )
        return self._merge(number, record, existing, matched_by, runs)

    def _merge(
        self,
        number: int,
        record: dict[str, Any],
        existing: dict[str, Any],
        matched_by: str,
        runs: list[dict[str, Any]],
    ) -> Outcome:
        """A company already here (or earlier in the file) gets its empty fields, and the
        notes and runs it lacks."""
        base = self.updated.get(existing["id"], existing)
        merged, new_notes = _with_new_notes(fill_empty(base, record) or dict(base), record)
        if merged == base and not runs:
            return Outcome(
                number,
                record["name"],
                "duplicate",
                f"{matched_by} as {existing['name']}; nothing new",
                company_id=existing["id"],
            )
        if merged != base:
            self.updated[existing["id"]] = merged
        self.plan.runs.extend(runs)
        added = [f"{new_notes} notes" if new_notes else "", f"{len(runs)} runs" if runs else ""]
        what = ", ".join(filter(None, added)) or "empty fields"
        return Outcome(
            number,
            record["name"],
            "update",
            f"{matched_by} as {existing['name']}; added {what}",
            merged.get("layer"),
            company_id=existing["id"],
        )

    def _new_runs(self, runs: list[dict[str, Any]], company_id: str) -> list[dict[str, Any]]:
        fresh = []
        for raw in runs:
            try:
                run = ChecklistRun.model_validate({**raw, "company_id": company_id})
            except ValidationError:
                continue
            if run.id not in self.run_ids:
                self.run_ids.add(run.id)
                fresh.append(run.model_dump(mode="json"))
        return fresh


def _with_new_notes(merged: dict[str, Any], record: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """``merged`` with the notes of ``record`` it lacks, and how many those are."""
    # A stored note is only vouched to be in a list (store.open_check): read it warily.
    known = {note.get("id") for note in merged.get("notes", []) if isinstance(note, dict)}
    extra = [note for note in record["notes"] if note["id"] not in known]
    if extra:
        merged["notes"] = [*merged.get("notes", []), *extra]
    return merged, len(extra)
