"""Where a company's value could leak, shown while the leak questions (C1, C2) are answered
and on the result page once they are (``store.leak_context``).

The wizard's block names the layers the company sits between and each possible absorber
with its status and verdict; the result page's is one line of the same. Either way an
absorber the fund is invested in is a portfolio conflict: one line, in the warning colour,
naming it (in the wizard, ``ConflictLine``, outside the question's scrolling box, so a short
terminal shows it too). Names come from users and imports, so they are only ever plain text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from store.leak_context import Absorber, LeakContext
from tui.format import verdict_text

SHOWN = 6
"""The absorbers the wizard's block names, one a line (then "… and N more")."""


def between(context: LeakContext) -> str:
    """ "Compute, between Power & Facilities (below) and Networking (above); also listed in
    Network", or "" without a layer."""
    if context.layer is None:
        return ""
    named = [f"{context.below} (below)"] if context.below else []
    named += [f"{context.above} (above)"] if context.above else []
    line = context.layer
    if named:
        line += f", between {' and '.join(named)}" if len(named) == 2 else f", next to {named[0]}"
    if context.secondary:
        line += f"; also listed in {', '.join(context.secondary)}"
    return line


def absorber_text(absorber: Absorber) -> str:
    """ "NVIDIA (invested, Anchor)" with the relation's note after a dash."""
    status = absorber.status.value if absorber.status else "deleted"
    line = f"{absorber.name} ({status}, {verdict_text(absorber.verdict)})"
    return f"{line} — {absorber.note}" if absorber.note else line


def conflict_line(context: LeakContext, company: str) -> str:
    """ "Portfolio conflict: NVIDIA is invested and could absorb Groq", or ""."""
    names = [absorber.name for absorber in context.conflicts]
    if not names:
        return ""
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    verb = "is" if len(names) == 1 else "are"
    return f"Portfolio conflict: {who} {verb} invested and could absorb {company}"


class ConflictLine(Static):
    """The wizard's portfolio conflict line; hidden when there is none."""

    DEFAULT_CSS = """
    ConflictLine { height: auto; margin-bottom: 1; }
    ConflictLine > .conflict-line--warning { color: $warning; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"conflict-line--warning"}

    def __init__(self, context: LeakContext, company: str) -> None:
        super().__init__(id="conflict-line")
        self.line = conflict_line(context, company)

    def render(self) -> Text:
        return Text(self.line, self.get_component_rich_style("conflict-line--warning"))


class LeakBlock(Static):
    """A company's absorbers and neighbouring layers; ``brief`` for the result page, with
    the conflict line first."""

    DEFAULT_CSS = """
    LeakBlock { height: auto; margin-top: 1; }
    LeakBlock.-brief { margin: 0 0 1 0; }
    LeakBlock > .leak-block--conflict { color: $warning; text-style: bold; }
    LeakBlock > .leak-block--heading { text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"leak-block--conflict", "leak-block--heading"}

    def __init__(self, context: LeakContext, company: str, *, brief: bool = False) -> None:
        super().__init__(id="leak-block", classes="-brief" if brief else "")
        self.context, self.company, self.brief = context, company, brief

    def render(self) -> Text:
        style = self.get_component_rich_style
        text = Text()
        if self.brief:
            conflict = conflict_line(self.context, self.company)
            if conflict:
                text.append(f"{conflict}\n", style("leak-block--conflict"))
            text.append_text(self._brief_line())
            return text
        text.append("Where value could leak\n", style("leak-block--heading"))
        layers = between(self.context)
        text.append(f"Layer: {layers}\n" if layers else "No layer: filed nowhere yet.\n")
        return text.append_text(self._absorbers(style("leak-block--heading")))

    def _absorbers(self, heading: Style) -> Text:
        absorbers = self.context.absorbers
        if not absorbers:
            return Text("No possible absorber recorded.", style="dim")
        text = Text("Possible absorbers:", heading)
        for absorber in absorbers[:SHOWN]:
            text.append(f"\n• {absorber_text(absorber)}")
        if len(absorbers) > SHOWN:
            text.append(f"\n… and {len(absorbers) - SHOWN} more")
        return text

    def _brief_line(self) -> Text:
        names = [absorber_text(a).split(" — ")[0] for a in self.context.absorbers]
        line = f"Possible absorbers: {', '.join(names)}" if names else ""
        line = line or "No possible absorber recorded"
        layers = between(self.context)
        return Text(f"{line} · {layers}" if layers else line, style="dim")
