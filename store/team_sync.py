"""``moatscope sync``: commit this person's changes, merge the team's in, push.

The caller holds the writer lock for the whole sync (the CLI opens the database for
writing; the TUI syncs its own open workbench), so nothing writes the file between the
commit and the push but git and the merge driver git starts. Steps:

1. ``prepare`` (on the thread that changes records): the undo log is cut at the sync point
   (every entry deleted: after a merge, an older entry's before-images would overwrite
   records that came in), then ``storage.settle`` makes every change durable and folds
   the journal into the snapshot. Git sees only the snapshot.
2. ``exchange`` (any thread; touches only git and the file): commit the file with
   "moatscope sync: N changes by NAME" (N counted record by record against HEAD), ``git
   pull --no-rebase`` with the driver on git's command line, push; a refused push (someone
   pushed meanwhile) pulls and pushes again, up to ``ATTEMPTS`` times.
3. The caller reopens (or, the CLI, closes) the database: the file may hold what came in.

Any git failure raises ``GitFailed`` (one sentence with git's message); a pull that fails
half-way is aborted (``git merge --abort``), so the file is as the commit left it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from store import git, state
from store.changes import TABLE as CHANGES
from store.conflicts import TABLE as CONFLICTS
from store.db import META
from store.errors import MoatscopeError
from store.git import GitFailed
from store.merge import WORDS
from store.merge_lines import Lines, canonical_lines
from store.storage import FormatError
from store.team import committer, place, unmerged

if TYPE_CHECKING:
    from store.service import Workbench

ATTEMPTS = 4
"""Pushes tried before giving up when each is refused (someone keeps pushing first)."""
UNCOUNTED = {CHANGES, META}


@dataclass
class SyncReport:
    """What a sync sent and what came in."""

    sent: int = 0
    came_in: Counter[str] = field(default_factory=Counter)
    authors: list[str] = field(default_factory=list)
    conflicts: int = 0
    pushes: int = 0

    def summary(self) -> str:
        """ "Synced: sent 3 changes; 2 companies from Ben, 1 conflict." """
        sent = f"sent {self.sent} change{'s' if self.sent != 1 else ''}"
        parts = [
            f"{count} {WORDS[name][count != 1]}"
            for name, count in sorted(self.came_in.items())
            if name in WORDS and count
        ]
        text = ", ".join(parts)
        if text and self.authors:
            text += " from " + ", ".join(self.authors)
        if self.conflicts:
            plural = "s" if self.conflicts != 1 else ""
            text = ", ".join(filter(None, (text, f"{self.conflicts} conflict{plural}")))
        return f"Synced: {sent}; {text or 'nothing new came in'}."

    @property
    def changed(self) -> bool:
        """True when the pull changed the file (the database must be read again)."""
        return bool(sum(self.came_in.values()) or self.conflicts)


def _lines(raw: bytes) -> Lines:
    if not raw:
        return {}
    try:
        return canonical_lines(raw, {})
    except FormatError:
        return {}


class Parsed:
    """Each distinct content of the file parsed once per sync: the file after the commit
    is the one the first pull starts from (a 10,000-company file takes 0.25 s to read)."""

    def __init__(self) -> None:
        self._kept: list[tuple[bytes, Lines]] = []

    def __call__(self, raw: bytes) -> Lines:
        for known, lines in self._kept:
            if known == raw:
                return lines
        lines = _lines(raw)
        self._kept = [*self._kept[-1:], (raw, lines)]
        return lines


def differences(old: Lines, new: Lines) -> Counter[str]:
    """Records added, changed or deleted between two snapshots, by table (the undo log and
    the schema record left out)."""
    counted: Counter[str] = Counter()
    for name in (set(old) | set(new)) - UNCOUNTED:
        one, other = old.get(name, {}), new.get(name, {})
        counted[name] = sum(one.get(key) != other.get(key) for key in set(one) | set(other))
    return +counted


def cut_undo(workbench: Workbench) -> None:
    """Delete every undo entry (on the thread that changes records): undo never reaches
    back across a sync, whose merge may have replaced what an entry's before-images hold."""
    if workbench.read_only:
        raise MoatscopeError(
            f"Cannot sync {workbench.database.path}: another moatscope has it open; sync "
            "from that one (its palette's 'team: Sync') or close it first."
        )
    database = workbench.database
    database.delete(CHANGES, list(database.table(CHANGES)))


def settle(workbench: Workbench) -> None:
    """Make every change durable and fold the journal into the snapshot (git sees only the
    snapshot); nothing may change records meanwhile."""
    workbench.database.storage.settle()


def prepare(workbench: Workbench) -> None:
    """Cut the undo log at the sync point and settle the file (see the module docstring)."""
    cut_undo(workbench)
    settle(workbench)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise MoatscopeError(f"Cannot read {path}: {error.strerror or error}.") from None


def _commit(top: Path, rel: str, raw: bytes, author: str, parsed: Parsed) -> int:
    """Commit the file when it differs from HEAD; the records it changed."""
    head = _blob(top, f"HEAD:{rel}")
    sent = sum(differences(_lines(head or b""), parsed(raw)).values())
    git.run(top, "add", "--", rel, doing=f"add {rel}")
    if git.run(top, "diff", "--cached", "--quiet", "--", rel).returncode != 0:
        message = f"moatscope sync: {sent} change{'s' if sent != 1 else ''} by {author}"
        env = committer(top, author)
        git.run(top, "commit", "-q", "-m", message, "--", rel, env=env, doing="commit")
    return sent


def _blob(top: Path, spec: str) -> bytes | None:
    done = git.run_bytes(top, "show", spec)
    return done.stdout if done.returncode == 0 else None


def _pull(db_path: Path, top: Path, report: SyncReport, parsed: Parsed) -> None:
    """Merge the remote's branch in with the driver; count what came in."""
    before_head = git.output(top, "rev-parse", "HEAD")
    before = _read(db_path)
    done = git.run(top, *git.driver_options(), "pull", "-q", "--no-rebase", "--no-edit")
    if done.returncode != 0:
        if git.run(top, "rev-parse", "-q", "--verify", "MERGE_HEAD").returncode == 0:
            git.run(top, "merge", "--abort")
        raise GitFailed(f"Cannot pull the team's changes: git says {git.message(done)}.")
    after = _read(db_path)
    old, new = parsed(before), parsed(after)
    report.came_in += differences(old, new)
    report.conflicts += len(set(new.get(CONFLICTS, {})) - set(old.get(CONFLICTS, {})))
    names = git.output(top, "log", "--no-merges", "--format=%an", f"{before_head}..HEAD")
    for name in names.splitlines():
        if name and name not in report.authors:
            report.authors.append(name)


def _refused(done_text: str) -> bool:
    return any(word in done_text for word in ("[rejected]", "fetch first", "non-fast-forward"))


def check(db_path: Path) -> tuple[Path, str]:
    """The work tree and the file's path in it, when a sync can start; else a sentence.
    Called before anything changes (the undo log is cut only for a sync that runs)."""
    top, rel = place(db_path)
    if unmerged(top, rel):
        raise MoatscopeError(
            f"Git holds an unfinished merge of {rel}; run 'moatscope doctor' to repair it."
        )
    return top, rel


def exchange(db_path: Path, author: str) -> SyncReport:
    """Commit, pull with the driver, push (retrying a refused push); see the docstring."""
    top, rel = check(db_path)
    parsed = Parsed()
    report = SyncReport(sent=_commit(top, rel, _read(db_path), author, parsed))
    for attempt in range(1, ATTEMPTS + 1):
        _pull(db_path, top, report, parsed)
        done = git.run(top, "push", "-q", "--porcelain")
        report.pushes = attempt
        if done.returncode == 0:
            break
        if not _refused(done.stdout + done.stderr) or attempt == ATTEMPTS:
            raise GitFailed(f"Cannot push to the team: git says {git.message(done)}.")
    state.record_synced(str(db_path))
    return report


def last_sync(db_path: Path) -> str | None:
    """When this machine last synced ``db_path`` (ISO), or None."""
    return state.last_synced(str(db_path))
