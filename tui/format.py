"""Small formatting helpers shared by the widgets."""

from __future__ import annotations

from datetime import date, datetime

from rich.cells import cell_len, set_cell_size

from store import clock
from store.models import Verdict

VERDICT_CLASS = {
    Verdict.ANCHOR: "anchor",
    Verdict.CONTENDER: "contender",
    Verdict.LEAKS_VALUE: "leaks",
    Verdict.INCOMPLETE: "incomplete",
    Verdict.UNPROVEN: "unproven",
    Verdict.LONG_SHOT: "long-shot",
}
"""Each verdict's style class (``company-table--…`` in ``assets/app.tcss``)."""


def score_text(score: float | None) -> str:
    """A score as a whole number, or a dash."""
    return "–" if score is None else f"{score:.0f}"


def verdict_text(verdict: Verdict | None) -> str:
    """The verdict label, or "not scored"."""
    return verdict.label if verdict else "not scored"


def short_date(stamp: str) -> str:
    """An ISO timestamp as YYYY-MM-DD, or as the time of day ("09:30 UTC") when it is
    today (UTC, as every time the app shows)."""
    if stamp[:10] == clock.today().isoformat():
        return f"{stamp[11:16]} UTC"
    return stamp[:10]


def revisit_text(revisit: str | date | None) -> str:
    """ "revisit in 12 days", "due today" or "overdue 3 days"."""
    if not revisit:
        return ""
    due = revisit if isinstance(revisit, date) else date.fromisoformat(str(revisit))
    days = (due - clock.today()).days
    if days > 0:
        return f"revisit in {days} day{'s' if days != 1 else ''}"
    if days == 0:
        return "revisit due today"
    return f"overdue {-days} day{'s' if days != -1 else ''}"


def when(stamp: datetime) -> str:
    """A timestamp as YYYY-MM-DD HH:MM (UTC)."""
    return stamp.strftime("%Y-%m-%d %H:%M")


def cut(text: str, width: int) -> str:
    """The first line of ``text`` in at most ``width`` terminal cells, ending with "…"
    when anything was left out (the rest of the line or further lines)."""
    lines = text.strip().splitlines()
    first = " ".join(lines[0].split()) if lines else ""
    if cell_len(first) <= width and len(lines) <= 1:
        return first
    return set_cell_size(first, max(width - 1, 0)).rstrip() + "…"
