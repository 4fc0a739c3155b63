"""The filter's search: what each query shows, typed letter by letter or at once."""

from __future__ import annotations

import gc

import pytest
from textual.widgets import TextArea

from store.models import Status, Verdict
from store.rows import CompanyRow
from store.service import Workbench
from tests.tui.conftest import SIZE, settle
from tui.screens.main import MainScreen
from tui.screens.note_editor import NoteEditor
from tui.search import SearchIndex

NOTES = {
    "c1": "Met the founders; churn is low.",
    "c2": "",
    "c3": "Grid interconnect queue is the bottleneck.",
    "c4": "",
    "c5": "Second call: churn high.",
}


def row(
    id: str,
    name: str,
    one_liner: str = "",
    tags: tuple[str, ...] = (),
    status: Status = Status.NEW,
    verdict: Verdict | None = None,
) -> CompanyRow:
    return CompanyRow(
        id=id,
        name=name,
        layer="compute",
        status=status,
        tags=tags,
        one_liner=one_liner,
        website="",
        source="",
        created="",
        updated="",
        revisit=None,
        score=None if verdict is None else 80.0,
        verdict=verdict,
        note_count=0,
    )


ROWS = [
    row(
        "c1", "Nova Photonics", "Co-packaged optics", ("optics",), Status.SCREENING, Verdict.ANCHOR
    ),
    row("c2", "Groq", "Inference chips", ("gpu", "inference")),
    row("c3", "Gridline Power", "Behind-the-meter power", ("power",), Status.PASSED),
    row("c4", "Novatek Storage", "Object storage for training data", ("storage",)),
    row("c5", "Cinder Compute", "GPU cloud", ("gpu",), Status.WATCHING, Verdict.LEAKS_VALUE),
]


def names(rows: list[CompanyRow]) -> list[str]:
    return [r.name for r in rows]


def fresh() -> SearchIndex:
    return SearchIndex(lambda company_id: NOTES[company_id])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nova", ["Nova Photonics", "Novatek Storage"]),
        ("NOVA  photonics", ["Nova Photonics"]),
        ("churn", ["Nova Photonics", "Cinder Compute"]),
        ("gpu cloud", ["Cinder Compute"]),
        ("tag:gpu", ["Groq", "Cinder Compute"]),
        ("status:pass", ["Gridline Power"]),
        ("verdict:anchor", ["Nova Photonics"]),
        ("verdict:unscored", ["Groq", "Gridline Power", "Novatek Storage"]),
        ("tag:gpu churn", ["Cinder Compute"]),
        ("grq", ["Groq"]),
        ("nova fotonics", ["Nova Photonics"]),
        ("nvtk", ["Novatek Storage"]),
        ("zzzz", []),
        ("a]b^c", []),  # (regex characters are letters like any other)
        ("g-r\\q", []),
        ("", names(ROWS)),
    ],
)
def test_each_query_shows_the_rows_a_user_expects(query: str, expected: list[str]) -> None:
    assert names(fresh().filter(ROWS, query)) == expected


def test_typing_letter_by_letter_gives_what_the_whole_query_gives() -> None:
    typed = fresh()
    for query in [
        "g",
        "gr",
        "gri",
        "grid",
        "gri",
        "gr",
        "grq",
        "gr",
        "g",
        "",
        "c",
        "ch",
        "churn",
        "churn ",
        "churn c",
        "churn ci",
        # once no text holds a query (3 letters or more), it and each longer one go to the names
        "n",
        "nv",
        "nvt",
        "nvtk",
        "nvtkx",
        "nvtk",
        "nvt",
        "nova f",
        "nova fo",
        "nova fotonics",
        "z",
        "zz",
        "zzz",
    ]:
        assert names(typed.filter(ROWS, query)) == names(fresh().filter(ROWS, query)), query


def test_a_changed_company_is_searched_with_its_new_text() -> None:
    index = fresh()
    assert names(index.filter(ROWS, "co-packaged")) == ["Nova Photonics"]
    renamed = [row("c1", "Nova Photonics", "Lasers", ("lasers",)), *ROWS[1:]]
    assert index.filter(renamed, "co-packaged") == []
    assert names(index.filter(renamed, "lasers")) == ["Nova Photonics"]


def test_the_same_query_on_the_same_rows_returns_the_same_list() -> None:
    index = fresh()
    first = index.filter(ROWS, "nova")
    assert index.filter(ROWS, "nova") is first
    close = index.filter(ROWS, "nvtk")
    assert names(close) == ["Novatek Storage"] and index.filter(ROWS, "nvtk") is close


def test_matches_tells_whether_one_company_would_be_shown() -> None:
    index = fresh()
    shown = index.filter(ROWS, "nova")
    assert index.matches(ROWS[3], "nova")
    assert not index.matches(ROWS[1], "nova")
    assert index.filter(ROWS, "nova") is shown, "asking about one row keeps the index"


def test_indexing_adds_no_object_per_company_for_the_garbage_collector_to_walk() -> None:
    index = SearchIndex(lambda company_id: "Met the founders.")
    rows = [row(f"x{i}", f"Company {i}", "Optical interconnect") for i in range(500)]
    gc.collect()
    before = len(gc.get_objects())
    index.warm(rows)
    assert names(index.filter(rows, "company 420")) == ["Company 420"]
    gc.collect()
    assert len(gc.get_objects()) - before < 50


def test_a_list_made_ready_ahead_searches_as_one_made_on_the_spot() -> None:
    ready = fresh()
    ready.warm(ROWS, ROWS)  # as the main screen does, in a worker thread, for its list
    other = [ROWS[1], ROWS[3]]
    for rows, query in [(ROWS, "nova"), (ROWS, "nvtk"), (other, "nova"), (ROWS, "grq")]:
        assert names(ready.filter(rows, query)) == names(fresh().filter(rows, query)), query


WORDS = "grid optics churn inference storage power queue founders nova cloud chips".split()


def many(count: int) -> tuple[list[CompanyRow], dict[str, str]]:
    """``count`` companies, each with a note of a few words (the same every run)."""
    rows, notes = [], {}
    for number in range(count):
        company = f"m{number}"
        rows.append(row(company, f"Company {number:05}", WORDS[number * 7 % len(WORDS)]))
        notes[company] = " ".join(WORDS[(number * k) % len(WORDS)] for k in (3, 5))
    return rows, notes


def test_a_search_stopped_at_its_first_rows_finishes_with_the_whole_result() -> None:
    rows, notes = many(3000)
    whole = SearchIndex(notes.__getitem__).filter(rows, "gr")
    assert len(whole) > 100
    index = SearchIndex(notes.__getitem__)
    first = index.filter(rows, "gr", first=20)
    assert index.pending
    assert 20 <= len(first) < len(whole)
    assert first == whole[: len(first)], "the first rows are how the whole result begins"
    assert index.filter(rows, "gr", first=20) is first, "asked again: the same rows"
    assert index.finish() == whole
    assert not index.pending
    assert index.finish() is None
    assert index.filter(rows, "gr", first=20) == whole, "finished: the whole result at once"


def test_letters_typed_before_a_search_finishes_find_what_the_whole_query_finds() -> None:
    rows, notes = many(3000)
    notes[rows[7].id] = "aaab ananas banana"  # words that overlap themselves
    typed = SearchIndex(notes.__getitem__)
    queries = [
        *("g", "gr", "gri", "grid", "grid ", "grid o", "grid op", "grid o", "gr"),
        *("a", "aa", "aaa", "aaab", "an", "ana", "anan", "anana", "ananas"),
        *("n", "no", "nov", "novx", "c", "co", "com", "comp", "company 0004", "company 00042"),
        *("n", "no"),
    ]
    for number, query in enumerate(queries):
        shown = typed.filter(rows, query, first=10)
        whole = SearchIndex(notes.__getitem__).filter(rows, query)
        assert shown == whole[: len(shown)], query
        if number % 3 == 2:  # now and then the frame is drawn and the search finishes
            assert (typed.finish() or shown) == whole, query
    assert typed.filter(rows, "no") == SearchIndex(notes.__getitem__).filter(rows, "no")
    assert not typed.pending, "a search without first always finishes"


def test_a_query_that_few_rows_hold_is_searched_to_the_end_at_once() -> None:
    rows, notes = many(3000)
    index = SearchIndex(notes.__getitem__)
    assert names(index.filter(rows, "company 00042", first=20)) == ["Company 00042"]
    assert not index.pending
    fuzzy = index.filter(rows, "cmpny 00042", first=20)  # (no text holds it: the names)
    assert "Company 00042" in names(fuzzy)
    assert fuzzy == SearchIndex(notes.__getitem__).filter(rows, "cmpny 00042")
    assert not index.pending


def test_a_list_changed_while_a_search_is_unfinished_is_searched_afresh() -> None:
    """A company edited while the filter shows (the screen hands over a new list) is
    searched with its new text, even halfway through a search of the old list."""
    rows, notes = many(3000)
    index = SearchIndex(notes.__getitem__)
    shown = index.filter(rows, "gr", first=20)
    assert index.pending and rows[1] not in shown and rows[0] in shown
    renamed = row(rows[1].id, "Graphcore", "wafer-scale")
    edited = [rows[0], renamed, *rows[2:]]
    result = index.filter(edited, "gr", first=20)
    assert result[:2] == [rows[0], renamed], "the edited company, with its new name"
    assert (index.finish() or result) == SearchIndex(notes.__getitem__).filter(edited, "gr")
    assert index.finish() is None, "nothing is left of the old list's search"


def test_a_list_changed_under_the_same_query_shows_the_new_rows() -> None:
    index = fresh()
    before = index.filter(ROWS, "nova")
    edited = [ROWS[0], ROWS[1], ROWS[2], row("c4", "Novatek Drives", "SSDs"), ROWS[4]]
    after = index.filter(edited, "nova")
    assert names(before) == ["Nova Photonics", "Novatek Storage"]
    assert names(after) == ["Nova Photonics", "Novatek Drives"]
    assert names(index.filter(edited, "novat")) == ["Novatek Drives"], "narrowed from the new"


def test_esc_or_a_field_query_ends_an_unfinished_search() -> None:
    rows, notes = many(3000)
    index = SearchIndex(notes.__getitem__)
    for other in ("", "status:new"):
        index.filter(rows, "gr", first=20)
        assert index.pending
        index.filter(rows, other)
        assert not index.pending and index.finish() is None, other


async def test_a_company_changed_while_a_filter_shows_is_shown_with_its_new_text(
    app, bench: Workbench
) -> None:
    """The filter stays on while companies change: a renamed company leaves a filter its
    new name no longer holds, and a note saved from the filtered list is found by the
    next letters typed."""
    layer = bench.layers()[0].id
    alpha = bench.add_company("Alpha Optics", layer=layer).id
    bench.add_company("Beta Optics", layer=layer)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)

        def shown() -> list[str]:
            return [row.name for row in screen.table.rows]

        await pilot.press("slash", *"optics")
        await pilot.pause()
        assert shown() == ["Alpha Optics", "Beta Optics"]

        bench.edit_company(alpha, name="Alpha Photonics")  # as the edit form's submit does
        screen.refresh_view(keep=alpha)
        await pilot.pause()
        assert shown() == ["Beta Optics"] and screen.query_text == "optics"

        await pilot.press("enter", "a")  # to the list, then a note on its one company
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).text = "Lidar supplier for the fab."
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("slash", "end", *" lidar")  # (slash selects the box's text)
        await pilot.pause()
        assert shown() == ["Beta Optics"] and screen.query_text == "optics lidar"
        await pilot.press(*"x")
        await pilot.pause()
        assert shown() == [], "no text holds 'lidarx', and no name its letters"
