"""Command-line value chain: ``link``, ``unlink``, the ``chokepoints`` roll-up, and a
company's chokepoints (``depends``) and other layers (``also-in``).

``link`` and ``unlink`` are one change each (undone with ``u`` in the app), saved before the
command exits 0. FROM and TO are an id or a whole name, as for the other commands that change
a company; a name that matches nothing gets "did you mean …?".
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable

import orjson

from store.chain_models import RelationKind
from store.chokepoint_ops import Exposure
from store.errors import InvalidInput, MoatscopeError
from store.service import Workbench
from store.text import json_safe, visible
from tui.cli_edit import list_changes

Opener = Callable[..., Workbench]
KINDS = [kind.value for kind in RelationKind]


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``link``, ``unlink``, ``chokepoints``, ``depends`` and ``also-in``."""
    link = commands.add_parser("link", parents=[common], help="link a company to another")
    link.add_argument("source", metavar="FROM", help="a company's name or id")
    link.add_argument("target", metavar="TO", help="a company's name or id")
    link.add_argument(
        "--kind",
        required=True,
        metavar="KIND",
        help="supplies (FROM sells to TO), could-absorb (FROM could ship TO as a feature) "
        "or competes",
    )
    link.add_argument("--note", default="", help="why, in one line")

    unlink = commands.add_parser("unlink", parents=[common], help="remove a link")
    unlink.add_argument("source", metavar="FROM")
    unlink.add_argument("target", metavar="TO")
    unlink.add_argument("--kind", metavar="KIND", help="only this kind (default: every kind)")

    for name, what, helped in (
        ("depends", "CHOKEPOINT", "add (+ID) or remove (-ID) chokepoints a company depends on"),
        ("also-in", "LAYER", "list a company in other layers (+ID) or no longer (-ID)"),
    ):
        command = commands.add_parser(name, parents=[common], help=helped)
        command.add_argument("company", metavar="NAME|ID")
        command.add_argument("changes", metavar=f"+{what}|-{what}", nargs=argparse.REMAINDER)

    chokepoints = commands.add_parser(
        "chokepoints", parents=[common], help="how much of the pipeline rests on each chokepoint"
    )
    chokepoints.add_argument("--format", choices=("table", "json"), default="table")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise MoatscopeError(f"Unknown kind {kind!r}; use one of {', '.join(KINDS)}.")
    return kind


def cmd_link(args: argparse.Namespace, open_db: Opener) -> None:
    kind = _kind(args.kind)
    workbench = open_db(args, write=True)
    try:
        source = workbench.find(args.source, exact=True)
        target = workbench.find(args.target, exact=True)
        try:
            workbench.link(source.id, target.id, kind, args.note)
        except InvalidInput as error:
            raise MoatscopeError(f"{error}.") from None
        print(visible(f"Linked: {source.name} {kind} {target.name}."))
        cycle = workbench.supply_cycle(source.id) if kind == "supplies" else []
        if cycle:
            names = " → ".join(workbench.row(cid).name for cid in cycle)  # type: ignore[union-attr]
            print(visible(f"This closes a cycle of supplies: {names}."))
    finally:
        workbench.close()


def cmd_unlink(args: argparse.Namespace, open_db: Opener) -> None:
    kind = _kind(args.kind) if args.kind else None
    workbench = open_db(args, write=True)
    try:
        source = workbench.find(args.source, exact=True)
        target = workbench.find(args.target, exact=True)
        count = workbench.unlink(source.id, target.id, kind)
        what = "1 link" if count == 1 else f"{count} links"
        print(visible(f"Removed {what} from {source.name} to {target.name}."))
    finally:
        workbench.close()


def cmd_depends(args: argparse.Namespace, open_db: Opener) -> None:
    if not args.changes:
        raise MoatscopeError("Give the chokepoints to add (+ID) or remove (-ID).")
    workbench = open_db(args, write=True)
    try:
        company = workbench.find(args.company, exact=True)
        ids = list_changes(company.chokepoints, args.changes, "chokepoint", "ID")
        workbench.set_chokepoints(company.id, ids)
        names = ", ".join(workbench.chokepoint(i).name for i in ids) or "none"
        print(visible(f"{company.name} depends on: {names}."))
    finally:
        workbench.close()


def cmd_also_in(args: argparse.Namespace, open_db: Opener) -> None:
    if not args.changes:
        raise MoatscopeError("Give the layers to add (+ID) or remove (-ID).")
    workbench = open_db(args, write=True)
    try:
        company = workbench.find(args.company, exact=True)
        ids = list_changes(company.secondary_layers, args.changes, "layer", "ID")
        workbench.set_secondary_layers(company.id, ids)
        kept = workbench.company(company.id).secondary_layers
        names = ", ".join(workbench.layer(i).name for i in kept) or "no other layer"
        print(visible(f"{company.name} is also listed in: {names}."))
    finally:
        workbench.close()


def cmd_chokepoints(args: argparse.Namespace, open_db: Opener) -> None:
    workbench = open_db(args, write=False)
    try:
        exposure = workbench.exposure()
        if args.format == "json":
            data = [_exposure_data(e) for e in exposure]
            text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
            sys.stdout.write(json_safe(text) + "\n")
        else:
            layers = {layer.id: layer.name for layer in workbench.layers()}
            sys.stdout.write(_exposure_table(exposure, layers))
    finally:
        workbench.close()


def _exposure_data(exposure: Exposure) -> dict[str, object]:
    point = exposure.chokepoint
    return {
        "id": point.id,
        "name": point.name,
        "layer": point.layer,
        "note": point.note,
        "companies": exposure.companies,
        "by_status": exposure.by_status,
        "by_verdict": exposure.by_verdict,
    }


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())


def _exposure_table(exposure: list[Exposure], layers: dict[str, str]) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("Chokepoint", "Layer", "Companies", "By status", "By verdict"):
        table.add_column(
            column, overflow="fold", justify="right" if column == "Companies" else "left"
        )
    for item in exposure:
        point = item.chokepoint
        cells = (
            point.name,
            layers.get(point.layer or "", "none"),
            str(item.companies),
            _counts(item.by_status),
            _counts(item.by_verdict),
        )
        table.add_row(*(Text(visible(cell)) for cell in cells))
    buffer = io.StringIO()
    width = Console().width if sys.stdout.isatty() else 160
    Console(file=buffer, width=width, color_system=None, highlight=False).print(table)
    total = sum(1 for item in exposure if item.companies)
    buffer.write(
        f"{total} of {len(exposure)} chokepoints have companies of the pipeline on them.\n"
    )
    return buffer.getvalue()


COMMANDS: dict[str, Callable[[argparse.Namespace, Opener], None]] = {
    "link": cmd_link,
    "unlink": cmd_unlink,
    "chokepoints": cmd_chokepoints,
    "depends": cmd_depends,
    "also-in": cmd_also_in,
}
