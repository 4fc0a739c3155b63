"""The selected company's detail: facts, latest checklist, notes as Markdown."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.markdown import Markdown
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from store.checklist import Checklist, builtin_checklist
from store.models import ChecklistRun, Company
from store.relation_ops import ValueChain
from store.rows import CompanyRow
from store.runs import movement
from store.scoring import score_text
from store.service import Profile, Workbench
from tui.chain_text import chain_block
from tui.commands import bound_key
from tui.format import revisit_text, when
from tui.run_text import run_result, version_note

Keys = tuple[str | None, str | None]
"""The keys that run the checklist and list its runs now (None: no key does)."""
HINTED = ("checklist", "history", "note")
"""The actions whose keys the pane's hints name (on the main screen and the inbox)."""


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


def _checklist(
    run: ChecklistRun | None,
    previous: ChecklistRun | None,
    keys: Keys = (None, None),
    active: Checklist | None = None,
) -> Text:
    """The latest run's verdict, reason, score with its range; ``keys`` are the keys that
    run and list runs now. Judged by the run's own checklist version, named when it is
    not ``active`` (the checklist in use)."""
    run_key, history_key = keys
    text = Text()
    if run is None:
        hint = f": press {run_key} to run the moat checklist" if run_key else ""
        text.append(f"Not scored yet{hint}.", style="dim")
        return text
    active = active or builtin_checklist()
    _, result = run_result(run, active)
    text.append(f"{run.verdict.label}", style="bold")
    text.append(f"  {score_text(result)} · coverage {run.coverage:.0%}")
    version = version_note(run, active)
    if version:
        text.append(f" · {version}", style="bold")
    text.append(f"\n{result.reason}")
    if previous is not None:
        text.append(f"\n{movement(previous, run)}", style="dim")
    history = f" · {history_key} shows every run" if history_key else ""
    text.append(f"\n{when(run.created)} · {run.author}{history}", style="dim")
    return text


def notes_markdown(company: Company, note_key: str | None = None) -> str:
    """The notes, newest first, each under its date and author; ``note_key`` is the key
    that adds one now."""
    if not company.notes:
        hint = f": press {note_key} to add one" if note_key else ""
        return f"*No notes yet{hint}.*"
    parts = []
    for note in sorted(company.notes, key=lambda n: n.created, reverse=True):
        author = note.author.replace("*", "").replace("_", "") or "unknown"
        parts.append(f"**{when(note.created)} · {author}**\n\n{note.body.strip()}\n")
    return "\n---\n\n".join(parts)


def _selected(line: Strip, start: int, end: int, look: Style) -> Strip:
    """``line`` with its characters ``start`` to ``end`` (-1: the end) drawn as selected."""
    if end == -1:
        end = len(line.text)
    segments, at = [], 0
    for segment in line:
        text, style, control = segment
        stop = at + len(text)
        if control or stop <= start or at >= end:
            segments.append(segment)
        else:
            cut_in, cut_out = max(start - at, 0), min(end - at, len(text))
            chosen = style + look if style else look
            for piece, piece_style in (
                (text[:cut_in], style),
                (text[cut_in:cut_out], chosen),
                (text[cut_out:], style),
            ):
                if piece:
                    segments.append(Segment(piece, piece_style))
        at = stop
    return Strip(segments, line.cell_length)


class CompanyDetail(ScrollView, can_focus=True):
    """Everything about the highlighted company: facts, the latest checklist, the notes.

    A Line-API view: each part is rendered to lines when it changes (or the width does),
    and a frame draws only the lines on screen. A Static per part, sized by its text,
    made every cursor move, decision and save lay the whole screen out again as the
    notes grew or shrank: 30-80 ms with 10,000 companies.
    """

    BINDING_GROUP_TITLE = "Detail"
    COMPONENT_CLASSES: ClassVar[set[str]] = {"company-detail--bar"}
    EMPTY = Text("Select a company to see its detail.", style="dim")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: tuple[RenderableType, RenderableType | None, RenderableType | None] = (
            self.EMPTY,
            None,
            None,
        )
        """Facts, checklist (None: not shown), notes (None: not shown)."""
        self._rendered: dict[int, tuple[int, RenderableType, list[Strip]]] = {}
        """Per part: (width, what was rendered, its lines), so a change renders one part."""
        self.lines: list[Strip] = []
        """Every line of the pane, without the widget's colours."""
        self._bar = range(0)
        """The lines of the checklist part, drawn behind a coloured bar."""
        self._styled: dict[int, Strip] = {}
        """Lines as drawn, by index, for ``_styled_for``."""
        self._styled_for: tuple[Style | None, int] = (None, 0)
        """The widget's style and width the drawn lines were made for."""

    _shown: tuple[object, object, str] | None = None
    """What each part last showed (facts, checklist, notes), so unchanged parts are left be:
    formatting the notes is the costliest thing a cursor move does."""

    _followed: tuple[CompanyRow | None, int] | None = None

    checklist: Checklist | None = None
    """The checklist in use: a run made with another version says which."""

    def follow(self, row: CompanyRow | None, workbench: Workbench) -> None:
        """Show the company of ``row``, reading its profile only when something changed.

        Rows are replaced when their company changes, so the same row at the same
        revision (a filter keystroke that kept the cursor's company) is already shown.
        """
        key = (row, workbench.revision)
        if key != self._followed:
            self._followed = key
            self.checklist = workbench.checklist
            if row is None:
                self.show(None)
            else:
                self.show(workbench.profile(row.id), workbench.value_chain(row.id))

    def show(self, profile: Profile | None, chain: ValueChain | None = None) -> None:
        """Show a company's profile and its value chain (None clears the pane)."""
        shown = self._shown or (None, None, None)
        if profile is None:
            self._shown = None
            self._parts = (self.EMPTY, None, None)
        else:
            screen = self.screen if self.is_attached else None
            run_keys = tuple(screen and bound_key(screen, name) for name in HINTED)
            chain_keys = tuple(screen and bound_key(screen, name) for name in ("link", "chain"))
            parts = (
                (profile.company, profile.layer_name, chain, chain_keys),
                (profile.latest, profile.previous, run_keys[:2], self.checklist),
                notes_markdown(profile.company, run_keys[2]),
            )
            facts, checklist, notes = self._parts
            if parts[0] != shown[0]:
                facts = _facts(profile.company, profile.layer_name)
                block = chain_block(chain, *chain_keys)
                if block:
                    facts.append("\n")
                    facts.append_text(block)
            if parts[1] != shown[1]:
                checklist = _checklist(
                    profile.latest, profile.previous, run_keys[:2], self.checklist
                )
            if parts[2] != shown[2]:
                notes = Markdown(parts[2], hyperlinks=False)
            self._shown = parts
            self._parts = (facts, checklist, notes)
        before = shown[0][0].id if shown[0] else None
        if profile is None or profile.company.id != before:
            self.scroll_home(animate=False, immediate=True)
        self._lay_out()

    @property
    def text(self) -> str:
        """The pane as plain text, every line of it, scrolled into view or not."""
        return "\n".join(line.text.rstrip() for line in self.lines)

    def _lay_out(self) -> None:
        """Render what changed at the current width and set the scrollable height."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return  # not sized yet: the first resize renders it
        facts, checklist, notes = self._parts
        lines = self._part_lines(0, facts, width)
        bar_was, self._bar = self._bar, range(0)
        if checklist is not None:
            # A blank line either side, and a bar and a space before each line.
            lines.append(Strip.blank(width))
            start = len(lines)
            lines += self._part_lines(1, checklist, max(width - 3, 1))
            self._bar = range(start, len(lines))
            lines.append(Strip.blank(width))
        if notes is not None:
            lines += self._part_lines(2, notes, width)
        before, self.lines = self.lines, lines
        # Only the lines that differ are drawn again: a new status or note changes a few
        # lines, and drawing every line of the pane is 10-15 ms.
        changed = [
            index
            for index in range(max(len(before), len(lines)))
            if index >= len(before)
            or index >= len(lines)
            or before[index] != lines[index]
            or (index in bar_was) != (index in self._bar)
        ]
        for index in changed:
            self._styled.pop(index, None)
        self.virtual_size = Size(width, len(lines))
        if changed:
            self.refresh_lines(changed[0], changed[-1] - changed[0] + 1)

    def _part_lines(self, part: int, renderable: RenderableType, width: int) -> list[Strip]:
        cached = self._rendered.get(part)
        if cached is None or cached[0] != width or cached[1] is not renderable:
            console = self.app.console
            options = console.options.update(width=width, height=None, highlight=False)
            lines = console.render_lines(renderable, options, pad=False)
            cached = (width, renderable, [Strip(line) for line in lines])
            self._rendered[part] = cached
        return list(cached[2])

    def on_resize(self) -> None:
        self._lay_out()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's style walks every ancestor's background: once per frame, and the
        # lines drawn with it are kept until it, the width or the text changes.
        base, width = self.rich_style, self.scrollable_content_region.width
        if (base, width) != self._styled_for:
            self._styled_for = (base, width)
            self._styled.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_offset.y)
        strip = self._styled.get(index)
        if strip is None:
            strip = self._styled[index] = self._style_line(index)
        return strip

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text a mouse drag selected: its lines are those of ``text``."""
        return selection.extract(self.text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._styled.clear()
        self.refresh()

    def _style_line(self, index: int) -> Strip:
        base, width = self._styled_for
        if not 0 <= index < len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[index]
        selection = self.text_selection
        span = selection.get_span(index) if selection is not None else None
        if span is not None:
            look = self.selection_style
            if self.screen.get_component_styles("screen--selection").color.a == 0:
                look = Style(bgcolor=look.bgcolor)  # a see-through foreground keeps the text's
            line = _selected(line, *span, look)
        # Each cell says which character of ``text`` it shows, so a drag selects text.
        line = line.apply_offsets(0, index)
        if index in self._bar:
            bar = base + self.get_component_rich_style("company-detail--bar", partial=True)
            line = Strip([Segment("█", bar), Segment(" "), *line])
        return line.apply_style(base).adjust_cell_length(width, base)
