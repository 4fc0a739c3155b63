"""Command palette entries: every action of the main screen, titled "noun: Verb"."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

MAIN_COMMANDS: list[tuple[str, str, str]] = [
    ("company: Add", "Quick-add a company to the current layer (n)", "quick_add"),
    ("company: Edit", "Edit every field of the highlighted company (e)", "edit"),
    ("company: Add note", "Write a Markdown note on the highlighted company (a)", "note"),
    ("company: Set status", "Move the company, or the marked ones, in the pipeline (s)", "status"),
    ("company: Edit tags", "Tags of the company, or a tag for the marked ones (t)", "tags"),
    ("company: Mark", "Mark or unmark the highlighted company for a bulk action (space)", "mark"),
    (
        "company: Move to layer",
        "Move the company, or the marked ones, to another layer",
        "move_to_layer",
    ),
    (
        "company: Run checklist",
        "Answer the moat checklist, pre-filled from the last run (c)",
        "checklist",
    ),
    ("company: Checklist history", "Every run and what changed between them (h)", "history"),
    (
        "company: Re-score with current checklist",
        "Score the last answers again; shows the difference first",
        "rescore",
    ),
    ("company: Compare marked", "Two or three marked companies side by side (C)", "compare"),
    ("company: Write memo", "A one-page Markdown memo in a file you name (w)", "memo"),
    ("company: Delete", "Delete the company, or the marked ones, after confirmation (d)", "delete"),
    (
        "data: Import file",
        "A provider CSV or moatscope JSON, previewed before anything is written (I)",
        "import",
    ),
    ("data: Export view", "The companies in view to CSV, JSON or Markdown (X)", "export"),
    ("data: Export marked", "The marked companies to CSV, JSON or Markdown", "export(True)"),
    ("edit: Undo", "Undo the last change, bulk changes and deletes included (u)", "undo"),
    ("view: Inbox", "New names, revisits due and companies without a layer (i)", "inbox"),
    (
        "view: New since last session",
        "Companies added, changed or scored since you last opened (N)",
        "since",
    ),
    ("company: Set revisit date", "When to look at the company again (r)", "revisit"),
    ("view: Filter", "Filter by name, one-liner, tags and notes (/)", "filter"),
    ("view: Clear filter", "Show every company of the layer again (esc)", "clear_filter"),
    (
        "view: Filter by verdict",
        "Only Anchors, Contenders, Leaks value, Incomplete or unscored",
        "filter_verdict",
    ),
    ("view: Cycle sort", "Sort by name, score, updated or status (o)", "sort"),
    ("view: Stack map", "Every layer at a glance, coloured by verdict (m)", "stack_map"),
    ("layer: Next", "Show the next layer (])", "layer(1)"),
    ("layer: Previous", "Show the previous layer ([)", "layer(-1)"),
    ("layer: Add", "Add a layer to the stack", "add_layer"),
    ("layer: Rename", "Rename the current layer", "rename_layer"),
    ("layer: Describe", "Write the current layer's summary", "describe_layer"),
    ("layer: Move up", "Move the current layer up the stack", "move_layer(-1)"),
    ("layer: Move down", "Move the current layer down the stack", "move_layer(1)"),
    ("layer: Delete", "Delete the current layer (it must be empty)", "delete_layer"),
]


def screen_commands(screen: Screen, table: list[tuple[str, str, str]]) -> Iterable[SystemCommand]:
    """Palette commands that run ``action`` on ``screen``."""
    for title, help_text, action in table:
        yield SystemCommand(title, help_text, lambda action=action: screen.run_action(action))
