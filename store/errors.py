"""Errors a person can read: every one carries a single sentence for the user."""

from __future__ import annotations


class MoatscopeError(Exception):
    """Base class: ``str(error)`` is one sentence fit to show a user."""


class StoreUnreadable(MoatscopeError):
    """The database file exists but cannot be read as a moatscope database."""


class StoreTooNew(MoatscopeError):
    """The database was written by a newer moatscope with a newer schema."""


class ReadOnlyStore(MoatscopeError):
    """A write was attempted on a store opened read-only."""


class WriteFailed(MoatscopeError):
    """Writing the database to disk failed; the change is not saved."""


class BrokenRecord(MoatscopeError):
    """A stored record breaks a rule of its model: it is shown, and deleted, but not changed."""


class NotFound(MoatscopeError):
    """A company, layer or other record named by the user does not exist."""


class InvalidInput(MoatscopeError):
    """User input failed validation; ``problems`` maps field names to messages."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
