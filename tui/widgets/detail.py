"""The selected company's detail: facts, latest checklist, notes as Markdown."""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.models import ChecklistRun, Company
from store.rows import CompanyRow
from store.runs import movement
from store.service import Profile, Workbench
from tui.format import revisit_text, score_text, when


def _facts(company: Company, layer_name: str) -> Text:
    text = Text()
    text.append(company.name, style="bold")
    text.append("\n")
    if company.one_liner:
        text.append(company.one_liner + "\n")
    text.append("\n")
    status = company.status.value
    if company.pass_reason:
        status += f" — {company.pass_reason}"
    rows = [
        ("Layer", layer_name or "unsorted"),
        ("Status", status),
        ("Website", company.website),
        ("Tags", ", ".join(company.tags)),
        ("Stage", company.stage),
        ("HQ", company.headquarters),
        ("Founded", str(company.founded_year or "")),
        ("Absorber", company.absorber),
        ("Upstream", company.upstream),
        ("Revisit", revisit_text(company.revisit)),
        ("Kill if", company.kill_criterion),
    ]
    for label, value in rows:
        if value:
            text.append(f"{label:<9}", style="dim")
            text.append(value + "\n")
    return text


def _checklist(run: ChecklistRun | None, previous: ChecklistRun | None) -> Text:
    text = Text()
    if run is None:
        text.append("Not scored yet: press c to run the moat checklist.", style="dim")
        return text
    text.append(f"{run.verdict.label}", style="bold")
    text.append(f"  score {score_text(run.score)} · coverage {run.coverage:.0%}")
    if previous is not None:
        text.append(f"\n{movement(previous, run)}", style="dim")
    text.append(f"\n{when(run.created)} · {run.author} · h shows every run", style="dim")
    return text


def notes_markdown(company: Company) -> str:
    """The notes, newest first, each under its date and author."""
    if not company.notes:
        return "*No notes yet: press a to add one.*"
    parts = []
    for note in sorted(company.notes, key=lambda n: n.created, reverse=True):
        author = note.author.replace("*", "").replace("_", "") or "unknown"
        parts.append(f"**{when(note.created)} · {author}**\n\n{note.body.strip()}\n")
    return "\n---\n\n".join(parts)


class CompanyDetail(VerticalScroll, can_focus=True):
    """Everything about the highlighted company."""

    BINDING_GROUP_TITLE = "Detail"

    def compose(self) -> ComposeResult:
        yield Static(id="facts")
        yield Static(id="checklist")
        # Rich's Markdown in a Static, not Textual's Markdown widget: that one mounts a widget
        # per block, and re-mounting them on each cursor move cost more than all the rest.
        yield Static(id="notes")

    _shown: tuple[object, object, str] | None = None
    """What each part last showed (facts, checklist, notes), so unchanged parts are left be:
    formatting the notes is the costliest thing a cursor move does."""

    _followed: tuple[CompanyRow | None, int] | None = None

    def follow(self, row: CompanyRow | None, workbench: Workbench) -> None:
        """Show the company of ``row``, reading its profile only when something changed.

        Rows are replaced when their company changes, so the same row at the same
        revision (a filter keystroke that kept the cursor's company) is already shown.
        """
        key = (row, workbench.revision)
        if key != self._followed:
            self._followed = key
            self.show(workbench.profile(row.id) if row else None)

    def show(self, profile: Profile | None) -> None:
        """Show a company's profile (None clears the pane)."""
        facts, checklist, notes = (
            self.query_one("#facts", Static),
            self.query_one("#checklist", Static),
            self.query_one("#notes", Static),
        )
        self.set_class(profile is None, "-empty")
        if profile is None:
            self._shown = None
            facts.update(Text("Select a company to see its detail.", style="dim"))
            checklist.update("")
            notes.update("")
            return
        shown = self._shown or (None, None, None)
        parts = (
            (profile.company, profile.layer_name),
            (profile.latest, profile.previous),
            notes_markdown(profile.company),
        )
        if parts[0] != shown[0]:
            facts.update(_facts(profile.company, profile.layer_name))
        if parts[1] != shown[1]:
            checklist.update(_checklist(profile.latest, profile.previous))
        if parts[2] != shown[2]:
            notes.update(Markdown(parts[2], hyperlinks=False))
        self._shown = parts
