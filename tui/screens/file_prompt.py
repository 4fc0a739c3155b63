"""Writing a file the user named in a prompt: refused at once if it would harm the
database, confirmed first if it would replace a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen

from store.outfiles import guarded
from tui.screens.dialogs import ConfirmDialog

Write = Callable[[bool], "str | None"]
"""Writes the file, replacing it if told to; returns why it failed, or None."""


def write_or_confirm(screen: Screen, path: Path, database: Path, write: Write) -> str | None:
    """Write ``path`` now, or once the user agrees to replace it; returns a reason to
    show in the prompt (which then stays open), or None."""
    if reason := guarded(path, database):
        return f"Cannot write {path}: {reason}; choose another file."
    if path.is_dir():
        return f"{path} is a folder; give a file name."
    if not path.exists():
        return write(False)

    def replace(yes: bool | None) -> None:
        if yes and (failure := write(True)):
            screen.notify(failure, severity="error", markup=False, timeout=8)

    screen.app.call_later(
        screen.app.push_screen, ConfirmDialog(f"{path} exists. Replace it?", yes="Replace"), replace
    )
    return None
