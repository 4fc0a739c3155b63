"""Per-database state that is not data: when the user last opened it."""

from __future__ import annotations

import orjson

from store import clock
from store.paths import data_dir, ensure_private_dir
from store.storage import write_atomic


def _state_path():
    return data_dir() / "state.json"


def swap_last_opened(db_path: str) -> str | None:
    """Record that ``db_path`` is opened now; return when it was opened before (ISO)."""
    path = _state_path()
    try:
        state = orjson.loads(path.read_bytes()) if path.exists() else {}
    except (OSError, orjson.JSONDecodeError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    entry = state.get(db_path) if isinstance(state.get(db_path), dict) else {}
    previous = entry.get("last_opened")
    state[db_path] = {**entry, "last_opened": clock.stamp()}
    try:
        ensure_private_dir(path.parent)
        write_atomic(path, [orjson.dumps(state, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)])
    except OSError:
        pass  # Losing "since last session" is better than refusing to start.
    return previous if isinstance(previous, str) else None
