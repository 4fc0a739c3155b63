"""Text hygiene: making stored text safe to print to a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"
)


def visible(text: str) -> str:
    """``text`` with control characters shown as escapes, safe to print as-is."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences or control characters (tabs and newlines kept)."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
