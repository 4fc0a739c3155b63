"""Data files shipped with moatscope: the stack, starter companies, checklist, styles."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """The path of a shipped asset, e.g. ``path("stack.json")``."""
    return FOLDER / name
