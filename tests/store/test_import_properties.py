"""Generated hostile files through the importers: they import cleanly or are refused in one
sentence, never with a traceback, and a refusal or a dry run leaves the database byte for
byte as it was.

Files are CSV in generated dialects (comma, semicolon or tab; minimal, full or non-numeric
quoting; CRLF or LF; UTF-8 with or without BOM, UTF-16 either way round, Windows-1252),
with preamble rows, headers from ``importing.ALIASES`` and cells of escape sequences,
control characters, bidi overrides, markup, line breaks, stray quotes and huge text;
some are cut short or have a quote left open. Then random bytes, and JSON documents shaped
like an export. After a successful CSV import no stored text holds an escape, a control
character (tab and line feed aside, and not even those in a field of one line), a C1
character or a bidi override, and neither does the printed report.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from store.errors import MoatscopeError
from store.import_plan import ImportPlan
from store.importing import ALIASES
from store.service import Workbench
from tests.store.conftest import CliResult, Fingerprint, assert_one_line_error
from tests.store.import_helpers import all_strings, seeded

BIDI = "\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
"""What no stored text and no output may hold: ESC and every other C0 control but tab and
line feed, DEL, C1, bidi overrides."""
UNSAFE_IN_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f{BIDI}]")
"""What a field of one line may not hold: tab and line feed too."""
ONE_LINE_FIELDS = (
    "name",
    "one_liner",
    "website",
    "headquarters",
    "stage",
    "pass_reason",
    "owner",
    "source",
    "absorber",
    "upstream",
    "kill_criterion",
)

HOSTILE = (
    "\x1b[31m",
    "\x1b[2J\x1b[H",
    "\x1b]0;owned\x07",
    "\x1b]8;;https://evil.example\x1b\\link",
    "\x1bP",
    "\x9b31m",
    "\x1b",
    "\x07",
    "\x08",
    "\x00",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\x0b\x0c",
    "\x7f",
    "\x85",
    "\u2028",
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    "[red]",
    "[/]",
    "[@click=app.quit]",
    "[bold]x[/bold]",
    '"',
    '""',
    ",",
    ";",
    '=HYPERLINK("http://x.example")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\ufeff",
    "🦄",
    "Société",
    " ",
    "acme.com",
    "2021",
    "power",
)
HEADERS = [alias for aliases in ALIASES.values() for alias in aliases] + ["Notes", "", "Rank"]
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252")
QUOTING = (csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC)

cells = st.one_of(
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=6).map("".join),
    st.sampled_from(("", "Acme", "Helio Fathom", "https://helio.example", "compute", "new")),
    st.integers(15_000, 25_000).map(lambda n: "word " * (n // 5)),
)
headers = st.lists(
    st.sampled_from(HEADERS).flatmap(lambda h: st.sampled_from((h, h.upper(), h.title()))),
    min_size=1,
    max_size=6,
)


names = st.tuples(
    st.sampled_from(("Acme", "Helio Fathom", "Quillon Silicon", "[red]Crimson[/red] Storage")),
    st.lists(st.sampled_from(HOSTILE), max_size=2).map("".join),
).map("".join)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV file as a provider, a spreadsheet or a hostile hand might write it."""
    header = draw(headers)
    at = draw(st.integers(0, len(header)))
    header.insert(at, draw(st.sampled_from(ALIASES["name"])))
    preamble = draw(st.lists(st.lists(cells, max_size=3), max_size=2))
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 1), min_size=1, max_size=6))
    for row in rows:
        if len(row) > at and draw(st.booleans()):
            row[at] = draw(names)
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=draw(st.sampled_from(",;\t")),
        quoting=draw(st.sampled_from(QUOTING)),
        lineterminator=draw(st.sampled_from(("\r\n", "\n"))),
    )
    writer.writerows([*preamble, header, *rows])
    text = buffer.getvalue()
    damage = draw(st.sampled_from(("none", "none", "none", "open quote", "cut short")))
    if damage == "open quote":
        lines = text.split("\n")
        line = draw(st.integers(0, len(lines) - 1))
        lines[line] = '"' + lines[line]
        text = "\n".join(lines)
    elif damage == "cut short" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


raw_bytes = st.tuples(
    st.sampled_from(
        (
            b"",
            codecs.BOM_UTF8,
            codecs.BOM_UTF16_LE,
            codecs.BOM_UTF16_BE,
            b"name,website\n",
            b"{",
            "name\t".encode("utf-16-le"),
        )
    ),
    st.binary(max_size=3000),
).map(b"".join)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(HOSTILE) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
company_records = st.fixed_dictionaries(
    {"name": st.one_of(names, cells)},
    optional={
        key: st.one_of(cells, json_values)
        for key in ("id", "layer", "one_liner", "website", "tags", "notes", "founded_year")
    },
)
json_exports = st.fixed_dictionaries(
    {
        "moatscope_export": st.one_of(st.just(1), st.just(1), json_values),
        "companies": st.one_of(st.lists(company_records, max_size=4), json_values),
        "layers": st.one_of(st.just([]), json_values),
        "runs": st.one_of(st.just([]), json_values),
    }
).map(lambda document: json.dumps(document).encode())


def examples(count: int) -> settings:
    """``count`` examples; the database template is made once per test, not per example."""
    return settings(
        max_examples=count,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A database with the stack and the starter companies, copied for each example."""
    return seeded(tmp_path / "template" / "moatscope.json")


def _sentence_or_success(result: CliResult) -> None:
    if result.code == 0:
        assert result.err == "", result.err
        event("imported" if "Imported into" in result.out else "nothing to write")
    else:
        assert_one_line_error(result)
        event("refused: " + re.sub(r"^moatscope: \S+ |\d[\d,]*", "", result.err)[:40])
    assert not UNSAFE.search(result.out), result.out
    assert not UNSAFE.search(result.err), result.err


def _stored_text_is_inert(db: Path) -> None:
    stored = json.loads(db.read_bytes())
    for text in all_strings(stored):
        assert not UNSAFE.search(text), text
    for company in stored["companies"].values():
        lines = [company[key] for key in ONE_LINE_FIELDS if company.get(key)]
        lines += [*company["tags"], *company["provider_ids"].values()]
        for text in lines:
            assert not UNSAFE_IN_LINE.search(text), (company["name"], text)


def _import_both_ways(cli, template: Path, raw: bytes, suffix: str) -> tuple[Path, CliResult]:
    """Dry run, then import, of ``raw`` into a copy of ``template``; checks what both say
    (one sentence or success, nothing a terminal acts on) and that the database is untouched
    unless the import wrote it."""
    folder = Path(tempfile.mkdtemp(dir=template.parent.parent))
    db = folder / "db" / "moatscope.json"
    db.parent.mkdir()
    shutil.copyfile(template, db)
    source = folder / f"import{suffix}"
    source.write_bytes(raw)
    before = Fingerprint.of(db)
    dry = cli("import", str(source), "--db", str(db), "--dry-run")
    _sentence_or_success(dry)
    assert Fingerprint.of(db) == before
    real = cli("import", str(source), "--db", str(db))
    _sentence_or_success(real)
    assert real.code == dry.code, (dry, real)
    if real.code or "Imported into" not in real.out:
        assert Fingerprint.of(db) == before
    assert source.read_bytes() == raw  # an import never writes to its file
    return db, real


@examples(150)
@given(raw=csv_files())
def test_generated_csv_imports_inert_or_is_refused_in_one_sentence(
    cli, template: Path, raw: bytes
) -> None:
    db, result = _import_both_ways(cli, template, raw, ".csv")
    if result.code == 0:
        _stored_text_is_inert(db)


@examples(60)
@given(raw=raw_bytes)
def test_random_bytes_import_inert_or_are_refused_in_one_sentence(
    cli, template: Path, raw: bytes
) -> None:
    db, result = _import_both_ways(cli, template, raw, ".csv")
    if result.code == 0 and not raw.lstrip().startswith(b"{"):
        _stored_text_is_inert(db)


@examples(60)
@given(raw=json_exports)
def test_generated_json_exports_import_or_are_refused_in_one_sentence(
    cli, template: Path, raw: bytes
) -> None:
    db, result = _import_both_ways(cli, template, raw, ".json")
    if result.code == 0:
        _stored_text_is_inert(db)


@examples(50)
@given(raw=st.one_of(csv_files(), raw_bytes))
def test_the_workbench_plans_and_applies_or_refuses_in_one_sentence(
    template: Path, raw: bytes
) -> None:
    folder = Path(tempfile.mkdtemp(dir=template.parent.parent))
    db = folder / "moatscope.json"
    shutil.copyfile(template, db)
    source = folder / "import.csv"
    source.write_bytes(raw)
    before = Fingerprint.of(db)
    bench = Workbench.open(db, author="tester")
    try:
        try:
            plan = bench.plan_import(source)
        except MoatscopeError as error:
            message = str(error)
            assert message.endswith(".") and "\n" not in message, message
            plan = None
        if plan is not None:
            _plan_is_inert(plan)
            bench.apply_import(plan)
    finally:
        bench.close()
    if plan is None or not (plan.additions or plan.updates):
        assert Fingerprint.of(db) == before
    else:
        _stored_text_is_inert(db)


def _plan_is_inert(plan: ImportPlan) -> None:
    for outcome in plan.outcomes:
        assert not UNSAFE_IN_LINE.search(outcome.name), outcome
        assert not UNSAFE.search(outcome.reason), outcome
    for text in all_strings([plan.additions, plan.updates, plan.notice, plan.summary]):
        assert not UNSAFE.search(text), text
