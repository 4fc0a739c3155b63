"""Database files of a given size for end-to-end tests, built quickly."""

from __future__ import annotations

from pathlib import Path

from store.service import Workbench
from store.storage import MemoryStorage
from tests.benchmarks.data import build_tables

GENERATED = 1_000
"""Companies generated at most; beyond that, copies of them under new ids (quicker)."""


def large_database(path: Path, companies: int) -> None:
    """Write a database of ``companies`` realistic companies (notes, tags, runs) to
    ``path``, as the app writes it."""
    tables = build_tables(min(companies, GENERATED))
    originals = list(tables["companies"].values())
    for number in range(companies - len(originals)):
        copy = dict(originals[number % len(originals)], id=f"co-{number:012x}")
        tables["companies"][copy["id"]] = copy
    path.parent.mkdir(parents=True, exist_ok=True)
    MemoryStorage(path, tables, on_disk=False).flush()


def names_in(path: Path) -> set[str]:
    """The names of the companies the file at ``path`` holds."""
    reader = Workbench.open(path, read_only=True)
    try:
        return {row.name for row in reader.rows()}
    finally:
        reader.close()
