"""Turning a moatscope JSON export into a plan, by the same rules as a CSV import.

Layers and chokepoints the database lacks are added; companies are matched by id, then as
CSV rows are (domain, provider id, name); a company already there gets its empty fields, the
notes and the checklist runs it lacks, and nothing else. A relation comes along when both its
companies do (added or matched), joining the companies they became here, unless it would
repeat one the database has or join a company to itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from store.chain_models import Chokepoint, Relation
from store.import_match import Matcher
from store.import_plan import ImportPlan, Outcome, fill_empty
from store.importing import clean, one_line
from store.models import ChecklistRun, Company, Layer, new_id
from store.problems import problems_from


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
        self.ids: dict[str, str] = {}
        """A company's id in the file to the id it has here (added or matched)."""
        self.relation_ids: set[str] = set()
        self.relation_keys: set[tuple[str, str, str]] = set()
        self.chokepoint_ids: set[str] = set()

    def know_chain(
        self, relations: Mapping[str, dict[str, Any]], chokepoints: Mapping[str, dict[str, Any]]
    ) -> None:
        """The database's relations and chokepoints, which the file must not repeat."""
        self.relation_ids = set(relations)
        self.relation_keys = {
            (r["from_company"], r["to_company"], r["kind"]) for r in relations.values()
        }
        self.chokepoint_ids = set(chokepoints)

    def plan_export(self, data: dict[str, Any]) -> ImportPlan:
        """Plan layers, companies (with notes) and runs of an export."""
        self._plan_layers(data.get("layers", []))
        self._plan_chokepoints(data.get("chokepoints", []))
        runs_of: dict[str, list[dict[str, Any]]] = {}
        for run in data.get("runs", []):
            if isinstance(run, dict) and isinstance(run.get("company_id"), str):
                runs_of.setdefault(run["company_id"], []).append(run)
        for number, raw in enumerate(data.get("companies", []), 1):
            self.plan.outcomes.append(self._company(number, raw, runs_of))
        self.plan.updates = list(self.updated.values())
        self._plan_relations(data.get("relations", []))
        return self.plan

    def _plan_chokepoints(self, chokepoints: list[Any]) -> None:
        """Add the valid chokepoints the database lacks (one in an unknown layer, without)."""
        for raw in chokepoints:
            try:
                point = Chokepoint.model_validate(raw)
            except ValidationError:
                continue
            if point.id not in self.chokepoint_ids:
                self.chokepoint_ids.add(point.id)
                layer = point.layer if point.layer in self.layer_ids else None
                self.plan.chokepoints.append({**point.model_dump(mode="json"), "layer": layer})

    def _plan_relations(self, relations: list[Any]) -> None:
        """Add the valid relations between companies the import adds or matches."""
        for raw in relations:
            try:
                relation = Relation.model_validate(raw)
            except ValidationError:
                continue
            source = self.ids.get(relation.from_company)
            target = self.ids.get(relation.to_company)
            key = (source, target, relation.kind.value)
            if source is None or target is None or source == target or key in self.relation_keys:
                continue
            self.relation_keys.add(key)  # type: ignore[arg-type]
            relation_id = relation.id if relation.id not in self.relation_ids else new_id("rel")
            self.relation_ids.add(relation_id)
            record = relation.model_dump(mode="json")
            record.update(id=relation_id, from_company=source, to_company=target)
            self.plan.relations.append(record)

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
        record["secondary_layers"] = [i for i in company.secondary_layers if i in self.layer_ids]
        record["chokepoints"] = [i for i in company.chokepoints if i in self.chokepoint_ids]
        existing = self.records.get(company.id)
        matched_by = "same id"
        if existing is None:
            existing, matched_by = self.matcher.find(record)
        runs = self._new_runs(
            runs_of.get(company.id, []), existing["id"] if existing else company.id
        )
        self.ids[company.id] = existing["id"] if existing else company.id
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
        for key in ("secondary_layers", "chokepoints"):  # empty here: taken from the file
            if not merged.get(key) and (
                ids := [i for i in record[key] if i != merged.get("layer")]
            ):
                merged[key] = ids
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
