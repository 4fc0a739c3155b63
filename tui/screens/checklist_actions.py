"""Checklist actions of the main screen: wizard, history, re-score, compare, memo; and
the wizard for one company, which the inbox opens too.

The screens they open are imported when first opened, not on the app's start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import MoatscopeError
from store.models import AnswerEntry, ChecklistRun, Verdict
from store.runs import carried_answers, rescore
from store.service import Workbench
from tui.commands import key_for
from tui.screens.dialogs import ChoiceDialog, ConfirmDialog, PromptDialog
from tui.screens.file_prompt import write_or_confirm

if TYPE_CHECKING:
    from tui.screens.main import MainScreen
    from tui.screens.wizard import ChecklistWizard


def checklist_wizard(
    workbench: Workbench, company_id: str, saved: Callable[[], None] | None = None
) -> ChecklistWizard:
    """The wizard for the company ``company_id``, pre-filled from its last run.

    The company is fixed here, by id, not read from a list that may have moved: a saved
    run is recorded against this company, and ``saved`` (if given) is called once it is.
    """
    from tui.screens.wizard import ChecklistWizard

    row = workbench.row(company_id)
    name = row.name if row is not None else company_id
    checklist = workbench.checklist
    previous = carried_answers(workbench.latest_run(company_id), checklist)

    def save(answers: dict[str, AnswerEntry]) -> ChecklistRun | str:
        try:
            run = workbench.record_run(company_id, answers)
        except MoatscopeError as error:
            return str(error)
        if saved is not None:
            saved()
        return run

    return ChecklistWizard(name, checklist, previous, save)


class ChecklistActions:
    """Actions around the moat checklist, mixed into the main screen."""

    def action_checklist(self: MainScreen) -> None:
        row = self.table.current
        if row is None or not self.writable():
            return
        self.app.push_screen(
            checklist_wizard(self.workbench, row.id, lambda: self.refresh_view(keep=row.id))
        )

    def action_history(self: MainScreen) -> None:
        from tui.screens.runs import RunHistory

        row = self.table.current
        if row is None:
            return
        runs = self.workbench.runs(row.id)
        if not runs:
            run = key_for(self, "company.checklist")
            hint = f": press {run} to run one" if run else ""
            self.say(f"{row.name} has no checklist runs yet{hint}.", timeout=3)
            return
        self.app.push_screen(
            RunHistory(
                row.name,
                lambda: self.workbench.runs(row.id),
                self.workbench.checklist,
                lambda: self.action_rescore(),
            )
        )

    def action_rescore(self: MainScreen) -> None:
        row = self.table.current
        if row is None or not self.writable():
            return
        latest = self.workbench.latest_run(row.id)
        if latest is None:
            self.say(f"{row.name} has no run to re-score.", timeout=3)
            return
        checklist = self.workbench.checklist
        result = rescore(latest, checklist)
        version = f"{latest.checklist_id} v{latest.checklist_version}"
        before = f"{latest.verdict.label} {_score(latest.score)} ({version})"
        after = (
            f"{result.verdict.label} {_score(result.score)} ({checklist.id} v{checklist.version})"
        )
        answers = carried_answers(latest, checklist)

        def decided(confirmed: bool | None) -> None:
            if not confirmed:
                return
            error = self.attempt(lambda: self.workbench.record_run(row.id, answers))
            if error:
                self.say(error, severity="error")
                return
            self.refresh_view(keep=row.id)
            self.say(f"Re-scored {row.name}: {after}", timeout=3)

        self.app.push_screen(
            ConfirmDialog(
                f"Re-score {row.name} with the current checklist?\n\n{before}  →  {after}\n\n"
                "The old run is kept; the new one becomes the current score.",
                yes="Save new run",
                no="Cancel",
            ),
            decided,
        )

    def action_compare(self: MainScreen) -> None:
        from tui.screens.compare import CompareScreen

        rows = [row for row in self._base if row.id in self.table.marks]
        if not 2 <= len(rows) <= 3:
            mark = key_for(self, "company.mark")
            how = f" with {mark}" if mark else ""
            self.say(f"Mark two or three companies{how}, then compare.", timeout=3)
            return
        sides = [
            (self.workbench.company(row.id), self.workbench.latest_run(row.id)) for row in rows
        ]
        self.app.push_screen(CompareScreen(sides, self.workbench.checklist))

    def action_memo(self: MainScreen) -> None:
        row = self.table.current
        if row is None:
            return
        company = self.workbench.company(row.id)
        slug = "".join(ch if ch.isalnum() else "-" for ch in company.name.casefold()).strip("-")
        default = str(Path.home() / f"{slug or 'company'}-memo.md")

        def submit(target: str) -> str | None:
            path = Path(target.strip()).expanduser()
            if not target.strip():
                return "Give a file name for the memo."
            return write_or_confirm(
                self,
                path,
                self.workbench.database.path,
                lambda replace: self._write_memo(path, company.id, replace),
            )

        self.app.push_screen(
            PromptDialog(f"Write a memo on {company.name} to", submit, value=default)
        )

    def _write_memo(
        self: MainScreen, path: Path, company_id: str, replace: bool = False
    ) -> str | None:
        try:
            self.workbench.write_export(path, "md", [company_id], replace=replace)
        except MoatscopeError as error:
            return str(error)
        self.say(f"Memo written to {path}", timeout=4)
        return None

    def action_filter_verdict(self: MainScreen) -> None:
        choices = [(verdict.value, verdict.label) for verdict in Verdict]
        choices.append(("unscored", "Not scored"))

        def submit(choice: str) -> str | None:
            self.action_filter()
            self.query_one("#filter").value = f"verdict:{choice}"
            return None

        self.app.push_screen(ChoiceDialog("Show companies whose verdict is", choices, submit))


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"
