"""What happened since a moment: decisions, pass reasons, verdict changes.

Pure functions over stored records, used by the quit summary and by
``moatscope report --since DATE`` for the weekly partner meeting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from store.models import Status, Verdict

Record = dict[str, Any]
ADVANCED = {Status.SCREENING.value, Status.DILIGENCE.value, Status.INVESTED.value}
DECISION_SECTIONS = (
    ("Advanced", ADVANCED),
    ("Watching", {Status.WATCHING.value}),
    ("Passed", {Status.PASSED.value}),
)
"""The report's sections of decisions, each with the statuses a decision moves to."""


@dataclass
class Decision:
    """One status change of one company."""

    company: str
    layer: str
    at: str
    before: str
    after: str
    reason: str


@dataclass
class VerdictChange:
    """A checklist run saved in the period, with the run before it (if any)."""

    company: str
    at: str
    before: Record | None
    after: Record


@dataclass
class Activity:
    """Everything that happened in a period."""

    since: str
    decisions: list[Decision] = field(default_factory=list)
    runs: list[VerdictChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def count(self, kind: str) -> int:
        """Decisions of one kind: ``advanced``, ``watched`` or ``passed``."""
        wanted = {
            "advanced": ADVANCED,
            "watched": {Status.WATCHING.value},
            "passed": {Status.PASSED.value},
        }[kind]
        return sum(decision.after in wanted for decision in self.decisions)

    @property
    def summary(self) -> str:
        """ "3 advanced, 1 watched, 2 passed, 4 scored"."""
        return (
            f"{self.count('advanced')} advanced, {self.count('watched')} watched, "
            f"{self.count('passed')} passed, {len(self.runs)} scored"
        )

    @property
    def empty(self) -> bool:
        """True when nothing was decided or scored."""
        return not self.decisions and not self.runs


def activity_since(
    since: str, companies: Iterable[Record], runs: Iterable[Record], layer_names: dict[str, str]
) -> Activity:
    """Decisions, runs and additions with a timestamp at or after ``since`` (ISO, UTC)."""
    activity = Activity(since)
    names: dict[str, str] = {}
    for company in companies:
        names[company["id"]] = company["name"]
        layer = layer_names.get(company.get("layer") or "", "unsorted")
        if company.get("created", "") >= since and company.get("source") != "starter":
            activity.added.append(company["name"])
        for change in company.get("status_log", ()):
            if change["at"] >= since:
                activity.decisions.append(
                    Decision(
                        company["name"],
                        layer,
                        change["at"],
                        change["before"],
                        change["after"],
                        change.get("reason", ""),
                    )
                )
    by_company: dict[str, list[Record]] = {}
    for run in runs:
        by_company.setdefault(run["company_id"], []).append(run)
    for company_id, company_runs in by_company.items():
        company_runs.sort(key=lambda r: (r["created"], r.get("sequence", 0)))
        for index, run in enumerate(company_runs):
            if run["created"] >= since and company_id in names:
                before = company_runs[index - 1] if index else None
                activity.runs.append(VerdictChange(names[company_id], run["created"], before, run))
    # Same-second entries (a bulk change) by name, not by the random company ids.
    activity.decisions.sort(key=lambda d: (d.at, d.company.casefold()))
    activity.runs.sort(key=lambda r: (r.at, r.company.casefold()))
    return activity


def _verdict(run: Record) -> str:
    score = run.get("score")
    return f"{Verdict(run['verdict']).label} {'' if score is None else f'{score:.0f}'}".strip()


def report_markdown(activity: Activity) -> str:
    """The weekly report as Markdown."""
    added = len(activity.added)
    lines = [
        f"# moatscope report since {activity.since[:10]}",
        "",
        f"{activity.summary}; {added} {'company' if added == 1 else 'companies'} added.",
        "",
        *_decisions(activity),
        *_pass_reasons(activity),
        *_verdicts(activity),
    ]
    if activity.added:
        lines += [f"## Added ({len(activity.added)})", "", ", ".join(sorted(activity.added)), ""]
    if activity.empty and not activity.added:
        lines += ["Nothing was decided, scored or added in this period.", ""]
    return "\n".join(lines)


def _decisions(activity: Activity) -> list[str]:
    """A section per kind of decision taken, each decision on a line."""
    lines: list[str] = []
    for title, wanted in DECISION_SECTIONS:
        chosen = [d for d in activity.decisions if d.after in wanted]
        if chosen:
            lines += [f"## {title} ({len(chosen)})", ""]
            for d in chosen:
                reason = f": {d.reason}" if d.reason else ""
                lines.append(
                    f"- **{d.company}** ({d.layer}) {d.before} → {d.after}, {d.at[:10]}{reason}"
                )
            lines.append("")
    return lines


def _pass_reasons(activity: Activity) -> list[str]:
    """The reasons given for passing, most given first, with how often when more than once."""
    reasons = Counter(
        d.reason for d in activity.decisions if d.after == Status.PASSED.value and d.reason
    )
    if not reasons:
        return []
    return [
        "## Pass reasons",
        "",
        *(
            f"- {reason} ×{count}" if count > 1 else f"- {reason}"
            for reason, count in reasons.most_common()
        ),
        "",
    ]


def _verdicts(activity: Activity) -> list[str]:
    """Each run of the period: its verdict, and the one before it if there was one."""
    if not activity.runs:
        return []
    count = len(activity.runs)
    lines = [f"## Verdicts ({count} run{'' if count == 1 else 's'})", ""]
    for change in activity.runs:
        if change.before is None:
            lines.append(
                f"- **{change.company}**: first run, {_verdict(change.after)} ({change.at[:10]})"
            )
        else:
            before, after = _verdict(change.before), _verdict(change.after)
            version = change.before.get("checklist_version"), change.after["checklist_version"]
            if version[0] != version[1]:  # a re-score: the verdicts come from different rules
                before, after = f"{before} (v{version[0]})", f"{after} (v{version[1]})"
            lines.append(f"- **{change.company}**: {before} → {after} ({change.at[:10]})")
    return [*lines, ""]
