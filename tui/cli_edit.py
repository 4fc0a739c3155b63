"""Command-line changes to one company: its status, its tags, deleting it.

Each command is one change (one entry for undo), saved before the command exits 0.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from store.errors import InvalidInput, MoatscopeError
from store.models import Status
from store.service import Workbench
from store.text import visible

Opener = Callable[..., Workbench]


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``status``, ``tag`` and ``delete``."""
    status = commands.add_parser("status", parents=[common], help="move a company in the pipeline")
    status.add_argument("company", metavar="NAME|ID")
    status.add_argument("status", metavar="STATUS", help=", ".join(s.value for s in Status))
    status.add_argument("--reason", default="", help="why we passed (needed with passed)")

    tag = commands.add_parser(
        "tag", parents=[common], help="add (+TAG) or remove (-TAG) tags of a company"
    )
    tag.add_argument("company", metavar="NAME|ID")
    # REMAINDER, so that "-gpu" is taken as a tag to remove, not as an option.
    tag.add_argument("changes", metavar="+TAG|-TAG", nargs=argparse.REMAINDER)

    delete = commands.add_parser(
        "delete", parents=[common], help="delete a company, or every starter company"
    )
    delete.add_argument("company", metavar="NAME|ID", nargs="?")
    delete.add_argument(
        "--starters", action="store_true", help="delete every company tagged starter instead"
    )
    delete.add_argument("--yes", action="store_true", help="really delete it")


def cmd_status(args: argparse.Namespace, open_db: Opener) -> None:
    if args.status not in {s.value for s in Status}:
        raise MoatscopeError(
            f"Unknown status {args.status!r}; use one of {', '.join(s.value for s in Status)}."
        )
    workbench = open_db(args, write=True)
    try:
        company = workbench.find(args.company, exact=True)
        try:
            workbench.set_status([company.id], args.status, args.reason)
        except InvalidInput as error:
            raise MoatscopeError(_problem(error, "Give the reason with --reason.")) from None
        print(visible(f"{company.name} is now {args.status}."))
    finally:
        workbench.close()


def list_changes(values: list[str], changes: list[str], what: str, key: str) -> list[str]:
    """``values`` after ``changes`` (each ``+KEY`` or ``-KEY``), in order; tags (``what``
    "tag") are told apart whatever their case, ids exactly."""
    fold = str.casefold if what == "tag" else str
    result = list(values)
    for change in changes:
        sign, value = change[:1], change[1:].strip()
        if sign not in ("+", "-") or not value or value.startswith("-"):
            raise MoatscopeError(
                f"{change!r} is not a change: write +{key} to add a {what} or -{key} to remove "
                "one (options such as --db go before them)."
            )
        result = [v for v in result if fold(v) != fold(value)]
        if sign == "+":
            result.append(value)
    return result


def cmd_tag(args: argparse.Namespace, open_db: Opener) -> None:
    if not args.changes:
        raise MoatscopeError("Give the tags to add (+TAG) or remove (-TAG).")
    workbench = open_db(args, write=True)
    try:
        company = workbench.find(args.company, exact=True)
        tags = list_changes(company.tags, args.changes, "tag", "TAG")
        try:
            company = workbench.set_tags(company.id, tags)
        except InvalidInput as error:
            raise MoatscopeError(_problem(error)) from None
        print(visible(f"Tags of {company.name}: {', '.join(company.tags) or 'none'}."))
    finally:
        workbench.close()


def cmd_delete(args: argparse.Namespace, open_db: Opener) -> None:
    if args.starters:
        _delete_starters(args, open_db)
        return
    if args.company is None:
        raise MoatscopeError("Name the company to delete, or give --starters to delete them all.")
    workbench = open_db(args, write=args.yes)
    try:
        company = workbench.find(args.company, exact=True)
        if not args.yes:
            raise MoatscopeError(
                f"Deleting {company.name} needs --yes (undo in the app brings it back)."
            )
        workbench.delete_companies([company.id])
        print(visible(f"Deleted {company.name}."))
    finally:
        workbench.close()


def _delete_starters(args: argparse.Namespace, open_db: Opener) -> None:
    """``delete --starters``: every company tagged starter, as one change."""
    if args.company is not None:
        raise MoatscopeError("Give either a company or --starters, not both.")
    workbench = open_db(args, write=args.yes)
    try:
        count = len(workbench.starter_ids())
        if not count:
            print("There are no starter companies.")
        elif not args.yes:
            raise MoatscopeError(
                f"Deleting the {count} starter companies needs --yes "
                "(undo in the app brings them back)."
            )
        else:
            workbench.remove_starters()
            print(f"Deleted {count} starter {'company' if count == 1 else 'companies'}.")
    finally:
        workbench.close()


def _problem(error: InvalidInput, hint: str = "") -> str:
    """The sentences of an InvalidInput, without its internal field names."""
    return f"{error}.{f' {hint}' if hint else ''}"


COMMANDS: dict[str, Callable[[argparse.Namespace, Opener], None]] = {
    "status": cmd_status,
    "tag": cmd_tag,
    "delete": cmd_delete,
}
