"""The words a checklist run is judged in: its verdict and the kinds of evidence.

Plain enumerations (no pydantic, no I/O), re-exported by ``store.models``. A stored value
is the enum's value; the interface shows ``label``.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """The verdict a checklist run earns (the rules are in ``store.verdicts``).

    Members are in the order version 2 checks its rules: the first that matches wins.
    """

    INCOMPLETE = "incomplete"
    LEAKS_VALUE = "leaks_value"
    UNPROVEN = "unproven"
    ANCHOR = "anchor"
    CONTENDER = "contender"
    LONG_SHOT = "long_shot"

    @property
    def label(self) -> str:
        """The verdict as people write it: "Leaks value", "Long shot"."""
        return self.value.replace("_", " ").capitalize()


class EvidenceKind(StrEnum):
    """What an answer's evidence is: how far it can be trusted."""

    CUSTOMER_CALL = "customer_call"
    BENCHMARK = "benchmark"
    FILING = "filing"
    CLAIM = "claim"
    """A founder's or a vendor's own claim: flagged when it is all an answer rests on."""
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        """The kind as the interface names it: "founder or vendor claim"."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EvidenceKind.CUSTOMER_CALL: "customer call",
    EvidenceKind.BENCHMARK: "benchmark",
    EvidenceKind.FILING: "filing",
    EvidenceKind.CLAIM: "founder or vendor claim",
    EvidenceKind.ANALYST: "analyst estimate",
}
