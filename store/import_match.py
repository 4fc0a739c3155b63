"""How an imported company is recognised and placed: the company it duplicates, its layer.

A row duplicates a company with the same domain (shared hosts such as linkedin.com never
count), else the same provider id, else the same name once case, punctuation and legal
suffixes are dropped. Its layer is the one whose keywords it names most, as whole words;
a tie leaves it unsorted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from store.models import Layer

NAME_SUFFIXES = {
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "bv",
    "plc",
}


SHARED_HOSTS = {
    "linkedin.com",
    "crunchbase.com",
    "pitchbook.com",
    "twitter.com",
    "x.com",
    "facebook.com",
    "github.com",
    "medium.com",
    "substack.com",
    "google.com",
    "sites.google.com",
    "notion.site",
    "wixsite.com",
    "angel.co",
    "wellfound.com",
    "youtube.com",
    "instagram.com",
}
"""Sites many companies' website cells point at: never evidence of a duplicate."""


def domain_of(website: str) -> str:
    """``https://www.Groq.com/about`` → ``groq.com``.

    Empty for shared hosts such as linkedin.com.
    """
    if not website:
        return ""
    host = urlsplit(website if "://" in website else f"https://{website}").hostname or ""
    host = host.casefold().removeprefix("www.")
    return "" if host in SHARED_HOSTS or host.endswith(".linkedin.com") else host


def name_key(name: str) -> str:
    """A name reduced for matching: case, punctuation and legal suffixes dropped."""
    words = re.findall(r"[a-z0-9]+", name.casefold().replace("&", " and "))
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return "".join(words)


class Matcher:
    """Finds an existing company (or an earlier row) a new row duplicates."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.by_domain: dict[str, dict[str, Any]] = {}
        self.by_provider: dict[tuple[str, str], dict[str, Any]] = {}
        self.by_name: dict[str, dict[str, Any]] = {}
        self._last: tuple[str, str, str, str] = ("", "", "", "")
        """The website and name last looked up, with their domain and name key: a row is
        looked up, then added, and its keys are worked out once."""
        for record in records:
            self.add(record)

    def _keys(self, record: dict[str, Any]) -> tuple[str, str]:
        """The domain and the name key of ``record``."""
        website, name = record.get("website", ""), record["name"]
        if self._last[:2] != (website, name):
            self._last = (website, name, domain_of(website), name_key(name))
        return self._last[2], self._last[3]

    def add(self, record: dict[str, Any]) -> None:
        """Remember a company so later rows can match it."""
        domain, key = self._keys(record)
        if domain:
            self.by_domain.setdefault(domain, record)
        for provider, value in record.get("provider_ids", {}).items():
            self.by_provider.setdefault((provider, value.casefold().rstrip("/")), record)
        if key:
            self.by_name.setdefault(key, record)

    def find(self, candidate: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
        """The company ``candidate`` duplicates, and what matched."""
        domain, key = self._keys(candidate)
        if domain and domain in self.by_domain:
            return self.by_domain[domain], f"same domain {domain}"
        for provider, value in candidate.get("provider_ids", {}).items():
            if match := self.by_provider.get((provider, value.casefold().rstrip("/"))):
                return match, f"same {provider} id"
        if key and key in self.by_name:
            return self.by_name[key], "same name"
        return None, ""


_WORD = re.compile(r"[a-z0-9]+")
_ASCII_WORDS = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
"""A byte table making every byte but a-z and 0-9 a space: ASCII text's words by ``split``."""


def words_of(folded: str) -> list[str]:
    """The words (runs of a-z and 0-9) of casefolded text, in order, repeats kept."""
    if folded.isascii():  # most text: the same words, several times faster than the pattern
        return folded.encode().translate(_ASCII_WORDS).decode().split()
    return _WORD.findall(folded)


def _bounded_in(keyword: str, text: str) -> bool:
    """True when ``keyword`` occurs in ``text`` with no letter or digit on either side."""
    start = text.find(keyword)
    while start >= 0:
        end = start + len(keyword)
        before = start > 0 and _WORD.match(text, start - 1, start)
        if not before and not _WORD.match(text, end, end + 1):
            return True
        start = text.find(keyword, start + 1)
    return False


class _Keyword(NamedTuple):
    """A layer's keyword as the suggester looks it up."""

    layer: int
    order: int
    text: str
    words: frozenset[str]
    whole: bool
    """The keyword is one word and nothing else: found when the text has that word."""


class LayerSuggester:
    """Suggests a layer from its keywords found as whole words in a row's text.

    A keyword can be in a text only when each of its words (runs of letters and digits) is
    one of the text's words, so a row is checked only against the keywords whose words it
    all has, each keyword filed under its longest word (the least common, as a rule); a
    keyword of one word and nothing else is found exactly when it is one of them, without
    searching the text.
    """

    def __init__(self, layers: list[Layer]) -> None:
        self.layer_ids = [layer.id for layer in layers]
        self.by_word: dict[str, list[_Keyword]] = {}
        self.always: list[_Keyword] = []
        for index, layer in enumerate(layers):
            for order, keyword in enumerate(kw.casefold() for kw in layer.keywords):
                words = _WORD.findall(keyword)
                entry = _Keyword(index, order, keyword, frozenset(words), [keyword] == words)
                filed = max(words, key=len) if words else None
                bucket = self.by_word.setdefault(filed, []) if filed else self.always
                bucket.append(entry)
        self.vocabulary = frozenset(word for entry in self._entries() for word in entry.words)
        """Every word of every keyword: the only words of a row that matter."""

    def _entries(self) -> list[_Keyword]:
        return [entry for bucket in self.by_word.values() for entry in bucket]

    def _found(self, folded: str) -> dict[int, list[tuple[int, str]]]:
        """The keywords in ``folded``, by layer index, each with its order in the layer."""
        found: dict[int, list[tuple[int, str]]] = {}
        present = self.vocabulary.intersection(words_of(folded))
        for word in present:
            for entry in self.by_word.get(word, ()):
                if entry.whole or (entry.words <= present and _bounded_in(entry.text, folded)):
                    found.setdefault(entry.layer, []).append((entry.order, entry.text))
        for entry in self.always:
            if entry.text and _bounded_in(entry.text, folded):
                found.setdefault(entry.layer, []).append((entry.order, entry.text))
        return found

    def suggest(self, text: str) -> tuple[str | None, str]:
        """The best layer for ``text`` and the reason, or (None, reason)."""
        found = self._found(text.casefold())
        scored = []
        for index, matches in sorted(found.items()):
            hits = [keyword for _, keyword in sorted(matches)]
            scored.append((len(hits), sum(map(len, hits)), self.layer_ids[index], hits))
        if not scored:
            return None, "no layer keyword matched; left unsorted"
        scored.sort(reverse=True)
        best = scored[0]
        if len(scored) > 1 and scored[1][:2] == best[:2]:
            return (
                None,
                f"keywords of several layers matched ({', '.join(best[3][:3])}…); left unsorted",
            )
        return best[2], f"matched {', '.join(best[3][:4])}"
