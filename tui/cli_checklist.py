"""Command-line checklist runs: ``checklist`` scores a company headless, ``rescore`` shows
what the current checklist makes of its latest run and keeps that only when asked.

Every option is checked against the checklist before the database is opened for writing:
a bad question id, answer or date is one sentence on stderr, exit 1, nothing saved.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from store.checklist import Checklist, active_checklist, checklist_of
from store.errors import InvalidInput, MoatscopeError
from store.evidence import flags
from store.models import Answer, AnswerEntry, EvidenceKind, validated
from store.runs import difference_lines, rescore_difference, save_rescore, stored_result
from store.scoring import Result, score_text
from store.service import Workbench
from store.text import visible

Opener = Callable[..., Workbench]
DETAILS = ("evidence", "source", "kind", "date")
"""The options that add to an answer, each given as QID=VALUE."""
SPELLINGS = {a.value for a in Answer} | {a.value[0] for a in Answer}
"""An answer as the wizard takes it too: yes or y, partly or p..."""


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``checklist`` and ``rescore``."""
    run = commands.add_parser(
        "checklist", parents=[common], help="score a company on the moat checklist"
    )
    run.add_argument("company", metavar="NAME|ID")
    run.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="QID=ANSWER",
        help="yes, partly, no or unknown (repeatable: one per question)",
    )
    run.add_argument("--evidence", action="append", default=[], metavar="QID=TEXT")
    run.add_argument("--source", action="append", default=[], metavar="QID=URL")
    kinds = ", ".join(kind.value for kind in EvidenceKind)
    run.add_argument("--kind", action="append", default=[], metavar="QID=KIND", help=kinds)
    run.add_argument("--date", action="append", default=[], metavar="QID=YYYY-MM-DD")

    rescore = commands.add_parser(
        "rescore", parents=[common], help="re-score a company's latest run with the checklist"
    )
    rescore.add_argument("company", metavar="NAME|ID")
    rescore.add_argument("--dry-run", action="store_true", help="show the difference only")


def _pairs(option: str, values: list[str], checklist: Checklist) -> dict[str, str]:
    """``QID=VALUE`` options as {question id: value}; a bad one is one sentence."""
    found: dict[str, str] = {}
    for item in values:
        qid, equals, value = item.partition("=")
        qid = qid.strip().upper()
        if not equals:
            raise MoatscopeError(f"--{option} {item!r} needs the form QID=VALUE, such as A1=...")
        if qid not in checklist.by_id:
            raise MoatscopeError(
                f"{qid or item!r} is not a question of the checklist; "
                f"its questions are {', '.join(checklist.by_id)}."
            )
        if qid in found:
            raise MoatscopeError(f"--{option} is given twice for {qid}.")
        found[qid] = value.strip()
    return found


def entries(args: argparse.Namespace, checklist: Checklist) -> dict[str, AnswerEntry]:
    """The answers the options give, each checked."""
    answers = _pairs("answer", args.answer, checklist)
    choices = ", ".join(a.value for a in Answer)
    for qid, value in answers.items():
        if value.lower() not in SPELLINGS:
            raise MoatscopeError(f"{value!r} is not an answer to {qid}; use {choices}.")
    details = {name: _pairs(name, getattr(args, name), checklist) for name in DETAILS}
    if not answers:
        raise MoatscopeError("Give at least one answer with --answer QID=yes|partly|no|unknown.")
    result: dict[str, AnswerEntry] = {}
    for qid in dict.fromkeys([*answers, *(q for d in details.values() for q in d)]):
        data = {"answer": answers.get(qid, "unknown").lower()}
        data.update({name: d[qid] for name, d in details.items() if qid in d})
        result[qid] = _entry(qid, data)
    return result


def _entry(qid: str, data: dict[str, str]) -> AnswerEntry:
    if "date" in data:
        try:
            date.fromisoformat(data["date"])
        except ValueError:
            raise MoatscopeError(
                f"{data['date']!r} is not a date like 2026-12-31 ({qid})."
            ) from None
    if "kind" in data and data["kind"] not in {kind.value for kind in EvidenceKind}:
        kinds = ", ".join(kind.value for kind in EvidenceKind)
        raise MoatscopeError(f"{data['kind']!r} is not a kind of evidence ({qid}); use {kinds}.")
    try:
        return validated(AnswerEntry, data)
    except InvalidInput as error:
        raise MoatscopeError(f"{qid}: {error}.") from None


def result_lines(result: Result, answers: dict[str, AnswerEntry]) -> list[str]:
    """Score, range and verdict with its reason; then flags and the deciding unknowns."""
    lines = [
        f"{score_text(result).capitalize()}, coverage {result.coverage:.0%}.",
        result.reason,
    ]
    marks = flags(answers)
    if marks:
        flagged = "; ".join(f"{q} {', '.join(f.label for f in fs)}" for q, fs in marks.items())
        lines.append(f"Flagged: {flagged}.")
    if result.deciders:
        lines.append(f"Could change the verdict: {', '.join(result.deciders)}.")
    return lines


def cmd_checklist(args: argparse.Namespace, open_db: Opener) -> None:
    entries(args, active_checklist()[0])  # refused before the database is opened
    workbench = open_db(args, write=True)
    try:
        answers = entries(args, workbench.checklist)
        company = workbench.find(args.company, exact=True)
        try:
            run = workbench.record_run(company.id, answers)
        except InvalidInput as error:
            raise MoatscopeError(f"{error}.") from None
        result = stored_result(run, workbench.checklist)
        print(visible(f"Scored {company.name} with {run.checklist_id} v{run.checklist_version}."))
        for line in result_lines(result, run.answers):
            print(visible(line))
    finally:
        workbench.close()


def cmd_rescore(args: argparse.Namespace, open_db: Opener) -> None:
    workbench = open_db(args, write=not args.dry_run)
    try:
        company = workbench.find(args.company, exact=True)
        latest = workbench.latest_run(company.id)
        if latest is None:
            raise MoatscopeError(f"{company.name} has no checklist run to re-score.")
        current = workbench.checklist
        difference = rescore_difference(latest, checklist_of(latest, current), current)
        for line in difference_lines(difference):
            print(visible(line))
        same = (latest.checklist_id, latest.checklist_version) == (current.id, current.version)
        if same:
            print(f"The latest run already uses {current.id} v{current.version}; nothing saved.")
        elif args.dry_run:
            print("Nothing saved (--dry-run).")
        else:
            run = save_rescore(workbench, difference)
            print(visible(f"Saved a new run of {company.name}: {run.verdict.label}."))
    finally:
        workbench.close()


COMMANDS: dict[str, Callable[[argparse.Namespace, Opener], None]] = {
    "checklist": cmd_checklist,
    "rescore": cmd_rescore,
}
