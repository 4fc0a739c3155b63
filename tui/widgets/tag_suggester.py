"""Completes the tag being typed from the tags already in use.

A tags field holds several tags, comma-separated, so the word completed is the last one
(after the last comma, and after a leading "-" in "-tag", which removes a tag). The
suggestion is the whole value with that word replaced by the tag in use, as Textual's
``Input`` wants it; the right arrow accepts it. Tags already in the field are not offered.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import Suggester


class TagSuggester(Suggester):
    """Suggest the first tag in use (most used first) that the last typed word begins."""

    def __init__(self, tags: Iterable[str]) -> None:
        # Case-sensitive as far as Textual knows: the value comes unfolded, so accepting
        # gives the tag its own spelling ("nuc" becomes "Nuclear", not a second "nuclear").
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(dict.fromkeys(tags))

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        word = last.lstrip().removeprefix("-")
        if not word:
            return None
        typed = {tag.strip().casefold() for tag in head.split(",")}
        folded = word.casefold()
        for tag in self.tags:
            if len(tag) > len(word) and tag.casefold().startswith(folded):
                if tag.casefold() not in typed:
                    return value[: len(value) - len(word)] + tag
        return None


def tags_in_use(rows: Iterable[object]) -> list[str]:
    """Every tag of ``rows`` (objects with ``tags``), the most used first, then by name."""
    counts: dict[str, int] = {}
    spelling: dict[str, str] = {}
    for row in rows:
        for tag in getattr(row, "tags", ()):
            key = tag.casefold()
            counts[key] = counts.get(key, 0) + 1
            spelling.setdefault(key, tag)
    return [spelling[key] for key in sorted(counts, key=lambda k: (-counts[k], k))]
