"""The headless command line: the same store and service as the TUI."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NoReturn

import orjson

from store import backups, paths
from store.checklist import active_checklist, user_checklist_path
from store.errors import MoatscopeError
from store.exporting import safe_cell
from store.models import Status
from store.render import (
    company_document,
    company_markdown,
    value_chain_data,
    value_chain_markdown,
)
from store.rows import CompanyRow
from store.service import Workbench
from store.text import json_safe, visible, visible_block
from tui import __version__, cli_chain, cli_checklist, cli_data, cli_edit, cli_sync, cli_team


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one sentence, without the usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"moatscope: {message} (see 'moatscope --help').\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"database file (default: ${paths.DB_ENV} or the data folder)",
    )
    parser = _Parser(
        prog="moatscope",
        parents=[common],
        description="Triage AI-infrastructure startups against a moat checklist.",
    )
    parser.add_argument("--version", action="version", version=f"moatscope {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_commands(commands, common)
    cli_data.add_commands(commands, common)
    cli_edit.add_commands(commands, common)
    cli_checklist.add_commands(commands, common)
    cli_chain.add_commands(commands, common)
    cli_team.add_commands(commands, common)
    return parser


def _add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The subcommands that list, show and add companies and notes, and ``locate``."""
    listing = commands.add_parser("list", parents=[common], help="list companies")
    listing.add_argument("--layer", help="only this layer id")
    listing.add_argument("--status", help="only this status")
    listing.add_argument("--tag", help="only companies with this tag")
    listing.add_argument("--format", choices=("table", "csv", "json"), default="table")

    show = commands.add_parser("show", parents=[common], help="show one company")
    show.add_argument("company", metavar="NAME|ID")
    show.add_argument("--format", choices=("md", "json"), default="md")

    add = commands.add_parser("add", parents=[common], help="add a company")
    add.add_argument("name")
    add.add_argument("--layer", required=True, help="layer id (see 'moatscope list')")
    add.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    add.add_argument("--status", default="new")
    add.add_argument("--reason", default="", help="why we passed (with --status passed)")
    add.add_argument("--one-liner", default="")
    add.add_argument("--website", default="")

    note = commands.add_parser("note", parents=[common], help="add a note to a company")
    note.add_argument("company", metavar="NAME|ID")
    note.add_argument("text", help="the note (Markdown); '-' reads standard input")

    commands.add_parser("locate", parents=[common], help="print where moatscope keeps its files")


def _open(args: argparse.Namespace, *, write: bool) -> Workbench:
    # Reading commands leave an existing file alone: no lock (a TUI starting at the
    # same moment still gets to write), no backup, no migration written back.
    path = paths.resolve_db_path(getattr(args, "db", None))
    checklist, warning = active_checklist()
    if warning:
        print(f"moatscope: warning: {visible(warning)}", file=sys.stderr)
    workbench = Workbench.open(path, read_only=not write and path.exists(), checklist=checklist)
    if write and workbench.read_only:
        workbench.close()
        raise MoatscopeError(
            f"Cannot change the database: {workbench.notice}; {workbench.database.remedy}."
        )
    return workbench


def _rows_table(workbench: Workbench, rows: list[CompanyRow]) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    names = {layer.id: layer.name for layer in workbench.layers()}
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Name", "Layer", "Status", "Score", "Verdict", "Tags"):
        table.add_column(column, overflow="ellipsis", no_wrap=column != "Name")
    for row in rows:
        score = "" if row.score is None else f"{row.score:.0f}"
        verdict = row.verdict.label if row.verdict else ""
        cells = (
            row.name,
            names.get(row.layer or "", "unsorted"),
            row.status.value,
            score,
            verdict,
            ", ".join(row.tags),
        )
        table.add_row(*(Text(visible(cell)) for cell in cells))
    buffer = io.StringIO()
    width = Console().width if sys.stdout.isatty() else 160
    Console(file=buffer, width=width, color_system=None, highlight=False).print(table)
    return buffer.getvalue()


def _json_text(data: object) -> str:
    """Indented JSON safe for a terminal."""
    return json_safe(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()) + "\n"


def _row_data(row: CompanyRow) -> dict[str, object]:
    return {
        "id": row.id,
        "name": row.name,
        "layer": row.layer,
        "status": row.status.value,
        "tags": list(row.tags),
        "one_liner": row.one_liner,
        "website": row.website,
        "score": row.score,
        "verdict": row.verdict.value if row.verdict else None,
        "updated": row.updated,
    }


def cmd_list(args: argparse.Namespace) -> None:
    workbench = _open(args, write=False)
    try:
        if args.layer:
            workbench.layer(args.layer)
        status = Status(args.status) if args.status in {s.value for s in Status} else None
        if args.status and status is None:
            raise MoatscopeError(
                f"Unknown status {args.status!r}; use one of {', '.join(s.value for s in Status)}."
            )
        order = {layer.id: layer.position for layer in workbench.layers()}
        rows = sorted(
            workbench.rows(layer=args.layer, status=status, tag=args.tag),
            key=lambda r: (order.get(r.layer or "", len(order)), r.name.casefold(), r.id),
        )
        if args.format == "json":
            sys.stdout.write(_json_text([_row_data(r) for r in rows]))
        elif args.format == "csv":
            _write_csv(rows)
        else:
            sys.stdout.write(_rows_table(workbench, rows))
    finally:
        workbench.close()


def _write_csv(rows: list[CompanyRow]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "name", "layer", "status", "tags", "score", "verdict", "website"])
    for row in rows:
        data = _row_data(row)
        writer.writerow(
            [
                safe_cell(visible(str(cell)))
                for cell in (
                    data["id"],
                    data["name"],
                    data["layer"] or "",
                    data["status"],
                    ", ".join(row.tags),
                    "" if row.score is None else f"{row.score:.0f}",
                    data["verdict"] or "",
                    data["website"],
                )
            ]
        )


def cmd_show(args: argparse.Namespace) -> None:
    workbench = _open(args, write=False)
    try:
        company = workbench.find(args.company)
        runs = workbench.runs(company.id)
        layer_name = workbench.layer(company.layer).name if company.layer else ""
        chain = workbench.value_chain(company.id)
        if args.format == "json":
            document = company_document(company, runs, layer_name)
            document["value_chain"] = value_chain_data(chain)
            sys.stdout.write(_json_text(document))
        else:
            memo = company_markdown(company, runs, layer_name, workbench.checklist)
            memo += value_chain_markdown(chain)
            sys.stdout.write(visible_block(memo))
    finally:
        workbench.close()


def cmd_add(args: argparse.Namespace) -> None:
    workbench = _open(args, write=True)
    try:
        company = workbench.add_company(
            args.name,
            layer=args.layer,
            tags=args.tag,
            status=args.status,
            pass_reason=args.reason,
            one_liner=args.one_liner,
            website=args.website,
        )
        print(f"Added {visible(company.name)} ({company.id}) to {args.layer}.")
    finally:
        workbench.close()


def cmd_note(args: argparse.Namespace) -> None:
    text = sys.stdin.read() if args.text == "-" else args.text
    workbench = _open(args, write=True)
    try:
        company = workbench.find(args.company, exact=True)
        workbench.add_note(company.id, text)
        print(f"Added a note to {visible(company.name)}.")
    finally:
        workbench.close()


def cmd_locate(args: argparse.Namespace) -> None:
    db_path = paths.resolve_db_path(getattr(args, "db", None))
    newest = backups.newest_backup(db_path)
    print(f"database: {db_path}")
    print(f"lock:     {paths.lock_path(db_path)}")
    print(f"backups:  {paths.backup_dir(db_path)}")
    print(f"newest:   {newest or 'none yet'}")
    print(f"config:   {paths.config_dir()}")
    print(f"checklist: {user_checklist_path()} (optional; the built-in one is used without it)")


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "list": cmd_list,
    "show": cmd_show,
    "add": cmd_add,
    "note": cmd_note,
    "locate": cmd_locate,
    **cli_data.COMMANDS,
    **{name: partial(command, open_db=_open) for name, command in cli_edit.COMMANDS.items()},
    **{name: partial(command, open_db=_open) for name, command in cli_checklist.COMMANDS.items()},
    **{name: partial(command, open_db=_open) for name, command in cli_chain.COMMANDS.items()},
    "merge": cli_team.cmd_merge,
    **cli_sync.COMMANDS,
    **{name: partial(command, open_db=_open) for name, command in cli_team.COMMANDS.items()},
}


def run(argv: Sequence[str] | None = None, open_tui: Callable[[Path], int] | None = None) -> int:
    """Parse ``argv`` and run a command; bad input gives one sentence and exit 1."""
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            if open_tui is None:
                raise MoatscopeError("The TUI is not available here.")
            return open_tui(paths.resolve_db_path(getattr(args, "db", None)))
        COMMANDS[args.command](args)
    except MoatscopeError as error:
        print(f"moatscope: {visible(str(error))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return 0
