"""A corrupt, truncated, foreign or empty file is refused, names its newest backup, untouched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from store import backups
from store.errors import StoreUnreadable
from store.service import Workbench
from store.storage import TEMP_MARK
from tests.store.conftest import Fingerprint, assert_one_line_error, child_env


def _truncate_half(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _truncate_end(raw: bytes) -> bytes:
    return raw[:-2]  # the closing brace is gone


def _truncate_at_line(raw: bytes) -> bytes:
    # Cut exactly after a complete record line: every line parses, the whole does not.
    lines = raw.split(b"\n")
    return b"\n".join(lines[: len(lines) * 2 // 3]) + b"\n"


def _flip_byte(raw: bytes) -> bytes:
    middle = len(raw) // 2
    index = raw.index(b'"', middle)
    return raw[:index] + b"\x00" + raw[index + 1 :]


def _garbage(raw: bytes) -> bytes:
    return bytes(range(256)) * 8


def _not_utf8(raw: bytes) -> bytes:
    return (
        raw.replace(b"NVIDIA", b"NV\xffDIA", 1)
        if b"NVIDIA" in raw
        else raw[:50] + b"\xff" + raw[51:]
    )


def _empty(raw: bytes) -> bytes:
    return b""


def _blank(raw: bytes) -> bytes:
    return b"   \n\n"


def _zeros(raw: bytes) -> bytes:
    return b"\x00" * len(raw)  # what a crashed filesystem sometimes leaves


def _tinydb_default(raw: bytes) -> bytes:
    return json.dumps({"_default": {"1": {"name": "NVIDIA", "layer": "compute"}}}).encode()


def _json_list(raw: bytes) -> bytes:
    return b'[{"name": "NVIDIA"}]'


def _json_scalar(raw: bytes) -> bytes:
    return b'"moatscope"'


def _json_empty_object(raw: bytes) -> bytes:
    return b"{}"


def _tables_of_scalars(raw: bytes) -> bytes:
    return json.dumps({"companies": {"co-1": "NVIDIA"}}).encode()


def _other_app_meta(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["meta"]["schema"]["app"] = "someone-else"
    return json.dumps(data).encode()


def _no_meta(raw: bytes) -> bytes:
    data = json.loads(raw)
    del data["meta"]
    return json.dumps(data, indent=1).encode()


def _schema_not_a_number(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["meta"]["schema"]["schema_version"] = "2"
    return json.dumps(data).encode()


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated-half": _truncate_half,
    "truncated-end": _truncate_end,
    "truncated-at-line": _truncate_at_line,
    "corrupt-byte": _flip_byte,
    "garbage": _garbage,
    "not-utf8": _not_utf8,
    "empty": _empty,
    "blank": _blank,
    "zeros": _zeros,
    "foreign-tinydb": _tinydb_default,
    "foreign-list": _json_list,
    "foreign-scalar": _json_scalar,
    "foreign-empty-object": _json_empty_object,
    "foreign-scalar-records": _tables_of_scalars,
    "foreign-app": _other_app_meta,
    "no-meta": _no_meta,
    "schema-not-int": _schema_not_a_number,
}


@pytest.fixture
def damaged(db_path: Path) -> Callable[[Callable[[bytes], bytes]], tuple[Path, Path]]:
    """A valid database opened once (so a backup exists), then damaged in place."""

    def make(damage: Callable[[bytes], bytes]) -> tuple[Path, Path]:
        bench = Workbench.open(db_path)
        bench.add_company("Backed Up Co", layer="compute")
        bench.close()
        Workbench.open(db_path).close()  # a writer open keeps a backup of this version
        newest = backups.newest_backup(db_path)
        assert newest is not None
        db_path.write_bytes(damage(db_path.read_bytes()))
        os.utime(db_path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
        return db_path, newest

    return make


def _assert_untouched(path: Path, before: Fingerprint, newest: Path) -> None:
    assert Fingerprint.of(path) == before
    assert sorted(path.parent.glob(f".{path.name}{TEMP_MARK}*")) == []
    assert backups.newest_backup(path) == newest, "a damaged file must not become a backup"


@pytest.mark.parametrize("read_only", [False, True], ids=["writer", "reader"])
@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_file_is_refused_named_with_backup_and_untouched(
    kind: str, read_only: bool, damaged
) -> None:
    path, newest = damaged(DAMAGE[kind])
    before = Fingerprint.of(path)
    with pytest.raises(StoreUnreadable) as caught:
        Workbench.open(path, read_only=read_only)
    message = str(caught.value)
    assert str(path) in message
    assert str(newest) in message
    assert "\n" not in message
    _assert_untouched(path, before, newest)
    # The lock was released: once the file is repaired, a writer opens it.
    shutil.copyfile(newest, path)
    bench = Workbench.open(path)
    try:
        assert not bench.read_only
        assert "Backed Up Co" in {row.name for row in bench.rows()}
    finally:
        bench.close()


def test_damaged_file_without_any_backup_says_so(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b'{"companies": ')
    before = Fingerprint.of(db_path)
    with pytest.raises(StoreUnreadable, match="no backup") as caught:
        Workbench.open(db_path)
    assert str(db_path) in str(caught.value)
    assert Fingerprint.of(db_path) == before


def test_reindented_file_with_our_data_still_opens(db_path: Path) -> None:
    """A file a person re-indented (or merged by hand) is ours: it loads and is kept."""
    Workbench.open(db_path).close()
    data = json.loads(db_path.read_bytes())
    db_path.write_text(json.dumps(data, indent=4, sort_keys=False))
    bench = Workbench.open(db_path)
    try:
        assert not bench.read_only
        assert len(bench.rows()) == len(data["companies"])
        bench.add_company("After Reindent", layer="data")
    finally:
        bench.close()
    again = json.loads(db_path.read_bytes())
    assert "After Reindent" in {c["name"] for c in again["companies"].values()}
    assert len(again["companies"]) == len(data["companies"]) + 1


def test_directory_in_place_of_the_file_is_refused(db_path: Path) -> None:
    db_path.mkdir(parents=True)
    with pytest.raises(StoreUnreadable) as caught:
        Workbench.open(db_path)
    assert str(db_path) in str(caught.value)
    assert db_path.is_dir()


@pytest.mark.parametrize("kind", ["truncated-half", "foreign-tinydb", "empty", "foreign-list"])
def test_cli_refuses_a_damaged_file_in_one_line(kind: str, damaged, cli) -> None:
    path, newest = damaged(DAMAGE[kind])
    before = Fingerprint.of(path)
    for argv in (
        ["list"],
        ["show", "Backed Up Co"],
        ["add", "X", "--layer", "compute"],
        ["note", "Backed Up Co", "hello"],
    ):
        result = cli(*argv, "--db", str(path))
        assert_one_line_error(result, str(path), str(newest))
    _assert_untouched(path, before, newest)


def test_cli_refuses_a_damaged_file_end_to_end(damaged) -> None:
    path, newest = damaged(_truncate_half)
    before = Fingerprint.of(path)
    result = subprocess.run(
        [sys.executable, "-m", "tui", "list", "--db", str(path)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and str(newest) in result.stderr
    _assert_untouched(path, before, newest)


def test_cli_db_inside_a_regular_file_is_one_sentence(tmp_path: Path, cli) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = cli("list", "--db", str(blocker / "moatscope.json"))
    assert_one_line_error(result, str(blocker / "moatscope.json"))
    assert blocker.read_text() == "x"
