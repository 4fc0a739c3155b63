"""The one source of the current time, so tests can fix it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current time, timezone-aware UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def moment() -> datetime:
    """The current time, timezone-aware UTC, to the microsecond: names files made in the
    same second apart."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC."""
    return now().date()


def stamp() -> str:
    """The current time as stored in the file: ``2026-11-22T09:30:00Z``."""
    return now().strftime("%Y-%m-%dT%H:%M:%SZ")
