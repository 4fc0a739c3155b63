"""What a crash test knows of the companies it changed, and the check that the database
file still holds all of it after a kill."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from store.models import Status
from store.service import Workbench


@dataclass
class Known:
    """What the test knows of one company it added."""

    exists: bool | None = None
    """True: an acknowledged change proves it is there; False: its delete was
    acknowledged; None: unknown (its add or its delete was killed)."""
    notes: set[str] = field(default_factory=set)
    """Acknowledged notes (each body is unique)."""
    tags: dict[str, bool | None] = field(default_factory=dict)
    """Per tag: acknowledged there (True), removed (False), or a killed change (None)."""
    statuses: set[Status] | None = None
    """Statuses it may have (the last acknowledged one and any killed since), or None
    when the test does not follow its status."""


def check_file(path: Path, companies: dict[str, Known]) -> None:
    """The file is one whole JSON document and holds everything acknowledged."""
    json.loads(path.read_bytes())
    bench = Workbench.open(path, read_only=True)
    try:
        rows = {row.name: row for row in bench.rows()}
        for name, known in companies.items():
            if known.exists is False:
                assert name not in rows, f"the acknowledged delete of {name} was lost"
            if not known.exists:
                continue
            assert name in rows, f"acknowledged {name} is missing"
            company = bench.company(rows[name].id)
            bodies = {note.body for note in company.notes}
            assert known.notes <= bodies, f"acknowledged notes of {name} are missing"
            if known.statuses is not None:
                assert company.status in known.statuses, (name, company.status, known.statuses)
            for tag, there in known.tags.items():
                if there is not None:
                    assert (tag in company.tags) is there, f"acknowledged tags of {name} are lost"
    finally:
        bench.close()
