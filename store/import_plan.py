"""Turning read rows into a plan: add, fill in, duplicate or skip, with reasons.

De-duplication goes by normalised domain, then provider id, then normalised
name, against the database and earlier rows of the same file. A company that is
already there only gets its empty fields filled: the user's notes, tags, status
and answers are never overwritten. Nothing is written here; ``Workbench.
apply_import`` writes a whole plan as one change.

A field that holds one line (name, one-liner, headquarters, stage, owner...) takes a
cell over several lines joined with spaces, and the row's reason says so; a description
joined or cut to make the one-liner is also kept whole in the company's source data.

Recognising duplicates and suggesting a layer is ``store.import_match``; JSON exports are
planned by ``store.json_plan``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from store.import_match import LayerSuggester, Matcher
from store.importing import SourceRow, one_line
from store.models import Company, Layer, Status, normalise_website, problems_from

FILLABLE = (
    "one_liner",
    "website",
    "headquarters",
    "founded_year",
    "stage",
    "owner",
    "absorber",
    "upstream",
    "kill_criterion",
)
"""Fields an import may fill when empty. Nothing else a user set is touched (tags, status, pass
reason, revisit date: an empty revisit date may be a decision)."""
Progress = Callable[[int], None]


@dataclass
class Outcome:
    """What happens to one row, and why."""

    row: int
    name: str
    action: str
    """``add``, ``update``, ``duplicate`` or ``skip``."""
    reason: str = ""
    layer: str | None = None
    layer_reason: str = ""
    company_id: str | None = None
    joined: bool = False
    """A cell over several lines was joined onto one line (the reason says which)."""


@dataclass
class ImportPlan:
    """Everything an import would do; nothing is written until it is applied."""

    source: str
    outcomes: list[Outcome] = field(default_factory=list)
    additions: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    layers: list[dict[str, Any]] = field(default_factory=list)

    def count(self, action: str) -> int:
        """How many rows get ``action``."""
        return sum(outcome.action == action for outcome in self.outcomes)

    @property
    def summary(self) -> str:
        """ "12 added, 3 updated, 2 duplicates, 1 skipped"."""
        return (
            f"{self.count('add')} added, {self.count('update')} updated, "
            f"{self.count('duplicate')} duplicates, {self.count('skip')} skipped"
        )

    @property
    def joined(self) -> int:
        """How many rows had a cell over several lines joined onto one line."""
        return sum(outcome.joined for outcome in self.outcomes)

    @property
    def notice(self) -> str:
        """What the counts do not say ("" when nothing): rows whose text was joined."""
        if not self.joined:
            return ""
        rows = "1 row" if self.joined == 1 else f"{self.joined:,} rows"
        return f"Text over several lines was joined onto one line in {rows} (each row says which)."


def _year(value: str) -> int | None:
    match = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", value)
    return int(match.group(1)) if match else None


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;|\n\t]", value) if part.strip()]


def _bounded(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


SINGLE_LINE = {
    "name": "name",
    "headquarters": "headquarters",
    "stage": "stage",
    "owner": "owner",
    "layer": "layer",
    "status": "status",
    "website": "website",
    "founded": "founded",
    "crunchbase": "Crunchbase URL",
    "pitchbook": "PitchBook id",
}
"""Fields of a row that hold one line, and the word a report uses for each."""


def _one_line_fields(fields: dict[str, str], joins: list[str]) -> dict[str, str]:
    """``fields`` with each one-line field on one line; ``joins`` gets which were not."""
    result = dict(fields)
    for key, label in SINGLE_LINE.items():
        if key in fields:
            result[key], lines = one_line(fields[key])
            if lines > 1:
                joins.append(f"{label} over {lines} lines joined")
    return result


class CsvPlanner:
    """Builds an ImportPlan from CSV rows against the current database."""

    def __init__(
        self,
        records: Iterable[dict[str, Any]],
        layers: list[Layer],
        source: str,
        layer_override: str | None = None,
        stamp: Any = None,
    ) -> None:
        self.matcher = Matcher(records)
        self.layers = layers
        self.layer_by_name = {
            key: layer.id for layer in layers for key in (layer.id, layer.name.casefold())
        }
        self.suggester = LayerSuggester(layers)
        self.layer_override = layer_override
        self.plan = ImportPlan(source)
        self.stamp = stamp
        self.added_rows: dict[int, int] = {}
        self.updated: dict[str, dict[str, Any]] = {}

    def plan_rows(self, rows: Iterable[SourceRow], progress: Progress | None = None) -> ImportPlan:
        """Plan every row; ``progress`` is called with the count so far."""
        for count, row in enumerate(rows, 1):
            self.plan.outcomes.append(self._plan_row(row))
            if progress and count % 250 == 0:
                progress(count)
        if progress:
            progress(len(self.plan.outcomes))
        self.plan.updates = list(self.updated.values())
        return self.plan

    def _plan_row(self, row: SourceRow) -> Outcome:
        joins: list[str] = []
        fields = _one_line_fields(row.fields, joins)
        name = _bounded(fields.get("name", ""), 200)
        if not name:
            return Outcome(row.number, "", "skip", "no company name")
        warnings: list[str] = []
        data = self._company_data(row, fields, name, joins, warnings)
        layer, layer_reason = self._layer(row, fields, data, warnings)
        data["layer"] = layer
        company = self._validated(data, warnings)
        if company is None:
            return Outcome(row.number, name, "skip", "; ".join(warnings))
        record = company.model_dump(mode="json")
        match, matched_by = self.matcher.find(record)
        reason = "; ".join([*joins, *warnings])
        joined = bool(joins)
        if match is None:
            self.plan.additions.append(record)
            self.matcher.add(record)
            self.added_rows[id(record)] = row.number
            return Outcome(
                row.number, name, "add", reason, layer, layer_reason, record["id"], joined
            )
        if id(match) in self.added_rows:
            # The earlier row's new company takes this row's data for its empty fields, as an
            # existing company would: importing the same file again then finds nothing new.
            merged = fill_empty(match, {**record, "layer": None})
            filled = ""
            if merged is not None:
                changed = [k for k in FILLABLE if merged.get(k) != match.get(k)]
                filled = ", ".join(changed) or "source data"
                match.update(merged)
                self.matcher.add(match)
            note = f"{matched_by} as row {self.added_rows[id(match)]}"
            note += f"; filled {filled}" if filled else ""
            return Outcome(
                row.number,
                name,
                "duplicate",
                "; ".join(filter(None, [note, reason])),
                company_id=match["id"],
                joined=joined,
            )
        return self._fill(row, name, match, record, matched_by, reason, joined)

    def _company_data(
        self,
        row: SourceRow,
        fields: dict[str, str],
        name: str,
        joins: list[str],
        warnings: list[str],
    ) -> dict[str, Any]:
        description = fields.get("one_liner") or fields.get("full_description", "")
        one_liner, lines = one_line(description)
        if lines > 1:
            joins.append(
                f"description over {lines} lines joined into the one-liner, full text kept"
            )
        data: dict[str, Any] = {
            "name": name,
            "one_liner": _bounded(one_liner, 300),
            "source": self.plan.source,
            "headquarters": _bounded(fields.get("headquarters", ""), 200),
            "stage": _bounded(fields.get("stage", ""), 100),
            "owner": _bounded(fields.get("owner", ""), 100),
            "tags": _split_list(fields.get("tags", "")),
            "source_data": dict(row.extra),
            "provider_ids": {
                p: fields[p].rstrip("/") for p in ("crunchbase", "pitchbook") if fields.get(p)
            },
        }
        for key, label in (("one_liner", "description"), ("full_description", "full description")):
            # A description longer than the one-liner made of it is kept whole, not lost.
            if fields.get(key) and fields[key] != data["one_liner"]:
                data["source_data"].setdefault(label, fields[key])
        if self.stamp is not None:
            data["created"] = data["updated"] = self.stamp
        website = fields.get("website", "")
        try:
            data["website"] = normalise_website(website)
        except ValueError:
            warnings.append(f"website {website!r} is not a web address, left empty")
            data["source_data"]["website"] = website
        if founded := fields.get("founded"):
            year = _year(founded)
            if year is None:
                warnings.append(f"founded {founded!r} is not a date, left empty")
                data["source_data"]["founded"] = founded
            data["founded_year"] = year
        if status := fields.get("status"):
            if status.casefold() in {s.value for s in Status} and status.casefold() != "passed":
                data["status"] = status.casefold()
            else:
                warnings.append(f"status {status!r} is not one we can set on import; left as new")
        return data

    def _layer(
        self, row: SourceRow, fields: dict[str, str], data: dict[str, Any], warnings: list[str]
    ) -> tuple[str | None, str]:
        if self.layer_override:
            return self.layer_override, "chosen for the whole import"
        given = fields.get("layer", "")
        if given:
            if given.casefold() in self.layer_by_name:
                return self.layer_by_name[given.casefold()], "from the file"
            warnings.append(f"layer {given!r} is not a layer here")
        text = " ".join(
            [
                data["name"],
                data.get("one_liner", ""),
                fields.get("full_description", ""),
                *row.industries,
            ]
        )
        return self.suggester.suggest(text)

    def _validated(self, data: dict[str, Any], warnings: list[str]) -> Company | None:
        for _ in range(len(data)):
            try:
                return Company.model_validate(data)
            except ValidationError as error:
                problems = problems_from(error)
                if "name" in problems:
                    warnings.append(f"name {problems['name']}")
                    return None
                for field_path, message in problems.items():
                    field_name = field_path.split(".")[0]
                    warnings.append(f"{field_name} {message}, left empty")
                    data.pop(field_name, None)
        return None

    def _fill(
        self,
        row: SourceRow,
        name: str,
        existing: dict[str, Any],
        record: dict[str, Any],
        matched_by: str,
        reason: str,
        joined: bool,
    ) -> Outcome:
        base = self.updated.get(existing["id"], existing)
        update = fill_empty(base, record)
        if update is None:
            return Outcome(
                row.number,
                name,
                "duplicate",
                f"{matched_by} as {existing['name']}; nothing new",
                company_id=existing["id"],
            )
        self.updated[existing["id"]] = update
        filled = ", ".join(k for k in (*FILLABLE, "layer") if update.get(k) != existing.get(k))
        note = f"{matched_by} as {existing['name']}; filled {filled or 'source data'}"
        return Outcome(
            row.number,
            name,
            "update",
            "; ".join(filter(None, [note, reason])),
            update.get("layer"),
            company_id=existing["id"],
            joined=joined,
        )


def fill_empty(existing: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any] | None:
    """``existing`` with its empty fields taken from ``incoming``, or None if nothing changes."""
    merged = dict(existing)
    for key in FILLABLE:
        if not merged.get(key) and incoming.get(key):
            merged[key] = incoming[key]
    if merged.get("layer") is None and incoming.get("layer"):
        merged["layer"] = incoming["layer"]
    for key in ("provider_ids", "source_data"):
        combined = {**incoming.get(key, {}), **existing.get(key, {})}
        if combined != existing.get(key, {}):
            merged[key] = combined
    return None if merged == existing else merged
