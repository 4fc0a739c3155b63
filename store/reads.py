"""Reading through the workbench: layers, company rows, whole companies, runs, totals.

Rows, runs and totals come from the workbench's caches (``store.caches``); a whole company
is validated from its stored record each time it is asked for. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.db import Record
from store.errors import BrokenRecord, NotFound
from store.models import ChecklistRun, Company, Layer, Status
from store.rows import CompanyRow
from store.stored import shown

if TYPE_CHECKING:
    from store.service import Workbench

COMPANIES, LAYERS = "companies", "layers"


@dataclass(frozen=True)
class Profile:
    """What a detail view shows of one company."""

    company: Company
    layer_name: str
    latest: ChecklistRun | None
    previous: ChecklistRun | None


class CompanyReads:
    """Mixed into Workbench: what the views and the CLI read."""

    @property
    def revision(self: Workbench) -> int:
        """Bumped on every change and undo, so views know to refresh."""
        return self._caches.revision

    def changed_after(self: Workbench, revision: int) -> set[str] | None:
        """Ids of the companies changed after ``revision``; None if that is too long ago
        to tell (then a view reads everything again)."""
        return self._caches.changed_after(revision)

    def layers(self: Workbench) -> list[Layer]:
        """The layers in stack order."""
        found = [Layer.model_validate(r) for r in self.database.table(LAYERS).values()]
        return sorted(found, key=lambda layer: (layer.position, layer.name))

    def layer(self: Workbench, layer_id: str) -> Layer:
        """One layer, or NotFound naming the known ones."""
        record = self.database.get(LAYERS, layer_id)
        if record is None:
            known = ", ".join(layer.id for layer in self.layers())
            raise NotFound(f"There is no layer {layer_id!r}; the layers are {known}.")
        return Layer.model_validate(record)

    def layer_totals(self: Workbench) -> dict[str | None, tuple[int, float | None]]:
        """Per layer id (None: no layer): how many companies in the pipeline, and their
        average score; reference companies are left out (``layer_references`` counts them)."""
        return self._caches.layer_totals()

    def layer_references(self: Workbench) -> dict[str | None, int]:
        """Per layer id (None: no layer): how many reference companies, when any."""
        return self._caches.layer_references()

    def rows(
        self: Workbench,
        *,
        layer: str | None = None,
        status: Status | None = None,
        tag: str | None = None,
    ) -> list[CompanyRow]:
        """Companies as light rows, optionally of one layer (with those listed there as a
        secondary layer: ``CompanyRow.secondary_in``), status or tag."""
        rows: Iterable[CompanyRow] = self._caches.rows().values()
        if layer is not None:
            rows = (row for row in rows if row.layer == layer or layer in row.secondary_layers)
        if status is not None:
            rows = (row for row in rows if row.status == status)
        if tag:
            folded = tag.casefold()
            rows = (row for row in rows if folded in (t.casefold() for t in row.tags))
        return list(rows)

    def row(self: Workbench, company_id: str) -> CompanyRow | None:
        """One company's row, or None if it does not exist."""
        return self._caches.rows().get(company_id)

    def notes_text(self: Workbench, company_id: str) -> str:
        """The bodies of a company's notes, joined, for search (a malformed note is skipped:
        the open check vouches only that notes are a list)."""
        record = self.database.get(COMPANIES, company_id) or {}
        return "\n".join(
            body
            for note in record.get("notes", ())
            if type(note) is dict and type(body := note.get("body")) is str
        )

    def company(self: Workbench, company_id: str) -> Company:
        """One company, validated; a stored one that breaks a rule is shown without the
        values at fault (``problem`` says what they were)."""
        return shown(Company, self._record(company_id))[0]

    def problem(self: Workbench, company_id: str) -> str:
        """What rule a stored company breaks, and where, or ""."""
        problem = shown(Company, self._record(company_id))[1]
        return f"{problem} ({self.database.place(COMPANIES, company_id)})" if problem else ""

    def _record(self: Workbench, company_id: str) -> Record:
        record = self.database.get(COMPANIES, company_id)
        if record is None:
            raise NotFound(f"There is no company with id {company_id!r}.")
        return record

    def _whole(self: Workbench, company_id: str) -> Company:
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

    def find(self: Workbench, reference: str, *, exact: bool = False) -> Company:
        """A company by id, exact name, or unique name prefix or part (case-insensitive).

        With ``exact`` (commands that change a company) only the id or the whole name will
        do: a prefix or a part is refused, naming the companies it would have matched, so a
        name that is gone never silently lands on another company that contains it. A
        reference that matches nothing at all names the closest spellings, if any are close.
        """
        table = self.database.table(COMPANIES)
        if reference in table:
            return self.company(reference)
        folded = reference.strip().casefold()
        exact_matches = [r for r in table.values() if r["name"].casefold() == folded]
        matches = (
            exact_matches
            or [r for r in table.values() if r["name"].casefold().startswith(folded)]
            or [r for r in table.values() if folded in r["name"].casefold()]
        )
        if not matches or not folded:
            raise NotFound(f"No company is named {reference!r}{_did_you_mean(table, folded)}")
        names = ", ".join(sorted(f"{r['name']} ({r['id']})" for r in matches)[:5])
        if exact and not exact_matches:
            raise NotFound(
                f"No company is named {reference!r}; did you mean {names}? "
                "Give the whole name or the id."
            )
        if len(matches) > 1:
            raise NotFound(f"{reference!r} matches {len(matches)} companies ({names}); use the id.")
        return self.company(matches[0]["id"])

    def runs(self: Workbench, company_id: str) -> list[ChecklistRun]:
        """Every checklist run of a company, oldest first."""
        records = self._caches.runs_of.get(company_id, ())
        return sorted(
            (shown(ChecklistRun, r)[0] for r in records), key=lambda r: (r.created, r.sequence)
        )

    def profile(self: Workbench, company_id: str) -> Profile:
        """A company with its layer's name and its two newest runs, for a detail view."""
        company = self.company(company_id)
        runs = self.runs(company_id)
        layer_name = ""
        if company.layer and (layer := self.database.get(LAYERS, company.layer)):
            layer_name = layer["name"]
        return Profile(
            company, layer_name, runs[-1] if runs else None, runs[-2] if len(runs) > 1 else None
        )

    def latest_run(self: Workbench, company_id: str) -> ChecklistRun | None:
        """The run that gives the company its current score and verdict."""
        record = self._caches.latest_runs.get(company_id)
        return shown(ChecklistRun, record)[0] if record else None


NEAR_NAMES, NEAR_SCORE = 3, 60
"""How many close spellings a name that matches nothing is offered, and how close they must
be (rapidfuzz's ``ratio``, 0-100: "Crusoo" scores 83 against Crusoe, "grok" 75 against
Groq; unrelated names of the same length score under 50). ``ratio`` and not ``WRatio``,
which gives a single letter 90 against any name that contains it."""


def _did_you_mean(table: dict[str, Record], folded: str) -> str:
    """ "; did you mean A (id), B (id)?" for the names closest to ``folded``, or "." when
    none is close: the end of the sentence either way."""
    if not folded:
        return "."
    from rapidfuzz import fuzz, process, utils

    names = {key: record["name"] for key, record in table.items()}
    near = process.extract(
        folded,
        names,
        scorer=fuzz.ratio,
        processor=utils.default_process,
        limit=NEAR_NAMES,
        score_cutoff=NEAR_SCORE,
    )
    if not near:
        return "."
    return "; did you mean " + ", ".join(f"{name} ({key})" for name, _, key in near) + "?"
