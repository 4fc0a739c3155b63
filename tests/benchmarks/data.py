"""Deterministic, realistic database files, built and written the way the app does.

Companies (~1-2 KB each as stored) carry 1-5 tags and 1-4 Markdown notes; about 30% have a
checklist run (a few have two), scored with the built-in checklist. Every id, date and word
comes from ``random.Random(seed)``, so one seed always gives the same file.

Two reshapings serve the TUI benchmarks: every company in one layer (the main screen opens on
the first layer, so that is the worst case for the list), and an inbox of an exact size
(``inbox`` companies are *new* and imported; no other company is new, due or unsorted).
Data-provider exports to import are written by ``csv_data``.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TypeVar

import orjson

from store import clock
from store.checklist import Checklist, builtin_checklist
from store.db import meta_record
from store.models import Answer, AnswerEntry, ChecklistRun, Company, Note, Status
from store.scoring import score
from store.seed import default_layers
from store.storage import MemoryStorage, Tables
from tests.benchmarks.cache import cached

T = TypeVar("T")


def _words(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated list, ignoring the line breaks and indents around items."""
    return tuple(item.strip() for item in text.split("|"))


SEED = 20261122
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
LAYERS = ("power", "compute", "network", "data", "orchestration")
STATUSES = {
    Status.NEW: 35,
    Status.SCREENING: 20,
    Status.WATCHING: 15,
    Status.DILIGENCE: 12,
    Status.PASSED: 13,
    Status.INVESTED: 5,
}
ANSWERS = {Answer.YES: 30, Answer.PARTLY: 25, Answer.NO: 25, Answer.UNKNOWN: 20}
SYLLABLES = _words("""
    vol|tra|nex|cor|lum|syn|arc|quan|vek|zen|ori|pax|hel|kor|mi|ter|flux|gri|dyn|sol|ath|bri|cel
    |dra|ely|fen|gal|ion|jun|kai""")
SUFFIXES = _words("||Labs|Systems|AI|Compute|Networks|Energy|Cloud")
TAGS = _words("""
    gpu|inference|training|liquid-cooling|nuclear|solar|grid|optics|photonics|interconnect|rdma
    |storage|vector-db|etl|labeling|synthetic-data|scheduler|kubernetes|serverless|observability
    |finops|edge|sovereign|open-source|hardware|asic|fpga|memory|cxl|datacenter|colocation
    |batteries|geothermal|compliance|security|fine-tuning|evals|routing|caching|compression""")
PEOPLE = _words("ana|ben|chloe|dev|emma|farid|grace|hugo")
STAGES = _words("Pre-seed|Seed|Series A|Series B|Series C|Growth|Public")
SOURCES = _words("manual|manual|import:crunchbase-2026-10.csv|import:conference-list.csv|starter")
CITIES = _words("""
    San Francisco, US|Austin, US|New York, US|Seattle, US|Boston, US|London, UK|Paris, FR
    |Berlin, DE|Munich, DE|Stockholm, SE|Zurich, CH|Tel Aviv, IL|Toronto, CA|Singapore, SG
    |Tokyo, JP|Bangalore, IN""")
INCUMBENTS = _words("""
    AWS|Azure|Google Cloud|NVIDIA|Databricks|Snowflake|Oracle|CoreWeave|Cisco|Schneider Electric""")
NOUNS = _words("""
    inference clusters|training runs|GPU fleets|data pipelines|power contracts|optical links
    |vector search|model routing|cooling loops|spot capacity|token costs|checkpoint storage
    |feature stores|cluster scheduling""")
VERBS = _words("""
    cuts the cost of|speeds up|de-risks|automates|monitors|compresses|schedules|secures|scales
    |brokers""")
CUSTOMERS = _words("""
    neoclouds|hyperscalers|AI labs|enterprises|sovereign clouds|colocation operators
    |model startups|utilities""")
OPENERS = _words("""
    Met the founders|Call with a reference customer|Read the technical blog
    |Spoke to an ex-employee|Saw the demo at the conference|Reviewed the deck""")
FINDINGS = _words("""
    claims a {p}% lower cost per token on a named baseline
    |has {n} paying customers, mostly {c}
    |depends heavily on {i} for supply
    |shipped a second product line in {m} months
    |says the backlog is {n} weeks of {x}
    |is hiring for {x} in {city}
    |reports net revenue retention of {r}%""")
CONCERNS = _words("""
    **Risk:** {i} could ship this as a feature within a year.
    |Pricing looks fragile if GPU supply loosens.
    |Unclear whether the advantage survives the next hardware generation.
    |- churn numbers not shared\n- only {n} reference calls so far
    |Need to check the claims about {x} with a second customer.
    |Team is strong on {x} but thin on go-to-market.""")


@dataclass(frozen=True)
class Dataset:
    """A generated database file and what is in it."""

    path: Path
    companies: int
    runs: int
    file_bytes: int
    median_company_bytes: int
    """Median serialised size of one company record (sorted keys, as the file stores it)."""


class _Generator:
    def __init__(self, seed: int, checklist: Checklist) -> None:
        self.rng = random.Random(seed)
        self.checklist = checklist
        self.names: set[str] = set()
        self.ids: set[str] = set()

    def pick(self, weights: dict[T, int]) -> T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}-{self.rng.getrandbits(48):012x}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def when(self, after: datetime, before: datetime = NOW) -> datetime:
        seconds = int((before - after).total_seconds())
        return after + timedelta(seconds=self.rng.randrange(max(seconds, 1)))

    def name(self) -> str:
        while True:
            parts = self.rng.choices(SYLLABLES, k=self.rng.choice((2, 2, 3)))
            name = " ".join(filter(None, ("".join(parts).capitalize(), self.rng.choice(SUFFIXES))))
            if name.casefold() not in self.names:
                self.names.add(name.casefold())
                return name

    def fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            p=rng.randrange(15, 70),
            n=rng.randrange(2, 40),
            c=rng.choice(CUSTOMERS),
            i=rng.choice(INCUMBENTS),
            m=rng.randrange(3, 18),
            x=rng.choice(NOUNS),
            city=rng.choice(CITIES),
            r=rng.randrange(95, 180),
        )

    def note(self, after: datetime) -> Note:
        rng = self.rng
        sentences = [f"{rng.choice(OPENERS)}: the company {self.fill(rng.choice(FINDINGS))}."]
        sentences += [f"It {self.fill(rng.choice(FINDINGS))}." for _ in range(rng.randrange(1, 3))]
        body = " ".join(sentences) + "\n\n" + self.fill(rng.choice(CONCERNS))
        return Note(
            id=self.new_id("nt"), created=self.when(after), author=rng.choice(PEOPLE), body=body
        )

    def maybe(self, chance: float, value: str) -> str:
        return value if self.rng.random() < chance else ""

    def company(self) -> Company:
        rng = self.rng
        name = self.name()
        created = self.when(NOW - timedelta(days=3 * 365))
        notes = [self.note(created) for _ in range(rng.randrange(1, 5))]
        notes.sort(key=lambda note: note.created)
        status = self.pick(STATUSES)
        revisit = NOW.date() + timedelta(days=rng.randrange(7, 200))
        return Company(
            id=self.new_id("co"),
            name=name,
            layer=rng.choice(LAYERS) if rng.random() > 0.03 else None,
            one_liner=f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)} for "
            f"{rng.choice(CUSTOMERS)}.",
            website=f"https://{name.lower().replace(' ', '')}.{rng.choice(('com', 'ai', 'io'))}",
            headquarters=rng.choice(CITIES),
            founded_year=rng.randrange(1998, 2026),
            stage=rng.choice(STAGES),
            status=status,
            pass_reason=self.fill(CONCERNS[0]) if status == Status.PASSED else "",
            tags=rng.sample(TAGS, rng.randrange(1, 6)),
            owner=rng.choice(PEOPLE),
            source=rng.choice(SOURCES),
            absorber=self.maybe(0.5, rng.choice(INCUMBENTS)),
            upstream=self.maybe(0.5, rng.choice(INCUMBENTS)),
            revisit=revisit if rng.random() < 0.2 else None,
            kill_criterion=self.maybe(0.4, self.fill("If {i} prices {x} below cost.")),
            created=created,
            updated=max([created, *(note.created for note in notes)]),
            notes=notes,
        )

    def run(self, company: Company) -> ChecklistRun:
        rng = self.rng
        answers = {}
        for question in self.checklist.questions:
            answer = self.pick(ANSWERS)
            evidence = ""
            if answer != Answer.UNKNOWN and rng.random() < 0.6:
                evidence = self.fill(rng.choice(FINDINGS))
            answers[question.id] = AnswerEntry(answer=answer, evidence=evidence)
        result = score(self.checklist, {qid: entry.answer for qid, entry in answers.items()})
        return ChecklistRun(
            id=self.new_id("run"),
            company_id=company.id,
            checklist_id=self.checklist.id,
            checklist_version=self.checklist.version,
            created=self.when(company.created),
            author=rng.choice(PEOPLE),
            answers=answers,
            score=result.score,
            coverage=result.coverage,
            verdict=result.verdict,
        )


def build_tables(
    n: int, seed: int = SEED, *, layer: str | None = None, inbox: int | None = None
) -> Tables:
    """The tables of a database with ``n`` companies.

    ``layer`` puts every company in that layer; ``inbox`` makes exactly that many companies
    wait in the triage inbox (see ``_reshape``). Without them the file is the default one.
    """
    generator = _Generator(seed, builtin_checklist())
    companies: dict[str, dict] = {}
    runs: dict[str, dict] = {}
    for _ in range(n):
        company = generator.company()
        companies[company.id] = company.model_dump(mode="json")
        if generator.rng.random() < 0.3:
            for _ in range(2 if generator.rng.random() < 0.15 else 1):
                run = generator.run(company)
                runs[run.id] = run.model_dump(mode="json")
    if layer is not None or inbox is not None:
        _reshape(companies, random.Random(seed + 1), layer, inbox)
    return {
        "meta": {"schema": meta_record()},
        "layers": {layer.id: layer.model_dump(mode="json") for layer in default_layers()},
        "companies": companies,
        "runs": runs,
        "changes": {},
    }


def _reshape(
    companies: dict[str, dict], rng: random.Random, layer: str | None, inbox: int | None
) -> None:
    """Put every company in ``layer``; make exactly ``inbox`` of them wait in the inbox.

    The inbox holds new companies that are not starters (unless snoozed by a future revisit
    date), companies due for a revisit and companies without a layer (``store.triage``).
    With ``inbox`` set, the chosen companies are new, imported and not snoozed, every other
    new one moves on to a later status, no revisit date is due (against the real clock, as
    the app uses it) and every company has a layer.
    """
    records = list(companies.values())
    if layer is not None:
        for record in records:
            record["layer"] = layer
    if inbox is None:
        return
    today = clock.today().isoformat()
    chosen = {record["id"] for record in rng.sample(records, min(inbox, len(records)))}
    later = (Status.SCREENING, Status.WATCHING, Status.DILIGENCE)
    for record in records:
        if record["layer"] is None:
            record["layer"] = rng.choice(LAYERS)
        if record["revisit"] is not None and record["revisit"] <= today:
            record["revisit"] = None
        if record["id"] in chosen:  # a future revisit date would snooze it out of the inbox
            record.update(status=Status.NEW.value, pass_reason="", revisit=None)
            if record["source"] == "starter":
                record["source"] = SOURCES[2]
        elif record["status"] == Status.NEW.value:
            record["status"] = rng.choice(later).value


def _variant(layer: str | None, inbox: int | None) -> str:
    return (f"-layer-{layer}" if layer else "") + (f"-inbox{inbox}" if inbox is not None else "")


@cache
def dataset(
    n: int, folder: Path, seed: int = SEED, *, layer: str | None = None, inbox: int | None = None
) -> Dataset:
    """The database with ``n`` companies, generated once per data version and kept in the
    bench cache (``cache.cached``; in ``folder``, the run's temp dir, when caching is off).

    ``layer`` and ``inbox`` reshape it as ``build_tables`` describes. Callers copy the file
    before they change it (``harness.fresh_copy``): the cached file is never written to.
    """

    def build(path: Path) -> dict:
        tables = build_tables(n, seed, layer=layer, inbox=inbox)
        MemoryStorage(path, tables, on_disk=False).flush()
        sizes = [
            len(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS))
            for doc in tables["companies"].values()
        ]
        return {"runs": len(tables["runs"]), "median": int(statistics.median(sizes))}

    # The inbox's reshaping reads today's date: its file is good for today only.
    day = f"-{clock.today().isoformat()}" if inbox is not None else ""
    name = f"companies-{n}-seed{seed}{_variant(layer, inbox)}{day}.json"
    path, meta = cached(name, folder, build)
    return Dataset(path, n, meta["runs"], path.stat().st_size, meta["median"])
