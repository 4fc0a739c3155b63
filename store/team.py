"""Setting up team use and repairing it: ``team init``, ``team join``, ``doctor``,
``merge --resolve``.

The database's folder is (or is inside) a git work tree. Git holds the snapshot only:
``.gitignore`` keeps out the writer lock, the journal and the atomic writes' temp files
(backups and rescued copies live in the data folder, never beside the database), and
``.gitattributes`` marks the file for the ``moatscope`` merge driver. Nothing here ever
deletes a file: an existing repository keeps everything it holds, and the only files
moatscope adds or changes are the database, ``.gitattributes`` and ``.gitignore``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from store import git
from store.atomic import TEMP_MARK, write_atomic
from store.errors import MoatscopeError
from store.git import GitFailed
from store.merge import Outcome, merge_files

MARKERS = (b"<<<<<<< ", b"=======\n", b">>>>>>> ")


def ignored_names(name: str) -> list[str]:
    """The ``.gitignore`` lines for one database file: lock, journal, temp files."""
    return [f"/{name}.lock", f"/{name}.journal", f"/.{name}{TEMP_MARK}*"]


def attribute_line(rel: str) -> str:
    """The ``.gitattributes`` line that marks ``rel`` for the moatscope driver."""
    return f"{rel.replace(' ', '[ ]')} merge={git.DRIVER}"


def place(db_path: Path) -> tuple[Path, str]:
    """The work tree holding ``db_path`` and the file's path in it; refuses outside one."""
    top = git.top_level(db_path.parent)
    if top is None:
        raise MoatscopeError(
            f"{db_path.parent} is not a git work tree; run 'moatscope --db {db_path} team "
            "init REMOTE' to share it, or 'team join REMOTE' to take a team's."
        )
    return top, db_path.relative_to(top).as_posix()


def _add_lines(path: Path, lines: list[str]) -> bool:
    """Append the lines ``path`` lacks (creating it); True when it changed."""
    text = path.read_text() if path.exists() else ""
    missing = [line for line in lines if line not in text.splitlines()]
    if not missing:
        return False
    prefix = "" if not text or text.endswith("\n") else "\n"
    write_atomic(path, [(text + prefix + "\n".join(missing) + "\n").encode()])
    return True


def committer(folder: Path, author: str) -> dict[str, str]:
    """The environment naming ``author`` on a commit; git's configured e-mail is kept,
    an empty one is used when none is configured (a commit never fails for want of it)."""
    env = {"GIT_AUTHOR_NAME": author}
    if git.run(folder, "config", "user.email").returncode != 0:
        env.update(GIT_AUTHOR_EMAIL="", GIT_COMMITTER_EMAIL="")
    if git.run(folder, "config", "user.name").returncode != 0:
        env["GIT_COMMITTER_NAME"] = author
    return env


@dataclass
class Setup:
    """What ``team init`` did, in sentences for the user."""

    lines: list[str] = field(default_factory=list)


def init(db_path: Path, remote: str, author: str) -> Setup:
    """Make the database's folder a shared repository and push it to ``remote``."""
    folder, setup = db_path.parent, Setup()
    top = git.top_level(folder)
    if top is None:
        git.run(folder, "init", "-q", doing=f"make {folder} a git repository")
        top = folder
        setup.lines.append(f"Made {folder} a git repository.")
    else:
        others = [p for p in git.output(top, "ls-files", "-z").split("\0") if p]
        if others:
            setup.lines.append(
                f"{top} is already a git repository with {len(others)} tracked files; they "
                "stay as they are: moatscope adds only its file, .gitattributes and .gitignore."
            )
    rel = db_path.relative_to(top).as_posix()
    if git.run(top, "check-ignore", "-q", "--no-index", "--", rel).returncode == 0:
        raise MoatscopeError(f"{top}'s .gitignore leaves out {rel}; remove that line first.")
    _add_lines(top / ".gitattributes", [attribute_line(rel)])
    _add_lines(top / ".gitignore", ignored_names(rel))
    git.run(top, "add", "--", rel, ".gitattributes", ".gitignore", doing="add the database")
    if git.run(top, "diff", "--cached", "--quiet").returncode != 0:
        message = f"moatscope: {author} shares the database"
        env = committer(top, author)
        git.run(top, "commit", "-q", "-m", message, env=env, doing="commit the database")
    _set_remote(top, remote)
    git.run(top, "push", "-q", "-u", "origin", "HEAD", doing=f"push to {remote}")
    setup.lines.append(f"Shared {rel} with {remote}; teammates run 'moatscope team join'.")
    return setup


def _set_remote(top: Path, remote: str) -> None:
    done = git.run(top, "remote", "get-url", "origin")
    if done.returncode != 0:
        git.run(top, "remote", "add", "origin", remote, doing="add the remote")
    elif done.stdout.strip() != remote:
        raise MoatscopeError(
            f"{top} already has a remote 'origin' ({done.stdout.strip()}); use it, or "
            "change it with 'git remote set-url origin REMOTE'."
        )


def join(db_path: Path, remote: str) -> str:
    """Clone ``remote`` into the database's folder; a sentence saying what came."""
    folder = db_path.parent
    if db_path.exists():
        raise MoatscopeError(f"{db_path} already exists; join into a new folder instead.")
    if folder.exists() and any(folder.iterdir()):
        raise MoatscopeError(f"{folder} is not empty; join into an empty or new folder.")
    folder.parent.mkdir(parents=True, exist_ok=True)
    git.run(folder.parent, "clone", "-q", remote, str(folder), doing=f"clone {remote}")
    if not db_path.exists():
        found = sorted(p.name for p in folder.glob("*.json"))
        raise MoatscopeError(
            f"The clone of {remote} in {folder} holds no {db_path.name}"
            + (f" (it has {', '.join(found)}; open that with --db)." if found else ".")
        )
    return f"Joined {remote}: {db_path} is the team's database."


def has_markers(raw: bytes) -> bool:
    """True when ``raw`` holds a line-by-line merge's conflict markers."""
    return any(raw.startswith(mark) or b"\n" + mark in raw for mark in MARKERS)


def unmerged(top: Path, rel: str) -> bool:
    """True when git's index holds ``rel`` in conflict stages (a merge left it)."""
    return bool(git.output(top, "ls-files", "-u", "--", rel))


def stage(top: Path, number: int, rel: str) -> bytes | None:
    """The file as index stage ``number`` holds it, or None when that stage is absent."""
    done = git.run_bytes(top, "show", f":{number}:{rel}")
    return done.stdout if done.returncode == 0 else None


def resolve_stages(db_path: Path) -> Outcome:
    """Rebuild a conflict-marked database from git's three stages with the moatscope
    merge, write it over the file (atomically) and ``git add`` it."""
    top, rel = place(db_path)
    if not unmerged(top, rel):
        raise MoatscopeError(
            f"Git holds no unfinished merge of {rel}; there is nothing to resolve."
        )
    base, ours, theirs = (stage(top, n, rel) for n in (1, 2, 3))
    if ours is None or theirs is None:
        raise MoatscopeError(
            f"One side deleted {rel}; keep it with 'git checkout --ours' or --theirs first."
        )
    names = (f"the common version of {rel}", f"{rel} (ours)", f"{rel} (theirs)")
    outcome = merge_files(base or b"", ours, theirs, names=names)
    write_atomic(db_path, [outcome.data])
    git.run(top, "add", "--", rel, doing=f"add the merged {rel}")
    return outcome


def doctor(db_path: Path) -> list[str]:
    """What is wrong with the team set-up around ``db_path``, in sentences (none: all well)."""
    try:
        top, rel = place(db_path)
    except GitFailed as error:
        return [str(error)]
    except MoatscopeError as error:
        return [str(error)]
    problems: list[str] = []
    raw = db_path.read_bytes() if db_path.exists() else b""
    if not db_path.exists():
        problems.append(f"{db_path} does not exist; 'moatscope team join REMOTE' brings it.")
    elif has_markers(raw) or unmerged(top, rel):
        problems.append(
            f"{rel} holds an unfinished line-by-line merge (a plain 'git pull'); run "
            f"'moatscope --db {db_path} merge --resolve' to merge it by record."
        )
    attribute = git.output(top, "check-attr", "merge", "--", rel)
    if not attribute.endswith(f": {git.DRIVER}"):
        problems.append(
            f"No .gitattributes line marks {rel} for the moatscope merge; add "
            f"'{attribute_line(rel)}' to {top / '.gitattributes'} and commit it."
        )
    if not git.output(top, "remote"):
        problems.append(
            f"{top} has no remote; add one with 'git remote add origin REMOTE' and push."
        )
    elif git.run(top, "rev-parse", "--abbrev-ref", "@{upstream}").returncode != 0:
        problems.append(
            "The branch follows no remote branch, so sync cannot pull; run "
            "'git push -u origin HEAD' once."
        )
    for name in ignored_names(rel)[:2]:
        if git.run(top, "check-ignore", "-q", "--no-index", "--", name[1:]).returncode != 0:
            problems.append(f"{name[1:]} is not in .gitignore; add '{name}' to it.")
    return problems
