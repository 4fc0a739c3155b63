"""``moatscope merge`` as git's merge driver, and ``conflicts`` and ``resolve``.

The driver replaces OURS with the merge and exits 0 even with conflicts (they are records
in the file); an input it cannot take is one sentence, exit 1, and OURS untouched. A real
``git merge`` in a temporary repository runs it the way ``sync`` will: the driver passed
on git's command line, the file marked in ``.gitattributes``.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from store.merge import dump, merge
from store.service import Workbench, default_author
from tests.store.conftest import REPO_ROOT, Fingerprint, assert_one_line_error, child_env

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _copies(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A base with a company, and two copies of it: ours and theirs."""
    base = tmp_path / "base.json"
    bench = Workbench.open(base, author="ada")
    bench.add_company("Acme", layer="compute", stage="Pre")
    bench.close()
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    shutil.copyfile(base, ours)
    shutil.copyfile(base, theirs)
    return base, ours, theirs


def _edit(path: Path, author: str, action) -> None:
    bench = Workbench.open(path, author=author)
    try:
        action(bench)
    finally:
        bench.close()


def _stage(stage: str):
    return lambda bench: bench.edit_company(bench.find("Acme").id, stage=stage)


def test_the_driver_writes_the_merge_over_ours_and_exits_0_with_conflicts(
    tmp_path: Path, cli
) -> None:
    base, ours, theirs = _copies(tmp_path)
    _edit(ours, "ada", _stage("Seed"))
    _edit(theirs, "ben", _stage("Series A"))
    _edit(theirs, "ben", lambda bench: bench.add_company("Beta", layer="power"))
    expected = merge(base.read_bytes(), ours.read_bytes(), theirs.read_bytes())
    result = cli("merge", str(base), str(ours), str(theirs), "moatscope.json")
    assert (result.code, result.out) == (0, "")
    assert result.err == (
        "moatscope merged: 2 companies from theirs, 1 conflict (moatscope.json)\n"
    )
    assert ours.read_bytes() == expected
    listed = cli("--db", str(ours), "conflicts")
    assert listed.code == 0
    assert "Acme" in listed.out and "Stage" in listed.out
    assert "1: Seed" in listed.out and "2: Series A" in listed.out
    assert "1 open;" in listed.out


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda raw: b"<<<<<<< HEAD\n" + raw + b"=======\n>>>>>>> theirs\n", "conflict markers"),
        (lambda raw: raw[: len(raw) // 2], "is not a moatscope database"),
        (lambda raw: raw.replace(b'"schema_version":4', b'"schema_version":9'),
         "upgrade moatscope"),
    ],
)  # fmt: skip
def test_an_input_it_cannot_take_leaves_ours_untouched(tmp_path: Path, cli, damage, words) -> None:
    base, ours, theirs = _copies(tmp_path)
    _edit(ours, "ada", _stage("Seed"))
    theirs.write_bytes(damage(theirs.read_bytes()))
    before = Fingerprint.of(ours)
    result = cli("merge", str(base), str(ours), str(theirs), "moatscope.json")
    assert_one_line_error(result, words, "moatscope.json (theirs)")
    assert Fingerprint.of(ours) == before


def test_run_by_hand_a_refusal_names_the_file_itself(tmp_path: Path, cli) -> None:
    """Without PATH (not from git) the bad input is named by its own path, not OURS's."""
    base, ours, theirs = _copies(tmp_path)
    theirs.write_bytes(b"not json")
    before = Fingerprint.of(ours)
    result = cli("merge", str(base), str(ours), str(theirs))
    assert_one_line_error(result, f"{theirs} (theirs) is not a moatscope database")
    assert str(ours) not in result.err
    assert Fingerprint.of(ours) == before


def test_a_missing_input_is_one_sentence(tmp_path: Path, cli) -> None:
    base, ours, _ = _copies(tmp_path)
    result = cli("merge", str(base), str(ours), str(tmp_path / "gone.json"))
    assert_one_line_error(result, "Cannot read", "nothing was merged")


def test_resolve_is_one_change_that_undo_takes_back(tmp_path: Path, cli) -> None:
    base, ours, theirs = _copies(tmp_path)
    _edit(ours, "ada", _stage("Seed"))
    _edit(theirs, "ben", _stage("Series A"))
    assert cli("merge", str(base), str(ours), str(theirs)).code == 0
    bench = Workbench.open(ours, read_only=True)
    (conflict,) = bench.conflicts()
    bench.close()
    refused = cli("--db", str(ours), "resolve", conflict.id, "--ours")
    assert_one_line_error(refused, "Cannot tell which side", "--side 1")
    result = cli("--db", str(ours), "resolve", conflict.id[:8], "--side", "2")
    assert (result.code, result.out) == (0, "Resolved Acme: Stage.\n")
    bench = Workbench.open(ours)
    assert bench.find("Acme").stage == "Series A" and bench.conflicts() == []
    bench.undo()
    assert bench.find("Acme").stage == "Pre" and [c.id for c in bench.conflicts()] == [conflict.id]
    bench.close()
    typed = cli("--db", str(ours), "resolve", conflict.id, "--value", "Series B")
    assert typed.code == 0
    bench = Workbench.open(ours, read_only=True)
    assert bench.find("Acme").stage == "Series B" and bench.conflicts() == []
    bench.close()
    assert cli("--db", str(ours), "conflicts").out == "No open conflicts.\n"


def test_ours_is_the_side_this_user_wrote(tmp_path: Path, cli) -> None:
    """A note both sides edited names its author: ``--ours`` picks the one this user wrote."""
    me = default_author()
    base = tmp_path / "base.json"
    _edit(base, me, lambda bench: bench.add_company("Acme", layer="compute"))
    _edit(base, me, lambda bench: bench.add_note(bench.find("Acme").id, "first"))
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    for path, author, body in ((ours, me, "mine"), (theirs, "zed", "theirs")):
        shutil.copyfile(base, path)
        raw = orjson.loads(path.read_bytes())
        company = next(c for c in raw["companies"].values() if c["name"] == "Acme")
        company["notes"][0].update(body=body, author=author)
        path.write_bytes(dump(raw))
    assert cli("merge", str(base), str(ours), str(theirs)).code == 0
    listed = cli("--db", str(ours), "conflicts").out
    assert "yours: mine" in listed and "theirs: theirs" in listed
    (line,) = [line for line in listed.splitlines() if line.startswith("cf-")]
    assert cli("--db", str(ours), "resolve", line.split()[0], "--ours").code == 0
    bench = Workbench.open(ours, read_only=True)
    assert [note.body for note in bench.find("Acme").notes] == ["mine"]
    bench.close()


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, env=child_env(), capture_output=True, text=True, check=False
    )


def _moatscope(repo: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(repo / "moatscope.json"), *args],
        cwd=REPO_ROOT, env=child_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_real_git_merge_runs_the_driver(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _moatscope(repo, "add", "Acme", "--layer", "compute")
    assert _git(repo, "add", "-A").returncode == 0
    assert _git(repo, "commit", "-qm", "start").returncode == 0
    assert _git(repo, "checkout", "-qb", "ben").returncode == 0
    _moatscope(repo, "add", "Beta", "--layer", "power")
    _moatscope(repo, "tag", "Acme", "+cold")
    _moatscope(repo, "status", "Acme", "watching")
    assert _git(repo, "commit", "-qam", "ben's work").returncode == 0
    assert _git(repo, "checkout", "-q", "main").returncode == 0
    _moatscope(repo, "add", "Gamma", "--layer", "network")
    _moatscope(repo, "tag", "Acme", "+hot")
    _moatscope(repo, "status", "Acme", "screening")
    assert _git(repo, "commit", "-qam", "ada's work").returncode == 0
    done = _merge(repo, "ben")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "merged: 2 companies from theirs, 1 conflict (moatscope.json)" in done.stderr
    raw = (repo / "moatscope.json").read_bytes()
    assert b"<<<<<<<" not in raw
    bench = Workbench.open(repo / "moatscope.json", read_only=True)
    try:
        assert {"Acme", "Beta", "Gamma"} <= {row.name for row in bench.rows()}
        acme = bench.find("Acme")
        assert set(acme.tags) == {"cold", "hot"} and acme.status.value == "new"
        assert [(c.name, c.field) for c in bench.conflicts()] == [("Acme", "status")]
    finally:
        bench.close()
    assert _git(repo, "status", "--porcelain").stdout == ""


def test_an_undo_entry_holding_a_broken_conflict_copy_is_named(tmp_path: Path, cli) -> None:
    """Resolving logs a copy of the conflict (so undo brings it back); a copy at fault is
    refused on open in a sentence, like any record."""
    base, ours, theirs = _copies(tmp_path)
    _edit(ours, "ada", _stage("Seed"))
    _edit(theirs, "ben", _stage("Series A"))
    assert cli("merge", str(base), str(ours), str(theirs)).code == 0
    bench = Workbench.open(ours)
    bench.resolve(bench.conflicts()[0].id, side=0)
    bench.close()
    tables = orjson.loads(ours.read_bytes())
    entry = tables["changes"][max(tables["changes"])]
    (op,) = [op for op in entry["ops"] if op["table"] == "conflicts"]
    op["before"].pop("sides")
    ours.write_bytes(dump(tables))
    result = cli("--db", str(ours), "list")
    assert_one_line_error(result, "in an undo entry, a conflict has no sides")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "team"
    repo.mkdir()
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Ada"),
                 ("config", "user.email", "ada@example.com")):  # fmt: skip
        assert _git(repo, *args).returncode == 0
    (repo / ".gitattributes").write_text("moatscope.json merge=moatscope\n")
    (repo / ".gitignore").write_text("*.lock\n*.journal\n")
    return repo


def _merge(repo: Path, branch: str) -> subprocess.CompletedProcess[str]:
    driver = f"{shlex.quote(sys.executable)} -m tui merge %O %A %B %P"
    return _git(repo, "-c", f"merge.moatscope.driver={driver}", "merge", "-q", "--no-edit", branch)


def _commit(repo: Path, message: str) -> None:
    assert _git(repo, "add", "-A").returncode == 0
    assert _git(repo, "commit", "-qm", message).returncode == 0


def test_a_criss_cross_merge_runs_the_driver_on_the_merge_bases_too(tmp_path: Path) -> None:
    """Two branches that merged each other have two merge bases; git merges those first
    (with the driver) and then the branches: every company added on the way is there."""
    repo = _repo(tmp_path)
    _moatscope(repo, "add", "Acme", "--layer", "compute")
    _commit(repo, "start")
    assert _git(repo, "branch", "ben").returncode == 0
    _moatscope(repo, "add", "Main1", "--layer", "power")
    _commit(repo, "main 1")
    assert _git(repo, "checkout", "-q", "ben").returncode == 0
    _moatscope(repo, "add", "Ben1", "--layer", "power")
    _commit(repo, "ben 1")
    assert _git(repo, "checkout", "-q", "main").returncode == 0
    main_1 = _git(repo, "rev-parse", "HEAD").stdout.strip()
    assert _merge(repo, "ben").returncode == 0
    _moatscope(repo, "tag", "Acme", "+main")
    _commit(repo, "main 2")
    assert _git(repo, "checkout", "-q", "ben").returncode == 0
    assert _merge(repo, main_1).returncode == 0
    _moatscope(repo, "tag", "Acme", "+ben")
    _commit(repo, "ben 2")
    assert _git(repo, "checkout", "-q", "main").returncode == 0
    assert len(_git(repo, "merge-base", "--all", "main", "ben").stdout.split()) == 2
    done = _merge(repo, "ben")
    assert done.returncode == 0, done.stdout + done.stderr
    bench = Workbench.open(repo / "moatscope.json", read_only=True)
    try:
        assert {"Acme", "Main1", "Ben1"} <= {row.name for row in bench.rows()}
        assert {"main", "ben"} <= set(bench.find("Acme").tags)
    finally:
        bench.close()
