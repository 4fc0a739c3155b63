"""Command-line team set-up over git: ``team init``, ``team join``, ``sync``, ``doctor``
and ``merge --resolve`` (the plumbing is in ``store.team`` and ``store.team_sync``).

``sync`` and ``team init`` hold the writer lock from the moment they open the database
until git is done with it, so no other moatscope writes the file meanwhile; when another
one holds it, they refuse in a sentence. A git failure is one sentence with git's own
message and exit 1; the database is left as the last commit or merge made it, openable.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from store import paths
from store.errors import MoatscopeError
from store.service import Workbench
from store.team import doctor, init, join, resolve_stages
from store.team_sync import check, exchange, last_sync, prepare
from store.text import visible


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``team init``, ``team join``, ``sync`` and ``doctor``."""
    team = commands.add_parser("team", parents=[common], help="share the database with git")
    steps = team.add_subparsers(dest="step", metavar="STEP", required=True)
    for step, words in (
        ("init", "make the database's folder a git repository and push it to REMOTE"),
        ("join", "clone a team's REMOTE into the database's folder"),
    ):
        parser = steps.add_parser(step, parents=[common], help=words)
        parser.add_argument("remote", metavar="REMOTE", help="a git URL or a bare repository")
    commands.add_parser(
        "sync", parents=[common], help="commit your changes, merge the team's, push"
    )
    commands.add_parser("doctor", parents=[common], help="check the team set-up")


def _path(args: argparse.Namespace):
    return paths.resolve_db_path(getattr(args, "db", None))


def _writer(args: argparse.Namespace, doing: str) -> Workbench:
    """The database opened for writing, or a sentence when another moatscope holds it."""
    path = _path(args)
    workbench = Workbench.open(path)
    if workbench.read_only:
        workbench.close()
        raise MoatscopeError(
            f"Cannot {doing} {path}: another moatscope has it open; close it first"
            + (" (or use 'team: Sync' in its palette)." if doing == "sync" else ".")
        )
    return workbench


def cmd_team(args: argparse.Namespace) -> None:
    path = _path(args)
    if args.step == "join":
        print(visible(join(path, args.remote)))
        return
    workbench = _writer(args, "share")
    try:
        prepare(workbench)
        setup = init(path, args.remote, workbench.author)
    finally:
        workbench.close()
    for line in setup.lines:
        print(visible(line))


def cmd_sync(args: argparse.Namespace) -> None:
    path = _path(args)
    if not path.exists():
        raise MoatscopeError(
            f"{path} does not exist; 'moatscope team join REMOTE' brings the team's database."
        )
    check(path)
    workbench = _writer(args, "sync")
    try:
        prepare(workbench)
        report = exchange(path, workbench.author)
    finally:
        workbench.close()
    print(visible(report.summary()))


def cmd_doctor(args: argparse.Namespace) -> None:
    path = _path(args)
    problems = doctor(path)
    for problem in problems:
        print(visible(problem))
    if problems:
        plural = "s" if len(problems) != 1 else ""
        raise MoatscopeError(f"{len(problems)} problem{plural} with the team set-up.")
    synced = last_sync(path)
    print(f"The team set-up of {visible(str(path))} is fine; last synced: {synced or 'never'}.")


def resolve(args: argparse.Namespace) -> None:
    """``merge --resolve [PATH]``: the database rebuilt from git's three stages."""
    if args.ours is not None:
        raise MoatscopeError("merge --resolve takes one PATH at most.")
    path = paths.resolve_db_path(args.base or getattr(args, "db", None))
    outcome = resolve_stages(path)
    print(visible(f"Resolved {path}: {outcome.summary()}; commit it to finish the merge."))


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "team": cmd_team,
    "sync": cmd_sync,
    "doctor": cmd_doctor,
}
