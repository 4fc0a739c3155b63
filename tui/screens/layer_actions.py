"""Layer management from the command palette: add, rename, describe, reorder, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.screens.dialogs import ChoiceDialog, ConfirmDialog, PromptDialog
from tui.widgets.layer_list import ALL, UNSORTED

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class LayerActions:
    """Actions on layers, mixed into the main screen."""

    def _current_layer(self: MainScreen):
        if self.layer_id in (UNSORTED, ALL):
            name = self._layer_name(self.layer_id)
            self.say(f"{name} is not a layer; pick a layer first.", severity="warning")
            return None
        return self.workbench.layer(self.layer_id)

    def action_add_layer(self: MainScreen) -> None:
        if not self.writable():
            return

        def submit(name: str) -> str | None:
            added = []
            error = self.attempt(lambda: added.append(self.workbench.add_layer(name)))
            if not error:
                self.layer_id = added[0].id
                self.refresh_view()
            return error

        self.app.push_screen(PromptDialog("New layer", submit, placeholder="Layer name"))

    def action_rename_layer(self: MainScreen) -> None:
        layer = self._current_layer()
        if layer is None or not self.writable():
            return

        def submit(name: str) -> str | None:
            error = self.attempt(lambda: self.workbench.edit_layer(layer.id, name=name))
            if not error:
                self._base_key = ()
                self.refresh_view()
            return error

        self.app.push_screen(PromptDialog(f"Rename {layer.name}", submit, value=layer.name))

    def action_describe_layer(self: MainScreen) -> None:
        layer = self._current_layer()
        if layer is None or not self.writable():
            return

        def submit(summary: str) -> str | None:
            return self.attempt(lambda: self.workbench.edit_layer(layer.id, summary=summary))

        self.app.push_screen(
            PromptDialog(
                f"Describe {layer.name}",
                submit,
                value=layer.summary,
                placeholder="What the layer covers",
            )
        )

    def action_move_layer(self: MainScreen, offset: int) -> None:
        layer = self._current_layer()
        if layer is None or not self.writable():
            return
        error = self.attempt(lambda: self.workbench.move_layer(layer.id, offset))
        if error:
            self.say(error, severity="error")
        self.refresh_view()

    def action_delete_layer(self: MainScreen) -> None:
        layer = self._current_layer()
        if layer is None or not self.writable():
            return
        count = len(self.workbench.rows(layer=layer.id))
        if count:
            self.say(
                f"{layer.name} still has {count} companies: mark them and use "
                "'company: Move to layer' first.",
                severity="warning",
            )
            return

        def decided(confirmed: bool | None) -> None:
            if confirmed:
                error = self.attempt(lambda: self.workbench.delete_layer(layer.id))
                if error:
                    self.say(error, severity="error")
                    return
                self.layer_id = (
                    self.workbench.layers()[0].id if self.workbench.layers() else UNSORTED
                )
                self.refresh_view()

        self.app.push_screen(ConfirmDialog(f"Delete the empty layer {layer.name}?"), decided)

    def action_move_to_layer(self: MainScreen) -> None:
        rows = self.targets()
        if not rows or not self.writable():
            return
        ids = [row.id for row in rows]
        choices = [(layer.id, layer.name) for layer in self.workbench.layers()]

        def submit(layer_id: str) -> str | None:
            error = self.attempt(lambda: self.workbench.set_layer(ids, layer_id))
            if not error:
                self.table.marks.clear()
                self.refresh_view()
            return error

        self.app.push_screen(ChoiceDialog(f"Move {self._subject(rows)} to", choices, submit))
