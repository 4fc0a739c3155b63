"""Layer operations of the workbench: add, rename, describe, reorder, delete, move companies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from store.errors import InvalidInput
from store.models import Layer
from store.problems import validated
from store.text import free_id

if TYPE_CHECKING:
    from store.service import Workbench

LAYERS = "layers"


class LayerOps:
    """Mixed into Workbench: the stack's layers are data the user edits."""

    def add_layer(self: Workbench, name: str, summary: str = "") -> Layer:
        """Add a layer at the top of the stack."""
        taken = set(self.database.table(LAYERS))
        layer_id = free_id(name, taken, "layer")
        position = max((layer.position for layer in self.layers()), default=-1) + 1
        layer = validated(
            Layer, {"id": layer_id, "name": name, "summary": summary, "position": position}
        )
        with self._change(f"Added layer {layer.name}") as change:
            change.put(LAYERS, layer.model_dump(mode="json"))
        return layer

    def edit_layer(self: Workbench, layer_id: str, **fields: Any) -> Layer:
        """Rename or describe a layer."""
        current = self.layer(layer_id)
        fields.pop("id", None)
        layer = validated(Layer, {**current.model_dump(), **fields})
        with self._change(f"Edited layer {layer.name}") as change:
            change.put(LAYERS, layer.model_dump(mode="json"))
        return layer

    def move_layer(self: Workbench, layer_id: str, offset: int) -> None:
        """Move a layer up (negative) or down the stack."""
        layers = self.layers()
        index = next(i for i, layer in enumerate(layers) if layer.id == self.layer(layer_id).id)
        target = max(0, min(len(layers) - 1, index + offset))
        if target == index:
            return
        layers.insert(target, layers.pop(index))
        with self._change(f"Moved layer {layers[target].name}") as change:
            change.put_many(
                LAYERS,
                [
                    {**layer.model_dump(mode="json"), "position": position}
                    for position, layer in enumerate(layers)
                ],
            )

    def delete_layer(self: Workbench, layer_id: str) -> None:
        """Delete an empty layer; a layer with companies (its own, or listed there as a
        secondary layer) must be emptied first. Its chokepoints are left without a layer."""
        layer = self.layer(layer_id)
        count = len(self.rows(layer=layer_id))
        if count:
            raise InvalidInput(
                {
                    "layer": (
                        f"{layer.name} still has {count} companies; "
                        "move them to another layer first"
                    )
                }
            )
        chokepoints = [
            {**record, "layer": None}
            for record in self.database.table("chokepoints").values()
            if record["layer"] == layer_id
        ]
        with self._change(f"Deleted layer {layer.name}") as change:
            change.put_many("chokepoints", chokepoints)
            change.delete(LAYERS, [layer_id])

    def set_layer(self: Workbench, company_ids: Iterable[str], layer_id: str | None) -> int:
        """Move companies to a layer (None: unsorted)."""
        self._check_layer(layer_id)
        name = self.layer(layer_id).name if layer_id else "unsorted"
        return self._update_many(company_ids, f"Moved to {name}", lambda c: {"layer": layer_id})
