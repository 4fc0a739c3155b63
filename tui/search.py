"""Filtering companies as the user types: every word must appear somewhere.

Each company's searchable text (name, one-liner, tags, notes) is casefolded once
and cached by row identity; rows are immutable and replaced on change, so a
changed company is re-indexed on the next search. When nothing contains the
words, names are matched fuzzily (letters in order, as in "grq" for Groq, or from
five letters a close spelling, as in "nova fotonics") so a typo still finds the
company. Words of the form ``verdict:anchor``, ``status:passed`` or ``tag:gpu``
filter on that field.

Typing one more letter can only narrow a plain search, so an extended query
searches the previous result rather than every company: after the first
letter, each keystroke looks at a few hundred texts, not ten thousand.

While the user types, a search may stop once it has found the rows the list has room
for (``filter(..., first=N)``) and finish after that frame (``finish``): the list shows
the matches of a common two-letter query as soon as the first screenful is found, not
after every note of ten thousand companies has been read.

rapidfuzz is imported by ``warm`` (a worker thread) or the first fuzzy search, not
with this module: it would add ~13 ms to the app's start for a search not yet typed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, pairwise, repeat

from store.rows import CompanyRow, position

FUZZY_CUTOFF = 80
HEAD_STEP = 256
"""Texts a search that stops early reads before it checks how many rows it has found
(doubling each time): a query matching one text in six fills a screen from the first."""
SPELLING_MIN = 5
"""Letters a query needs before names are scored for a close spelling (WRatio).

Below five, a score of ``FUZZY_CUTOFF`` cannot be reached without the query's letters
appearing in order in the name, which the cheaper scan finds anyway: a name of similar
length must share all but a fraction of a letter (2 x common / total >= 0.8), and the
partial match of a much longer name is scaled by 0.9, so it needs 4 of 4 letters in a
row. Scoring ten thousand names costs ~14 ms; a query of 3 or 4 letters would pay it
for nothing (1,200 random typos of 3 and 4 letters, cut from 10,000 names: none found
a name the scan did not).
"""


def _verdict_is(row: CompanyRow, value: str) -> bool:
    if value in ("unscored", "none", "-"):
        return row.verdict is None
    return row.verdict is not None and row.verdict.value.startswith(value.replace(" ", "_"))


FIELDS: dict[str, Callable[[CompanyRow, str], bool]] = {
    "verdict": _verdict_is,
    "status": lambda row, value: row.status.value.startswith(value),
    "tag": lambda row, value: any(tag.casefold() == value for tag in row.tags),
}


def _holding(texts: list[str], positions: Sequence[int], words: list[str]) -> Sequence[int]:
    """The ``positions`` whose text holds every one of ``words``, in order.

    Each pass runs in C (``map`` and ``compress`` over ``str.__contains__``): a Python
    loop would spend ~150 ns a text on the loop itself, 1.5 ms at 10k before any
    letter is compared.
    """
    for word in words:
        held = map(str.__contains__, map(texts.__getitem__, positions), repeat(word))
        positions = list(compress(positions, held))
    return positions


def _is_field(term: str) -> bool:
    name, colon, _ = term.partition(":")
    return bool(colon) and name in FIELDS


class _Listing:
    """What searching one list of rows needs: their texts, and their names for the
    fuzzy match (one string, names on their own lines, with where each starts)."""

    def __init__(self, rows: Sequence[CompanyRow], texts: list[str]) -> None:
        self.rows = rows
        self.texts = texts
        self.ids: list[str] = []
        """The rows' company ids, made when a company is first looked for (or ahead)."""
        self.names: list[str] = []
        self.joined = ""
        self.starts: list[int] = []
        self.processed: list[str] = []
        """Names as rapidfuzz scores them, made for the first query long enough."""

    def position(self, company_id: str) -> int | None:
        """Where company ``company_id`` is in the rows (ids compared in C: ~0.1 ms)."""
        if len(self.ids) != len(self.rows):
            self.ids = [row.id for row in self.rows]
        try:
            return self.ids.index(company_id)
        except ValueError:
            return None

    def with_names(self) -> _Listing:
        """This listing, its names made ready for the fuzzy match (once)."""
        if self.rows and not self.names:
            names = [row.name.casefold().replace("\n", " ") for row in self.rows]
            self.joined = "\n".join(names)
            self.starts = list(accumulate((len(name) + 1 for name in names[:-1]), initial=0))
            self.names = names
        return self


@dataclass
class _Partial:
    """A plain search that stopped once it had found the first rows of its result."""

    rows: list[CompanyRow]
    texts: list[str]
    folded: str
    terms: list[str]
    done: list[int]
    """Positions found to hold every term, all before the ones in ``rest``."""
    rest: Sequence[int]
    """Positions not looked at yet."""
    found: list[CompanyRow]
    """The rows at ``done``: what the search gave back."""


class SearchIndex:
    """Casefolded search text per company, built lazily (or ahead with ``warm``)."""

    def __init__(self, notes_of: Callable[[str], str]) -> None:
        self._notes_of = notes_of
        self._indexed: dict[str, CompanyRow] = {}
        """The row each text below was made from, by company id."""
        self._text_of: dict[str, str] = {}
        """Two flat maps rather than one of (row, text) pairs: ten thousand pairs are ten
        thousand more objects for every full pass of the garbage collector to walk."""
        self._listing: _Listing | None = None
        """The list searched last (rows by identity)."""
        self._prepared: _Listing | None = None
        """A list made ready by ``warm`` (from a worker thread: replaced whole, never
        changed in place)."""
        self._last: tuple[str, Sequence[int], list[CompanyRow]] | None = None
        """The previous plain query on the listing: its text, the positions whose text
        holds it, and the rows shown for it (close names when no text holds it)."""
        self._partial: _Partial | None = None
        """The last search, if it stopped at its first rows and is not finished."""

    def _text(self, row: CompanyRow) -> str:
        if self._indexed.get(row.id) is row:
            return self._text_of[row.id]
        parts = (row.name, row.one_liner, " ".join(row.tags), self._notes_of(row.id))
        text = "\n".join(parts).casefold()
        self._text_of[row.id] = text
        self._indexed[row.id] = row
        return text

    def warm(self, rows: Sequence[CompanyRow], shown: Sequence[CompanyRow] = ()) -> None:
        """Index ``rows`` ahead of the first search (safe to run in a worker thread), and
        make ready ``shown``, the list the first query will most likely filter."""
        import rapidfuzz.process  # noqa: F401  (loaded here, off the UI thread)

        for row in rows:
            self._text(row)
        prepared = _Listing(shown, [self._text(row) for row in shown]).with_names()
        prepared.position("")  # (its ids: esc finds the company it stays on at once)
        self._prepared = prepared

    def position(self, rows: list[CompanyRow], company_id: str) -> int | None:
        """Where company ``company_id`` is in ``rows``, quickly when they were searched."""
        for listing in (self._listing, self._prepared):
            if listing is not None and listing.rows is rows:
                return listing.position(company_id)
        return position(rows, company_id)

    def matches(self, row: CompanyRow, query: str) -> bool:
        """Whether ``row`` alone would be shown for ``query``."""
        return bool(SearchIndex(self._notes_of).filter([row], query))

    def _use(self, rows: Sequence[CompanyRow]) -> _Listing:
        listing = self._listing
        if listing is None or listing.rows is not rows:
            listing = self._prepared
            if listing is None or listing.rows is not rows:
                listing = _Listing(rows, [self._text(row) for row in rows])
            self._listing, self._prepared, self._last = listing, None, None
            self._partial = None
        return listing

    @property
    def pending(self) -> bool:
        """Whether the last search stopped at its first rows (``finish`` gives them all)."""
        return self._partial is not None

    def filter(
        self, rows: list[CompanyRow], query: str, first: int | None = None
    ) -> list[CompanyRow]:
        """The rows matching ``query``, in their given order.

        The same query on the same list gives back the same list object, so a caller
        can tell that nothing changed. With ``first``, a plain search may stop once it has
        found that many rows: what it gives back is then how the full result begins, and
        ``pending`` is True until ``finish`` (or any other search) is called.
        """
        folded = " ".join(query.casefold().split())
        terms = folded.split()
        if not terms:
            self._partial = None
            return rows
        texts = self._use(rows).texts
        fields = [term for term in terms if _is_field(term)]
        if not fields:
            return self._plain(rows, texts, folded, terms, first)
        self._partial = None
        positions: Sequence[int] = range(len(rows))
        for term in fields:
            name, _, value = term.partition(":")
            test = FIELDS[name]
            positions = [i for i in positions if test(rows[i], value)]
        words = [term for term in terms if term not in fields]
        if words:
            positions = _holding(texts, positions, words)
            if not positions and len(" ".join(words)) >= 3:
                return self._fuzzy(rows, " ".join(words))
        return [rows[i] for i in positions]

    def _plain(
        self,
        rows: list[CompanyRow],
        texts: list[str],
        folded: str,
        terms: list[str],
        first: int | None,
    ) -> list[CompanyRow]:
        last, partial = self._last, self._partial
        if partial is not None and folded == partial.folded:
            return partial.found if first is not None else self._finish(partial)
        if last is not None and folded == last[0]:
            self._partial = None
            return last[2]
        candidates: Sequence[int] = range(len(rows))
        done: list[int] = []
        if partial is not None and folded.startswith(partial.folded):
            candidates = [*partial.done, *partial.rest]  # (a letter typed before it finished)
        elif last is not None and folded.startswith(last[0]):
            candidates = last[1]
        self._partial = None
        if first is None:
            return self._found(rows, folded, done + list(_holding(texts, candidates, terms)))
        start, step = 0, HEAD_STEP
        while start < len(candidates) and len(done) < first:
            done += _holding(texts, candidates[start : start + step], terms)
            start, step = start + step, step * 2
        if start >= len(candidates):
            return self._found(rows, folded, done)
        found = list(map(rows.__getitem__, done))
        self._partial = _Partial(rows, texts, folded, terms, done, candidates[start:], found)
        return found

    def finish(self) -> list[CompanyRow] | None:
        """The whole result of the last search if it stopped at its first rows, else None."""
        return None if self._partial is None else self._finish(self._partial)

    def _finish(self, partial: _Partial) -> list[CompanyRow]:
        self._partial = None
        positions = partial.done + list(_holding(partial.texts, partial.rest, partial.terms))
        return self._found(partial.rows, partial.folded, positions)

    def _found(
        self, rows: list[CompanyRow], folded: str, positions: Sequence[int]
    ) -> list[CompanyRow]:
        """The rows at ``positions``, which hold plain query ``folded`` (close names if none)."""
        if len(positions) == len(rows):
            found = rows  # every row: the same list, so the table knows nothing changed
        elif positions or len(folded) < 3:
            found = list(map(rows.__getitem__, positions))
        else:
            found = self._fuzzy(rows, folded)
        # Kept with the (maybe empty) plain matches: a letter more has none either, so
        # "nova" after a fuzzy "nov" goes straight to the names, not through every text.
        self._last = (folded, positions, found)
        return found

    def _fuzzy(self, rows: list[CompanyRow], query: str) -> list[CompanyRow]:
        """Names close to ``query`` or holding its letters in order."""
        from rapidfuzz import fuzz, process, utils

        listing = self._use(rows).with_names()
        letters = query.replace(" ", "")
        close: set[int] = set()
        if len(letters) >= SPELLING_MIN:
            if not listing.processed:
                listing.processed = [utils.default_process(name) for name in listing.names]
            hits = process.extract(
                utils.default_process(query),
                listing.processed,
                scorer=fuzz.WRatio,
                processor=None,
                score_cutoff=FUZZY_CUTOFF,
                limit=None,
            )
            close.update(index for _, _, index in hits)
        # One scan over all names joined by newlines: a name holds the letters in order
        # when a match starts on its line (the pattern never crosses a newline). Each
        # letter is followed by anything but the next one ("n[^\no]*o..."): the first
        # next letter is the one to take, so the scan never backtracks (half the time of
        # "n.*?o.*?" over 50,000 names).
        gaps = (
            f"{re.escape(letter)}[^\n{re.escape(after)}]*" for letter, after in pairwise(letters)
        )
        pattern = re.compile("".join(gaps) + re.escape(letters[-1]))
        starts = listing.starts
        close.update(
            bisect_right(starts, match.start()) - 1 for match in pattern.finditer(listing.joined)
        )
        return [rows[index] for index in sorted(close)]
