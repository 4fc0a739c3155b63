"""The session summary shown on quit when decisions were made."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from store.report import Activity, report_markdown
from tui.screens.backdrop import Modal


class SessionSummary(Modal[bool]):
    """What this session decided; enter or q quits, esc stays."""

    QUITS: ClassVar[bool] = True
    """The app's quit stays enabled over this dialog (it is the last step of quitting)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,q,y", "dismiss(True)", "Quit", id="summary.quit"),
        Binding("escape,n", "dismiss(False)", "Stay", id="summary.stay"),
    ]

    def __init__(self, activity: Activity) -> None:
        super().__init__(classes="dialog summary")
        self.activity = activity

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                Text(f"This session: {self.activity.summary}", style="bold"), classes="title"
            )
            with VerticalScroll(id="summary-body"):
                # The title line already says the counts; the body starts at the details.
                body = report_markdown(self.activity).split("\n", 4)[-1]
                yield Markdown(body, open_links=False)
            yield Static(
                "enter or q quits · esc stays · moatscope report --since DATE for the week",
                classes="hint",
            )
