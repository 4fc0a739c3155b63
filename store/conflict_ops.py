"""Resolving a conflict (``store.conflicts``): one ordinary change, undone with ``u``.

Resolving picks one side's value, or a typed one, for the field (or the note, or the
object's key) the conflict is about, writes the record through the model (a value the
model refuses is refused in its words), and removes the conflict, all in one change of the
change log: undo puts the value and the conflict back. A conflict on the record itself
picks the changed record or its delete (a company's runs and relations go with it, as
with any delete).

A conflict holds its sides in canonical order; which one is the reader's own ("ours") is
the side this user changed (``who``, from the record), when exactly one of them says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from store import clock
from store.chain_models import Chokepoint, Relation
from store.conflicts import RECORD, TABLE, Conflict, open_conflicts
from store.errors import InvalidInput, NotFound
from store.models import ChecklistRun, Company, Layer
from store.problems import validated

if TYPE_CHECKING:
    from store.service import Workbench

MODELS: dict[str, type[BaseModel]] = {
    "companies": Company,
    "layers": Layer,
    "runs": ChecklistRun,
    "relations": Relation,
    "chokepoints": Chokepoint,
}
"""The model a resolved record is written through, by table."""


def own_side(conflict: Conflict, author: str) -> int | None:
    """The index of the side ``author`` changed, when exactly one side says so."""
    mine = [index for index, side in enumerate(conflict.sides) if side.who == author]
    return mine[0] if len(mine) == 1 and author else None


def typed(conflict: Conflict, text: str) -> Any:
    """``text`` as a value of the conflict's field: a list of text for a list (split at
    commas), nothing for an empty text where a side or the base holds nothing."""
    values = [conflict.base, *(side.value for side in conflict.sides)]
    if any(type(value) is list for value in values):
        return [part.strip() for part in text.split(",") if part.strip()]
    if not text.strip() and any(value is None for value in values):
        return None
    return text


class ConflictOps:
    """Mixed into Workbench: the open conflicts, and resolving one."""

    def conflicts(self: Workbench) -> list[Conflict]:
        """Every open conflict, by table, record name and field."""
        return open_conflicts({TABLE: self.database.table(TABLE)})

    def conflict(self: Workbench, reference: str) -> Conflict:
        """A conflict by its id, or the start of its id when only one begins so."""
        found = [c for c in self.conflicts() if c.id == reference]
        if not found and len(reference.strip()) >= 4:
            found = [c for c in self.conflicts() if c.id.startswith(reference.strip())]
        if len(found) != 1:
            what = "matches several conflicts" if found else "is not an open conflict"
            raise NotFound(f"{reference!r} {what}; 'moatscope conflicts' lists them.")
        return found[0]

    def resolve(
        self: Workbench, reference: str, *, side: int | None = None, text: str | None = None
    ) -> Conflict:
        """Resolve a conflict with side ``side`` (0 or 1) or the typed ``text``."""
        conflict = self.conflict(reference)
        if text is not None and conflict.field == RECORD:
            raise InvalidInput({"value": "a deleted record is resolved by picking a side"})
        value = typed(conflict, text) if text is not None else conflict.sides[side or 0].value
        what = conflict.field.replace("_", " ") or "deleted or kept"
        with self._change(f"Resolved {conflict.name or conflict.key}: {what}") as change:
            if conflict.field == RECORD:
                _pick_record(self, change, conflict, value)
            else:
                record = self.database.copy(conflict.table, conflict.key)
                if record is None:
                    raise NotFound(f"{conflict.name or conflict.key} is no longer there.")
                placed = _placed(record, conflict, value, text)
                change.put(conflict.table, _checked(conflict.table, placed))
            change.delete(TABLE, [conflict.id])
        return conflict


def _pick_record(bench: Workbench, change: Any, conflict: Conflict, value: Any) -> None:
    """Keep the record as a side had it, or delete it (a company with its runs and
    relations)."""
    if type(value) is dict:
        change.put(conflict.table, value)
        return
    if conflict.table == "companies":
        runs = bench.database.table("runs")
        change.delete("runs", [k for k, r in runs.items() if r.get("company_id") == conflict.key])
        relations = bench.database.table("relations")
        ends = ("from_company", "to_company")
        gone = [k for k, r in relations.items() if conflict.key in (r.get(e) for e in ends)]
        change.delete("relations", gone)
    change.delete(conflict.table, [conflict.key])


def _placed(record: dict[str, Any], conflict: Conflict, value: Any, text: str | None) -> Any:
    """``record`` with ``value`` in the conflict's place (field, or item within it)."""
    if not conflict.item:
        return {**record, conflict.field: value}
    held = record.get(conflict.field)
    if type(held) is dict:
        items = {k: v for k, v in held.items() if k != conflict.item}
        if value is not None:
            items[conflict.item] = value
        return {**record, conflict.field: items}
    items = [i for i in held or [] if not (type(i) is dict and i.get("id") == conflict.item)]
    if text is not None:  # a typed note: the note as a side had it, with this text
        note = next(s.value for s in conflict.sides if type(s.value) is dict)
        value = {**note, "body": text}
    if type(value) is dict:
        items.append(value)
        items.sort(key=lambda item: (str(item.get("created", "")), str(item.get("id", ""))))
    return {**record, conflict.field: items}


def _checked(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record through its table's model (a company marked changed now)."""
    model = MODELS.get(table)
    if model is None:
        return record
    if table == "companies":
        record = {**record, "updated": clock.now()}
    return validated(model, record).model_dump(mode="json")
