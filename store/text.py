"""Text hygiene: what may be stored, and what may reach a terminal.

Three kinds of character never come out of moatscope onto a terminal, and never go
into the database: terminal escape sequences (CSI, OSC and the two-byte ESC forms),
the other control characters (C0 except tab and line feed, DEL, C1), and the bidi
overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what follows
them on screen. ``clean`` removes them on the way in; ``visible`` shows them as
escapes where a command prints stored text exactly; ``printable`` removes them, tabs
and line breaks too, from what is already laid out for the screen.
"""

from __future__ import annotations

import re

BIDI_OVERRIDES = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_OVERRIDES}]")
"""Every character ``clean`` removes once escape sequences are gone: tab and line feed stay."""
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, ended by BEL or ST
    r"|\x1b[@-Z\\-_]"  # two-byte escapes (the start of DCS, APC, PM, SOS; ST)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI in its 8-bit form
)
_UNPRINTABLE = re.compile(rf"[\x00-\x1f\x7f-\x9f{BIDI_OVERRIDES}]")
"""What a line already laid out for the screen may not hold: tab and line feed too."""


def clean(text: str) -> str:
    """``text`` without escape sequences, control characters (tabs and line breaks kept;
    a CRLF becomes a line feed) or bidi overrides."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def visible(text: str) -> str:
    """``text`` with control characters and bidi overrides shown as escapes (``\\x1b``),
    safe to print as-is and still telling what is stored."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def visible_block(text: str) -> str:
    """Multi-line text made safe like ``visible``, its line breaks kept."""
    return "\n".join(visible(line) for line in text.split("\n"))


def printable(text: str) -> str:
    """``text`` without any character a terminal would act on rather than show (tabs and
    line breaks included): for text already laid out in cells, where those are zero wide."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub("", text)


_RAW_IN_JSON = re.compile(rf"[\x7f-\x9f{BIDI_OVERRIDES}]")


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 and bidi overrides written as ``\\u`` escapes: the same
    JSON value, safe for a terminal (JSON escapes the other control characters itself)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def slug(name: str, fallback: str) -> str:
    """``name``'s letters and digits, lower case, joined by hyphens ("Power & Facilities"
    → "power-facilities"); ``fallback`` when it has none."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or fallback


def free_id(name: str, taken: set[str], fallback: str) -> str:
    """An id made from ``name`` (its slug, at most 28 characters) not in ``taken``: the
    slug itself, else the slug with -2, -3… after it."""
    base = slug(name, fallback)[:28]
    return next(c for c in (base, *(f"{base}-{n}" for n in range(2, 1000))) if c not in taken)
