"""Turning read rows into a plan: add, fill in, duplicate or skip, with reasons.

De-duplication goes by normalised domain, then provider id, then normalised
name, against the database and earlier rows of the same file. A company that is
already there only gets its empty fields filled: the user's notes, tags, status
and answers are never overwritten. Nothing is written here; ``Workbench.
apply_import`` writes a whole plan as one change.

A field that holds one line (name, one-liner, headquarters, stage, owner...) takes a
cell over several lines joined with spaces, and the row's reason says so; a description
joined or cut to make the one-liner is also kept whole in the company's source data.

Reading a row's cells as fields is ``store.import_fields``; recognising duplicates and
suggesting a layer is ``store.import_match``; JSON exports are planned by ``store.json_plan``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from store.errors import FIELD_WORDS
from store.import_fields import (
    bounded,
    keep_descriptions,
    one_line_fields,
    one_liner,
    set_founded,
    set_status,
    set_website,
    split_list,
)
from store.import_match import LayerSuggester, Matcher
from store.importing import SourceRow
from store.models import Company, Layer
from store.problems import problems_from

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
    relations: list[dict[str, Any]] = field(default_factory=list)
    """Relations a JSON export brings between companies of the file and of the database."""
    chokepoints: list[dict[str, Any]] = field(default_factory=list)
    """Chokepoints a JSON export brings that the database lacks."""

    def counts(self) -> Counter[str]:
        """How many rows get each action, in one pass over the outcomes."""
        return Counter(outcome.action for outcome in self.outcomes)

    def count(self, action: str) -> int:
        """How many rows get ``action``."""
        return self.counts()[action]

    @property
    def summary(self) -> str:
        """ "12 added, 3 updated, 2 duplicates, 1 skipped"."""
        counts = self.counts()
        return (
            f"{counts['add']} added, {counts['update']} updated, "
            f"{counts['duplicate']} duplicates, {counts['skip']} skipped"
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


@dataclass
class _Candidate:
    """A row made into a valid company record, with what the report will say of it."""

    number: int
    name: str
    record: dict[str, Any]
    layer: str | None
    layer_reason: str
    reason: str
    """The joins and warnings of the row, as one sentence."""
    joined: bool


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
        fields = one_line_fields(row.fields, joins)
        name = bounded(fields.get("name", ""), 200)
        if not name:
            return Outcome(row.number, "", "skip", "no company name")
        warnings: list[str] = []
        data = self._company_data(row, fields, name, joins, warnings)
        layer, layer_reason = self._layer(row, fields, data, warnings)
        data["layer"] = layer
        company = self._validated(data, warnings)
        if company is None:
            return Outcome(row.number, name, "skip", "; ".join(warnings))
        reason = "; ".join([*joins, *warnings])
        candidate = _Candidate(
            row.number,
            name,
            company.model_dump(mode="json"),
            layer,
            layer_reason,
            reason,
            bool(joins),
        )
        match, matched_by = self.matcher.find(candidate.record)
        if match is None:
            return self._add(candidate)
        if id(match) in self.added_rows:
            return self._repeat(candidate, match, matched_by)
        return self._fill(candidate, match, matched_by)

    def _company_data(
        self,
        row: SourceRow,
        fields: dict[str, str],
        name: str,
        joins: list[str],
        warnings: list[str],
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": name,
            "one_liner": one_liner(fields, joins),
            "source": self.plan.source,
            "headquarters": bounded(fields.get("headquarters", ""), 200),
            "stage": bounded(fields.get("stage", ""), 100),
            "owner": bounded(fields.get("owner", ""), 100),
            "tags": split_list(fields.get("tags", "")),
            "source_data": dict(row.extra),
            "provider_ids": {
                p: fields[p].rstrip("/") for p in ("crunchbase", "pitchbook") if fields.get(p)
            },
        }
        keep_descriptions(fields, data)
        if self.stamp is not None:
            data["created"] = data["updated"] = self.stamp
        set_website(fields, data, warnings)
        set_founded(fields, data, warnings)
        set_status(fields, data, warnings)
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
        # An empty value is its field's default: left out, it is not validated (the same
        # record, with a few thousandths of a second less per hundred rows).
        data = {key: value for key, value in data.items() if value or value == 0}
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
                    word = FIELD_WORDS.get(field_name, field_name.replace("_", " ")).lower()
                    warnings.append(f"{word} {message}, left empty")
                    data.pop(field_name, None)
        return None

    def _add(self, candidate: _Candidate) -> Outcome:
        """A company new to the database and to the file: it is added."""
        record = candidate.record
        self.plan.additions.append(record)
        self.matcher.add(record)
        self.added_rows[id(record)] = candidate.number
        return Outcome(
            candidate.number,
            candidate.name,
            "add",
            candidate.reason,
            candidate.layer,
            candidate.layer_reason,
            record["id"],
            candidate.joined,
        )

    def _repeat(self, candidate: _Candidate, match: dict[str, Any], matched_by: str) -> Outcome:
        """A company an earlier row of the file adds: it takes this row's data for its empty
        fields, as an existing company would, so importing the file again finds nothing new."""
        merged = fill_empty(match, {**candidate.record, "layer": None})
        filled = ""
        if merged is not None:
            changed = [k for k in FILLABLE if merged.get(k) != match.get(k)]
            filled = ", ".join(changed) or "source data"
            match.update(merged)
            self.matcher.add(match)
        note = f"{matched_by} as row {self.added_rows[id(match)]}"
        note += f"; filled {filled}" if filled else ""
        return Outcome(
            candidate.number,
            candidate.name,
            "duplicate",
            "; ".join(filter(None, [note, candidate.reason])),
            company_id=match["id"],
            joined=candidate.joined,
        )

    def _fill(self, candidate: _Candidate, existing: dict[str, Any], matched_by: str) -> Outcome:
        """A company already in the database: its empty fields are filled, if any."""
        base = self.updated.get(existing["id"], existing)
        update = fill_empty(base, candidate.record)
        if update is None:
            return Outcome(
                candidate.number,
                candidate.name,
                "duplicate",
                f"{matched_by} as {existing['name']}; nothing new",
                company_id=existing["id"],
            )
        self.updated[existing["id"]] = update
        filled = ", ".join(k for k in (*FILLABLE, "layer") if update.get(k) != existing.get(k))
        note = f"{matched_by} as {existing['name']}; filled {filled or 'source data'}"
        return Outcome(
            candidate.number,
            candidate.name,
            "update",
            "; ".join(filter(None, [note, candidate.reason])),
            update.get("layer"),
            company_id=existing["id"],
            joined=candidate.joined,
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
