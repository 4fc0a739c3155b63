"""The value chain from the main screen: link and unlink companies, the chain picture, the
chokepoints view, and what a company depends on and where else it is listed.

Each dialog's answer is one service call (one change: ``u`` undoes it); the screen then
refreshes from the store. The screens and dialogs are imported when first opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.rows import CompanyRow
from tui.commands import key_for
from tui.screens.dialogs import ChoiceDialog, ConfirmDialog, PromptDialog
from tui.widgets.layer_list import ALL, UNSORTED

if TYPE_CHECKING:
    from tui.screens.link_dialog import Kind
    from tui.screens.main import MainScreen


class ChainActions:
    """Value-chain actions, mixed into the main screen."""

    def _undo_hint(self: MainScreen) -> str:
        undo = key_for(self, "edit.undo")
        return f" · {undo} undoes" if undo else ""

    def action_link(self: MainScreen) -> None:
        """Link the highlighted company to another: company, kind, note."""
        from tui.screens.link_dialog import LinkDialog

        row = self.table.current
        if row is None or not self.writable():
            return
        rows = self.workbench.rows()
        layers = {layer.id: layer.name for layer in self.workbench.layers()}
        where = {other.id: layers.get(other.layer or "", "Unsorted") for other in rows}
        names = [(other.id, other.name) for other in rows]
        names_by_id = dict(names)

        def submit(other: str, kind: Kind, note: str) -> str | None:
            source, target = (row.id, other) if kind.outgoing else (other, row.id)
            error = self.attempt(lambda: self.workbench.link(source, target, kind.kind, note))
            if not error:
                self.refresh_view(keep=row.id)
                first, second = (row.name, names_by_id[other])
                if not kind.outgoing:
                    first, second = second, first
                said = f"Linked: {first} {kind.verb} {second}"
                self.say(said + self._undo_hint(), timeout=3)
            return error

        self.app.push_screen(LinkDialog(row, names, where, submit))

    def action_unlink(self: MainScreen) -> None:
        """Remove one of the highlighted company's relations (undo brings it back)."""
        row = self.table.current
        if row is None or not self.writable():
            return
        relations = self.workbench.relations_of(row.id)
        records = self.workbench.relation_records()
        choices = []
        for heading, links in relations.groups():
            for link in links:
                choices.append((link.relation_id, f"{heading}: {link.name}"))
        if not choices:
            self.say(f"{row.name} has no relations to remove.", timeout=3)
            return

        def submit(relation_id: str) -> str | None:
            record = records[relation_id]
            source, target = record["from_company"], record["to_company"]
            error = self.attempt(lambda: self.workbench.unlink(source, target, record["kind"]))
            if not error:
                self.refresh_view(keep=row.id)
                self.say(f"Link removed{self._undo_hint()}", timeout=3)
            return error

        self.app.push_screen(ChoiceDialog(f"Remove a link of {row.name}", choices, submit))

    def action_chain(self: MainScreen, on: str | None = None) -> None:
        """The chain picture of the highlighted company (the cursor on company ``on``)."""
        from tui.screens.chain_screen import ChainScreen

        row = self.table.current
        if row is None:
            return
        self.app.push_screen(ChainScreen(self.workbench, row.id, on), self._went_to)

    def _went_to(self: MainScreen, company_id: str | None) -> None:
        """Show the company a picture or view closed on, in its layer."""
        current = self.table.current
        if company_id and (current is None or current.id != company_id):
            self.jump_to(company_id)

    def action_chokepoints(self: MainScreen) -> None:
        from tui.screens.chokepoints_view import ChokepointsScreen

        self.app.push_screen(ChokepointsScreen(self.workbench), self._went_to)

    def action_depends_on(self: MainScreen) -> None:
        """Tick the chokepoints the highlighted company depends on."""
        from tui.screens.multi_pick import MultiPickDialog

        row = self.table.current
        if row is None or not self.writable():
            return
        choices = [(c.id, c.name) for c in self.workbench.chokepoints()]

        def submit(ids: list[str]) -> str | None:
            return self._saved(row, lambda: self.workbench.set_chokepoints(row.id, ids))

        title = f"Chokepoints {row.name} depends on"
        self.app.push_screen(MultiPickDialog(title, choices, set(row.chokepoints), submit))

    def action_also_in_layers(self: MainScreen) -> None:
        """Tick the other layers the highlighted company is listed in."""
        from tui.screens.multi_pick import MultiPickDialog

        row = self.table.current
        if row is None or not self.writable():
            return
        layers = [(layer.id, layer.name) for layer in self.workbench.layers()]
        choices = [(key, name) for key, name in layers if key != row.layer]

        def submit(ids: list[str]) -> str | None:
            return self._saved(row, lambda: self.workbench.set_secondary_layers(row.id, ids))

        title = f"Other layers {row.name} is listed in"
        self.app.push_screen(MultiPickDialog(title, choices, set(row.secondary_layers), submit))

    def _saved(self: MainScreen, row: CompanyRow, change) -> str | None:
        error = self.attempt(change)
        if not error:
            self.refresh_view(keep=row.id)
        return error

    def action_add_chokepoint(self: MainScreen) -> None:
        if not self.writable():
            return
        layer = None if self.layer_id in (ALL, UNSORTED) else self.layer_id

        def submit(name: str) -> str | None:
            error = self.attempt(lambda: self.workbench.add_chokepoint(name, layer))
            if not error:
                self.say(f"Added chokepoint {name.strip()}{self._undo_hint()}", timeout=3)
            return error

        where = f" to {self._layer_name(layer)}" if layer else ""
        self.app.push_screen(
            PromptDialog(f"Add a chokepoint{where}", submit, placeholder="e.g. HBM supply")
        )

    def action_rename_chokepoint(self: MainScreen) -> None:
        if not self.writable():
            return

        def chosen(chokepoint_id: str) -> str | None:
            current = self.workbench.chokepoint(chokepoint_id)

            def submit(name: str) -> str | None:
                return self.attempt(
                    lambda: self.workbench.edit_chokepoint(chokepoint_id, name=name)
                )

            self.call_later(
                self.app.push_screen,
                PromptDialog(f"Rename {current.name}", submit, value=current.name),
            )
            return None

        self._pick_chokepoint("Rename which chokepoint?", chosen)

    def action_delete_chokepoint(self: MainScreen) -> None:
        if not self.writable():
            return

        def chosen(chokepoint_id: str) -> str | None:
            current = self.workbench.chokepoint(chokepoint_id)
            depending = len(self.workbench.depending_on(chokepoint_id))

            def decided(yes: bool | None) -> None:
                if yes and not self._saved_quietly(chokepoint_id):
                    self.refresh_view()
                    self.say(f"Deleted chokepoint {current.name}{self._undo_hint()}", timeout=3)

            them = f"; {depending} companies depend on it" if depending else ""
            question = f"Delete the chokepoint {current.name}{them}?"
            confirm = ConfirmDialog(question, yes="Delete", no="Keep")
            self.call_later(self.app.push_screen, confirm, decided)
            return None

        self._pick_chokepoint("Delete which chokepoint?", chosen)

    def _saved_quietly(self: MainScreen, chokepoint_id: str) -> str | None:
        error = self.attempt(lambda: self.workbench.delete_chokepoint(chokepoint_id))
        if error:
            self.say(error, severity="error")
        return error

    def _pick_chokepoint(self: MainScreen, title: str, chosen) -> None:
        choices = [(c.id, c.name) for c in self.workbench.chokepoints()]
        if not choices:
            self.say("There are no chokepoints yet.", timeout=3)
            return
        self.app.push_screen(ChoiceDialog(title, choices, chosen))

    def relation_count(self: MainScreen, company_ids: list[str]) -> int:
        """How many relations name any of ``company_ids`` (what a delete takes along)."""
        found: set[str] = set()
        for company_id in company_ids:
            for _, links in self.workbench.relations_of(company_id).groups():
                found.update(link.relation_id for link in links)
        return len(found)
