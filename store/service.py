"""Domain operations: the one API the TUI and the CLI call.

Every change goes through ``_change``: it validates first, records before-images
in the change log (so ``undo`` can reverse it) and commits. By default a commit
is written to disk before the call returns; the TUI swaps ``commit`` for a
background writer.
"""

from __future__ import annotations

import getpass
from datetime import date
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from store import changes, clock
from store.changes import ChangeSet
from store.checklist import Checklist, builtin_checklist
from store.db import Database, Record, gc_paused
from store.errors import InvalidInput, NotFound, ReadOnlyStore, WriteFailed
from store.exporting import companies_csv, export_document, memos_markdown
from store.import_plan import CsvPlanner, ImportPlan, JsonPlanner, Progress
from store.importing import is_moatscope_json, read_csv, read_json_export, read_text
from store.models import (
    Answer,
    AnswerEntry,
    ChecklistRun,
    Company,
    Layer,
    Note,
    Status,
    StatusChange,
    normalise_tags,
    problems_from,
)
from store.report import Activity, activity_since
from store.rows import CompanyRow
from store.scoring import score
from store.seed import STARTER_SOURCE, seed_tables
from store.storage import Tables

M = TypeVar("M", bound=BaseModel)
COMPANIES, LAYERS, RUNS = "companies", "layers", "runs"


@dataclass(frozen=True)
class Undone:
    """What an undo reverted."""

    label: str
    company_ids: list[str]


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """Build ``model`` from ``data`` or raise InvalidInput with readable messages."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(problems_from(error)) from None


def default_author() -> str:
    """The name notes and runs are signed with when none is configured."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


class Workbench:
    """An open database with the operations users perform on it."""

    def __init__(self, database: Database, checklist: Checklist, author: str) -> None:
        self.database = database
        self.checklist = checklist
        self.author = author
        self.commit: Callable[[], None] = database.flush
        """Makes the latest change durable; replaced by the TUI's background writer."""
        self._latest_runs: dict[str, Record] = {}
        self._rows: dict[str, CompanyRow] | None = None
        self.revision = 0
        """Bumped on every change and undo, so views know to refresh."""
        self.listeners: list[Callable[[], None]] = []
        """Called after every change and undo (the TUI's inbox count listens)."""
        self._index_runs()

    @classmethod
    def open(
        cls, path: Path, *, read_only: bool = False, checklist: Checklist | None = None,
        author: str | None = None, seed: Callable[[], Tables] = seed_tables,
    ) -> Workbench:
        """Open (or create from ``seed()``) the database at ``path``."""
        database = Database.open(path, read_only=read_only, seed=seed)
        return cls(database, checklist or builtin_checklist(), author or default_author())

    def close(self) -> None:
        """Write what is pending and release the file."""
        self.database.close()

    @property
    def read_only(self) -> bool:
        """True when another session holds the file."""
        return self.database.read_only

    @property
    def notice(self) -> str:
        """Why the session is read-only, or an empty string."""
        return self.database.notice

    # Reading ------------------------------------------------------------------------------

    def layers(self) -> list[Layer]:
        """The layers in stack order."""
        found = [Layer.model_validate(r) for r in self.database.table(LAYERS).values()]
        return sorted(found, key=lambda layer: (layer.position, layer.name))

    def layer(self, layer_id: str) -> Layer:
        """One layer, or NotFound naming the known ones."""
        record = self.database.get(LAYERS, layer_id)
        if record is None:
            known = ", ".join(layer.id for layer in self.layers())
            raise NotFound(f"There is no layer {layer_id!r}; the layers are {known}.")
        return Layer.model_validate(record)

    def rows(
        self, *, layer: str | None = None, status: Status | None = None, tag: str | None = None
    ) -> list[CompanyRow]:
        """Companies as light rows, optionally of one layer, status or tag."""
        rows: Iterable[CompanyRow] = self._row_cache().values()
        if layer is not None:
            rows = (row for row in rows if row.layer == layer)
        if status is not None:
            rows = (row for row in rows if row.status == status)
        if tag:
            folded = tag.casefold()
            rows = (row for row in rows if folded in (t.casefold() for t in row.tags))
        return list(rows)

    def row(self, company_id: str) -> CompanyRow | None:
        """One company's row, or None if it does not exist."""
        return self._row_cache().get(company_id)

    def notes_text(self, company_id: str) -> str:
        """The bodies of a company's notes, joined, for search."""
        record = self.database.get(COMPANIES, company_id) or {}
        return "\n".join(note.get("body", "") for note in record.get("notes", ()))

    def _row_cache(self) -> dict[str, CompanyRow]:
        if self._rows is None:
            runs = self._latest_runs
            with gc_paused():
                self._rows = {
                    key: CompanyRow.build(record, runs.get(key))
                    for key, record in self.database.table(COMPANIES).items()
                }
        return self._rows

    def _refresh_rows(self, ops: list[dict[str, Any]]) -> None:
        self._index_runs()
        self.revision += 1
        if self._rows is not None:
            self._update_rows(ops)
        for listener in self.listeners:
            listener()

    def _update_rows(self, ops: list[dict[str, Any]]) -> None:
        assert self._rows is not None
        affected = set()
        for op in ops:
            if op["table"] == COMPANIES:
                affected.add(op["key"])
            elif op["table"] == RUNS:
                run = op["before"] or self.database.get(RUNS, op["key"]) or {}
                affected.add(run.get("company_id"))
        for company_id in affected:
            record = self.database.get(COMPANIES, company_id) if company_id else None
            if record is None:
                self._rows.pop(company_id, None)
            else:
                self._rows[company_id] = CompanyRow.build(record, self._latest_runs.get(company_id))

    def company(self, company_id: str) -> Company:
        """One company, validated."""
        record = self.database.get(COMPANIES, company_id)
        if record is None:
            raise NotFound(f"There is no company with id {company_id!r}.")
        return Company.model_validate(record)

    def find(self, reference: str) -> Company:
        """A company by id, exact name, or unique name prefix or part (case-insensitive)."""
        table = self.database.table(COMPANIES)
        if reference in table:
            return self.company(reference)
        folded = reference.strip().casefold()
        exact = [r for r in table.values() if r["name"].casefold() == folded]
        matches = (
            exact
            or [r for r in table.values() if r["name"].casefold().startswith(folded)]
            or [r for r in table.values() if folded in r["name"].casefold()]
        )
        if not matches or not folded:
            raise NotFound(f"No company is named {reference!r}.")
        if len(matches) > 1:
            names = ", ".join(sorted(f"{r['name']} ({r['id']})" for r in matches)[:5])
            raise NotFound(f"{reference!r} matches {len(matches)} companies ({names}); use the id.")
        return self.company(matches[0]["id"])

    def runs(self, company_id: str) -> list[ChecklistRun]:
        """Every checklist run of a company, oldest first."""
        records = [r for r in self.database.table(RUNS).values() if r["company_id"] == company_id]
        return sorted(
            (ChecklistRun.model_validate(r) for r in records), key=lambda r: (r.created, r.sequence)
        )

    def latest_run(self, company_id: str) -> ChecklistRun | None:
        """The run that gives the company its current score and verdict."""
        record = self._latest_runs.get(company_id)
        return ChecklistRun.model_validate(record) if record else None

    def _index_runs(self) -> None:
        latest: dict[str, Record] = {}
        for run in self.database.table(RUNS).values():
            current = latest.get(run["company_id"])
            if current is None or _run_order(run) > _run_order(current):
                latest[run["company_id"]] = run
        self._latest_runs = latest

    # Writing ------------------------------------------------------------------------------

    @contextmanager
    def _change(self, label: str) -> Iterator[ChangeSet]:
        if self.read_only:
            raise ReadOnlyStore(f"This session is read-only: {self.notice}.")
        change = ChangeSet(self.database, label)
        try:
            yield change
        except BaseException:
            change.revert()
            raise
        if not change.ops:
            return
        changes.append(self.database, change)
        try:
            self.commit()
        except WriteFailed:
            change.revert()
            changes.drop_last(self.database)
            raise
        finally:
            self._refresh_rows(change.ops)

    def _check_layer(self, layer_id: str | None) -> None:
        if layer_id is not None and self.database.get(LAYERS, layer_id) is None:
            self.layer(layer_id)

    def _check_unique_name(self, name: str, company_id: str | None = None) -> None:
        folded = name.strip().casefold()
        for record in self.database.table(COMPANIES).values():
            if record["name"].casefold() == folded and record["id"] != company_id:
                raise InvalidInput({"name": f"a company named {record['name']!r} already exists"})

    def add_company(self, name: str, layer: str | None = None, **fields: Any) -> Company:
        """Add a company; ``fields`` are any other Company fields."""
        company = validated(Company, {"name": name, "layer": layer, "source": "manual", **fields})
        self._check_layer(company.layer)
        self._check_unique_name(company.name)
        _check_pass_reason(company)
        with self._change(f"Added {company.name}") as change:
            change.put(COMPANIES, company.model_dump(mode="json"))
        return company

    def edit_company(self, company_id: str, **fields: Any) -> Company:
        """Change some fields of a company; nothing is saved unless all are valid."""
        current = self.company(company_id)
        for protected in ("id", "created", "notes"):
            fields.pop(protected, None)
        data = {**current.model_dump(mode="json"), **fields, "updated": clock.now()}
        if data.get("status") != Status.PASSED:
            data["pass_reason"] = ""
        company = _log_status(current, validated(Company, data))
        self._check_layer(company.layer)
        self._check_unique_name(company.name, company.id)
        _check_pass_reason(company)
        with self._change(f"Edited {company.name}") as change:
            change.put(COMPANIES, company.model_dump(mode="json"))
        return company

    def delete_companies(self, company_ids: Iterable[str]) -> int:
        """Delete companies with their checklist runs; undo brings them back."""
        ids = [cid for cid in dict.fromkeys(company_ids) if self.database.get(COMPANIES, cid)]
        if not ids:
            return 0
        label = f"Deleted {self.database.get(COMPANIES, ids[0])['name']}" if len(ids) == 1 else (
            f"Deleted {len(ids)} companies")
        doomed = set(ids)
        run_ids = [r["id"] for r in self.database.table(RUNS).values() if r["company_id"] in doomed]
        with self._change(label) as change:
            change.delete(RUNS, run_ids)
            change.delete(COMPANIES, ids)
        return len(ids)

    def add_note(self, company_id: str, body: str, author: str | None = None) -> Note:
        """Add a Markdown note to a company."""
        current = self.company(company_id)
        note = validated(Note, {"body": body, "author": author or self.author})
        updated = current.model_copy(update={"notes": [*current.notes, note], "updated": clock.now()})
        with self._change(f"Added a note to {current.name}") as change:
            change.put(COMPANIES, updated.model_dump(mode="json"))
        return note

    def set_status(self, company_ids: Iterable[str], status: Status | str, reason: str = "") -> int:
        """Move companies to ``status``; passing needs a reason."""
        status = validated(_StatusInput, {"status": status}).status
        if status == Status.PASSED and not reason.strip():
            raise InvalidInput({"pass_reason": "a reason is required to pass on a company"})
        pass_reason = reason.strip() if status == Status.PASSED else ""
        today = clock.today()

        def decided(company: Company) -> dict[str, Any]:
            # Deciding on a company that was due for a revisit is the revisit.
            due = company.revisit is not None and company.revisit <= today
            return {"status": status, "pass_reason": pass_reason,
                    "revisit": None if due else company.revisit}

        return self._update_many(company_ids, f"Set status {status.value}", decided)

    def set_revisit(self, company_ids: Iterable[str], revisit: date | str | None) -> int:
        """Set (or clear, with None) the date to look at companies again."""
        when = validated(_RevisitInput, {"revisit": revisit}).revisit
        label = f"Revisit on {when.isoformat()}" if when else "Cleared revisit date"
        return self._update_many(company_ids, label, lambda c: {"revisit": when})

    def set_tags(self, company_id: str, tags: Iterable[str]) -> Company:
        """Replace a company's tags."""
        return self.edit_company(company_id, tags=list(tags))

    def add_tag(self, company_ids: Iterable[str], tag: str) -> int:
        """Add one tag to several companies."""
        (tag,) = _one_tag(tag)
        return self._update_many(company_ids, f"Tagged {tag}", lambda c: {"tags": [*c.tags, tag]})

    def remove_tag(self, company_ids: Iterable[str], tag: str) -> int:
        """Remove one tag from several companies."""
        (tag,) = _one_tag(tag)
        folded = tag.casefold()
        return self._update_many(
            company_ids, f"Untagged {tag}",
            lambda c: {"tags": [t for t in c.tags if t.casefold() != folded]},
        )

    def _update_many(
        self, company_ids: Iterable[str], label: str, update: Callable[[Company], dict[str, Any]]
    ) -> int:
        stamp = clock.now()
        updated = []
        for company_id in dict.fromkeys(company_ids):
            current = self.company(company_id)
            data = {**current.model_dump(), **update(current), "updated": stamp}
            updated.append(_log_status(current, validated(Company, data)).model_dump(mode="json"))
        if not updated:
            return 0
        suffix = updated[0]["name"] if len(updated) == 1 else f"{len(updated)} companies"
        with self._change(f"{label}: {suffix}") as change:
            change.put_many(COMPANIES, updated)
        return len(updated)

    def record_run(
        self, company_id: str, answers: Mapping[str, Answer | str | AnswerEntry | Mapping[str, str]]
    ) -> ChecklistRun:
        """Score ``answers`` with the current checklist and keep the run."""
        company = self.company(company_id)
        entries = {qid: _entry(value) for qid, value in answers.items()}
        unknown = sorted(set(entries) - set(self.checklist.by_id))
        if unknown:
            raise InvalidInput({"answers": f"unknown question ids {', '.join(unknown)}"})
        result = score(self.checklist, {qid: e.answer for qid, e in entries.items()})
        latest = self._latest_runs.get(company.id)
        run = ChecklistRun(
            sequence=(latest.get("sequence", 0) if latest else 0) + 1,
            company_id=company.id, checklist_id=self.checklist.id,
            checklist_version=self.checklist.version, author=self.author, answers=entries,
            score=result.score, coverage=result.coverage, verdict=result.verdict,
        )
        stamp = company.model_copy(update={"updated": clock.now()})
        with self._change(f"Scored {company.name}: {result.verdict.label}") as change:
            change.put(RUNS, run.model_dump(mode="json"))
            change.put(COMPANIES, stamp.model_dump(mode="json"))
        return run

    def undo(self) -> str | None:
        """Undo the newest change; returns what it was, or None if nothing is left."""
        undone = self.undo_change()
        return undone.label if undone else None

    def undo_change(self) -> Undone | None:
        """Undo the newest change; returns its label and the companies it touched."""
        if self.read_only:
            raise ReadOnlyStore(f"This session is read-only: {self.notice}.")
        change = changes.undo_last(self.database)
        if change is None:
            return None
        try:
            self.commit()
        finally:
            self._refresh_rows(change["ops"])
        company_ids = [op["key"] for op in change["ops"] if op["table"] == COMPANIES]
        return Undone(change["label"], company_ids)

    # Triage -------------------------------------------------------------------------------

    def inbox(self) -> list[tuple[CompanyRow, str]]:
        """Companies waiting for a decision, newest first, each with why it is here.

        New companies (not the starter set), companies due for a revisit, and
        companies without a layer.
        """
        today = clock.today().isoformat()
        items = []
        for row in self._row_cache().values():
            reasons = []
            if row.status == Status.NEW and row.source != STARTER_SOURCE:
                reasons.append("new")
            if row.revisit and row.revisit <= today:
                reasons.append("revisit due")
            if row.layer is None:
                reasons.append("no layer")
            if reasons:
                items.append((row, ", ".join(reasons)))
        items.sort(key=lambda item: (item[0].created, item[0].id), reverse=True)
        return items

    def upcoming_revisits(self, limit: int = 5) -> list[CompanyRow]:
        """The next companies due for a revisit, soonest first."""
        today = clock.today().isoformat()
        later = [row for row in self._row_cache().values() if row.revisit and row.revisit > today]
        return sorted(later, key=lambda row: (row.revisit, row.name.casefold()))[:limit]

    def changed_since(self, moment: str) -> list[tuple[CompanyRow, str]]:
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

    def activity(self, since: str) -> Activity:
        """Decisions, runs and additions since ``since`` (ISO timestamp or date)."""
        names = {layer.id: layer.name for layer in self.layers()}
        return activity_since(since, self.database.table(COMPANIES).values(),
                              self.database.table(RUNS).values(), names)

    # Import and export ---------------------------------------------------------------------

    def plan_import(
        self, path: Path, layer: str | None = None, progress: Progress | None = None
    ) -> ImportPlan:
        """Read ``path`` (CSV or moatscope JSON) and plan the import; nothing is written."""
        if layer is not None:
            self.layer(layer)
        text = read_text(path)
        source = f"import: {path.name}"
        companies = self.database.table(COMPANIES)
        if is_moatscope_json(text):
            planner = JsonPlanner(dict(companies), self.layers(), set(self.database.table(RUNS)), source)
            return planner.plan_export(read_json_export(path, text))
        _, rows = read_csv(path, text)
        planner = CsvPlanner(list(companies.values()), self.layers(), source, layer, clock.now())
        return planner.plan_rows(rows, progress)

    def apply_import(self, plan: ImportPlan) -> None:
        """Write a planned import as one change: all of it lands, or none of it."""
        if not (plan.additions or plan.updates or plan.runs or plan.layers):
            return
        stamp = clock.stamp()
        updates = [{**record, "updated": stamp} for record in plan.updates]
        with self._change(f"Imported {plan.source.removeprefix('import: ')}: {plan.summary}") as change:
            if plan.layers:
                change.put_many(LAYERS, plan.layers)
            change.put_many(COMPANIES, [*plan.additions, *updates])
            if plan.runs:
                change.put_many(RUNS, plan.runs)

    def _export_records(self, company_ids: Iterable[str] | None) -> list[Record]:
        table = self.database.table(COMPANIES)
        records = list(table.values()) if company_ids is None else [
            table[cid] for cid in company_ids if cid in table]
        order = {layer.id: layer.position for layer in self.layers()}
        return sorted(records, key=lambda r: (order.get(r.get("layer") or "", len(order)),
                                              r["name"].casefold(), r["id"]))

    def export_json(self, company_ids: Iterable[str] | None = None) -> bytes:
        """A JSON export (all companies, or ``company_ids``) that imports back whole."""
        records = self._export_records(company_ids)
        wanted = {record["id"] for record in records}
        runs = sorted((r for r in self.database.table(RUNS).values() if r["company_id"] in wanted),
                      key=lambda r: (r["company_id"], r["created"], r.get("sequence", 0)))
        layers = sorted(self.database.table(LAYERS).values(), key=lambda r: r.get("position", 0))
        document = export_document(layers, records, runs)
        return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"

    def export_csv(self, company_ids: Iterable[str] | None = None) -> str:
        """One CSV row per company with its latest score and verdict."""
        return companies_csv(self._export_records(company_ids), self._latest_runs)

    def export_markdown(self, company_ids: Iterable[str] | None = None) -> str:
        """One memo per company, in one Markdown document."""
        records = self._export_records(company_ids)
        companies = [Company.model_validate(record) for record in records]
        runs_of: dict[str, list[ChecklistRun]] = {}
        for raw in self.database.table(RUNS).values():
            runs_of.setdefault(raw["company_id"], []).append(ChecklistRun.model_validate(raw))
        for runs in runs_of.values():
            runs.sort(key=lambda run: (run.created, run.sequence))
        names = {layer.id: layer.name for layer in self.layers()}
        return memos_markdown(companies, runs_of, names, self.checklist)

    # Layers -------------------------------------------------------------------------------

    def add_layer(self, name: str, summary: str = "") -> Layer:
        """Add a layer at the top of the stack."""
        taken = set(self.database.table(LAYERS))
        base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:28] or "layer"
        layer_id = next(c for c in (base, *(f"{base}-{n}" for n in range(2, 1000))) if c not in taken)
        position = max((layer.position for layer in self.layers()), default=-1) + 1
        layer = validated(Layer, {"id": layer_id, "name": name, "summary": summary, "position": position})
        with self._change(f"Added layer {layer.name}") as change:
            change.put(LAYERS, layer.model_dump(mode="json"))
        return layer

    def edit_layer(self, layer_id: str, **fields: Any) -> Layer:
        """Rename or describe a layer."""
        current = self.layer(layer_id)
        fields.pop("id", None)
        layer = validated(Layer, {**current.model_dump(), **fields})
        with self._change(f"Edited layer {layer.name}") as change:
            change.put(LAYERS, layer.model_dump(mode="json"))
        return layer

    def move_layer(self, layer_id: str, offset: int) -> None:
        """Move a layer up (negative) or down the stack."""
        layers = self.layers()
        index = next(i for i, layer in enumerate(layers) if layer.id == self.layer(layer_id).id)
        target = max(0, min(len(layers) - 1, index + offset))
        if target == index:
            return
        layers.insert(target, layers.pop(index))
        with self._change(f"Moved layer {layers[target].name}") as change:
            change.put_many(LAYERS, [
                {**layer.model_dump(mode="json"), "position": position}
                for position, layer in enumerate(layers)
            ])

    def delete_layer(self, layer_id: str) -> None:
        """Delete an empty layer; a layer with companies must be emptied first."""
        layer = self.layer(layer_id)
        count = len(self.rows(layer=layer_id))
        if count:
            raise InvalidInput({"layer": (
                f"{layer.name} still has {count} companies; move them to another layer first")})
        with self._change(f"Deleted layer {layer.name}") as change:
            change.delete(LAYERS, [layer_id])

    def set_layer(self, company_ids: Iterable[str], layer_id: str | None) -> int:
        """Move companies to a layer (None: unsorted)."""
        self._check_layer(layer_id)
        name = self.layer(layer_id).name if layer_id else "unsorted"
        return self._update_many(company_ids, f"Moved to {name}", lambda c: {"layer": layer_id})


def _run_order(run: Record) -> tuple[str, int]:
    return run["created"], run.get("sequence", 0)


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


def _entry(value: Answer | str | AnswerEntry | Mapping[str, str]) -> AnswerEntry:
    if isinstance(value, AnswerEntry):
        return value
    if isinstance(value, Mapping):
        return validated(AnswerEntry, value)
    return validated(AnswerEntry, {"answer": value})


def _check_pass_reason(company: Company) -> None:
    if company.status == Status.PASSED and not company.pass_reason.strip():
        raise InvalidInput({"pass_reason": "a reason is required to pass on a company"})
