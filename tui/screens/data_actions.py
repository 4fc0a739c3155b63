"""Import and export from the main screen (the import screen is imported when first opened)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import MoatscopeError
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.widgets.layer_list import UNSORTED

if TYPE_CHECKING:
    from store.import_plan import ImportPlan
    from tui.screens.main import MainScreen

FORMATS = {".csv": "csv", ".json": "json", ".md": "md", ".markdown": "md"}


class DataActions:
    """Import a provider CSV or a moatscope JSON; export the view or the marked rows."""

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
            self.say(
                "Nothing to export: "
                + ("mark companies with space first." if marked_only else "this view is empty."),
                timeout=3,
            )
            return
        name = "unsorted" if self.layer_id == UNSORTED else self.layer_id
        default = str(Path.home() / f"moatscope-{name}.csv")

        def submit(target: str) -> str | None:
            path = Path(target.strip()).expanduser()
            kind = FORMATS.get(path.suffix.casefold())
            if kind is None:
                return "End the file name with .csv, .json or .md to choose the format."
            if path.is_dir():
                return f"{path} is a folder; give a file name."
            if path.exists():
                self.app.call_later(
                    self.app.push_screen,
                    ConfirmDialog(f"{path} exists. Replace it?", yes="Replace"),
                    lambda yes: yes and self._write_export(path, kind, ids),
                )
                return None
            return self._write_export(path, kind, ids)

        what = (
            f"{len(ids)} marked companies" if marked_only else f"the {len(ids)} companies in view"
        )
        self.app.push_screen(
            PromptDialog(f"Export {what} to (.csv, .json or .md)", submit, value=default)
        )

    def _write_export(self: MainScreen, path: Path, kind: str, ids: list[str]) -> str | None:
        try:
            if kind == "json":
                path.write_bytes(self.workbench.export_json(ids))
            elif kind == "csv":
                path.write_bytes(self.workbench.export_csv(ids).encode("utf-8"))
            else:
                path.write_text(self.workbench.export_markdown(ids), encoding="utf-8")
        except (OSError, MoatscopeError) as error:
            return f"Could not write {path}: {getattr(error, 'strerror', None) or error}."
        self.say(f"Exported {len(ids)} companies to {path}", timeout=4)
        return None
