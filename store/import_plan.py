"""Turning read rows into a plan: add, fill in, duplicate or skip, with reasons.

De-duplication goes by normalised domain, then provider id, then normalised
name, against the database and earlier rows of the same file. A company that is
already there only gets its empty fields filled: the user's notes, tags, status
and answers are never overwritten. Nothing is written here; ``Workbench.
apply_import`` writes a whole plan as one change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from store.importing import SourceRow
from store.models import ChecklistRun, Company, Layer, Status, normalise_website, problems_from

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
NAME_SUFFIXES = {
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "bv",
    "plc",
}

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


SHARED_HOSTS = {
    "linkedin.com",
    "crunchbase.com",
    "pitchbook.com",
    "twitter.com",
    "x.com",
    "facebook.com",
    "github.com",
    "medium.com",
    "substack.com",
    "google.com",
    "sites.google.com",
    "notion.site",
    "wixsite.com",
    "angel.co",
    "wellfound.com",
    "youtube.com",
    "instagram.com",
}
"""Sites many companies' website cells point at: never evidence of a duplicate."""


def domain_of(website: str) -> str:
    """``https://www.Groq.com/about`` → ``groq.com``.

    Empty for shared hosts such as linkedin.com.
    """
    if not website:
        return ""
    host = urlsplit(website if "://" in website else f"https://{website}").hostname or ""
    host = host.casefold().removeprefix("www.")
    return "" if host in SHARED_HOSTS or host.endswith(".linkedin.com") else host


def name_key(name: str) -> str:
    """A name reduced for matching: case, punctuation and legal suffixes dropped."""
    words = re.findall(r"[a-z0-9]+", name.casefold().replace("&", " and "))
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return "".join(words)


class Matcher:
    """Finds an existing company (or an earlier row) a new row duplicates."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.by_domain: dict[str, dict[str, Any]] = {}
        self.by_provider: dict[tuple[str, str], dict[str, Any]] = {}
        self.by_name: dict[str, dict[str, Any]] = {}
        for record in records:
            self.add(record)

    def add(self, record: dict[str, Any]) -> None:
        """Remember a company so later rows can match it."""
        if domain := domain_of(record.get("website", "")):
            self.by_domain.setdefault(domain, record)
        for provider, value in record.get("provider_ids", {}).items():
            self.by_provider.setdefault((provider, value.casefold().rstrip("/")), record)
        if key := name_key(record["name"]):
            self.by_name.setdefault(key, record)

    def find(self, candidate: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
        """The company ``candidate`` duplicates, and what matched."""
        if (domain := domain_of(candidate.get("website", ""))) and domain in self.by_domain:
            return self.by_domain[domain], f"same domain {domain}"
        for provider, value in candidate.get("provider_ids", {}).items():
            if match := self.by_provider.get((provider, value.casefold().rstrip("/"))):
                return match, f"same {provider} id"
        if (key := name_key(candidate["name"])) and key in self.by_name:
            return self.by_name[key], "same name"
        return None, ""


_WORD = re.compile(r"[a-z0-9]+")


def _bounded_in(keyword: str, text: str) -> bool:
    """True when ``keyword`` occurs in ``text`` with no letter or digit on either side."""
    start = text.find(keyword)
    while start >= 0:
        end = start + len(keyword)
        before = start > 0 and _WORD.match(text, start - 1, start)
        if not before and not _WORD.match(text, end, end + 1):
            return True
        start = text.find(keyword, start + 1)
    return False


class LayerSuggester:
    """Suggests a layer from its keywords found as whole words in a row's text.

    Keywords are indexed by their first word, so a row is checked only against the
    keywords whose first word it contains (a regex per keyword per row took ~2 ms).
    """

    def __init__(self, layers: list[Layer]) -> None:
        self.layer_ids = [layer.id for layer in layers]
        self.by_word: dict[str, list[tuple[int, int, str]]] = {}
        self.always: list[tuple[int, int, str]] = []
        for index, layer in enumerate(layers):
            for order, keyword in enumerate(kw.casefold() for kw in layer.keywords):
                words = _WORD.findall(keyword)
                bucket = self.by_word.setdefault(words[0], []) if words else self.always
                bucket.append((index, order, keyword))

    def suggest(self, text: str) -> tuple[str | None, str]:
        """The best layer for ``text`` and the reason, or (None, reason)."""
        folded = text.casefold()
        found: dict[int, list[tuple[int, str]]] = {}
        words = set(_WORD.findall(folded))
        candidates = [entry for word in words for entry in self.by_word.get(word, ())]
        for index, order, keyword in (*candidates, *self.always):
            if keyword and _bounded_in(keyword, folded):
                found.setdefault(index, []).append((order, keyword))
        scored = []
        for index, matches in sorted(found.items()):
            hits = [keyword for _, keyword in sorted(matches)]
            scored.append((len(hits), sum(map(len, hits)), self.layer_ids[index], hits))
        if not scored:
            return None, "no layer keyword matched; left unsorted"
        scored.sort(reverse=True)
        best = scored[0]
        if len(scored) > 1 and scored[1][:2] == best[:2]:
            return (
                None,
                f"keywords of several layers matched ({', '.join(best[3][:3])}…); left unsorted",
            )
        return best[2], f"matched {', '.join(best[3][:4])}"


def _year(value: str) -> int | None:
    match = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", value)
    return int(match.group(1)) if match else None


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;|]", value) if part.strip()]


def _first_line(value: str, limit: int = 300) -> str:
    line = value.splitlines()[0].strip() if value.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


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
        name = _first_line(row.fields.get("name", ""), 200)
        if not name:
            return Outcome(row.number, "", "skip", "no company name")
        warnings: list[str] = []
        data = self._company_data(row, name, warnings)
        layer, layer_reason = self._layer(row, data, warnings)
        data["layer"] = layer
        company = self._validated(data, warnings)
        if company is None:
            return Outcome(row.number, name, "skip", "; ".join(warnings))
        record = company.model_dump(mode="json")
        match, matched_by = self.matcher.find(record)
        reason = "; ".join(warnings)
        if match is None:
            self.plan.additions.append(record)
            self.matcher.add(record)
            self.added_rows[id(record)] = row.number
            return Outcome(row.number, name, "add", reason, layer, layer_reason, record["id"])
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
            )
        return self._fill(row, name, match, record, matched_by, reason)

    def _company_data(self, row: SourceRow, name: str, warnings: list[str]) -> dict[str, Any]:
        fields = row.fields
        description = fields.get("one_liner") or fields.get("full_description", "")
        data: dict[str, Any] = {
            "name": name,
            "one_liner": _first_line(description),
            "source": self.plan.source,
            "headquarters": _first_line(fields.get("headquarters", ""), 200),
            "stage": _first_line(fields.get("stage", ""), 100),
            "owner": _first_line(fields.get("owner", ""), 100),
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
        self, row: SourceRow, data: dict[str, Any], warnings: list[str]
    ) -> tuple[str | None, str]:
        if self.layer_override:
            return self.layer_override, "chosen for the whole import"
        given = row.fields.get("layer", "")
        if given:
            if given.casefold() in self.layer_by_name:
                return self.layer_by_name[given.casefold()], "from the file"
            warnings.append(f"layer {given!r} is not a layer here")
        text = " ".join(
            [
                data["name"],
                data.get("one_liner", ""),
                row.fields.get("full_description", ""),
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

    def plan_export(self, data: dict[str, Any]) -> ImportPlan:
        """Plan layers, companies (with notes) and runs of an export."""
        for raw in data.get("layers", []):
            try:
                layer = Layer.model_validate(raw)
            except ValidationError:
                continue
            if layer.id not in self.layer_ids:
                self.layer_ids.add(layer.id)
                self.plan.layers.append(layer.model_dump(mode="json"))
        runs_of: dict[str, list[dict[str, Any]]] = {}
        for run in data.get("runs", []):
            if isinstance(run, dict) and isinstance(run.get("company_id"), str):
                runs_of.setdefault(run["company_id"], []).append(run)
        updated: dict[str, dict[str, Any]] = {}
        for number, raw in enumerate(data.get("companies", []), 1):
            self.plan.outcomes.append(self._company(number, raw, runs_of, updated))
        self.plan.updates = list(updated.values())
        return self.plan

    def _company(
        self,
        number: int,
        raw: Any,
        runs_of: dict[str, list[dict[str, Any]]],
        updated: dict[str, dict[str, Any]],
    ) -> Outcome:
        if not isinstance(raw, dict):
            return Outcome(number, "", "skip", "not a company record")
        try:
            company = Company.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(f"{k} {v}" for k, v in problems_from(error).items())
            return Outcome(number, str(raw.get("name", ""))[:80], "skip", problems)
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
        base = updated.get(existing["id"], existing)
        merged = fill_empty(base, record) or dict(base)
        known_notes = {note["id"] for note in merged.get("notes", [])}
        extra_notes = [note for note in record["notes"] if note["id"] not in known_notes]
        if extra_notes:
            merged["notes"] = [*merged.get("notes", []), *extra_notes]
        if merged == base and not runs:
            return Outcome(
                number,
                company.name,
                "duplicate",
                f"{matched_by} as {existing['name']}; nothing new",
                company_id=existing["id"],
            )
        if merged != base:
            updated[existing["id"]] = merged
        self.plan.runs.extend(runs)
        what = (
            ", ".join(
                filter(
                    None,
                    [
                        f"{len(extra_notes)} notes" if extra_notes else "",
                        f"{len(runs)} runs" if runs else "",
                    ],
                )
            )
            or "empty fields"
        )
        return Outcome(
            number,
            company.name,
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
