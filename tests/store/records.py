"""Helpers for tests that damage single records of a database file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from store.storage import TEMP_MARK, MemoryStorage

Tables = dict[str, dict[str, dict[str, Any]]]


def read_tables(path: Path) -> Tables:
    """The tables of a database file, as plain JSON."""
    return json.loads(path.read_bytes())


def write_tables(path: Path, tables: Tables) -> None:
    """Write ``tables`` the way the app does: one record per line, keys sorted."""
    MemoryStorage(path, tables, on_disk=False).flush()


def record_line(path: Path, table: str, key: str) -> int:
    """The line number (from 1) of record ``key`` of ``table``, found the plain way."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(json.dumps(table) + ": {")
    prefix = json.dumps(key, ensure_ascii=False) + ": "
    return next(n for n, line in enumerate(lines[start:], start + 1) if line.startswith(prefix))


def leftovers(path: Path) -> list[Path]:
    """Temp files an interrupted or refused write would leave beside ``path``."""
    return sorted(path.parent.glob(f".{path.name}{TEMP_MARK}*"))


def folder_listing(path: Path) -> list[str]:
    """The names in ``path``'s folder, sorted."""
    return sorted(entry.name for entry in path.parent.iterdir())
