"""How the main screen's actions run service calls and speak to the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from store.errors import MoatscopeError

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class ServiceCalls:
    """Running service calls, mixed into the main screen."""

    def attempt(self, change: Callable[[], object]) -> str | None:
        """Run a service call; None on success, else the sentence to show."""
        try:
            change()
        except MoatscopeError as error:
            return str(error)
        return None

    def say(self: MainScreen, message: str, **options: Any) -> None:
        """Notify without reading markup: messages often quote what users typed."""
        self.notify(message, markup=False, **options)

    def writable(self: MainScreen) -> bool:
        """False (with a polite notice) when this session may not change anything."""
        if self.workbench.read_only:
            self.say(f"Read-only session: {self.workbench.notice}.", severity="warning")
            return False
        return True
