"""The moat checklist as data: questions, weights, polarity and the verdict rules."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import orjson
from pydantic import Field

import assets
from store.models import Line, Model, Name, Text


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
    value_section: str = "A"
    """The section of value tests: with none answered Yes, value leaks."""
    wrapper_question: str = "C1"
    """The thin-wrapper question: answered Yes, value leaks."""
    anchor_score: float = 70
    """Minimum score for an Anchor verdict."""
    min_coverage: float = 0.6
    """Below this share of weight answered, a run is Incomplete."""

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


def load_checklist(path: Path) -> Checklist:
    """Read and validate a checklist file (raises on a bad file)."""
    return Checklist.model_validate(orjson.loads(path.read_bytes()))


def builtin_checklist() -> Checklist:
    """The checklist shipped in ``assets/checklist.json``."""
    return load_checklist(assets.path("checklist.json"))
