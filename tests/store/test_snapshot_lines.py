"""Opening keeps each record's line from the snapshot instead of serialising it again,
and only when the file's lines are exactly its records (store/lines.py ``split_snapshot``)."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.journal import journal_path
from store.lines import RecordLines, record_line, split_snapshot
from store.service import Workbench
from store.storage import FormatError, MemoryStorage, parse_database
from tests.store.ops import tables

LONG = "a long note, " * 60
"""Records this long are read a line at a time (``store.lines.SMALL``)."""
RECORDS = {
    "changes": {},
    "companies": {
        "co-1": {"id": "co-1", "name": "Alpha", "notes": ["a,\nb", LONG], "tags": ["x"]},
        "co-2": {"id": "co-2", "name": 'Be"ta }', "notes": [LONG], "tags": []},
    },
    "meta": {"schema": {"app": "moatscope", "id": "schema", "schema_version": 4}},
    "relations": {
        "rel-1": {"from_company": "co-1", "id": "rel-1", "kind": "supplies", "to_company": "co-2"},
        "rel-2": {"from_company": "co-2", "id": "rel-2", "kind": "competes", "to_company": "co-1"},
    },
}


def written(data: dict) -> bytes:
    """The file as moatscope writes it."""
    lines = [b"{"]
    names = sorted(data)
    for index, name in enumerate(names):
        comma = b"," if index < len(names) - 1 else b""
        if not data[name]:
            lines.append(orjson.dumps(name) + b": {}" + comma)
            continue
        lines.append(orjson.dumps(name) + b": {")
        records = [record_line(key, data[name][key]) for key in sorted(data[name])]
        lines.append(b",\n".join(records))
        lines.append(b"}" + comma)
    return b"\n".join(lines) + b"\n}\n"


def test_a_file_in_moatscopes_layout_keeps_each_records_line_as_it_is_in_the_file():
    raw = written(RECORDS)
    split = split_snapshot(raw)
    assert split is not None
    found, lines = split
    assert found == RECORDS == orjson.loads(raw)
    for key, record in RECORDS["companies"].items():
        assert bytes(lines["companies"][key]) == record_line(key, record)
    assert lines["relations"] is None, "small records: their lines are made when needed"
    made = dict(RecordLines.adopt("x", lines).ordered(found))
    for name, records in RECORDS.items():
        assert [bytes(line) for line in made[name]] == [
            record_line(key, records[key]) for key in sorted(records)
        ]


@pytest.mark.parametrize(
    "layout",
    [
        "indented",  # json.dumps(indent=2): records over several lines
        "crlf",  # a checkout that turned the line ends into CRLF
        "one line",  # the whole file on one line
        "two records on a line",
        "a record over two lines",
    ],
)
def test_any_other_layout_is_read_whole_to_the_same_records(layout):
    raw = written(RECORDS)
    if layout == "indented":
        raw = json.dumps(RECORDS, indent=2).encode()
    elif layout == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    elif layout == "one line":
        raw = orjson.dumps(RECORDS)
    elif layout == "two records on a line":
        raw = raw.replace(b'},\n"co-2"', b'}, "co-2"')
    else:
        raw = raw.replace(b'"id":"co-2",', b'"id":"co-2",\n')
    assert orjson.loads(raw) == RECORDS
    assert split_snapshot(raw) is None
    parsed = parse_database(raw)
    assert parsed.tables == RECORDS
    assert parsed.lines is None


@pytest.mark.parametrize(
    "damage",
    [
        (b'"x"]},\n"co-2"', b'"x"]}\n"co-2"'),  # a comma missing between records
        (b"[]}\n}", b"[]},\n}"),  # a comma after the last record
        (b"\n}\n}\n", b"\n},\n}\n"),  # a comma after the last table
        (b'"co-2"},\n"rel-2"', b'"co-2"}\n"rel-2"'),  # (small records, read a table at once)
        (b'"co-1"}\n}', b'"co-1"},\n}'),
        (b'"rel-2": {', b'"rel-2": ['),
        (b'"co-2": {', b'"co-2": ['),  # a record that is not an object
        (b'"meta": {\n', b'"meta": {\n}\n'),  # a table closed before its records
    ],
)
def test_a_file_that_is_not_valid_json_is_refused_as_before(damage):
    raw = written(RECORDS)
    assert raw.count(damage[0]) == 1
    raw = raw.replace(*damage)
    assert split_snapshot(raw) is None
    with pytest.raises(FormatError):
        parse_database(raw)


@given(st.binary(max_size=200))
def test_bytes_added_anywhere_never_give_records_a_whole_parse_would_not(junk):
    raw = written(RECORDS)
    for at in (0, len(raw) // 3, len(raw) // 2, len(raw) - 3):
        changed = raw[:at] + junk + raw[at:]
        split = split_snapshot(changed)
        if split is not None:
            assert split[0] == orjson.loads(changed)


def test_a_hand_written_record_is_written_back_unchanged_until_it_changes(tmp_path):
    """A record on one line but with its keys in another order or spaced is kept as it is
    (never changed); the records a change touches are written in the app's form."""
    path = tmp_path / "moatscope.json"
    Workbench.open(path).close()
    raw = path.read_bytes()
    key = next(iter(orjson.loads(raw)["companies"]))
    record = orjson.loads(raw)["companies"][key]
    spaced = json.dumps(dict(reversed(record.items())), ensure_ascii=False).encode()
    path.write_bytes(raw.replace(record_line(key, record).split(b": ", 1)[1], spaced, 1))
    bench = Workbench.open(path)
    other = next(row for row in bench.rows() if row.id != key)
    bench.add_note(other.id, "a note")
    bench.close()
    after = path.read_bytes()
    assert spaced in after
    assert orjson.loads(after)["companies"][key] == record
    assert not journal_path(path).exists()


def test_records_the_journal_changed_are_written_as_they_are_now(tmp_path):
    """A session that opens a snapshot with a journal compacts the journal's records, not
    the snapshot's older lines of them."""
    path = tmp_path / "moatscope.json"
    bench = Workbench.open(path)
    row = bench.rows()[0]
    bench.add_note(row.id, "kept in the journal")
    bench.database.storage.close()  # as a kill would: no compaction, the lock let go
    bench.database._lock.release()
    assert journal_path(path).exists()
    second = Workbench.open(path)
    expected = tables(second)
    second.close()
    assert not journal_path(path).exists()
    assert orjson.loads(path.read_bytes()) == expected
    assert "kept in the journal" in path.read_text()
    assert path.read_bytes() == written(expected)


def test_a_snapshot_written_by_memory_storage_is_split(tmp_path):
    path = tmp_path / "moatscope.json"
    MemoryStorage(path, json.loads(json.dumps(RECORDS)), on_disk=False).flush()
    assert split_snapshot(path.read_bytes()) is not None
