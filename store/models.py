"""The data model: layers, companies, notes and checklist runs (pydantic v2).

Models validate at the boundary (forms, imports, the CLI) with messages a person
understands (``store.problems`` words a pydantic error for a person).
"""

from __future__ import annotations

import hashlib
import operator
import re
import secrets
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from store import clock
from store.id_lists import IdList, drop_primary
from store.outcomes import EvidenceKind, Verdict
from store.text import clean

NAME_MAX = 200
LINE_MAX = 500
TEXT_MAX = 100_000
EARLIEST_FOUNDED = 1800


ID_BYTES = 10
"""A new record's id holds 80 random bits (20 hex digits): two analysts who add records
apart, and later merge, never pick the same id. Ids made before hold 48 bits (12 hex
digits) and stay valid: nothing parses an id's length."""


def new_id(prefix: str) -> str:
    """A random id such as ``co-3f9a1b2c4d5e6f708192``."""
    return f"{prefix}-{secrets.token_hex(ID_BYTES)}"


def name_id(prefix: str, name: str) -> str:
    """An id derived from ``name`` (80 bits of a hash of its casefolded form): the same
    name gives the same id on every machine, so records seeded apart are the same records."""
    digest = hashlib.blake2b(name.casefold().encode("utf-8"), digest_size=ID_BYTES)
    return f"{prefix}-{digest.hexdigest()}"


class Status(StrEnum):
    """Where a company stands: the pipeline in order, then ``reference`` (the starter set:
    points of comparison, out of the pipeline, its inbox and its counts until moved)."""

    NEW = "new"
    SCREENING = "screening"
    DILIGENCE = "diligence"
    INVESTED = "invested"
    PASSED = "passed"
    WATCHING = "watching"
    REFERENCE = "reference"

    @property
    def in_pipeline(self) -> bool:
        return self is not Status.REFERENCE


class Answer(StrEnum):
    """An answer to one checklist question."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    UNKNOWN = "unknown"


def _single_line(value: str) -> str:
    value = value.replace("\t", " ").strip()
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


def _required(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def normalise_website(value: str) -> str:
    """Return ``value`` as an http(s) URL, adding ``https://`` when no scheme is given."""
    value = value.strip()
    if not value:
        return ""
    candidate = value if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value) else f"https://{value}"
    parts = urlsplit(candidate)
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or " " in candidate
        or not re.fullmatch(
            r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", host
        )
    ):
        raise ValueError(
            f"{value!r} is not a web address (expected something like https://example.com)"
        )
    return candidate


def _check_founded(value: int | None) -> int | None:
    if value is None:
        return None
    if value > clock.today().year:
        raise ValueError(f"{value} is in the future")
    if value < EARLIEST_FOUNDED:
        raise ValueError(f"{value} is too early (before {EARLIEST_FOUNDED})")
    return value


def normalise_tags(tags: list[str]) -> list[str]:
    """Strip, drop empties and case-insensitive duplicates, keep the first spelling."""
    seen: set[str] = set()
    result: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if not tag:
            continue
        if "," in tag or "\n" in tag:
            raise ValueError(f"tag {tag!r} may not contain a comma or a line break")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
    return result


Name = Annotated[
    str, AfterValidator(_single_line), AfterValidator(_required), Field(max_length=NAME_MAX)
]
Line = Annotated[str, AfterValidator(_single_line), Field(max_length=LINE_MAX)]
Text = Annotated[str, Field(max_length=TEXT_MAX)]
Website = Annotated[str, AfterValidator(normalise_website)]
LayerId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]


def _storable(text: str) -> str:
    """``text`` cleaned of what must never reach a terminal (``store.text.clean``).

    Raises if it holds text that cannot be written as UTF-8 (lone surrogates): such
    text arrives from undecodable bytes (``sys.argv`` and pasted input use
    ``surrogateescape``); accepted, it would make every later save of the file fail.
    """
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("contains bytes that are not valid text (not UTF-8)") from None
    return clean(text)


def _storable_value(value: object) -> object:
    """A field's input with its text, and the text directly in its list or mapping,
    made storable; nested records are left to their own model."""
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, list | tuple):
        return [_storable(item) if isinstance(item, str) else item for item in value]
    if isinstance(value, dict):
        return {
            _storable(key) if isinstance(key, str) else key: (
                _storable(item) if isinstance(item, str) else item
            )
            for key, item in value.items()
        }
    return value


class Model(BaseModel):
    """Shared configuration: unknown keys are an error, assignments are validated, and
    every text is cleaned before it is validated, whichever way it came in."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text_is_storable(cls, value: object) -> object:
        return _storable_value(value)


class LaterModel(Model):
    """A model whose validator pydantic builds on first use, not on import.

    For what the app's first frame does not validate (a company, its notes, a checklist
    run), so building their schemas is not part of every start.
    """

    model_config = ConfigDict(defer_build=True)


class Layer(Model):
    """One layer of the AI-infrastructure stack."""

    id: LayerId
    """Stable identifier, lowercase (``power``, ``compute``...)."""
    name: Name
    """Display name, e.g. "Power & Facilities"."""
    summary: Text = ""
    """One paragraph on what the layer covers."""
    bottlenecks: list[Line] = []
    """The bottlenecks companies in this layer relieve."""
    keywords: list[Line] = []
    """Lower-case words used to suggest this layer for an imported company."""
    position: int = 0
    """Order in the stack, from the ground up."""


class Note(LaterModel):
    """A dated Markdown note on a company."""

    id: str = Field(default_factory=lambda: new_id("nt"))
    """Stable identifier."""
    created: datetime = Field(default_factory=lambda: clock.now())
    """When the note was written (UTC)."""
    author: Line = ""
    """Who wrote it."""
    body: Text
    """The note itself, Markdown, shown literally."""

    @field_validator("body")
    @classmethod
    def _body_not_blank(cls, value: str) -> str:
        _required(value.strip())
        return value


class StatusChange(LaterModel):
    """One move in the pipeline, kept for the weekly report."""

    at: datetime = Field(default_factory=lambda: clock.now())
    """When the status changed (UTC)."""
    before: Status
    """The status it left."""
    after: Status
    """The status it entered."""
    reason: Line = ""
    """The pass reason, when it was passed."""


class Company(LaterModel):
    """A company tracked in the stack."""

    id: str = Field(default_factory=lambda: new_id("co"))
    """Stable identifier."""
    name: Name
    """The company's name, shown exactly as typed."""
    layer: str | None = None
    """The layer id, or None while the company is unsorted."""
    secondary_layers: IdList = []
    """Other layers it is also listed in, marked secondary there; never ``layer``."""
    chokepoints: IdList = []
    """Ids of the chokepoints it depends on (``store.chain_models.Chokepoint``)."""
    one_liner: Line = ""
    """What the company does, in one sentence."""
    website: Website = ""
    """Homepage URL (normalised to http/https)."""
    headquarters: Line = ""
    """City and country."""
    founded_year: int | None = None
    """Year founded; never in the future."""
    stage: Line = ""
    """Funding stage as the user writes it (Seed, Series A...)."""
    status: Status = Status.NEW
    """Pipeline status."""
    pass_reason: Line = ""
    """Why we passed; required when status is passed."""
    tags: list[str] = []
    """Free tags, case-insensitively unique."""
    owner: Line = ""
    """Who at the fund looks after this company."""
    source: Line = ""
    """Where the name came from (manual, starter, an import file...)."""
    absorber: Line = ""
    """The incumbent platform that could ship this as a feature."""
    upstream: Line = ""
    """The model, cloud or chip the company rests on."""
    revisit: date | None = None
    """When to look at the company again."""
    kill_criterion: Line = ""
    """What would make us wrong."""
    created: datetime = Field(default_factory=lambda: clock.now())
    """When the company was added (UTC)."""
    updated: datetime = Field(default_factory=lambda: clock.now())
    """When it last changed (UTC)."""
    notes: list[Note] = []
    """Notes, oldest first as stored; shown newest first."""
    status_log: list[StatusChange] = []
    """Every status change, oldest first."""
    provider_ids: dict[str, str] = {}
    """Ids at data providers (``crunchbase``, ``pitchbook``), used to spot duplicates."""
    source_data: dict[str, str] = {}
    """Columns of an imported row that have no field of their own, kept as they came."""

    _primary_not_secondary = model_validator(mode="after")(drop_primary)

    @field_validator("founded_year")
    @classmethod
    def _founded_not_in_future(cls, value: int | None) -> int | None:
        return _check_founded(value)

    @field_validator("tags")
    @classmethod
    def _tags_normalised(cls, value: list[str]) -> list[str]:
        return normalise_tags(value)


def _answer_shorthand(value: object) -> object:
    """Accept the wizard's keys: y, p, n, u."""
    if isinstance(value, str):
        shorthand = {a.value[0]: a.value for a in Answer}
        return shorthand.get(value.strip().lower(), value.strip().lower())
    return value


_Date = date  # ``date`` under a name that a field called ``date`` does not hide
_unset = operator.not_


class AnswerEntry(LaterModel):
    """One answer of a checklist run, with its evidence."""

    answer: Annotated[Answer, BeforeValidator(_answer_shorthand)] = Answer.UNKNOWN
    """Yes, Partly, No or Unknown."""
    evidence: Text = ""
    """Free text: what the answer rests on."""
    # Left out of the stored answer while empty: stored as version 1 stored it, as small.
    source: Line = Field("", exclude_if=_unset)
    """Where the evidence is: a URL or a document's name."""
    date: _Date | None = Field(None, exclude_if=_unset)
    """When the evidence is from; never in the future (older than a year is flagged)."""
    kind: EvidenceKind | None = Field(None, exclude_if=_unset)
    """What the evidence is (a founder or vendor claim alone is flagged)."""

    @field_validator("date")
    @classmethod
    def _date_not_in_future(cls, value: date | None) -> date | None:
        if value is not None and value > clock.today():
            raise ValueError(f"{value.isoformat()} is in the future")
        return value


class ChecklistRun(LaterModel):
    """One run of the moat checklist on a company; kept forever as history."""

    id: str = Field(default_factory=lambda: new_id("run"))
    """Stable identifier."""
    company_id: str
    """The company this run scores."""
    checklist_id: str
    """Which checklist was used."""
    checklist_version: int
    """The version of that checklist; old runs are never silently re-scored."""
    created: datetime = Field(default_factory=lambda: clock.now())
    """When the run was saved (UTC)."""
    sequence: int = 0
    """1 for a company's first run, 2 for the next...: orders runs saved in the same second."""
    author: Line = ""
    """Who ran it."""
    answers: dict[str, AnswerEntry] = {}
    """Question id to answer and evidence."""
    score: float | None = None
    """0-100 over the answered questions; None when nothing is answered."""
    coverage: float = 0.0
    """Answered weight over total weight, 0-1."""
    verdict: Verdict = Verdict.INCOMPLETE
    """Derived verdict at the time of the run."""
