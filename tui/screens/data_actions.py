"""Import and export from the main screen (the import screen is imported when first opened),
and removing the starter companies in one change."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import MoatscopeError
from tui.commands import key_for
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.file_prompt import write_or_confirm
from tui.widgets.layer_list import ALL, UNSORTED

if TYPE_CHECKING:
    from store.import_plan import ImportPlan
    from tui.screens.main import MainScreen

FORMATS = {".csv": "csv", ".json": "json", ".md": "md", ".markdown": "md"}


class DataActions:
    """Import a provider CSV or a moatscope JSON; export the view or the marked rows; remove
    the starter companies."""

    def action_remove_starters(self: MainScreen) -> None:
        """Delete every company tagged starter after one question; one undo brings them back."""
        if not self.writable():
            return
        ids = self.workbench.starter_ids()
        rows = [row for row in map(self.workbench.row, ids) if row is not None]
        count, moved = len(rows), sum(row.status.in_pipeline for row in rows)
        if not count:
            self.say("There are no starter companies.", timeout=3)
            return
        companies = "company" if count == 1 else "companies"

        def decided(confirmed: bool | None) -> None:
            if not confirmed:
                return
            error = self.attempt(self.workbench.remove_starters)
            if error:
                self.say(error, severity="error")
                return
            self.table.marks.clear()
            self.refresh_view()
            undo = key_for(self, "edit.undo")
            done = f"Deleted {count} starter {companies}"
            self.say(done + (f" · {undo} undoes" if undo else ""), timeout=4)

        question = f"Delete the {count} starter {companies} (tagged starter)?"
        if moved:
            question += f" {moved} of them {'is' if moved == 1 else 'are'} in the pipeline."
        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), decided)

    def action_import(self: MainScreen) -> None:
        from tui.screens.import_screen import ImportScreen

        if not self.writable():
            return

        def submit(target: str) -> str | None:
            path = Path(target.strip()).expanduser()
            if not target.strip():
                return "Give the path of a CSV or moatscope JSON file."
            if not path.is_file():
                return f"There is no file {path}."
            # After this prompt has closed, or its dismissal would pop the new screen.
            self.app.call_later(
                self.app.push_screen, ImportScreen(self.workbench, path, None, self._imported)
            )
            return None

        self.app.push_screen(
            PromptDialog(
                "Import a CSV export (Crunchbase, PitchBook, plain) or a moatscope JSON",
                submit,
                placeholder="~/Downloads/companies.csv",
                confirm="Import",
            )
        )

    def _imported(self: MainScreen, plan: ImportPlan) -> None:
        self.refresh_view()
        unsorted = sum(o.action == "add" and o.layer is None for o in plan.outcomes)
        message = f"Imported: {plan.summary}"
        if unsorted:
            message += f". {unsorted} went to Unsorted (last entry in the layer list)."
        self.say(message, timeout=6)

    def _export_ids(self: MainScreen, marked_only: bool) -> list[str] | None:
        if marked_only:
            return [row.id for row in self._base if row.id in self.table.marks]
        self.finish_filter()
        return [row.id for row in self.table.rows]

    def action_export(self: MainScreen, marked_only: bool = False) -> None:
        ids = self._export_ids(marked_only)
        if not ids:
            why = "this view is empty"
            if marked_only:
                mark = key_for(self, "company.mark")
                why = f"mark companies with {mark} first" if mark else "mark companies first"
            self.say(f"Nothing to export: {why}.", timeout=3)
            return
        name = {UNSORTED: "unsorted", ALL: "all"}.get(self.layer_id, self.layer_id)
        default = str(Path.home() / f"moatscope-{name}.csv")

        def submit(target: str) -> str | None:
            path = Path(target.strip()).expanduser()
            kind = FORMATS.get(path.suffix.casefold())
            if kind is None:
                return "End the file name with .csv, .json or .md to choose the format."
            return write_or_confirm(
                self,
                path,
                self.workbench.database.path,
                lambda replace: self._write_export(path, kind, ids, replace),
            )

        what = (
            f"{len(ids)} marked companies" if marked_only else f"the {len(ids)} companies in view"
        )
        self.app.push_screen(
            PromptDialog(
                f"Export {what} to (.csv, .json or .md)", submit, value=default, confirm="Export"
            )
        )

    def _write_export(
        self: MainScreen, path: Path, kind: str, ids: list[str], replace: bool = False
    ) -> str | None:
        try:
            self.workbench.write_export(path, kind, ids, replace=replace)
        except MoatscopeError as error:
            return str(error)
        self.say(f"Exported {len(ids)} companies to {path}", timeout=4)
        return None
