"""Filtering companies as the user types: every word must appear somewhere.

Each company's searchable text (name, one-liner, tags, notes) is casefolded once
and cached by row identity; rows are immutable and replaced on change, so a
changed company is re-indexed on the next search. When nothing contains the
words, names are matched fuzzily (letters in order, as in "grq" for Groq, or a
close spelling) so a typo still finds the company. Words of the form
``verdict:anchor``, ``status:passed`` or ``tag:gpu`` filter on that field.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz, process, utils

from store.rows import CompanyRow

FUZZY_CUTOFF = 80


def _verdict_is(row: CompanyRow, value: str) -> bool:
    if value in ("unscored", "none", "-"):
        return row.verdict is None
    return row.verdict is not None and row.verdict.value.startswith(value.replace(" ", "_"))


FIELDS: dict[str, Callable[[CompanyRow, str], bool]] = {
    "verdict": _verdict_is,
    "status": lambda row, value: row.status.value.startswith(value),
    "tag": lambda row, value: any(tag.casefold() == value for tag in row.tags),
}


def _in_order(letters: str, name: str) -> bool:
    remaining = iter(name)
    return all(letter in remaining for letter in letters)


class SearchIndex:
    """Casefolded search text per company, built lazily."""

    def __init__(self, notes_of: Callable[[str], str]) -> None:
        self._notes_of = notes_of
        self._cache: dict[str, tuple[CompanyRow, str]] = {}

    def _text(self, row: CompanyRow) -> str:
        cached = self._cache.get(row.id)
        if cached is not None and cached[0] is row:
            return cached[1]
        text = "\n".join((row.name, row.one_liner, " ".join(row.tags), self._notes_of(row.id))).casefold()
        self._cache[row.id] = (row, text)
        return text

    def filter(self, rows: list[CompanyRow], query: str) -> list[CompanyRow]:
        """The rows matching ``query``, in their given order."""
        terms = query.casefold().split()
        fields = [term for term in terms if term.partition(":")[0] in FIELDS and ":" in term]
        for term in fields:
            name, _, value = term.partition(":")
            rows = [row for row in rows if FIELDS[name](row, value)]
        terms = [term for term in terms if term not in fields]
        if not terms:
            return rows
        text = self._text
        found = [row for row in rows if all(term in text(row) for term in terms)]
        if found or len(query.strip()) < 3:
            return found
        letters = "".join(terms)
        names = [row.name.casefold() for row in rows]
        hits = process.extract(
            query, names, scorer=fuzz.WRatio, processor=utils.default_process,
            score_cutoff=FUZZY_CUTOFF, limit=None,
        )
        close = {index for _, _, index in hits}
        return [
            row for index, (row, name) in enumerate(zip(rows, names, strict=True))
            if index in close or _in_order(letters, name)
        ]
