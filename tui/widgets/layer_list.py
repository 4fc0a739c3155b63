"""The stack's layers, with company counts and average scores."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.models import Layer
from tui.format import score_text
from tui.widgets.pick_list import PickList

UNSORTED = "__unsorted__"
"""The pseudo-layer of companies an import left without a layer."""


@dataclass(frozen=True)
class LayerStats:
    """What the list shows beside a layer's name."""

    count: int = 0
    average: float | None = None


class LayerList(PickList):
    """Layers in stack order; the highlighted one is the current layer."""

    BINDING_GROUP_TITLE = "Layers"

    def show(self, layers: list[Layer], stats: dict[str | None, LayerStats], current: str) -> None:
        """Rebuild the options, keeping ``current`` highlighted."""
        options = [
            self._option(layer.id, layer.name, stats.get(layer.id, LayerStats()))
            for layer in layers
        ]
        unsorted = stats.get(None)
        if unsorted and unsorted.count:
            options.append(self._option(UNSORTED, "Unsorted", unsorted))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            ids = [option.id for option in options]
            self.highlighted = ids.index(current) if current in ids else 0

    @staticmethod
    def _option(layer_id: str, name: str, stats: LayerStats) -> Option:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(name)
        prompt.append(f"\n  {stats.count} companies", style="dim")
        if stats.average is not None:
            prompt.append(f" · avg {score_text(stats.average)}", style="dim")
        return Option(prompt, id=layer_id)
