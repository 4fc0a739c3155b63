"""Evidence per answer (source, date, kind) and the flags a partner should see."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from store.evidence import Flag, entry_flags, evidence_line, flags
from store.models import AnswerEntry, EvidenceKind

TODAY = date(2026, 12, 7)


def test_old_answers_need_no_migration() -> None:
    entry = AnswerEntry.model_validate({"answer": "yes", "evidence": "two design partners"})
    assert (entry.source, entry.date, entry.kind) == ("", None, None)


def test_evidence_keeps_its_source_date_and_kind() -> None:
    entry = AnswerEntry.model_validate(
        {
            "answer": "p",
            "evidence": "measured 4.1 pJ/bit",
            "source": "https://example.com/bench.pdf",
            "date": "2026-03-01",
            "kind": "benchmark",
        }
    )
    assert entry.kind is EvidenceKind.BENCHMARK and entry.date == date(2026, 3, 1)
    stored = entry.model_dump(mode="json")
    assert stored["date"] == "2026-03-01" and stored["kind"] == "benchmark"
    assert AnswerEntry.model_validate(stored) == entry


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "rumour"),
        ("kind", 3),
        ("date", "yesterday"),
        ("date", "2999-01-01"),
        ("source", "two\nlines"),
        ("source", ["a list"]),
        ("sauce", "an unknown key"),
    ],
)
def test_hostile_evidence_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        AnswerEntry.model_validate({"answer": "yes", field: value})


def test_evidence_text_is_cleaned_of_escape_sequences() -> None:
    entry = AnswerEntry(answer="yes", source="\x1b[31mred\x1b[0m memo")
    assert "\x1b" not in entry.source


def test_kind_labels() -> None:
    assert [kind.label for kind in EvidenceKind] == [
        "customer call",
        "benchmark",
        "filing",
        "founder or vendor claim",
        "analyst estimate",
    ]


def test_claims_alone_and_evidence_older_than_a_year_are_flagged() -> None:
    answers = {
        "A1": AnswerEntry(answer="yes", kind="claim", date=date(2026, 11, 1)),
        "A2": AnswerEntry(answer="yes", kind="benchmark", date=date(2025, 12, 6)),
        "A3": AnswerEntry(answer="no", kind="claim", date=date(2024, 1, 1)),
        "B1": AnswerEntry(answer="yes", kind="customer_call", date=date(2025, 12, 7)),
        "B2": AnswerEntry(answer="partly", evidence="no kind, no date"),
        "B3": AnswerEntry(answer="unknown", kind="claim", date=date(2020, 1, 1)),
    }
    assert flags(answers, TODAY) == {
        "A1": (Flag.CLAIM,),
        "A2": (Flag.STALE,),
        "A3": (Flag.CLAIM, Flag.STALE),
    }
    assert entry_flags(answers["B1"], TODAY) == ()  # exactly a year old is not stale
    assert [flag.label for flag in Flag] == ["claim only", "older than a year"]


def test_evidence_line_joins_text_kind_source_and_date() -> None:
    entry = AnswerEntry(
        answer="yes",
        evidence="PPA signed\nfor 200 MW",
        source="10-K 2025",
        date=date(2026, 2, 1),
        kind="filing",
    )
    assert evidence_line(entry) == "PPA signed for 200 MW (filing; 10-K 2025; 2026-02-01)"
    assert evidence_line(AnswerEntry(answer="yes", source="deck")) == "deck"
    assert evidence_line(AnswerEntry(answer="yes")) == ""


HOSTILE_EVIDENCE = {
    "kind": "rumour",
    "date": "2999-01-01",
    "source": "two\nlines",
}


@pytest.mark.parametrize("key", sorted(HOSTILE_EVIDENCE))
def test_a_stored_answer_with_a_hostile_evidence_value_opens_without_it(
    key: str, db_path, cli
) -> None:
    from store.open_check import first_problem
    from store.service import Workbench
    from tests.store.records import read_tables, write_tables

    bench = Workbench.open(db_path)
    groq = bench.find("Groq").id
    evidence = {"answer": "yes", "evidence": "40 MW", "kind": "filing", "source": "10-K"}
    run = bench.record_run(groq, {"A1": {**evidence, "date": "2026-01-02"}, "C1": "n"})
    bench.close()
    tables = read_tables(db_path)
    assert first_problem(tables) is None, "the new keys are accepted on open"
    tables["runs"][run.id]["answers"]["A1"][key] = HOSTILE_EVIDENCE[key]
    write_tables(db_path, tables)
    assert first_problem(tables) is None, "lists never read answers: the file opens"
    bench = Workbench.open(db_path, read_only=True)
    try:
        (shown,) = bench.runs(groq)
        # The answer at fault is left out of what is shown (stored.shown), never taken in;
        # the run, its score and its other answers are shown as saved.
        assert "A1" not in shown.answers and shown.answers["C1"].answer.value == "no"
        assert (shown.score, shown.verdict) == (run.score, run.verdict)
    finally:
        bench.close()
    result = cli("show", "Groq", "--db", str(db_path))
    assert result.code == 0 and "**Incomplete** · score 100" in result.out
    assert read_tables(db_path)["runs"][run.id]["answers"]["A1"][key] == HOSTILE_EVIDENCE[key]
