"""Import and export through the workbench: plan, apply as one change, export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from store import clock
from store.csv_file import check_csv, read_csv
from store.db import Record
from store.exporting import (
    companies_csv,
    companies_csv_chunks,
    export_json_chunks,
    joined_memos,
    memo_document,
    memo_markdown,
    relations_csv_chunks,
)
from store.import_file import open_source
from store.import_plan import CsvPlanner, ImportPlan, Progress
from store.importing import clean, one_line, read_json_export
from store.json_plan import JsonPlanner
from store.models import Company
from store.outfiles import write_file, write_folder
from store.stored import shown
from store.text import slug

if TYPE_CHECKING:
    from store.service import Workbench

COMPANIES, LAYERS, RUNS = "companies", "layers", "runs"
RELATIONS, CHOKEPOINTS = "relations", "chokepoints"


class Transfers:
    """Mixed into Workbench: imports land whole or not at all; exports read trusted rows."""

    def plan_import(
        self: Workbench, path: Path, layer: str | None = None, progress: Progress | None = None
    ) -> ImportPlan:
        """Read ``path`` (CSV or moatscope JSON) and plan the import; nothing is written.

        The file is checked whole before a row is planned (see ``store.import_file``): one
        that cannot be imported, or is too big to import at once, raises ImportFileError.
        """
        if layer is not None:
            self.layer(layer)
        file = open_source(path)
        source = f"import: {one_line(clean(path.name))[0]}"
        companies = self.database.table(COMPANIES)
        if file.is_json:
            planner = JsonPlanner(
                dict(companies), self.layers(), set(self.database.table(RUNS)), source
            )
            planner.know_chain(self.database.table(RELATIONS), self.database.table(CHOKEPOINTS))
            return planner.plan_export(read_json_export(path, file.read_text()))
        _, rows = read_csv(file, check_csv(file))
        planner = CsvPlanner(list(companies.values()), self.layers(), source, layer, clock.now())
        return planner.plan_rows(rows, progress)

    def apply_import(self: Workbench, plan: ImportPlan) -> None:
        """Write a planned import as one change: all of it lands, or none of it."""
        if not (plan.additions or plan.updates or plan.runs or plan.layers or plan.relations):
            return
        stamp = clock.stamp()
        updates = [{**record, "updated": stamp} for record in plan.updates]
        with self._change(
            f"Imported {plan.source.removeprefix('import: ')}: {plan.summary}"
        ) as change:
            if plan.layers:
                change.put_many(LAYERS, plan.layers)
            change.put_many(COMPANIES, [*plan.additions, *updates])
            if plan.runs:
                change.put_many(RUNS, plan.runs)
            if plan.chokepoints:
                change.put_many(CHOKEPOINTS, plan.chokepoints)
            if plan.relations:
                change.put_many(RELATIONS, plan.relations)

    def _export_records(self: Workbench, company_ids: Iterable[str] | None) -> list[Record]:
        table = self.database.table(COMPANIES)
        records = (
            list(table.values())
            if company_ids is None
            else [table[cid] for cid in company_ids if cid in table]
        )
        order = {layer.id: layer.position for layer in self.layers()}
        return sorted(
            records,
            key=lambda r: (
                order.get(r.get("layer") or "", len(order)),
                r["name"].casefold(),
                r["id"],
            ),
        )

    def export_json(self: Workbench, company_ids: Iterable[str] | None = None) -> bytes:
        """A JSON export (all companies, or ``company_ids``) that imports back whole."""
        return b"".join(self._json_chunks(company_ids))

    def _json_chunks(self: Workbench, company_ids: Iterable[str] | None) -> Iterator[bytes]:
        records = self._export_records(company_ids)
        wanted = {record["id"] for record in records}
        runs = sorted(
            (r for r in self.database.table(RUNS).values() if r["company_id"] in wanted),
            key=lambda r: (r["company_id"], r["created"], r.get("sequence", 0)),
        )
        layers = sorted(self.database.table(LAYERS).values(), key=lambda r: r.get("position", 0))
        relations = self._export_relations(wanted, both=True)
        return export_json_chunks(layers, records, runs, relations, self._points())

    def export_csv(self: Workbench, company_ids: Iterable[str] | None = None) -> str:
        """One CSV row per company with its latest score and verdict."""
        return companies_csv(self._export_records(company_ids), self._caches.latest_runs)

    def export_relations_csv(self: Workbench, company_ids: Iterable[str] | None = None) -> str:
        """One CSV row per relation that names any of the companies."""
        return "".join(self._relation_chunks(company_ids))

    def _relation_chunks(self: Workbench, company_ids: Iterable[str] | None) -> Iterator[str]:
        records = self._export_records(company_ids)
        names = {row.id: row.name for row in self.rows()}
        relations = self._export_relations({r["id"] for r in records}, both=False)
        return relations_csv_chunks(relations, names)

    def _export_relations(self: Workbench, wanted: set[str], both: bool) -> list[Record]:
        """The relations between companies of ``wanted`` (``both`` ends) or naming any."""
        check = all if both else any
        found = [
            r
            for r in self.database.table(RELATIONS).values()
            if check(cid in wanted for cid in (r["from_company"], r["to_company"]))
        ]
        return sorted(found, key=lambda r: (r["from_company"], r["to_company"], r["kind"]))

    def _points(self: Workbench) -> list[Record]:
        return sorted(self.database.table(CHOKEPOINTS).values(), key=lambda r: r["id"])

    def export_markdown(self: Workbench, company_ids: Iterable[str] | None = None) -> str:
        """One memo per company, in one Markdown document."""
        return joined_memos(memo for _, memo in self._memos(company_ids))

    def _memos(self: Workbench, company_ids: Iterable[str] | None) -> Iterator[tuple[Company, str]]:
        """Each company with its memo, made when it is asked for, reading only its own runs."""
        names = {layer.id: layer.name for layer in self.layers()}
        for record in self._export_records(company_ids):
            company = shown(Company, record)[0]
            layer_name = names.get(company.layer or "", "")
            runs = self.runs(company.id)
            chain = self.value_chain(company.id, company)
            yield company, memo_markdown(company, runs, layer_name, self.checklist, chain)

    def export_chunks(
        self: Workbench, kind: str, company_ids: Iterable[str] | None = None
    ) -> Iterator[bytes]:
        """An export as ``kind`` (``csv``, ``json``, ``md`` or ``relations-csv``) in pieces,
        made as they are read: written as they come, memory does not grow with the export."""
        if company_ids is not None:
            company_ids = list(company_ids)  # read when the first piece is asked for
        if kind == "json":
            return self._json_chunks(company_ids)
        if kind == "csv":
            text = companies_csv_chunks(self._export_records(company_ids), self._caches.latest_runs)
        elif kind == "md":
            text = memo_document(memo for _, memo in self._memos(company_ids))
        elif kind == "relations-csv":
            text = self._relation_chunks(company_ids)
        else:
            raise ValueError(f"unknown export format {kind!r}")
        return (piece.encode() for piece in text)

    def export_bytes(self: Workbench, kind: str, company_ids: Iterable[str] | None = None) -> bytes:
        """An export as ``kind``, whole, ready to write anywhere."""
        return b"".join(self.export_chunks(kind, company_ids))

    def write_export(
        self: Workbench,
        path: Path,
        kind: str,
        company_ids: Iterable[str] | None = None,
        *,
        replace: bool = False,
    ) -> Path:
        """Export to ``path`` as it is made (never over the database or its copies; an
        existing file only with ``replace``; a temp file renamed only once it is whole);
        returns where it went."""
        chunks = self.export_chunks(kind, company_ids)
        return write_file(path, chunks, self.database.path, replace=replace)

    def write_memos(
        self: Workbench, folder: Path, company_ids: Iterable[str], *, replace: bool = False
    ) -> int:
        """One memo file per company in ``folder`` (created if missing), each memo made when
        its file is written; returns how many."""
        company_ids = list(company_ids)
        names: list[str] = []
        taken: set[str] = set()
        for record in self._export_records(company_ids):
            names.append(memo_file_name(shown(Company, record)[0], taken))
            taken.add(names[-1])
        memos = (joined_memos([memo]).encode() for _, memo in self._memos(company_ids))
        write_folder(folder, names, memos, self.database.path, replace=replace)
        return len(names)


def memo_file_name(company: Company, taken: Iterable[str] = ()) -> str:
    """``groq.md`` for Groq: the name's letters and digits, unique among ``taken``."""
    stem = slug(company.name, "company")
    while f"{stem}.md" in taken:
        stem += "-" + company.id[-4:]
    return f"{stem}.md"
