"""Filtering companies as the user types: every word must appear somewhere.

A company's searchable text is its name, one-liner, tags and notes, casefolded. When no
text holds a query of three letters or more, names are matched fuzzily (letters in order,
as in "grq" for Groq, or from five letters a close spelling, as in "nova fotonics"), so a
typo still finds the company. Words of the form ``verdict:anchor``, ``status:passed`` or
``tag:gpu`` filter on that field.

What is kept between searches, and why it stays right:

- Each company's text, with the row it was made from. Rows are immutable and replaced
  whole on any change (a note changes the row's note count), so a text is used again only
  for the very row object it was made from; any other row is indexed afresh.
- One ``_Listing``: the list of rows searched last, ready to search, and the last plain
  query searched on it (see its docstring for the invariant). A list is recognised by
  identity: the screen builds a new list whenever the store, the layer or the sort
  changes, and a new list gets a new listing (after a change, the old one patched like the
  list: ``patch``), so nothing found in an older list is shown.
- A listing made ahead by ``warm`` in a worker thread, for the list the first query will
  most likely filter; the worker only ever replaces it whole (once handed over, only the
  UI thread patches it), and the next search of that very list adopts it.

Typing one more letter can only narrow a plain search, so an extended query searches the
texts that held the previous one. While the user types, a search may stop once it has
found the rows the list has room for (``filter(..., first=N)``) and finish after that
frame (``finish``). Why each of these is kept, with figures: docs/performance.md,
"Filtering".

rapidfuzz is imported by ``warm`` (a worker thread) or the first fuzzy search, not with
this module: the app's start does not pay for a search not yet typed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate, compress, pairwise, repeat
from operator import attrgetter
from typing import Any

from store.rows import CompanyRow, position
from tui.sorted_rows import Edits

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
row. Scoring every name for a shorter query would cost time and find nothing more.
"""


def _verdict_is(row: CompanyRow, value: str) -> bool:
    """``verdict:long-shot``, ``verdict:long_shot`` and ``verdict:long`` all match a Long
    shot (a verdict's start, with "-" or "_" between words); ``unscored`` matches none."""
    if value in ("unscored", "none", "-"):
        return row.verdict is None
    wanted = value.replace("-", "_").replace(" ", "_")
    return row.verdict is not None and row.verdict.value.startswith(wanted)


FIELDS: dict[str, Callable[[CompanyRow, str], bool]] = {
    "verdict": _verdict_is,
    "status": lambda row, value: row.status.value.startswith(value),
    "tag": lambda row, value: any(tag.casefold() == value for tag in row.tags),
}


def _holding(texts: list[str], positions: Sequence[int], words: list[str]) -> list[int]:
    """The ``positions`` whose text holds every one of ``words`` (at least one), in order.

    Each pass runs in C (``map`` and ``compress`` over ``str.__contains__``), with no
    Python loop per text.
    """
    held = list(positions)
    for word in words:
        found = map(str.__contains__, map(texts.__getitem__, held), repeat(word))
        held = list(compress(held, found))
    return held


def _is_field(term: str) -> bool:
    name, colon, _ = term.partition(":")
    return bool(colon) and name in FIELDS


class _Listing:
    """One list of rows ready to search, and the last plain query searched on it.

    ``texts[i]`` is the search text of ``rows[i]``; ``ids`` and the names are made from
    ``rows`` when first needed. Valid as long as ``rows`` is the very list being filtered.

    The last query: ``held`` are positions whose text holds every word of ``query``, and
    all of them come before the positions in ``unread``, which have not been looked at.
    ``unread`` is empty once the search is complete; ``found`` is what was shown for
    ``query``: the rows at ``held``, or close names when the search is complete and no
    text holds the query. An empty ``query`` means there is none.
    """

    def __init__(self, rows: list[CompanyRow], texts: list[str]) -> None:
        self.rows = rows
        self.texts = texts
        self.ids: list[str] = []
        self.names: list[str] = []
        self.joined = ""
        """The names on their own lines, for one scan that finds letters in order."""
        self.starts: list[int] = []
        """Where each name starts in ``joined``."""
        self.processed: list[str] = []
        """Names as rapidfuzz scores them, made for the first query long enough."""
        self.query = ""
        self.held: list[int] = []
        self.unread: Sequence[int] = ()
        self.found: list[CompanyRow] = []

    def remember(
        self, query: str, held: list[int], unread: Sequence[int], found: list[CompanyRow]
    ) -> list[CompanyRow]:
        """Keep ``query``'s search as the last one (see the class docstring); ``found``."""
        self.query, self.held, self.unread, self.found = query, held, unread, found
        return found

    def forget(self) -> None:
        """No last query: the next search reads every text."""
        self.remember("", [], (), [])

    def narrows(self, query: str) -> bool:
        """Whether every text holding ``query`` holds the last query too."""
        return bool(self.query) and query.startswith(self.query)

    def position(self, company_id: str) -> int | None:
        """Where company ``company_id`` is in the rows (the ids compared in C)."""
        if len(self.ids) != len(self.rows):
            self.ids = [row.id for row in self.rows]
        try:
            return self.ids.index(company_id)
        except ValueError:
            return None

    def patch(
        self, rows: list[CompanyRow], edits: Edits, text_of: Callable[[CompanyRow], str]
    ) -> None:
        """Make this the listing of ``rows``, which are its rows with ``edits`` made
        (``SortedRows.patch``): its lists edited alike in place (no one else holds them),
        the inserted rows' texts read, a complete plain query's hits moved with them."""
        lists: list[tuple[list[Any], Callable[[CompanyRow], Any]]] = [(self.texts, text_of)]
        if len(self.ids) == len(self.rows):
            lists.append((self.ids, attrgetter("id")))
        if self.names:
            lists.append((self.names, _name_of))
        if self.processed:
            lists.append((self.processed, _processed_of))
        words = self.query.split() if self.query and not self.unread else []
        held = self.held if words and (self.held or len(self.query) < 3) else None
        for index, row in edits:
            for values, make in lists:
                if row is None:
                    del values[index]
                else:
                    values.insert(index, make(row))
            if held is not None:
                hit = row is not None and all(word in self.texts[index] for word in words)
                _move_hits(held, index, inserted=row is not None, hit=hit)
        self.rows, self.joined, self.starts = rows, "", []
        if len(self.ids) != len(rows):
            self.ids = []
        if held is None:
            self.forget()
        else:
            found = rows if len(held) == len(rows) else list(map(rows.__getitem__, held))
            self.remember(self.query, held, (), found)

    def with_names(self) -> _Listing:
        """This listing, its names made ready for the fuzzy match (once)."""
        if self.rows and not self.names:
            self.names = list(map(_name_of, self.rows))
        if self.names and not self.joined:  # (a patched listing makes them again)
            self.joined = "\n".join(self.names)
            lengths = map((1).__add__, map(len, self.names[:-1]))
            self.starts = list(accumulate(lengths, initial=0))
        return self


def _name_of(row: CompanyRow) -> str:
    """A name as the fuzzy match reads it (one line, casefolded)."""
    return row.name.casefold().replace("\n", " ")


def _processed_of(row: CompanyRow) -> str:
    """A name as rapidfuzz scores it (loaded already: a listing has processed names)."""
    from rapidfuzz import utils

    return utils.default_process(_name_of(row))


def _move_hits(held: list[int], index: int, *, inserted: bool, hit: bool) -> None:
    """Keep the sorted positions ``held`` true after the row at ``index`` was removed, or
    one was ``inserted`` there (a hit of the query when ``hit``): the positions after it
    shift by one, in C."""
    at = bisect_left(held, index)
    if inserted:
        held[at:] = map((1).__add__, held[at:])
        if hit:
            held.insert(at, index)
    else:
        if at < len(held) and held[at] == index:
            del held[at]
        held[at:] = map((-1).__add__, held[at:])


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
        """The list searched last."""
        self._prepared: _Listing | None = None
        """A list made ready by ``warm`` (from a worker thread: replaced whole, never
        changed in place); the first search of that list adopts it."""

    def _text(self, row: CompanyRow) -> str:
        if self._indexed.get(row.id) is row:
            return self._text_of[row.id]
        parts = (row.name, row.one_liner, " ".join(row.tags), self._notes_of(row.id))
        text = "\n".join(parts).casefold()
        self._text_of[row.id] = text
        self._indexed[row.id] = row
        return text

    def warm(self, rows: Sequence[CompanyRow], shown: list[CompanyRow] | None = None) -> None:
        """Index ``rows`` ahead of the first search (safe to run in a worker thread), and
        make ready ``shown``, the list the first query will most likely filter."""
        import rapidfuzz.process  # noqa: F401  (loaded here, off the UI thread)

        for row in rows:
            self._text(row)
        shown = [] if shown is None else shown
        prepared = _Listing(shown, [self._text(row) for row in shown]).with_names()
        prepared.position("")  # (its ids: esc finds the company it stays on at once)
        self._prepared = prepared

    def patch(self, old: list[CompanyRow], new: list[CompanyRow], edits: Edits) -> None:
        """``new`` is ``old`` with ``edits`` made (``SortedRows.patch``): a listing of
        ``old`` becomes ``new``'s, the changed rows read again and no other."""
        for listing in (self._listing, self._prepared):  # (a worker only ever replaces one)
            if listing is not None and listing.rows is old:
                listing.patch(new, edits, self._text)

    def position(self, rows: list[CompanyRow], company_id: str) -> int | None:
        """Where company ``company_id`` is in ``rows``, quickly when they were searched."""
        for listing in (self._listing, self._prepared):
            if listing is not None and listing.rows is rows:
                return listing.position(company_id)
        return position(rows, company_id)

    def matches(self, row: CompanyRow, query: str) -> bool:
        """Whether ``row`` alone would be shown for ``query``."""
        return bool(SearchIndex(self._notes_of).filter([row], query))

    def _use(self, rows: list[CompanyRow]) -> _Listing:
        """The listing of ``rows``: the last one, the one made ahead, or a new one."""
        listing = self._listing
        if listing is None or listing.rows is not rows:
            listing = self._prepared
            if listing is None or listing.rows is not rows:
                listing = _Listing(rows, [self._text(row) for row in rows])
            self._listing, self._prepared = listing, None
        return listing

    @property
    def pending(self) -> bool:
        """Whether the last search stopped at its first rows (``finish`` gives them all)."""
        return self._listing is not None and bool(self._listing.unread)

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
            if self._listing is not None:
                self._listing.forget()
            return rows
        listing = self._use(rows)
        fields = [term for term in terms if _is_field(term)]
        if not fields:
            return self._plain(listing, folded, first)
        listing.forget()
        held: Sequence[int] = range(len(rows))
        for term in fields:
            name, _, value = term.partition(":")
            test = FIELDS[name]
            held = [i for i in held if test(rows[i], value)]
        words = [term for term in terms if term not in fields]
        if words:
            held = _holding(listing.texts, held, words)
            if not held and len(" ".join(words)) >= 3:
                return self._fuzzy(listing, " ".join(words))
        return [rows[i] for i in held]

    def _plain(self, listing: _Listing, folded: str, first: int | None) -> list[CompanyRow]:
        """The rows holding every word of ``folded``, from the last query's when it narrows."""
        if folded == listing.query:
            return self._finish(listing) if listing.unread and first is None else listing.found
        candidates: Sequence[int] = range(len(listing.rows))
        if listing.narrows(folded):
            candidates = [*listing.held, *listing.unread]
        terms = folded.split()
        if first is None:
            return self._complete(listing, folded, _holding(listing.texts, candidates, terms))
        held: list[int] = []
        start, step = 0, HEAD_STEP
        while start < len(candidates) and len(held) < first:
            held += _holding(listing.texts, candidates[start : start + step], terms)
            start, step = start + step, step * 2
        if start >= len(candidates):
            return self._complete(listing, folded, held)
        found = list(map(listing.rows.__getitem__, held))
        return listing.remember(folded, held, candidates[start:], found)

    def finish(self) -> list[CompanyRow] | None:
        """The whole result of the last search if it stopped at its first rows, else None."""
        listing = self._listing
        return self._finish(listing) if listing is not None and listing.unread else None

    def _finish(self, listing: _Listing) -> list[CompanyRow]:
        rest = _holding(listing.texts, listing.unread, listing.query.split())
        return self._complete(listing, listing.query, listing.held + rest)

    def _complete(self, listing: _Listing, folded: str, held: list[int]) -> list[CompanyRow]:
        """The rows at ``held``, which hold plain query ``folded`` (close names if none)."""
        rows = listing.rows
        if len(held) == len(rows):
            found = rows  # every row: the same list, so the table knows nothing changed
        elif held or len(folded) < 3:
            found = list(map(rows.__getitem__, held))
        else:
            found = self._fuzzy(listing, folded)
        # Kept with the (maybe empty) plain matches: a letter more has none either, so
        # "nova" after a fuzzy "nov" goes straight to the names, not through every text.
        return listing.remember(folded, held, (), found)

    def _fuzzy(self, listing: _Listing, query: str) -> list[CompanyRow]:
        """Names close to ``query`` or holding its letters in order."""
        from rapidfuzz import fuzz, process, utils

        listing.with_names()
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
        close.update(_in_order(listing, letters))
        return [listing.rows[index] for index in sorted(close)]


def _in_order(listing: _Listing, letters: str) -> list[int]:
    """The positions of the names holding ``letters`` in order, from one scan over all the
    names joined by newlines: a name holds them when a match starts on its line (the
    pattern never crosses a newline). Each letter is followed by anything but the next one
    ("n[^\\no]*o..."): the first next letter is the one to take, so the scan never
    backtracks."""
    gaps = (f"{re.escape(letter)}[^\n{re.escape(after)}]*" for letter, after in pairwise(letters))
    pattern = re.compile("".join(gaps) + re.escape(letters[-1]))
    starts = listing.starts
    return [bisect_right(starts, match.start()) - 1 for match in pattern.finditer(listing.joined)]
