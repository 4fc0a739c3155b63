"""The command palette's company search: any company by name, whatever its layer.

Typed into the palette (ctrl+p) on the main screen, a query lists the companies whose
name holds its letters in order (fuzzy, as the palette matches commands), each with its
layer; enter shows the company in its layer, highlighted (``MainScreen.jump_to``).

At ten thousand companies the palette must not score every name with Textual's matcher
at each key: a name is first kept only if a compiled pattern of the query's letters in
order finds it (one C-speed scan), and only the ``HIT_LIMIT`` likeliest of those (the
name starts with the query, then the letters come early, then the shorter name) are
scored and offered. Other screens get no company hits: their lists are not the stack.
"""

from __future__ import annotations

import re
from functools import partial

from textual.command import Hit, Hits, Provider

from store.rows import CompanyRow

HIT_LIMIT = 40
"""Companies offered for one query at most: the palette shows about a dozen."""


def likely(names: list[tuple[str, str]], query: str, limit: int = HIT_LIMIT) -> list[str]:
    """The ids, among ``names`` (id, name), of the names holding ``query``'s letters in
    order (case and spaces ignored), the likeliest ``limit`` first."""
    letters = [re.escape(letter) for letter in query.casefold() if not letter.isspace()]
    if not letters:
        return []
    pattern = re.compile(".*?".join(letters))
    found = []
    for company_id, name in names:
        folded = name.casefold()
        match = pattern.search(folded)
        if match is not None:
            rank = (match.start() != 0, match.end() - match.start(), len(folded), folded)
            found.append((rank, company_id))
    found.sort()
    return [company_id for _, company_id in found[:limit]]


class CompanySearch(Provider):
    """Palette hits for companies by name; choosing one jumps to it."""

    _revision = -1
    """The store's revision the names below were read at."""
    _rows: dict[str, CompanyRow]
    _names: list[tuple[str, str]]

    async def search(self, query: str) -> Hits:
        from tui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return
        workbench = screen.workbench
        if self._revision != workbench.revision:  # read once per palette, not per key
            self._revision = workbench.revision
            self._rows = {row.id: row for row in workbench.rows()}
            self._names = [(row.id, row.name) for row in self._rows.values()]
        rows = self._rows
        layers = {layer.id: layer.name for layer in workbench.layers()}
        matcher = self.matcher(query)
        for company_id in likely(self._names, query):
            row = rows[company_id]
            score = matcher.match(row.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(row.name),
                    partial(screen.jump_to, company_id),
                    text=row.name,
                    help=f"company in {layers.get(row.layer or '', 'Unsorted')}",
                )
