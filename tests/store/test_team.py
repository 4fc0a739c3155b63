"""Team use over git: ``team init``, ``team join``, ``sync``, ``doctor``, ``merge --resolve``.

Every test works offline: the team's remote is a bare repository in ``tmp_path``, git's
configuration comes from the environment alone (no global or system file), and each
person is a clone whose sync runs in-process (``cli``) with ``LOGNAME`` naming them. The
merge driver git starts is a child ``python -m tui merge`` from this source tree.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from store import team_sync
from store.service import Workbench
from tests.git_env import set_git_alone
from tests.store.conftest import Fingerprint, assert_one_line_error, child_env

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NAME = "moatscope.json"


@pytest.fixture(autouse=True)
def git_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Git configured by the environment only: fixed identity, branch ``main``."""
    set_git_alone(monkeypatch, LOGNAME="ada")


def git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=folder, env=child_env(), capture_output=True, text=True, check=False
    )


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "remote.git"
    assert git(tmp_path, "init", "-q", "--bare", str(bare)).returncode == 0
    return bare


@pytest.fixture
def as_person(cli, monkeypatch: pytest.MonkeyPatch):
    """Run a command as one person on their clone: ``as_person("ben", clone, "sync")``."""

    def run(who: str, clone: Path, *argv: str):
        monkeypatch.setenv("LOGNAME", who)
        return cli("--db", str(clone / NAME), *argv)

    return run


@pytest.fixture
def team(tmp_path: Path, remote: Path, as_person) -> tuple[Path, Path]:
    """Ada's database shared with ``team init``, Ben's clone made with ``team join``."""
    ada, ben = tmp_path / "ada", tmp_path / "ben"
    done = as_person("ada", ada, "team", "init", str(remote))
    assert done.code == 0, done.err
    assert f"Shared {NAME} with {remote}" in done.out
    done = as_person("ben", ben, "team", "join", str(remote))
    assert done.code == 0, done.err
    assert (ben / NAME).read_bytes() == (ada / NAME).read_bytes()
    return ada, ben


def names(clone: Path) -> set[str]:
    bench = Workbench.open(clone / NAME, read_only=True)
    try:
        return {row.name for row in bench.rows()}
    finally:
        bench.close()


def test_init_writes_the_attributes_and_ignores_and_pushes(team, remote: Path) -> None:
    ada, _ = team
    assert (ada / ".gitattributes").read_text() == f"{NAME} merge=moatscope\n"
    ignored = (ada / ".gitignore").read_text().splitlines()
    assert f"/{NAME}.lock" in ignored and f"/{NAME}.journal" in ignored
    assert git(ada, "status", "--porcelain").stdout == ""
    shown = git(remote, "log", "--format=%an: %s", "main").stdout
    assert shown == "ada: moatscope: ada shares the database\n"
    assert git(ada, "rev-parse", "--abbrev-ref", "@{upstream}").stdout.strip() == "origin/main"


def test_two_clones_each_add_a_company_and_sync_to_the_same_bytes(team, as_person) -> None:
    ada, ben = team
    assert as_person("ada", ada, "add", "Acme", "--layer", "compute").code == 0
    assert as_person("ben", ben, "add", "Beta", "--layer", "power").code == 0
    done = as_person("ada", ada, "sync")
    assert (done.code, done.out) == (0, "Synced: sent 1 change; nothing new came in.\n")
    done = as_person("ben", ben, "sync")
    assert (done.code, done.out) == (0, "Synced: sent 1 change; 1 company from ada.\n")
    done = as_person("ada", ada, "sync")
    assert (done.code, done.out) == (0, "Synced: sent 0 changes; 1 company from ben.\n")
    assert (ada / NAME).read_bytes() == (ben / NAME).read_bytes()
    assert {"Acme", "Beta"} <= names(ada)
    log = git(ada, "log", "--no-merges", "--format=%an: %s").stdout.splitlines()
    assert log[:2] == [
        "ben: moatscope sync: 1 change by ben",
        "ada: moatscope sync: 1 change by ada",
    ]
    for clone in team:
        assert git(clone, "status", "--porcelain").stdout == ""
    assert as_person("ada", ada, "doctor").code == 0


def test_sync_cuts_the_undo_log_so_undo_never_reaches_across_it(team, as_person) -> None:
    ada, _ = team
    assert as_person("ada", ada, "add", "Acme", "--layer", "compute").code == 0
    assert as_person("ada", ada, "sync").code == 0
    bench = Workbench.open(ada / NAME)
    try:
        assert bench.next_undo() is None and bench.undo() is None
    finally:
        bench.close()
    assert "Acme" in names(ada)


def test_the_same_field_edited_on_both_sides_is_a_listed_conflict(team, as_person) -> None:
    ada, ben = team
    assert as_person("ada", ada, "add", "Acme", "--layer", "compute").code == 0
    assert as_person("ada", ada, "sync").code == 0
    assert as_person("ben", ben, "sync").code == 0
    assert as_person("ada", ada, "status", "Acme", "screening").code == 0
    assert as_person("ben", ben, "status", "Acme", "watching").code == 0
    assert as_person("ada", ada, "sync").code == 0
    done = as_person("ben", ben, "sync")
    assert (done.code, done.out) == (0, "Synced: sent 1 change; 1 company from ada, 1 conflict.\n")
    assert as_person("ada", ada, "sync").code == 0
    assert (ada / NAME).read_bytes() == (ben / NAME).read_bytes()
    listed = as_person("ada", ada, "conflicts")
    assert "Acme" in listed.out and "screening" in listed.out and "watching" in listed.out
    assert "1 open" in listed.out


def test_a_push_refused_because_someone_pushed_meanwhile_is_retried(
    team, as_person, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, remote: Path
) -> None:
    """Cy pushes between Ada's pull and her push: git refuses hers; sync pulls again."""
    ada, _ = team
    cy = tmp_path / "cy"
    assert as_person("cy", cy, "team", "join", str(remote)).code == 0
    assert as_person("cy", cy, "add", "Gamma", "--layer", "network").code == 0
    git(cy, "commit", "-qam", "cy's work", "--author=cy <cy@example.com>")
    assert as_person("ada", ada, "add", "Acme", "--layer", "compute").code == 0
    real_pull, pulls = team_sync._pull, []

    def pull_then_cy_pushes(*args) -> None:
        real_pull(*args)
        pulls.append(1)
        if len(pulls) == 1:
            assert git(cy, "push", "-q").returncode == 0

    monkeypatch.setattr(team_sync, "_pull", pull_then_cy_pushes)
    done = as_person("ada", ada, "sync")
    assert (done.code, done.out) == (0, "Synced: sent 1 change; 1 company from cy.\n")
    assert len(pulls) == 2
    assert {"Acme", "Gamma"} <= names(ada)
    assert git(ada, "status", "-sb").stdout.startswith("## main...origin/main\n")


def test_a_plain_git_pull_is_found_by_doctor_and_repaired_by_merge_resolve(team, as_person) -> None:
    ada, ben = team
    assert as_person("ada", ada, "add", "Acme", "--layer", "compute").code == 0
    assert as_person("ada", ada, "sync").code == 0
    assert as_person("ben", ben, "sync").code == 0
    assert as_person("ada", ada, "status", "Acme", "screening").code == 0
    assert as_person("ada", ada, "sync").code == 0
    assert as_person("ben", ben, "status", "Acme", "watching").code == 0
    git(ben, "commit", "-qam", "ben's work")
    assert git(ben, "pull", "-q", "--no-rebase", "--no-edit").returncode != 0
    assert b"<<<<<<< " in (ben / NAME).read_bytes()
    done = as_person("ben", ben, "doctor")
    assert done.code == 1
    assert "a plain 'git pull'" in done.out and "merge --resolve" in done.out
    done = as_person("ben", ben, "merge", "--resolve")
    assert done.code == 0, done.err
    assert "1 conflict" in done.out
    assert git(ben, "diff", "--name-only", "--diff-filter=U").stdout == ""
    assert git(ben, "commit", "-q", "--no-edit").returncode == 0
    assert as_person("ben", ben, "doctor").code == 0
    assert "watching" in as_person("ben", ben, "conflicts").out


def test_sync_refuses_while_another_moatscope_holds_the_file(team, as_person, lock_holder) -> None:
    ada, _ = team
    holder = lock_holder(ada / NAME)
    before = git(ada, "rev-parse", "HEAD").stdout
    result = as_person("ada", ada, "sync")
    assert_one_line_error(result, "another moatscope has it open", "team: Sync")
    assert git(ada, "rev-parse", "HEAD").stdout == before
    holder.kill()


def test_a_git_failure_is_a_sentence_and_the_database_stays_openable(
    team, as_person, remote: Path
) -> None:
    ada, _ = team
    assert as_person("ada", ada, "add", "Acme", "--layer", "compute").code == 0
    shutil.rmtree(remote)
    result = as_person("ada", ada, "sync")
    assert_one_line_error(result, "Cannot pull the team's changes: git says")
    assert "Acme" in names(ada)
    kept = Fingerprint.of(ada / NAME)
    assert_one_line_error(as_person("ada", ada, "sync"), "Cannot pull")
    assert Fingerprint.of(ada / NAME) == kept


def test_a_pull_that_fails_half_way_is_aborted(team, as_person) -> None:
    """Another file conflicting stops git's merge: it is undone, the database as it was."""
    ada, ben = team
    for clone, words in ((ada, "ada's"), (ben, "ben's")):
        (clone / "README.md").write_text(f"{words} readme\n")
        git(clone, "add", "README.md")
        git(clone, "commit", "-qm", "readme")
    assert as_person("ada", ada, "sync").code == 0
    assert as_person("ben", ben, "add", "Beta", "--layer", "power").code == 0
    result = as_person("ben", ben, "sync")
    assert_one_line_error(result, "Cannot pull", "README.md")
    assert not (ben / ".git" / "MERGE_HEAD").exists()
    assert "Beta" in names(ben)
    assert git(ben, "status", "--porcelain").stdout == ""


def test_init_in_a_repository_with_other_files_keeps_them(
    tmp_path: Path, remote: Path, as_person
) -> None:
    folder = tmp_path / "fund"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "memo.md").write_text("keep me\n")
    (folder / ".gitignore").write_text("*.pdf\n")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "memo")
    done = as_person("ada", folder, "team", "init", str(remote))
    assert done.code == 0, done.err
    assert "already a git repository with 2 tracked files; they stay as they are" in done.out
    assert (folder / "memo.md").read_text() == "keep me\n"
    assert (folder / ".gitignore").read_text().startswith("*.pdf\n")
    assert git(folder, "ls-files").stdout.split() == [
        ".gitattributes",
        ".gitignore",
        "memo.md",
        NAME,
    ]


def test_join_refuses_a_database_that_exists(team, as_person, remote: Path) -> None:
    ada, _ = team
    result = as_person("ada", ada, "team", "join", str(remote))
    assert_one_line_error(result, "already exists")


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("no-git", "is not a git work tree"),
        ("no-attributes", "No .gitattributes line marks"),
        ("no-remote", "has no remote"),
        ("no-upstream", "follows no remote branch"),
    ],
)
def test_doctor_says_what_is_wrong(tmp_path: Path, as_person, setup: str, words: str) -> None:
    folder = tmp_path / "db"
    assert as_person("ada", folder, "add", "Acme", "--layer", "compute").code == 0
    if setup != "no-git":
        git(folder, "init", "-q")
        ignores = f"/{NAME}.lock\n/{NAME}.journal\n"
        (folder / ".gitignore").write_text(ignores)
        if setup in ("no-remote", "no-upstream"):
            (folder / ".gitattributes").write_text(f"{NAME} merge=moatscope\n")
        if setup == "no-upstream":
            git(folder, "remote", "add", "origin", str(tmp_path / "elsewhere.git"))
    done = as_person("ada", folder, "doctor")
    assert done.code == 1
    assert words in done.out
    assert "problem" in done.err


def test_sync_outside_a_work_tree_says_so_and_keeps_the_undo_history(
    tmp_path: Path, as_person
) -> None:
    folder = tmp_path / "alone"
    assert as_person("ada", folder, "add", "Acme", "--layer", "compute").code == 0
    kept = Fingerprint.of(folder / NAME)
    result = as_person("ada", folder, "sync")
    assert_one_line_error(result, "is not a git work tree", "team init REMOTE")
    assert Fingerprint.of(folder / NAME) == kept
    bench = Workbench.open(folder / NAME, read_only=True)
    try:
        assert bench.next_undo().label == "Added Acme"
    finally:
        bench.close()


def test_init_refuses_a_file_the_repository_ignores_and_join_a_full_folder(
    tmp_path: Path, remote: Path, as_person
) -> None:
    folder = tmp_path / "fund"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / ".gitignore").write_text("*.json\n")
    result = as_person("ada", folder, "team", "init", str(remote))
    assert_one_line_error(result, "leaves out moatscope.json")
    assert (folder / ".gitignore").read_text() == "*.json\n"
    assert git(remote, "log").returncode != 0, "nothing was pushed"
    result = as_person("ben", folder, "team", "join", str(remote))
    assert_one_line_error(result, "already exists")
    (folder / NAME).unlink()
    assert_one_line_error(as_person("ben", folder, "team", "join", str(remote)), "is not empty")
