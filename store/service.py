"""Domain operations: the one API the TUI and the CLI call.

``Workbench`` is an open database with what users do to it, gathered from mixins by
concern: reading (``store.reads``), companies (``store.company_ops``), layers
(``store.layer_ops``), relations (``store.relation_ops``), chokepoints and secondary layers
(``store.chokepoint_ops``), triage (``store.triage``), import and export
(``store.transfer``). What it memoises lives in ``store.caches``.

Every change goes through ``_change``: it validates first, records before-images
in the change log (so ``undo`` can reverse it) and commits. By default a commit
is written to disk before the call returns; the TUI swaps ``commit`` for a
background writer. After every change and undo, committed or rolled back, the
caches catch up and then the listeners are called.
"""

from __future__ import annotations

import getpass
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store import changes
from store.caches import Caches
from store.changes import ChangeSet
from store.checklist import Checklist, builtin_checklist
from store.chokepoint_ops import ChokepointOps
from store.company_ops import CompanyOps
from store.conflict_ops import ConflictOps
from store.db import Database
from store.errors import ReadOnlyStore
from store.layer_ops import LayerOps
from store.reads import CompanyReads, Profile
from store.relation_ops import RelationOps
from store.seed import seed_tables
from store.storage import Tables
from store.transfer import Transfers
from store.triage import TriageQueries

__all__ = ["NextUndo", "Profile", "Undone", "Workbench", "default_author"]

COMPANIES = "companies"


@dataclass(frozen=True)
class Undone:
    """What an undo (or a redo) reverted (or made again)."""

    label: str
    company_ids: list[str]


@dataclass(frozen=True)
class NextUndo:
    """The change ``u`` would undo now."""

    label: str
    at: str
    """When it was made (ISO)."""
    this_session: bool
    """Made by this session, not an earlier one or another program (the command line)."""


def default_author() -> str:
    """The name notes and runs are signed with when none is configured."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


class Workbench(
    CompanyReads,
    CompanyOps,
    LayerOps,
    RelationOps,
    ChokepointOps,
    TriageQueries,
    Transfers,
    ConflictOps,
):
    """An open database with the operations users perform on it."""

    def __init__(self, database: Database, checklist: Checklist, author: str) -> None:
        self.database = database
        self.checklist = checklist
        self.author = author
        self.commit: Callable[[], None] = database.flush
        """Makes the latest change durable; replaced by the TUI's background writer."""
        self.listeners: list[Callable[[], None]] = []
        """Called after every change and undo (the TUI's inbox count listens)."""
        self.session = secrets.token_hex(8)
        """This session's mark on the changes it logs (one TUI session, one command)."""
        self._caches = Caches(database)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        read_only: bool = False,
        checklist: Checklist | None = None,
        author: str | None = None,
        seed: Callable[[], Tables] = seed_tables,
        background: bool = False,
    ) -> Workbench:
        """Open (or create from ``seed()``) the database at ``path``; ``background``:
        the files are made ready for writing on a thread (``store.preparation``)."""
        database = Database.open(path, read_only=read_only, seed=seed, background=background)
        return cls(database, checklist or builtin_checklist(), author or default_author())

    @classmethod
    def scratch(cls, path: Path, seed: Callable[[], Tables] = seed_tables) -> Workbench:
        """A read-only workbench over a database that does not exist yet (to plan an import)."""
        return cls(Database.scratch(path, seed), builtin_checklist(), default_author())

    def close(self) -> None:
        """Write what is pending and release the file."""
        self.database.close()

    @property
    def read_only(self) -> bool:
        """True when another session holds the file."""
        return self.database.read_only

    @property
    def notice(self) -> str:
        """Why the session is read-only, or an empty string."""
        return self.database.notice

    # Writing ------------------------------------------------------------------------------

    @contextmanager
    def _change(self, label: str) -> Iterator[ChangeSet]:
        """One user action: it lands whole, with its entry in the change log, or not at all."""
        if self.read_only:
            raise ReadOnlyStore(f"This session is read-only: {self.notice}.")
        change = ChangeSet(self.database, label)
        entry: ChangeSet | None = None
        try:
            yield change
            if not change.ops:
                return
            entry = changes.append(self.database, change, self.session)
            self.commit()
        except BaseException:
            if entry is not None:
                entry.revert()
            change.revert()
            raise
        finally:
            if change.ops:
                self._refresh(change.ops)

    def undo(self) -> str | None:
        """Undo the newest change; returns what it was, or None if nothing is left."""
        undone = self.undo_change()
        return undone.label if undone else None

    def undo_change(self) -> Undone | None:
        """Undo the newest change; returns its label and the companies it touched."""
        return self._take_back(changes.undo_last)

    def redo_change(self) -> Undone | None:
        """Make the change undone last again, unless a new change came since; returns its
        label and the companies it touched, or None when there is nothing to redo."""
        return self._take_back(changes.redo_last)

    def next_undo(self) -> NextUndo | None:
        """The change ``undo`` would take back now, or None."""
        entry = changes.last_undoable(self.database)
        if entry is None:
            return None
        return NextUndo(entry["label"], entry["at"], entry.get("session") == self.session)

    def _take_back(self, how: Callable[[ChangeSet], dict[str, Any] | None]) -> Undone | None:
        """Undo or redo (``how``) as one change that lands whole or not at all."""
        if self.read_only:
            raise ReadOnlyStore(f"This session is read-only: {self.notice}.")
        change = ChangeSet(self.database, "undo")
        try:
            entry = how(change)
            if entry is None:
                return None
            self.commit()
        except BaseException:
            change.revert()
            raise
        finally:
            if change.ops:
                self._refresh(change.ops)
        company_ids = [op["key"] for op in entry["ops"] if op["table"] == COMPANIES]
        return Undone(entry["label"], company_ids)

    def _refresh(self, ops: list[dict[str, Any]]) -> None:
        """After a change or undo (applied or reverted): caches first, then listeners."""
        self._caches.changed(ops)
        for listener in self.listeners:
            listener()
