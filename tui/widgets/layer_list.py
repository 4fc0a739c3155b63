"""The stack's layers, with counts of the pipeline's companies and their average scores.

Reference companies (the starter set) are left out of those counts; a layer that holds
nothing else says how many it holds ("8 reference companies"), so a fresh database does
not read as empty.

"All layers" heads the list: every company in the database, whatever its layer, so a
filter (and its ``verdict:``, ``status:`` and ``tag:`` words) searches them all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.models import Layer
from tui.format import score_text
from tui.widgets.pick_list import PickList

UNSORTED = "__unsorted__"
"""The pseudo-layer of companies an import left without a layer."""
ALL = "__all__"
"""The pseudo-layer of every company, first in the list."""


@dataclass(frozen=True)
class LayerStats:
    """What the list shows beside a layer's name."""

    count: int = 0
    """Companies in the pipeline."""
    average: float | None = None
    """Their average score, when any is scored."""
    references: int = 0
    """Reference companies (outside the pipeline)."""


class LayerList(PickList):
    """All layers, then the layers in stack order (then Unsorted, when any company has no
    layer); the highlighted one is the current view."""

    BINDING_GROUP_TITLE = "Layers"

    _shown: list[tuple[str, str, LayerStats]] = []
    """What each option says (id, name, stats), to change only what changed: a
    rebuilt option list draws all its options again, 10-15 ms."""

    def show(self, layers: list[Layer], stats: dict[str | None, LayerStats], current: str) -> None:
        """Show these layers, keeping ``current`` highlighted."""
        everything = LayerStats(
            sum(item.count for item in stats.values()),
            references=sum(item.references for item in stats.values()),
        )
        shown = [(ALL, "All layers", everything)]
        shown += [(layer.id, layer.name, stats.get(layer.id, LayerStats())) for layer in layers]
        unsorted = stats.get(None)
        if unsorted and (unsorted.count or unsorted.references):
            shown.append((UNSORTED, "Unsorted", unsorted))
        ids = [layer_id for layer_id, _, _ in shown]
        with self.prevent(OptionList.OptionHighlighted):
            if ids != [layer_id for layer_id, _, _ in self._shown]:
                self.set_options(self._option(*item) for item in shown)
            else:
                for index, (before, now) in enumerate(zip(self._shown, shown, strict=True)):
                    if before != now:
                        self.replace_option_prompt_at_index(index, self._prompt(*now[1:]))
            self._shown = shown
            highlighted = ids.index(current) if current in ids else 0
            if self.highlighted != highlighted:
                self.highlighted = highlighted

    @property
    def names(self) -> list[str]:
        """The names shown, in order (with "Unsorted" last when it shows)."""
        return [name for _, name, _ in self._shown]

    @classmethod
    def _option(cls, layer_id: str, name: str, stats: LayerStats) -> Option:
        return Option(cls._prompt(name, stats), id=layer_id)

    @staticmethod
    def _prompt(name: str, stats: LayerStats) -> Text:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(name)
        if stats.references and not stats.count:  # only reference points (the starter set)
            prompt.append(f"\n  {_companies(stats.references, 'reference ')}", style="dim")
            return prompt
        prompt.append(f"\n  {_companies(stats.count)}", style="dim")
        if stats.average is not None:
            prompt.append(f" · avg {score_text(stats.average)}", style="dim")
        return prompt


def _companies(count: int, kind: str = "") -> str:
    """ "1 company", "8 reference companies"."""
    return f"{count} {kind}{'company' if count == 1 else 'companies'}"


class LayerStrip(Widget, can_focus=False):
    """The layers on one line, the current one highlighted: the layer list of a narrow
    screen (``[`` and ``]`` move along it). When the names do not fit, the line starts
    where the current layer shows whole, and a cut end says "…"."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"layer-strip--current"}
    DEFAULT_CSS = """
    LayerStrip {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        & > .layer-strip--current { color: $text; background: $accent 40%; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: tuple[str, ...] = ()
        self._current = 0

    def show(self, names: list[str], current: int) -> None:
        """Show these layer names, ``current`` (an index) highlighted."""
        if (tuple(names), current) != (self._names, self._current):
            self._names, self._current = tuple(names), current
            self.refresh()

    def render(self) -> Text:
        width = self.content_region.width
        current = self.get_component_rich_style("layer-strip--current", partial=True)
        labels = [f" {name} " for name in self._names]
        first = 0  # the first name shown: the current one must fit whole
        while first < self._current and (
            sum(cell_len(label) + 1 for label in labels[first : self._current + 1]) + 1 > width
        ):
            first += 1
        line = Text("…" if first else "", no_wrap=True, end="")
        for index, label in enumerate(labels[first:], first):
            line.append(label, current if index == self._current else None)
            if index < len(labels) - 1:
                line.append("│", "dim")
        line.truncate(width, overflow="ellipsis")
        return line
