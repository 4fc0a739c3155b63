"""Command-line team use: ``merge`` (git's merge driver), ``conflicts`` and ``resolve``.

``merge BASE OURS THEIRS [PATH]`` follows git's driver convention (``%O %A %B %P``): the
merged database replaces OURS (atomically), and the exit status is 0 when it merged, even
with conflicts, which are records in the file (``store.merge``); a line on stderr says
what came in. An input that is not a moatscope database, or holds conflict markers, or a
newer moatscope wrote, exits 1 with a sentence and leaves OURS as it was.

Registered in ``.gitattributes`` with ``moatscope.json merge=moatscope`` and passed to git
as ``-c merge.moatscope.driver="moatscope merge %O %A %B %P"``.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from store.atomic import write_atomic
from store.conflict_ops import own_side
from store.conflicts import RECORD, Conflict, Side
from store.errors import FIELD_WORDS, MoatscopeError
from store.merge import merge_files
from store.service import Workbench
from store.text import json_safe, visible
from tui import cli_sync

Opener = Callable[..., Workbench]
SHOWN = 60
"""Characters of a value shown in the list of conflicts."""


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``merge``, ``conflicts`` and ``resolve``."""
    merge = commands.add_parser(
        "merge", parents=[common], help="the git merge driver: merge two databases by record"
    )
    merge.add_argument("base", metavar="BASE", nargs="?", help="the common ancestor (%%O)")
    merge.add_argument("ours", metavar="OURS", nargs="?", help="replaced by the result (%%A)")
    merge.add_argument("theirs", metavar="THEIRS", nargs="?", help="theirs (%%B)")
    merge.add_argument("path", metavar="PATH", nargs="?", default="", help="its name (%%P)")
    merge.add_argument(
        "--resolve",
        action="store_true",
        help="rebuild a database a plain 'git pull' left with conflict markers: "
        "'merge --resolve [PATH]'",
    )

    listing = commands.add_parser("conflicts", parents=[common], help="list open conflicts")
    listing.add_argument("--format", choices=("table", "json"), default="table")

    cli_sync.add_commands(commands, common)

    resolve = commands.add_parser("resolve", parents=[common], help="resolve a conflict")
    resolve.add_argument("conflict", metavar="CONFLICT_ID")
    how = resolve.add_mutually_exclusive_group(required=True)
    how.add_argument("--ours", action="store_true", help="keep the value you changed")
    how.add_argument("--theirs", action="store_true", help="keep the other value")
    how.add_argument("--side", type=int, choices=(1, 2), help="keep side 1 or 2 as listed")
    how.add_argument("--value", metavar="TEXT", help="type a value of your own")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise MoatscopeError(
            f"Cannot read {path}: {error.strerror or error}; nothing was merged."
        ) from None


def cmd_merge(args: argparse.Namespace) -> None:
    if args.resolve:
        cli_sync.resolve(args)
        return
    if args.theirs is None:
        raise MoatscopeError("merge needs BASE OURS THEIRS (git passes them), or --resolve [PATH].")
    named = args.path or args.ours
    if args.path:  # git's temporary files: name them by the file they are versions of
        names = (f"the common version of {named}", f"{named} (ours)", f"{named} (theirs)")
    else:  # run by hand: name each file itself
        names = (f"{args.base} (base)", f"{args.ours} (ours)", f"{args.theirs} (theirs)")
    raws = [_read(path) for path in (args.base, args.ours, args.theirs)]
    outcome = merge_files(*raws, names=names)
    try:
        write_atomic(Path(args.ours), [outcome.data])
    except OSError as error:
        raise MoatscopeError(
            f"Cannot write {args.ours}: {error.strerror or error}; it was left as it was."
        ) from None
    print(visible(f"moatscope {outcome.summary()} ({named})"), file=sys.stderr)


def shown(value: Any) -> str:
    """A side's value on one line: text as it is, a list joined, a note's text."""
    if value is None:
        return "(none)"
    if type(value) is list:
        return ", ".join(shown(item) for item in value) or "(none)"
    if type(value) is dict:
        text = value.get("body", value.get("name", "(a record)"))
        return text if type(text) is str else "(a record)"
    return value if type(value) is str else orjson.dumps(value).decode()


def _side_text(conflict: Conflict, side: Side) -> str:
    if conflict.field == RECORD:
        text = "deleted" if side.value is None else "changed, kept"
    else:
        text = shown(side.value)
    text = " ".join(text.split())
    text = text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
    by = ", ".join(part for part in (side.who, side.when[:10]) if part)
    return f"{text} ({by})" if by else text


def field_label(conflict: Conflict) -> str:
    """The field in the interface's words ("Stage", "Notes: nt-…", "the record")."""
    if conflict.field == RECORD:
        return "deleted on one side"
    label = FIELD_WORDS.get(conflict.field, conflict.field.replace("_", " ").capitalize())
    return f"{label}: {conflict.item}" if conflict.item else label


def _table(workbench: Workbench, conflicts: list[Conflict]) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Id", "Record", "Field", "One side", "Other side"):
        table.add_column(column, overflow="fold")
    for conflict in conflicts:
        mine = own_side(conflict, workbench.author)
        first, second = (conflict.sides[i] for i in ((1, 0) if mine == 1 else (0, 1)))
        labels = ("yours: ", "theirs: ") if mine is not None else ("1: ", "2: ")
        cells = (
            conflict.id,
            conflict.name or conflict.key,
            field_label(conflict),
            labels[0] + _side_text(conflict, first),
            labels[1] + _side_text(conflict, second),
        )
        table.add_row(*(Text(visible(cell)) for cell in cells))
    buffer = io.StringIO()
    width = Console().width if sys.stdout.isatty() else 160
    Console(file=buffer, width=width, color_system=None, highlight=False).print(table)
    return buffer.getvalue()


def _data(conflict: Conflict) -> dict[str, Any]:
    return {
        "id": conflict.id,
        "table": conflict.table,
        "key": conflict.key,
        "name": conflict.name,
        "field": conflict.field,
        "item": conflict.item,
        "base": conflict.base,
        "sides": [{"value": s.value, "who": s.who, "when": s.when} for s in conflict.sides],
    }


def cmd_conflicts(args: argparse.Namespace, open_db: Opener) -> None:
    workbench = open_db(args, write=False)
    try:
        conflicts = workbench.conflicts()
        if args.format == "json":
            text = orjson.dumps([_data(c) for c in conflicts], option=orjson.OPT_INDENT_2)
            sys.stdout.write(json_safe(text.decode()) + "\n")
        elif not conflicts:
            print("No open conflicts.")
        else:
            sys.stdout.write(_table(workbench, conflicts))
            print(
                f"{len(conflicts)} open; resolve one with 'moatscope resolve ID --ours', "
                "--theirs, --side 1|2 or --value TEXT."
            )
    finally:
        workbench.close()


def _side(args: argparse.Namespace, conflict: Conflict, author: str) -> int | None:
    if args.side is not None:
        return args.side - 1
    if not (args.ours or args.theirs):
        return None
    mine = own_side(conflict, author)
    if mine is None:
        raise MoatscopeError(
            f"Cannot tell which side of {conflict.id} is yours (neither was changed by "
            f"{author}); pick one with --side 1 or --side 2 as 'moatscope conflicts' lists "
            "them, or type one with --value."
        )
    return mine if args.ours else 1 - mine


def cmd_resolve(args: argparse.Namespace, open_db: Opener) -> None:
    workbench = open_db(args, write=True)
    try:
        conflict = workbench.conflict(args.conflict)
        side = _side(args, conflict, workbench.author)
        workbench.resolve(conflict.id, side=side, text=args.value)
        print(visible(f"Resolved {conflict.name or conflict.key}: {field_label(conflict)}."))
    finally:
        workbench.close()


COMMANDS: dict[str, Callable[..., None]] = {
    "conflicts": cmd_conflicts,
    "resolve": cmd_resolve,
}
"""The commands that open the database (``cmd_merge`` opens none)."""
