"""Command-line import, export and the weekly report."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from store import paths
from store.db import gc_paused
from store.errors import MoatscopeError
from store.import_file import estimate_rows, open_source
from store.import_plan import ImportPlan
from store.models import Status
from store.outfiles import OutputExists
from store.report import report_markdown
from store.seed import layers_only, nothing
from store.service import Workbench
from store.text import clean, visible

ACTION_LABEL = {"add": "added", "update": "updated", "duplicate": "duplicate", "skip": "skipped"}
PRINTED_AT_ONCE = 4096
"""Report lines made visible and written together (a line break is left as it is)."""


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``import``, ``export`` and ``report``."""
    importing = commands.add_parser(
        "import", parents=[common], help="import a provider CSV or a moatscope JSON export"
    )
    importing.add_argument("file", type=Path)
    importing.add_argument("--layer", help="put every new company in this layer")
    importing.add_argument("--dry-run", action="store_true", help="report only; write nothing")

    export = commands.add_parser("export", parents=[common], help="export companies")
    export.add_argument(
        "--format",
        choices=("csv", "json", "md", "relations-csv"),
        default="csv",
        help="relations-csv: one row per relation naming the companies exported",
    )
    export.add_argument(
        "--output",
        metavar="FILE",
        help="a file; for md, a folder (one that exists, or a name ending in /) "
        "gets one memo per company",
    )
    export.add_argument("--force", action="store_true", help="replace files that exist")
    export.add_argument("--layer", help="only this layer id")
    export.add_argument("--status", help="only this status")
    export.add_argument("--tag", help="only companies with this tag")

    report = commands.add_parser(
        "report", parents=[common], help="decisions, pass reasons and verdict changes since a date"
    )
    report.add_argument(
        "--since", required=True, help="a date (2026-11-15) or 7d for the last 7 days"
    )


def _progress(file: Path):
    if not sys.stderr.isatty():
        return None
    total_hint = estimate_rows(file)

    def show(count: int) -> None:
        sys.stderr.write(f"\rchecking rows: {count:,} of about {total_hint:,}")
        sys.stderr.flush()

    return show


def _seed_for(file: Path):
    """A database created by an import gets the stack, or for a JSON export its own layers."""
    try:
        is_json = open_source(file).is_json
    except MoatscopeError:
        return layers_only
    return nothing if is_json else layers_only


def cmd_import(args: argparse.Namespace) -> None:
    # The plan's records live until the process ends: the cyclic collector need not walk
    # them again and again while they are made (a tenth of an import's time at 50k rows).
    with gc_paused():
        _import(args)


def _import(args: argparse.Namespace) -> None:
    db_path = paths.resolve_db_path(getattr(args, "db", None))
    seed = _seed_for(args.file)
    fresh = not db_path.exists()
    workbench = (
        Workbench.scratch(db_path, seed)
        if fresh
        else Workbench.open(db_path, seed=seed, read_only=args.dry_run)
    )
    try:
        if not args.dry_run and workbench.read_only and not fresh:
            raise MoatscopeError(f"Cannot import: {workbench.notice}; {workbench.database.remedy}.")
        plan = workbench.plan_import(args.file, args.layer, progress=_progress(args.file))
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        apply = not args.dry_run and bool(plan.count("add") or plan.count("update"))
        if apply and fresh:
            # Only now, with a file worth importing, is the database created.
            workbench.close()
            workbench = Workbench.open(db_path, seed=seed)
            if workbench.read_only:
                raise MoatscopeError(
                    f"Cannot import: {workbench.notice}; {workbench.database.remedy}."
                )
            if any(workbench.database.table(name) for name in ("companies", "runs", "changes")):
                # Another session created the database meanwhile: plan against what it holds.
                plan = workbench.plan_import(args.file, args.layer)
        _print_plan(workbench, plan)
        if args.dry_run:
            print("Dry run: nothing was written.")
        elif apply:
            workbench.apply_import(plan)
            print(f"Imported into {db_path} (one change; 'u' in the app undoes it).")
    finally:
        workbench.close()


def _print_plan(workbench: Workbench, plan: ImportPlan) -> None:
    names = {layer.id: layer.name for layer in workbench.layers()}
    lines: list[str] = []
    for outcome in plan.outcomes:
        layer = ""
        if outcome.action in ("add", "update"):
            layer = f" → {names.get(outcome.layer or '', 'unsorted')}"
        why = "; ".join(
            filter(None, [outcome.layer_reason if outcome.action == "add" else "", outcome.reason])
        )
        lines.append(
            f"row {outcome.row}: {ACTION_LABEL[outcome.action]} {outcome.name or '(no name)'}"
            f"{layer}{f' ({why})' if why else ''}\n"
        )
        if len(lines) == PRINTED_AT_ONCE:
            sys.stdout.write(visible("".join(lines)))
            lines.clear()
    sys.stdout.write(visible("".join(lines)))
    if plan.notice:
        print(plan.notice)
    print(f"{plan.summary[0].upper()}{plan.summary[1:]}.")


def _selected(workbench: Workbench, args: argparse.Namespace) -> list[str]:
    if args.layer:
        workbench.layer(args.layer)
    status = None
    if args.status:
        if args.status not in {s.value for s in Status}:
            raise MoatscopeError(
                f"Unknown status {args.status!r}; use one of {', '.join(s.value for s in Status)}."
            )
        status = Status(args.status)
    return [row.id for row in workbench.rows(layer=args.layer, status=status, tag=args.tag)]


def cmd_export(args: argparse.Namespace) -> None:
    db_path = paths.resolve_db_path(getattr(args, "db", None))
    workbench = Workbench.open(db_path, read_only=db_path.exists())
    try:
        ids = _selected(workbench, args)
        if args.output is None:
            for chunk in workbench.export_chunks(args.format, ids):
                sys.stdout.buffer.write(chunk)
            return
        output = Path(args.output).expanduser()
        try:
            if args.output.endswith(("/", os.sep)) or output.is_dir():
                if args.format != "md":
                    raise MoatscopeError(
                        f"{output} is a folder, and --format {args.format} writes one file; "
                        "give a file name."
                    )
                count = workbench.write_memos(output, ids, replace=args.force)
                print(f"Wrote {count} memos into {output}.", file=sys.stderr)
                return
            workbench.write_export(output, args.format, ids, replace=args.force)
        except OutputExists as exists:
            raise MoatscopeError(f"{exists} Add --force to replace it.") from None
        print(f"Exported {len(ids)} companies to {output}.", file=sys.stderr)
    finally:
        workbench.close()


def parse_since(text: str) -> str:
    """``2026-11-15``, an ISO timestamp or ``7d`` as an ISO timestamp (UTC)."""
    from store import clock

    text = text.strip()
    if match := re.fullmatch(r"(\d+)d", text):
        try:
            moment = clock.now() - timedelta(days=int(match.group(1)))
        except OverflowError:
            raise MoatscopeError(
                f"{text!r} reaches back before the year 1; give fewer days or a date "
                "like 2026-11-15."
            ) from None
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # stored times are UTC; so is a bare time
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise MoatscopeError(f"{text!r} is not a date; use a date like 2026-11-15 or 7d.") from None


def cmd_report(args: argparse.Namespace) -> None:
    since = parse_since(args.since)
    db_path = paths.resolve_db_path(getattr(args, "db", None))
    workbench = Workbench.open(db_path, read_only=db_path.exists())
    try:
        sys.stdout.write(clean(report_markdown(workbench.activity(since))))
    finally:
        workbench.close()


COMMANDS = {"import": cmd_import, "export": cmd_export, "report": cmd_report}
