"""The headless command line: list, show, add, note, locate, --version, MOATSCOPE_DB."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from store import backups, paths
from store.service import Workbench
from tests.store.conftest import PERFECT, REPO_ROOT, child_env
from tui import __version__


def test_version(cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"moatscope {__version__}"


def test_default_database_is_created_and_seeded(cli, isolated_dirs: Path) -> None:
    result = cli("list")
    assert result.code == 0, result.err
    assert "NVIDIA" in result.out and "Power & Facilities" in result.out
    assert paths.default_db_path().exists()
    assert paths.default_db_path().is_relative_to(isolated_dirs)


def test_add_with_tags_and_fields(db_path: Path, cli) -> None:
    result = cli(
        "add",
        "Tagged Co",
        "--layer",
        "network",
        "--tag",
        "optics",
        "--tag",
        "Seed Stage",
        "--tag",
        "OPTICS",
        "--one-liner",
        "Makes light go fast.",
        "--website",
        "tagged.example",
        "--status",
        "screening",
        "--db",
        str(db_path),
    )
    assert result.code == 0, result.err
    assert result.out.startswith("Added Tagged Co (co-") and result.out.endswith(" to network.\n")
    bench = Workbench.open(db_path, read_only=True)
    try:
        company = bench.find("Tagged Co")
        assert company.tags == ["optics", "Seed Stage"]
        assert company.layer == "network"
        assert company.one_liner == "Makes light go fast."
        assert company.website == "https://tagged.example"
        assert company.status == "screening"
        assert company.source == "manual"
    finally:
        bench.close()
    listed = cli("list", "--tag", "optics", "--format", "json", "--db", str(db_path))
    assert [row["name"] for row in json.loads(listed.out)] == ["Tagged Co"]


def test_note_from_argument_and_from_stdin(
    db_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("note", "groq", "short *note*", "--db", str(db_path)).code == 0
    body = "# From stdin\n\nline two\n" + "z" * 5000 + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(body))
    result = cli("note", "Groq", "-", "--db", str(db_path))
    assert result.code == 0, result.err
    assert result.out == "Added a note to Groq.\n"
    bench = Workbench.open(db_path, read_only=True)
    try:
        notes = bench.find("Groq").notes
        assert [note.body for note in notes] == ["short *note*", body]
    finally:
        bench.close()


def test_show_json_has_notes_and_every_run(
    db_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from store import clock

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    moments = iter(start + timedelta(minutes=n) for n in range(100))
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    bench = Workbench.open(db_path)
    try:
        groq = bench.find("Groq").id
        bench.add_note(groq, "first note")
        bench.record_run(groq, {"A1": "y"})
        bench.record_run(groq, {**PERFECT, "C4": "y"})
        bench.record_run(groq, PERFECT)
        bench.add_note(groq, "second note")
    finally:
        bench.close()
    result = cli("show", "Groq", "--format", "json", "--db", str(db_path))
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["name"] == "Groq"
    assert document["layer_name"] == "Compute"
    assert [note["body"] for note in document["notes"]] == ["first note", "second note"]
    runs = document["runs"]
    assert [(run["verdict"], round(run["score"], 2)) for run in runs] == [
        ("incomplete", 100.0),
        ("anchor", round(100 * 28 / 30, 2)),  # version 2: C4 Yes no longer bars an Anchor
        ("anchor", 100.0),
    ]
    assert all(run["checklist_id"] == "moat" and run["checklist_version"] == 2 for run in runs)
    assert runs[0]["answers"]["A1"] == {"answer": "yes", "evidence": ""}
    assert (document["score"], document["verdict"]) == (100.0, "anchor")

    markdown = cli("show", "Groq", "--db", str(db_path))
    assert markdown.code == 0
    assert markdown.out.startswith("# Groq\n")
    assert "**Anchor** · score 100" in markdown.out
    assert markdown.out.index("second note") < markdown.out.index("first note")

    listed = json.loads(
        cli("list", "--format", "json", "--layer", "compute", "--db", str(db_path)).out
    )
    row = next(row for row in listed if row["name"] == "Groq")
    assert (row["score"], row["verdict"]) == (100.0, "anchor")


def test_show_company_without_runs(db_path: Path, cli) -> None:
    document = json.loads(cli("show", "Crusoe", "--format", "json", "--db", str(db_path)).out)
    assert document["runs"] == [] and document["notes"] == []
    assert document["score"] is None and document["verdict"] is None
    assert document["tags"] == ["starter"]


def test_list_formats_and_filters(db_path: Path, cli) -> None:
    bench = Workbench.open(db_path)
    try:
        bench.set_status([bench.find("Oklo").id], "passed", reason="too early")
        bench.record_run(bench.find("NVIDIA").id, PERFECT)
        total = len(bench.rows())
        power = len(bench.rows(layer="power"))
    finally:
        bench.close()

    rows = json.loads(cli("list", "--format", "json", "--db", str(db_path)).out)
    assert len(rows) == total
    assert set(rows[0]) == {
        "id",
        "name",
        "layer",
        "status",
        "tags",
        "one_liner",
        "website",
        "score",
        "verdict",
        "updated",
    }
    layers = [row["layer"] for row in rows]
    order = ["power", "compute", "network", "data", "orchestration"]
    assert layers == sorted(layers, key=order.index), "rows come in stack order"
    nvidia = next(row for row in rows if row["name"] == "NVIDIA")
    assert (nvidia["score"], nvidia["verdict"]) == (100.0, "anchor")

    power_rows = json.loads(
        cli("list", "--layer", "power", "--format", "json", "--db", str(db_path)).out
    )
    assert len(power_rows) == power and {row["layer"] for row in power_rows} == {"power"}
    passed = json.loads(
        cli("list", "--status", "passed", "--format", "json", "--db", str(db_path)).out
    )
    assert [row["name"] for row in passed] == ["Oklo"]

    table = cli("list", "--db", str(db_path))
    assert table.code == 0
    header = table.out.splitlines()[0].split()
    assert header == ["Name", "Layer", "Status", "Score", "Verdict", "Tags"]
    assert len(table.out.splitlines()) == total + 1
    nvidia_line = next(line for line in table.out.splitlines() if line.startswith("NVIDIA"))
    assert "100" in nvidia_line and "Anchor" in nvidia_line

    parsed = list(
        csv.DictReader(io.StringIO(cli("list", "--format", "csv", "--db", str(db_path)).out))
    )
    assert len(parsed) == total
    assert list(parsed[0]) == [
        "id",
        "name",
        "layer",
        "status",
        "tags",
        "score",
        "verdict",
        "website",
    ]
    nvidia_csv = next(row for row in parsed if row["name"] == "NVIDIA")
    assert (nvidia_csv["score"], nvidia_csv["verdict"], nvidia_csv["tags"]) == (
        "100",
        "anchor",
        "starter",
    )


def test_moatscope_db_env_selects_the_file(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = tmp_path / "from-env" / "deals.json"
    flag_db = tmp_path / "from-flag" / "deals.json"
    monkeypatch.setenv("MOATSCOPE_DB", str(env_db))
    assert cli("add", "Env Co", "--layer", "data").code == 0
    assert env_db.exists() and not paths.default_db_path().exists()
    assert "Env Co" in cli("list").out
    # --db wins over the environment
    assert cli("add", "Flag Co", "--layer", "data", "--db", str(flag_db)).code == 0
    assert "Flag Co" not in cli("list").out
    assert "Flag Co" in cli("list", "--db", str(flag_db)).out
    located = cli("locate").out
    assert f"database: {env_db}" in located


def test_locate_prints_database_backups_and_newest(db_path: Path, cli) -> None:
    before = cli("locate", "--db", str(db_path))
    assert before.code == 0
    assert f"database: {db_path}" in before.out
    assert f"backups:  {paths.backup_dir(db_path)}" in before.out
    assert "newest:   none yet" in before.out
    assert not db_path.exists(), "locate does not create anything"

    Workbench.open(db_path).close()
    Workbench.open(db_path).close()
    newest = backups.newest_backup(db_path)
    assert newest is not None
    after = cli("locate", "--db", str(db_path)).out
    assert f"newest:   {newest}" in after
    assert f"config:   {paths.config_dir()}" in after


def test_reading_commands_leave_the_file_alone(db_path: Path, cli) -> None:
    bench = Workbench.open(db_path)
    bench.add_company("Changed Since Backup", layer="data")
    bench.close()
    stat = db_path.stat()
    saved = backups.list_backups(db_path)
    for argv in (
        ["list"],
        ["list", "--format", "json"],
        ["show", "Groq"],
        ["show", "Groq", "--format", "json"],
    ):
        assert cli(*argv, "--db", str(db_path)).code == 0
    assert db_path.stat().st_mtime_ns == stat.st_mtime_ns
    assert backups.list_backups(db_path) == saved


def _run(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=REPO_ROOT,
        timeout=60,
    )


def test_end_to_end_add_note_show(tmp_path: Path) -> None:
    db = str(tmp_path / "e2e.json")
    added = _run("add", "E2E Co", "--layer", "orchestration", "--tag", "serving", "--db", db)
    assert added.returncode == 0, added.stderr
    noted = _run("note", "E2E Co", "-", "--db", db, stdin="piped *note*\n")
    assert noted.returncode == 0, noted.stderr
    shown = _run("show", "E2E Co", "--format", "json", "--db", db)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["tags"] == ["serving"]
    assert [note["body"] for note in document["notes"]] == ["piped *note*\n"]
    version = _run("--version")
    assert version.returncode == 0 and version.stdout.startswith("moatscope ")


def test_end_to_end_bad_input_has_no_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "e2e.json")
    for argv in (
        ["add", "", "--layer", "compute"],
        ["show", "Nobody"],
        ["list", "--status", "x"],
        ["add", "X", "--layer", "nope"],
    ):
        result = _run(*argv, "--db", db)
        assert result.returncode == 1, (argv, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
