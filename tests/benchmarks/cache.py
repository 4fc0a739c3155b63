"""Generated files kept between runs, by name and data version, outside the repository.

A database of 100,000 companies takes minutes to generate; it is the same file every time
for the same generator and the same record shapes. Files live in
``$MOATSCOPE_BENCH_CACHE`` (default ``$XDG_CACHE_HOME/moatscope-bench``, else
``~/.cache/moatscope-bench``), in a folder named after the data version: a hash of the
generators' source, the store's models and the schema mark, so a change to any of them
builds new files instead of reusing stale ones. ``MOATSCOPE_BENCH_CACHE=off`` builds every
file afresh in the run's temporary folder. Old versions' folders are left for the user to
delete (``--clear-cache`` removes the whole cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCES = (
    HERE / "data.py",
    HERE / "csv_data.py",
    HERE / "cache.py",
    HERE.parents[1] / "store" / "models.py",
)


def root() -> Path | None:
    """The cache folder, or None when caching is off."""
    chosen = os.environ.get("MOATSCOPE_BENCH_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "moatscope-bench"


@cache
def version() -> str:
    """The data version: what decides the generated files' bytes."""
    from store.db import meta_record

    digest = hashlib.sha256(json.dumps(meta_record(), sort_keys=True).encode())
    for source in SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def cached(name: str, scratch: Path, build: Callable[[Path], dict[str, Any]]) -> tuple[Path, dict]:
    """The file ``name`` and what ``build`` said about it, built once per data version.

    ``build(path)`` writes the file at ``path`` and returns a JSON-able description, kept
    beside it (``name.meta.json``). The file is written under a temporary name and renamed,
    so an interrupted build never leaves a file that looks finished. Without a cache the
    file is built in ``scratch`` every time.
    """
    base = root()
    if base is None:
        path = scratch / name
        return path, build(path)
    folder = base / version()
    path, meta = folder / name, folder / f"{name}.meta.json"
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.{os.getpid()}.partial"
    described = build(partial)
    partial.replace(path)
    meta.write_text(json.dumps(described))
    return path, described


def clear() -> None:
    """Remove every cached file of every data version."""
    base = root()
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)
