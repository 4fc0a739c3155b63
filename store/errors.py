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


FIELD_WORDS = {
    "name": "Name",
    "one_liner": "One-liner",
    "website": "Website",
    "headquarters": "Headquarters",
    "founded_year": "Founded",
    "stage": "Stage",
    "owner": "Owner",
    "tags": "Tags",
    "absorber": "Likely absorber",
    "upstream": "Upstream dependency",
    "revisit": "Revisit date",
    "kill_criterion": "Kill criterion",
    "pass_reason": "Reason",
    "layer": "Layer",
    "status": "Status",
    "body": "Note",
    "answers": "Answers",
    "evidence": "Evidence",
    "summary": "Summary",
    "bottlenecks": "Bottlenecks",
    "id": "Id",
}
"""The interface's word for each field a problem can be about: a message never shows a
field's name in the code (``pass_reason``), only the label the user sees."""

_PREDICATES = ("must ", "is ", "are ", "contains ", "may ", "should ")


def readable(problems: dict[str, str]) -> str:
    """``problems`` as one sentence in the interface's words: "Founded must be a whole
    number", "Website: 'x' is not a web address", "A reason is required to pass on a
    company" (a message that names its own subject is kept as it is)."""
    sentences = []
    for field, message in problems.items():
        root = field.split(".", 1)[0]
        label = FIELD_WORDS.get(root, root.replace("_", " ").capitalize())
        if message.startswith(_PREDICATES):
            message = f"{label} {message}"
        elif not message.startswith(("a ", "an ")):  # ("a reason is required…" says it)
            message = f"{label}: {message}"
        sentences.append(message[:1].upper() + message[1:])
    return "; ".join(sentences)


class InvalidInput(MoatscopeError):
    """User input failed validation; ``problems`` maps field names to messages (for a form
    to show each next to its field); the error's text is ``readable(problems)``."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(readable(problems))
