"""Domain operations: the one API the TUI and the CLI call.

Every change goes through ``_change``: it validates first, records before-images
in the change log (so ``undo`` can reverse it) and commits. By default a commit
is written to disk before the call returns; the TUI swaps ``commit`` for a
background writer.
"""

from __future__ import annotations

import getpass
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from math import fsum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from store import changes, clock
from store.changes import ChangeSet
from store.checklist import Checklist, builtin_checklist
from store.db import Database, Record, gc_paused
from store.errors import BrokenRecord, InvalidInput, NotFound, ReadOnlyStore
from store.layer_ops import LayerOps
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
    validated,
)
from store.rows import CompanyRow
from store.scoring import score
from store.seed import seed_tables
from store.storage import Tables
from store.stored import shown
from store.transfer import Transfers
from store.triage import TriageQueries, inbox_reason

COMPANIES, LAYERS, RUNS = "companies", "layers", "runs"
RECENT_CHANGES = 64
"""How many revisions back a view can catch up change by change."""


@dataclass(frozen=True)
class Profile:
    """What a detail view shows of one company."""

    company: Company
    layer_name: str
    latest: ChecklistRun | None
    previous: ChecklistRun | None


@dataclass(frozen=True)
class Undone:
    """What an undo reverted."""

    label: str
    company_ids: list[str]


def default_author() -> str:
    """The name notes and runs are signed with when none is configured."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


class Workbench(LayerOps, TriageQueries, Transfers):
    """An open database with the operations users perform on it."""

    def __init__(self, database: Database, checklist: Checklist, author: str) -> None:
        self.database = database
        self.checklist = checklist
        self.author = author
        self.commit: Callable[[], None] = database.flush
        """Makes the latest change durable; replaced by the TUI's background writer."""
        self._latest_runs: dict[str, Record] = {}
        self._runs_of: dict[str, list[Record]] = {}
        """Each company's run records, in no particular order."""
        self._inbox: tuple[tuple[int, str], list[tuple[CompanyRow, str]], bool] | None = None
        """The inbox as of (revision, today): the title and the inbox screen share one."""
        self._rows: dict[str, CompanyRow] | None = None
        self._inbox_reasons: dict[str, str] | None = None
        """Why each company in the inbox is there, as of ``_inbox_day``: kept up to date
        change by change, so counting the inbox does not look at every company."""
        self._inbox_day = ""
        self._passes: dict[str, tuple[str, str]] | None = None
        """Per company passed with a reason: when it was passed, and the reason; kept up
        to date change by change, so offering recent reasons does not read every company."""
        self._layer_scores: dict[str | None, Counter[float | None]] | None = None
        """Per layer id, how many companies have each score (None: not scored)."""
        self._recent: deque[tuple[int, frozenset[str]]] = deque(maxlen=RECENT_CHANGES)
        """The latest revisions and the companies each touched (see ``changed_after``)."""
        self.revision = 0
        """Bumped on every change and undo, so views know to refresh."""
        self.listeners: list[Callable[[], None]] = []
        """Called after every change and undo (the TUI's inbox count listens)."""
        self._index_runs()

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        checklist: Checklist | None = None,
        author: str | None = None,
        seed: Callable[[], Tables] = seed_tables,
    ) -> Workbench:
        """Open (or create from ``seed()``) the database at ``path``."""
        database = Database.open(path, read_only=read_only, seed=seed)
        return cls(database, checklist or builtin_checklist(), author or default_author())

    @classmethod
    def scratch(cls, path: Path, seed: Callable[[], Tables] = seed_tables) -> Workbench:
        """A read-only workbench over a database that does not exist yet (to plan an import)."""
        return cls(Database.scratch(path, seed), builtin_checklist(), default_author())

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
        """The bodies of a company's notes, joined, for search (a malformed note is skipped:
        the open check vouches only that notes are a list)."""
        record = self.database.get(COMPANIES, company_id) or {}
        return "\n".join(
            body
            for note in record.get("notes", ())
            if type(note) is dict and type(body := note.get("body")) is str
        )

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
        if any(op["table"] == RUNS for op in ops):
            self._index_runs()
        affected: set[str] = set()
        for op in ops:
            if op["table"] == COMPANIES:
                affected.add(op["key"])
            elif op["table"] == RUNS:
                run = op["before"] or self.database.get(RUNS, op["key"]) or {}
                if run.get("company_id"):
                    affected.add(run["company_id"])
        self.revision += 1
        self._recent.append((self.revision, frozenset(affected)))
        if self._rows is not None:
            self._update_rows(affected)
        for listener in self.listeners:
            listener()

    def _update_rows(self, affected: set[str]) -> None:
        assert self._rows is not None
        for company_id in affected:
            old = self._rows.get(company_id)
            record = self.database.get(COMPANIES, company_id)
            if record is None:
                self._rows.pop(company_id, None)
                new = None
            else:
                new = CompanyRow.build(record, self._latest_runs.get(company_id))
                self._rows[company_id] = new
            self._tally(company_id, old, new)

    def _tally(self, company_id: str, old: CompanyRow | None, new: CompanyRow | None) -> None:
        """Keep the inbox and the layer totals in step with one changed row."""
        if self._layer_scores is not None:
            if old is not None:
                scores = self._layer_scores[old.layer]
                scores[old.score] -= 1
                if not scores[old.score]:
                    del scores[old.score]
                if not scores:
                    del self._layer_scores[old.layer]
            if new is not None:
                self._layer_scores.setdefault(new.layer, Counter())[new.score] += 1
        if self._inbox_reasons is not None:
            self._inbox_reasons.pop(company_id, None)
            if new is not None and (reason := inbox_reason(new, self._inbox_day)):
                self._inbox_reasons[company_id] = reason
        if self._passes is not None:
            self._passes.pop(company_id, None)
            if new is not None and (entry := self._pass_of(new)):
                self._passes[company_id] = entry

    def changed_after(self, revision: int) -> set[str] | None:
        """Ids of the companies changed after ``revision``; None if that is too long ago
        to tell (then a view reads everything again)."""
        if revision == self.revision:
            return set()
        if revision > self.revision or not self._recent or self._recent[0][0] > revision + 1:
            return None
        return {
            company_id
            for number, touched in self._recent
            if number > revision
            for company_id in touched
        }

    def layer_totals(self) -> dict[str | None, tuple[int, float | None]]:
        """Per layer id (None: no layer): how many companies, and their average score."""
        if self._layer_scores is None:
            tallies: defaultdict[str | None, Counter[float | None]] = defaultdict(Counter)
            for row in self._row_cache().values():
                tallies[row.layer][row.score] += 1
            tallies.default_factory = None  # a plain dict from here on
            self._layer_scores = tallies
        totals: dict[str | None, tuple[int, float | None]] = {}
        for layer, scores in self._layer_scores.items():
            scored = [(value, count) for value, count in scores.items() if value is not None]
            how_many = sum(count for _, count in scored)
            average = fsum(value * count for value, count in scored) / how_many if scored else None
            totals[layer] = (sum(scores.values()), average)
        return totals

    def company(self, company_id: str) -> Company:
        """One company, validated; a stored one that breaks a rule is shown without the
        values at fault (``problem`` says what they were)."""
        return shown(Company, self._record(company_id))[0]

    def problem(self, company_id: str) -> str:
        """What rule a stored company breaks, and where, or ""."""
        problem = shown(Company, self._record(company_id))[1]
        return f"{problem} ({self.database.place(COMPANIES, company_id)})" if problem else ""

    def _record(self, company_id: str) -> Record:
        record = self.database.get(COMPANIES, company_id)
        if record is None:
            raise NotFound(f"There is no company with id {company_id!r}.")
        return record

    def _whole(self, company_id: str) -> Company:
        """A company to change: refused while its stored record breaks a rule, since the
        change would drop the value at fault."""
        company, problem = shown(Company, self._record(company_id))
        if problem:
            where = self.database.place(COMPANIES, company_id)
            raise BrokenRecord(
                f"Cannot change {company.name}: {problem} ({where}); "
                "edit the company to correct that first."
            )
        return company

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
        records = self._runs_of.get(company_id, ())
        return sorted(
            (shown(ChecklistRun, r)[0] for r in records), key=lambda r: (r.created, r.sequence)
        )

    def profile(self, company_id: str) -> Profile:
        """A company with its layer's name and its two newest runs, for a detail view."""
        company = self.company(company_id)
        runs = self.runs(company_id)
        layer_name = ""
        if company.layer and (layer := self.database.get(LAYERS, company.layer)):
            layer_name = layer["name"]
        return Profile(
            company, layer_name, runs[-1] if runs else None, runs[-2] if len(runs) > 1 else None
        )

    def latest_run(self, company_id: str) -> ChecklistRun | None:
        """The run that gives the company its current score and verdict."""
        record = self._latest_runs.get(company_id)
        return shown(ChecklistRun, record)[0] if record else None

    def _index_runs(self) -> None:
        latest: dict[str, Record] = {}
        runs_of: dict[str, list[Record]] = {}
        for run in self.database.table(RUNS).values():
            company_id = run["company_id"]
            runs_of.setdefault(company_id, []).append(run)
            current = latest.get(company_id)
            if current is None or _run_order(run) > _run_order(current):
                latest[company_id] = run
        self._latest_runs, self._runs_of = latest, runs_of

    # Writing ------------------------------------------------------------------------------

    @contextmanager
    def _change(self, label: str) -> Iterator[ChangeSet]:
        """One user action: it lands whole, with its entry in the change log, or not at all."""
        if self.read_only:
            raise ReadOnlyStore(f"This session is read-only: {self.notice}.")
        change = ChangeSet(self.database, label)
        entry: ChangeSet | None = None
        try:
            yield change
            if not change.ops:
                return
            entry = changes.append(self.database, change)
            self.commit()
        except BaseException:
            if entry is not None:
                entry.revert()
            change.revert()
            raise
        finally:
            if change.ops:
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
        # A company added with a decision already made (passed, watching...) made it now.
        company = _log_status(company.model_copy(update={"status": Status.NEW}), company)
        with self._change(f"Added {company.name}") as change:
            change.put(COMPANIES, company.model_dump(mode="json"))
        return company

    def edit_company(self, company_id: str, **fields: Any) -> Company:
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

    def delete_companies(self, company_ids: Iterable[str]) -> int:
        """Delete companies with their checklist runs; undo brings them back."""
        ids = [cid for cid in dict.fromkeys(company_ids) if self.database.get(COMPANIES, cid)]
        if not ids:
            return 0
        label = (
            f"Deleted {self.database.get(COMPANIES, ids[0])['name']}"
            if len(ids) == 1
            else (f"Deleted {len(ids)} companies")
        )
        doomed = set(ids)
        run_ids = [r["id"] for company_id in doomed for r in self._runs_of.get(company_id, ())]
        with self._change(label) as change:
            change.delete(RUNS, run_ids)
            change.delete(COMPANIES, ids)
        return len(ids)

    def add_note(self, company_id: str, body: str, author: str | None = None) -> Note:
        """Add a Markdown note to a company."""
        current = self._whole(company_id)
        note = validated(Note, {"body": body, "author": author or self.author})
        updated = current.model_copy(
            update={"notes": [*current.notes, note], "updated": clock.now()}
        )
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
            return {
                "status": status,
                "pass_reason": pass_reason,
                "revisit": None if due else company.revisit,
            }

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
            company_ids,
            f"Untagged {tag}",
            lambda c: {"tags": [t for t in c.tags if t.casefold() != folded]},
        )

    def _update_many(
        self, company_ids: Iterable[str], label: str, update: Callable[[Company], dict[str, Any]]
    ) -> int:
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

    def record_run(
        self, company_id: str, answers: Mapping[str, Answer | str | AnswerEntry | Mapping[str, str]]
    ) -> ChecklistRun:
        """Score ``answers`` with the current checklist and keep the run."""
        company = self._whole(company_id)
        entries = {qid: _entry(value) for qid, value in answers.items()}
        unknown = sorted(set(entries) - set(self.checklist.by_id))
        if unknown:
            raise InvalidInput({"answers": f"unknown question ids {', '.join(unknown)}"})
        result = score(self.checklist, {qid: e.answer for qid, e in entries.items()})
        latest = self._latest_runs.get(company.id)
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

    def undo(self) -> str | None:
        """Undo the newest change; returns what it was, or None if nothing is left."""
        undone = self.undo_change()
        return undone.label if undone else None

    def undo_change(self) -> Undone | None:
        """Undo the newest change; returns its label and the companies it touched."""
        if self.read_only:
            raise ReadOnlyStore(f"This session is read-only: {self.notice}.")
        change = ChangeSet(self.database, "undo")
        try:
            undone = changes.undo_last(change)
            if undone is None:
                return None
            self.commit()
        except BaseException:
            change.revert()
            raise
        finally:
            if change.ops:
                self._refresh_rows(change.ops)
        company_ids = [op["key"] for op in undone["ops"] if op["table"] == COMPANIES]
        return Undone(undone["label"], company_ids)


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
