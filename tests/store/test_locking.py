"""One writer at a time: a second session is read-only; a dead writer's lock is free."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from store.errors import ReadOnlyStore
from store.paths import lock_path
from store.service import Workbench
from tests.store.conftest import HOLD_CODE, Child, Fingerprint, assert_one_line_error


def _assert_read_only(bench: Workbench, path: Path) -> None:
    assert bench.read_only
    assert str(path) in bench.notice
    assert "read-only" in bench.notice
    company = bench.rows()[0]
    attempts = [
        lambda: bench.add_company("Lost Update", layer="compute"),
        lambda: bench.edit_company(company.id, one_liner="changed"),
        lambda: bench.add_note(company.id, "a note"),
        lambda: bench.set_status([company.id], "screening"),
        lambda: bench.add_tag([company.id], "hot"),
        lambda: bench.delete_companies([company.id]),
        lambda: bench.record_run(company.id, {"A1": "y"}),
        lambda: bench.undo(),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyStore) as caught:
            attempt()
        assert str(path) in str(caught.value)
    assert "Lost Update" not in {row.name for row in bench.rows()}
    assert bench.company(company.id).one_liner == company.one_liner


def test_second_open_in_the_same_process_is_read_only(db_path: Path) -> None:
    first = Workbench.open(db_path)
    try:
        assert not first.read_only and first.notice == ""
        first.add_company("First Writer Co", layer="compute")
        before = Fingerprint.of(db_path)
        second = Workbench.open(db_path)
        try:
            _assert_read_only(second, db_path)
            # The reader sees what the writer had saved when it opened.
            assert "First Writer Co" in {row.name for row in second.rows()}
        finally:
            second.close()
        assert Fingerprint.of(db_path) == before, "a read-only session must not write"
        first.add_company("Still The Writer", layer="compute")
    finally:
        first.close()
    # Once the writer is gone the next session writes.
    third = Workbench.open(db_path)
    try:
        assert not third.read_only
        assert {"First Writer Co", "Still The Writer"} <= {row.name for row in third.rows()}
    finally:
        third.close()


def test_second_process_is_read_only_while_another_holds_the_file(
    db_path: Path, lock_holder
) -> None:
    Workbench.open(db_path).close()
    lock_holder(db_path)
    bench = Workbench.open(db_path)
    try:
        _assert_read_only(bench, db_path)
    finally:
        bench.close()


def test_read_only_request_never_takes_the_lock(db_path: Path) -> None:
    Workbench.open(db_path).close()
    reader = Workbench.open(db_path, read_only=True)
    try:
        assert reader.read_only
        writer = Workbench.open(db_path)
        try:
            assert not writer.read_only
        finally:
            writer.close()
    finally:
        reader.close()


def test_cli_add_refuses_while_another_process_writes_but_list_works(
    db_path: Path, lock_holder, cli
) -> None:
    Workbench.open(db_path).close()
    holder = lock_holder(db_path)
    before = Fingerprint.of(db_path)

    result = cli("add", "Blocked Co", "--layer", "compute", "--db", str(db_path))
    assert_one_line_error(result, str(db_path))
    assert result.err.rstrip().endswith(".")
    result = cli("note", "NVIDIA", "blocked note", "--db", str(db_path))
    assert_one_line_error(result, str(db_path))

    listing = cli("list", "--db", str(db_path))
    assert listing.code == 0, listing.err
    assert "NVIDIA" in listing.out
    shown = cli("show", "NVIDIA", "--db", str(db_path))
    assert shown.code == 0 and "# NVIDIA" in shown.out
    assert Fingerprint.of(db_path) == before

    holder.kill()
    holder.finish()
    added = cli("add", "Unblocked Co", "--layer", "compute", "--db", str(db_path))
    assert added.code == 0, added.err


def test_stale_lock_of_a_killed_writer_does_not_block(db_path: Path) -> None:
    Workbench.open(db_path).close()
    child = Child(HOLD_CODE, str(db_path))
    try:
        child.wait_for_line("READY")
        held = Workbench.open(db_path)
        assert held.read_only  # the child really holds it
        held.close()
    finally:
        child.kill()
    child.finish()
    assert child.process.returncode == -signal.SIGKILL
    assert lock_path(db_path).exists(), "the lock file is left behind by kill -9"
    bench = Workbench.open(db_path)
    try:
        assert not bench.read_only
        assert bench.notice == ""
        bench.add_company("After The Crash", layer="power")
    finally:
        bench.close()
    reopened = Workbench.open(db_path, read_only=True)
    try:
        assert "After The Crash" in {row.name for row in reopened.rows()}
    finally:
        reopened.close()


def test_closing_releases_the_lock_and_later_writes_fail(db_path: Path) -> None:
    from store.errors import WriteFailed

    bench = Workbench.open(db_path)
    company = bench.rows()[0]
    bench.close()
    with pytest.raises((WriteFailed, ReadOnlyStore)):
        bench.edit_company(company.id, one_liner="after close")
    other = Workbench.open(db_path)
    try:
        assert not other.read_only
        assert other.company(company.id).one_liner != "after close"
    finally:
        other.close()
