"""Per-database state that is not data: when the user's last session on it began and ended."""

from __future__ import annotations

from typing import Any

import orjson

from store import clock
from store.paths import data_dir, ensure_private_dir
from store.storage import write_atomic


def _state_path():
    return data_dir() / "state.json"


def _read() -> dict[str, Any]:
    path = _state_path()
    try:
        state = orjson.loads(path.read_bytes()) if path.exists() else {}
    except (OSError, orjson.JSONDecodeError):
        state = {}
    return state if isinstance(state, dict) else {}


def _update(db_path: str, **fields: str) -> dict[str, Any]:
    """Set ``fields`` on the entry of ``db_path``; the entry as it was before."""
    path = _state_path()
    state = _read()
    entry = state.get(db_path) if isinstance(state.get(db_path), dict) else {}
    state[db_path] = {**entry, **fields}
    try:
        ensure_private_dir(path.parent)
        write_atomic(path, [orjson.dumps(state, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)])
    except OSError:
        pass  # Losing "since last session" is better than refusing to start.
    return entry


def swap_last_opened(db_path: str) -> str | None:
    """Record that a session on ``db_path`` starts now; return when the previous one ended
    (ISO), or when it started if it never said it ended (it was killed)."""
    entry = _update(db_path, last_opened=clock.stamp())
    opened, closed = entry.get("last_opened"), entry.get("last_closed")
    if isinstance(closed, str) and (not isinstance(opened, str) or closed >= opened):
        return closed
    return opened if isinstance(opened, str) else None


def record_closed(db_path: str) -> None:
    """Record that the session on ``db_path`` ends now."""
    _update(db_path, last_closed=clock.stamp())


def record_synced(db_path: str) -> None:
    """Record that ``db_path`` was synced with its team now (``moatscope sync``)."""
    _update(db_path, last_synced=clock.stamp())


def last_synced(db_path: str) -> str | None:
    """When ``db_path`` was last synced on this machine (ISO), or None."""
    entry = _read().get(db_path)
    value = entry.get("last_synced") if isinstance(entry, dict) else None
    return value if isinstance(value, str) else None
