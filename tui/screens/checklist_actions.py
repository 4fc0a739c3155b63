"""Checklist actions of the main screen: wizard, history, re-score, compare, memo; and
the wizard for one company, which the inbox opens too.

The screens they open are imported when first opened, not on the app's start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from store.checklist import checklist_of
from store.errors import MoatscopeError
from store.leak_context import leak_context
from store.models import AnswerEntry, ChecklistRun, Verdict
from store.runs import carried_answers, difference_lines, rescore_difference, save_rescore
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

    company = workbench.company(company_id)
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

    return ChecklistWizard(
        company.name,
        checklist,
        previous,
        save,
        stage=company.stage,
        layer=company.layer,
        leak=leak_context(workbench, company_id),
    )


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
        """Show what the current checklist makes of the latest run; save a new run of it
        only on yes (one change: ``u`` undoes it). The old run is kept as it was."""
        row = self.table.current
        if row is None or not self.writable():
            return
        latest = self.workbench.latest_run(row.id)
        if latest is None:
            self.say(f"{row.name} has no run to re-score.", timeout=3)
            return
        active = self.workbench.checklist
        difference = rescore_difference(latest, checklist_of(latest, active), active)
        after = f"{difference.after.verdict.label} {_score(difference.after.score)}"

        def decided(confirmed: bool | None) -> None:
            if not confirmed:
                return
            error = self.attempt(lambda: save_rescore(self.workbench, difference))
            if error:
                self.say(error, severity="error")
                return
            self.refresh_view(keep=row.id)
            self.say(f"Re-scored {row.name}: {after} ({active.id} v{active.version})", timeout=3)

        same = "" if difference.changed else "\n\nScore, range and verdict stay the same."
        self.app.push_screen(
            ConfirmDialog(
                f"Re-score {row.name} with the current checklist?\n\n"
                + "\n".join(difference_lines(difference))
                + same
                + "\n\nThe old run is kept; the new one becomes the current score.",
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
