"""Flags on an answer's evidence: what a partner should not take at face value.

An answered question (Yes, Partly or No) is flagged ``claim`` when the only evidence
named is a founder's or vendor's own claim, and ``stale`` when its evidence is dated
more than a year before today. An answer with no kind and no date is not flagged: there
is nothing to judge it by. Pure functions; ``today`` comes from ``store.clock``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum

from store import clock
from store.models import Answer, AnswerEntry, EvidenceKind

STALE_AFTER = timedelta(days=365)
"""Evidence older than this is stale."""


class Flag(StrEnum):
    """Why an answer's evidence is flagged."""

    CLAIM = "claim"
    STALE = "stale"

    @property
    def label(self) -> str:
        """The flag as the interface says it."""
        return "claim only" if self is Flag.CLAIM else "older than a year"


def entry_flags(entry: AnswerEntry, today: date | None = None) -> tuple[Flag, ...]:
    """The flags of one answer, in ``Flag`` order; none for an Unknown."""
    if entry.answer == Answer.UNKNOWN:
        return ()
    found = []
    if entry.kind == EvidenceKind.CLAIM:
        found.append(Flag.CLAIM)
    if entry.date is not None and (today or clock.today()) - entry.date > STALE_AFTER:
        found.append(Flag.STALE)
    return tuple(found)


def flags(
    answers: Mapping[str, AnswerEntry], today: date | None = None
) -> dict[str, tuple[Flag, ...]]:
    """Per question id, the flags of its answer; questions without a flag are left out."""
    if today is None and any(entry.date for entry in answers.values()):
        today = clock.today()
    found = {qid: entry_flags(entry, today) for qid, entry in answers.items()}
    return {qid: marks for qid, marks in found.items() if marks}


def evidence_line(entry: AnswerEntry) -> str:
    """The evidence with its source, date and kind, on one line ("" when there is none)."""
    details = [
        entry.kind.label if entry.kind else "",
        entry.source,
        entry.date.isoformat() if entry.date else "",
    ]
    text = " ".join(entry.evidence.split())
    extra = "; ".join(part for part in details if part)
    return f"{text} ({extra})" if text and extra else text or extra
