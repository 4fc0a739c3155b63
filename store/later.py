"""Tables the TUI's first frame does not read, left unparsed and unchecked until first used.

The relations (three per company in a value chain) and the change log are parsed and
checked (``store.open_check``) only when something first reads or writes them, or just
after the first frame (``MoatscopeApp``), not before it. Until then they are not in
memory at all: ``MemoryStorage.pending`` names them, and every read of them, every write
and every snapshot reads them first (``Database.complete``), so nothing is written before
their check, and no snapshot lacks them.

A table that fails its check then cannot refuse the open, which is over: the session
becomes read-only and says why (``Database.refused``), the records at fault are left out
of memory (shown nowhere, so nothing reads what it cannot), and the file is never
written. The command line opens without leaving anything for later: a file that fails
its check is refused before anything happens, as always.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.db_files import place, unreadable
from store.lines import parse_later
from store.open_check import table_problems

LATER = ("relations", "changes")
"""What the first frame does not read (the detail's value chain is read the turn after)."""


@dataclass
class LaterTables:
    """Where the tables left for later are in the snapshot's bytes."""

    path: Path
    raw: bytes
    spans: dict[str, tuple[int, int]]

    def load(self) -> tuple[dict[str, dict[str, Any]], str]:
        """The tables, parsed and checked, without any record at fault; and why the
        session must not write, or ""."""
        tables: dict[str, dict[str, Any]] = {}
        refusal = ""
        for name, (start, close) in self.spans.items():
            try:
                records = parse_later(self.raw, start, close)
            except ValueError as error:
                records = {}
                reason = f"its {name} are not valid JSON ({error})"
                refusal = refusal or str(unreadable(self.path, reason))
            for problem in table_problems(name, records):
                where = place(self.raw, problem.table, problem.key)
                reason = f"{where}: {problem.message}"
                refusal = refusal or str(unreadable(self.path, reason))
                records.pop(problem.key, None)
            tables[name] = records
        return tables, refusal.rstrip(".")
