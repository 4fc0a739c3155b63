"""How a checklist run reads on screen, the same in the wizard, the result page, the
detail pane, the history and the compare view.

- A run is judged by the checklist it was made with (``checklist_of``): a version-1 run
  keeps its version-1 score and verdict, and says "v1" wherever the checklist in use is
  another version.
- A score is shown with its range over the Unknowns (``store.scoring.score_text``:
  "score 60 (range 45–80)"): answering any Unknown moves the score only within it.
- Flagged evidence is marked with one character per flag, explained by ``LEGEND``.
- The stage of a company decides which help applies (``stage_of``): the rule is said in
  the help line itself, so the user sees why.
"""

from __future__ import annotations

import re

from store.checklist import Checklist, Question, Stage, checklist_of
from store.evidence import Flag
from store.models import ChecklistRun
from store.runs import stored_result
from store.scoring import Result

FLAG_MARKS = {Flag.CLAIM: "†", Flag.STALE: "‡"}
"""One mark per flag, drawn beside a flagged answer."""
LEGEND = " · ".join(f"{mark} {flag.label}" for flag, mark in FLAG_MARKS.items())
"""What the marks mean: "† claim only · ‡ older than a year"."""

_EARLY = re.compile(r"\b(pre[- ]?seed|seed|angel|stealth|grant|series[- ]?a|pre[- ]?revenue)\b")
_LATER = re.compile(
    r"\b(series[- ]?[b-z]|growth|late|public|listed|ipo|acquired|subsidiary|private equity"
    r"|pe[- ]backed|profitable|revenue|production|bootstrapped|mature)\b"
)
STAGE_RULE = (
    "pre-seed, seed and Series A count as pre-revenue; Series B on, growth, public or "
    "acquired as in production"
)
"""The rule ``stage_of`` follows, in words for the help line."""


def stage_of(stage: str) -> Stage | None:
    """``"pre-revenue"`` for pre-seed, seed, angel, stealth, grant or Series A;
    ``"production"`` for Series B or later, growth, public, acquired or a stated revenue;
    None when the field is empty or says neither (the help then shows both stages).

    "Pre-revenue" is checked first, so "pre-revenue" never reads as "revenue".
    """
    text = stage.casefold().strip()
    if _EARLY.search(text):
        return "pre-revenue"
    if _LATER.search(text):
        return "production"
    return None


def help_lines(question: Question, stage: str, layer: str | None) -> list[str]:
    """The help that applies to ``question`` for a company at ``stage`` (the Stage field
    as typed) in ``layer``: the general help, the stage's, the layer's. The stage's help
    says which stage was read from the field and why; with no stage to read, both are
    shown, after the rule."""
    lines = [question.help] if question.help else []
    decided, typed = stage_of(stage), stage.strip()
    by_stage = question.help_by_stage
    if decided is not None and by_stage.get(decided):
        lines.append(f"{by_stage[decided]} (Stage {typed}: {_stage_name(decided)}.)")
    elif by_stage:
        why = f"Stage {typed!r} is neither" if typed else "Stage not set"
        lines.append(f"{why}: {STAGE_RULE}. Both:")
        lines += [text for text in by_stage.values() if text]
    if layer and question.help_by_layer.get(layer):
        lines.append(question.help_by_layer[layer])
    return lines


def _stage_name(stage: str) -> str:
    return "pre-revenue" if stage == "pre-revenue" else "in production"


def marks(flags: tuple[Flag, ...]) -> str:
    """The marks of ``flags``, "" for none."""
    return "".join(FLAG_MARKS[flag] for flag in flags)


def version_note(run: ChecklistRun, active: Checklist) -> str:
    """ "v1" when ``run`` was made with another version than ``active`` (its score and
    verdict are that version's), "" otherwise."""
    if (run.checklist_id, run.checklist_version) == (active.id, active.version):
        return ""
    if run.checklist_id == active.id:
        return f"v{run.checklist_version}"
    return f"{run.checklist_id} v{run.checklist_version}"


def run_result(run: ChecklistRun, active: Checklist) -> tuple[Checklist, Result]:
    """The checklist ``run`` was made with and its result as saved (its own version's
    score and verdict, with the range, reason and deciders that version gives)."""
    own = checklist_of(run, active)
    return own, stored_result(run, own)
