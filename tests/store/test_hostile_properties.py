"""Generated hostile text through every way in and out of the store and the CLI.

For any text (escape sequences, control and bidi characters, markup, undecodable
halves of characters, very long values): the store either takes it, cleaned, or
refuses it with one sentence; nothing else is raised, and no output carries a
character a terminal would act on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.errors import MoatscopeError
from store.service import Workbench
from tests.store.test_hostile_text import UNSAFE, assert_terminal_safe

PIECES = [
    "\x1b[2J",
    "\x1b]52;c;SGVsbG8=\x07",
    "\x1b]8;;https://evil.example\x1b\\",
    "\x1bP1$r\x1b\\",
    "\x1b[?1049h",
    "\x9b31m",
    "\x1b",
    "\u202e",
    "\u2067",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x7f",
    "\x85",
    "[red]",
    "[@click=app.quit]",
    "[/]",
    "=1+1",
    "🦄",
    "שלום",
    ",",
]
hostile = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(max_size=12),
        st.characters(categories=["Cc", "Cf", "Zl", "Zp"]),
    ),
    max_size=10,
).map("".join)
"""Text built from escape sequences, control, format and separator characters."""
undecodable = st.sampled_from(["\udcff", "\ud800", "a\udc80b"])
any_text = st.one_of(hostile, hostile.map(lambda text: text * 60), undecodable)


@contextmanager
def fresh_bench() -> Iterator[tuple[Workbench, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.json"
        bench = Workbench.open(path, author="prop")
        try:
            yield bench, path
        finally:
            bench.close()


def stored_text(value: object) -> Iterator[str]:
    """Every string in a stored record, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from stored_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from stored_text(item)


def attempt(action) -> MoatscopeError | None:
    """Run ``action``; a refusal must be one sentence (any other exception fails the test)."""
    try:
        action()
    except MoatscopeError as error:
        assert "\n" not in str(error)
        return error
    return None


@settings(max_examples=120)
@given(name=any_text, line=any_text, tag=any_text, note=any_text, reason=any_text)
def test_the_store_takes_hostile_text_cleaned_or_refuses_it(
    name: str, line: str, tag: str, note: str, reason: str
) -> None:
    with fresh_bench() as (bench, path):
        before = path.read_bytes()
        added: list = []
        refused = attempt(
            lambda: added.append(
                bench.add_company(name, layer="data", one_liner=line, tags=[tag], headquarters=line)
            )
        )
        if refused:
            assert path.read_bytes() == before, "a refused change writes nothing"
            return
        company = added[0]
        attempt(lambda: bench.add_note(company.id, note))
        attempt(lambda: bench.set_status([company.id], "passed", reason=reason))
        attempt(lambda: bench.edit_company(company.id, kill_criterion=line, stage=reason))
        attempt(lambda: bench.record_run(company.id, {"A1": {"answer": "y", "evidence": note}}))
        for table in ("companies", "runs", "changes"):
            for record in bench.database.table(table).values():
                for text in stored_text(record):
                    assert UNSAFE.search(text) is None, (table, text)
        stored = bench.company(company.id)
        for single in (stored.name, stored.one_liner, stored.headquarters, *stored.tags):
            assert "\n" not in single and "\t" not in single


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile, note=hostile)
def test_every_command_line_output_is_terminal_safe(cli, name: str, note: str) -> None:
    # ``cli`` only captures output, read afresh at each call: safe to share between examples.
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "db.json")
        added = cli("add", f"Co {name}", "--layer", "data", "--db", db)
        assert added.code in (0, 1), added
        assert_terminal_safe(added.out + added.err)
        if added.code:
            assert added.err.startswith("moatscope: ") and added.err.count("\n") == 1
            return
        noted = cli("note", f"Co {name}".strip(), f"n {note}", "--db", db)
        assert noted.code in (0, 1), noted
        outputs = [cli("list", "--format", fmt, "--db", db) for fmt in ("table", "csv", "json")] + [
            cli("export", "--format", fmt, "--db", db) for fmt in ("csv", "json", "md")
        ]
        outputs.append(cli("report", "--since", "2000-01-01", "--db", db))
        for result in [noted, *outputs]:
            assert result.code in (0, 1), result
            assert_terminal_safe(result.out.replace("\r\n", "\n") + result.err)
