"""The moat checklist as data: questions, weights, polarity and the verdict rules."""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

import assets
from store.models import ChecklistRun, Line, Model, Name, Text
from store.paths import config_dir

Stage = Literal["pre-revenue", "production"]
"""How far a company is: evidence looks different before revenue and in production."""
STAGES: tuple[Stage, ...] = ("pre-revenue", "production")


class Question(Model):
    """One checklist question."""

    id: str
    """Short id such as ``A1``; answers are keyed by it."""
    key: str
    """Readable slug such as ``bottleneck``."""
    weight: int = Field(gt=0)
    """How much the question counts in the score."""
    polarity: Literal["strength", "risk"]
    """A strength scores Yes high; a risk scores Yes low."""
    text: Text
    """The question as asked."""
    help: Text = ""
    """What a Yes means and what evidence looks like."""
    help_by_stage: dict[Stage, Text] = {}
    """What counts as evidence at a stage (``pre-revenue``, ``production``)."""
    help_by_layer: dict[str, Text] = {}
    """What to measure in a layer, keyed by layer id (``power``: $/MWh, time-to-power)."""

    def help_for(self, *, stage: str | None = None, layer: str | None = None) -> list[str]:
        """The help that applies: the general text, then the stage's, then the layer's."""
        parts = [
            self.help,
            self.help_by_stage.get(stage or ""),
            self.help_by_layer.get(layer or ""),
        ]
        return [part for part in parts if part]


class Section(Model):
    """A group of questions."""

    id: str
    """Section letter such as ``A``."""
    title: Name
    """Section heading."""
    summary: Text = ""
    """One sentence on what the section tests."""
    questions: list[Question]
    """Questions in order."""


class Checklist(Model):
    """A versioned checklist; runs record the id and version they were made with."""

    id: str
    """Checklist identifier, ``moat`` for the built-in one."""
    version: int = Field(ge=1)
    """Bumped whenever questions, weights or rules change."""
    title: Line
    """Display title."""
    sections: list[Section]
    """Sections in order."""
    value_section: str = Field("A", validate_default=True)
    """The section of value tests: with none answered Yes, value leaks."""
    wrapper_question: str = Field("C1", validate_default=True)
    """The thin-wrapper question: answered Yes, value leaks."""
    anchor_score: float = 70
    """Minimum score for an Anchor verdict."""
    min_coverage: float = 0.6
    """Below this share of weight answered, a run is Incomplete."""
    rules: Literal[1, 2] = 1
    """Which verdict rules score it (``store.verdicts``); a file without the field is 1."""
    contender_score: float = 50
    """Rules 2: minimum score for Contender; below it, Long shot."""
    leak_questions: list[str] = Field(["C1", "C2"], validate_default=True)
    """Rules 2: the risks a verdict needs answered (the two ways value leaks)."""
    anchor_risks: list[str] = Field(["C1", "C2", "C3"], validate_default=True)
    """Rules 2: risks of which any answered Yes bars an Anchor."""

    @cached_property
    def questions(self) -> list[Question]:
        """All questions in order."""
        return [question for section in self.sections for question in section.questions]

    @cached_property
    def by_id(self) -> dict[str, Question]:
        """Questions keyed by id."""
        return {question.id: question for question in self.questions}

    @cached_property
    def total_weight(self) -> int:
        """Sum of all weights."""
        return sum(question.weight for question in self.questions)

    def value_tests(self) -> list[Question]:
        """The questions of the value section."""
        return [q for s in self.sections if s.id == self.value_section for q in s.questions]

    def section_of(self, question_id: str) -> Section:
        """The section a question belongs to."""
        return next(s for s in self.sections if any(q.id == question_id for q in s.questions))

    # The two rules are checked field by field, so an error points at their line.
    @field_validator("value_section")
    @classmethod
    def _value_section_exists(cls, value: str, info: ValidationInfo) -> str:
        sections = info.data.get("sections")
        if sections and value not in {section.id for section in sections}:
            raise ValueError(f"value_section {value!r} is not a section id")
        return value

    @field_validator("wrapper_question")
    @classmethod
    def _wrapper_question_exists(cls, value: str, info: ValidationInfo) -> str:
        sections = info.data.get("sections")
        if sections and value not in {q.id for s in sections for q in s.questions}:
            raise ValueError(f"wrapper_question {value!r} is not a question id")
        return value

    @field_validator("leak_questions", "anchor_risks")
    @classmethod
    def _rule_questions_exist(cls, value: list[str], info: ValidationInfo) -> list[str]:
        sections = info.data.get("sections")
        known = {q.id for s in sections or [] for q in s.questions}
        missing = [qid for qid in value if qid not in known]
        if sections and info.data.get("rules") == 2 and missing:
            raise ValueError(f"{', '.join(missing)} is not a question id")
        return value

    @model_validator(mode="after")
    def _question_ids_are_unique(self) -> Checklist:
        ids = [question.id for section in self.sections for question in section.questions]
        duplicates = sorted({qid for qid in ids if ids.count(qid) > 1})
        if duplicates:
            raise ValueError(f"question ids must be unique; repeated: {', '.join(duplicates)}")
        if not ids:
            raise ValueError("a checklist needs at least one question")
        return self


USER_FILE = "checklist.json"
BUILTIN_ID = "moat"


class ChecklistFileError(ValueError):
    """A checklist file that cannot be used; the message names the file and line."""


def load_checklist(path: Path) -> Checklist:
    """Read and validate a checklist file, raising ChecklistFileError with file and line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ChecklistFileError(f"{path}: cannot be read ({error})") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ChecklistFileError(
            f"{path}, line {error.lineno}: not valid JSON ({error.msg})"
        ) from None
    try:
        return Checklist.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "checklist"
        line = _line_of(raw, data, first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ChecklistFileError(f"{path}, line {line}: {where}: {message}") from None


def _line_of(raw: str, data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the key ``loc`` ends in, else of the innermost object with an ``id``.

    The object is found by its ``"id"``; the key is the occurrence of ``"key":``
    nearest to it (1 when neither is found).
    """
    node, anchor, key = data, None, None
    for part in loc:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            anchor = node["id"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    else:
        key = loc[-1] if loc and isinstance(loc[-1], str) else None
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        anchor, key = node["id"], None
    position = None
    if anchor is not None:
        match = re.search(r'"id"\s*:\s*' + re.escape(orjson.dumps(anchor).decode()), raw)
        position = match.start() if match else None
    if key is not None:
        pattern = re.escape(orjson.dumps(key).decode()) + r"\s*:"
        found = [match.start() for match in re.finditer(pattern, raw)]
        if found:
            position = min(found, key=lambda start: abs(start - (position or 0)))
    return 1 if position is None else raw.count("\n", 0, position) + 1


BUILTIN_FILES = {1: "checklist-v1.json", 2: "checklist.json"}
"""Every version of the built-in checklist still kept, by version; the last is current."""


def builtin_checklist(version: int | None = None) -> Checklist:
    """The built-in checklist: the current one (``assets/checklist.json``) or ``version``."""
    return _builtin(max(BUILTIN_FILES) if version is None else version)


@cache
def _builtin(version: int) -> Checklist:
    # Cached: a run's own checklist is looked up for every memo and re-score.
    return load_checklist(assets.path(BUILTIN_FILES[version]))


def checklist_of(run: ChecklistRun, active: Checklist) -> Checklist:
    """The checklist ``run`` was made with, so it shows its own questions and rules.

    ``active`` when its id and version are the run's; else the built-in checklist of the
    run's version when the run used the built-in id; else ``active`` (a run of a user's
    checklist that has since changed: the nearest there is).
    """
    if (run.checklist_id, run.checklist_version) == (active.id, active.version):
        return active
    if run.checklist_id == BUILTIN_ID and run.checklist_version in BUILTIN_FILES:
        return _builtin(run.checklist_version)
    return active


def user_checklist_path() -> Path:
    """Where a user may put a checklist of their own."""
    return config_dir() / USER_FILE


def active_checklist() -> tuple[Checklist, str]:
    """The user's checklist if they have a valid one, else the built-in; plus a warning."""
    path = user_checklist_path()
    if not path.exists():
        return builtin_checklist(), ""
    try:
        return load_checklist(path), ""
    except ChecklistFileError as error:
        return builtin_checklist(), f"{error}. Using the built-in checklist."
