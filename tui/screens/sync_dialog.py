"""The dialog shown while "team: Sync" runs: it takes every key, so nothing changes the
database between the moment the sync settles the file and the moment it is read again."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.screens.backdrop import Modal


class SyncDialog(Modal[None]):
    """ "Syncing with the team…": no keys; the app dismisses it when the sync ends."""

    def __init__(self) -> None:
        super().__init__(classes="dialog confirm")

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                Text("Syncing with the team: committing, merging, pushing…"), classes="question"
            )
