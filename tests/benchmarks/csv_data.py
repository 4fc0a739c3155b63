"""Data-provider exports to import, as CSV: a Crunchbase organisation export of any size
(some of its companies already in a generated database, if asked), and a file of many
short rows. Deterministic like ``data``: one seed, one file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import orjson

from store.checklist import builtin_checklist
from tests.benchmarks.cache import cached
from tests.benchmarks.data import SEED, Dataset, _Generator, _words

INDUSTRIES = _words("""
    Artificial Intelligence (AI)|Machine Learning|Cloud Computing|Cloud Infrastructure|Data Center
    |Semiconductor|Hardware|Energy|Renewable Energy|Nuclear|Data Storage|Networking|Big Data
    |Analytics|Developer Tools|Enterprise Software|Software|Information Technology|Electronics
    |Data Management|Cyber Security|Generative AI|Infrastructure|Database|Optical Communication""")
CB_FUNDING = _words("""
    Pre-Seed|Seed|Seed|Series A|Series A|Series B|Series C|Venture - Series Unknown|Grant
    |Corporate Round|Debt Financing""")
CB_EMPLOYEES = _words("1-10|11-50|11-50|51-100|101-250|251-500|501-1000")
CB_STATES = _words("""
    San Francisco, California, United States|Austin, Texas, United States
    |New York, New York, United States|Seattle, Washington, United States
    |London, England, United Kingdom|Paris, Ile-de-France, France|Berlin, Berlin, Germany
    |Munich, Bayern, Germany|Stockholm, Stockholms Lan, Sweden|Zurich, Zurich, Switzerland
    |Tel Aviv, Tel Aviv, Israel|Toronto, Ontario, Canada|Singapore, Central Region, Singapore
    |Tokyo, Tokyo, Japan|Bangalore, Karnataka, India""")
CB_INVESTORS = _words("""
    Sequoia Capital|Andreessen Horowitz|Index Ventures|Accel|Lightspeed Venture Partners
    |General Catalyst|NVentures|Khosla Ventures|Founders Fund|Y Combinator|Balderton Capital""")
CB_COLUMNS = (
    "Organization Name",
    "Organization Name URL",
    "Website",
    "Description",
    "Full Description",
    "Industries",
    "Headquarters Location",
    "Founded Date",
    "Last Funding Type",
    "Total Funding Amount (in USD)",
    "CB Rank (Company)",
    "Number of Employees",
    "Operating Status",
    "Top 5 Investors",
    "Estimated Revenue Range",
)
"""A Crunchbase organisation export: known headers, plus columns moatscope keeps as source data."""


@dataclass(frozen=True)
class CsvFile:
    """A generated provider export and what is in it."""

    path: Path
    rows: int
    file_bytes: int
    repeats: int
    """Rows that repeat an earlier row of the file (same domain, another spelling of the name)."""
    known: int
    """Rows that match a company already in the database they are meant for."""
    nameless: int
    """Rows without a company name (the import skips them)."""


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _cb_row(generator: _Generator, name: str, website: str) -> dict[str, str]:
    rng = generator.rng
    company = generator.company()  # borrowed for its sentences; its name is not used
    prose = " ".join(note.body.replace("\n\n", " ") for note in company.notes)
    lowered = company.one_liner[0].lower() + company.one_liner[1:]
    founded = rng.choice(
        (
            f"{company.founded_year}-{rng.randrange(1, 13):02d}-01",
            str(company.founded_year),
            str(company.founded_year),
            "Unknown",
        )
    )
    return {
        "Organization Name": name,
        "Organization Name URL": f"https://www.crunchbase.com/organization/{_slug(name)}",
        "Website": website,
        "Description": company.one_liner,
        "Full Description": f"{name or 'It'} {lowered} {prose}"[:900],
        "Industries": ", ".join(rng.sample(INDUSTRIES, rng.randrange(2, 6))),
        "Headquarters Location": rng.choice(CB_STATES),
        "Founded Date": founded,
        "Last Funding Type": rng.choice(CB_FUNDING),
        "Total Funding Amount (in USD)": str(rng.randrange(1, 400) * 250_000),
        "CB Rank (Company)": f"{rng.randrange(1, 900_000):,}",
        "Number of Employees": rng.choice(CB_EMPLOYEES),
        "Operating Status": "Active",
        "Top 5 Investors": ", ".join(rng.sample(CB_INVESTORS, rng.randrange(1, 4))),
        "Estimated Revenue Range": rng.choice(("", "Less than $1M", "$1M to $10M", "$10M to $50M")),
    }


def crunchbase_csv(
    rows: int, folder: Path, existing: Dataset | None = None, seed: int = SEED + 7
) -> CsvFile:
    """A Crunchbase-style organisation export of ``rows`` rows (~1 KB each), with a BOM.

    About 3% of the rows repeat an earlier row (the same domain with ``www.``, a name with
    "Inc."); with ``existing``, about 5% are companies of that database (its domain, its
    name); 0.5% have no name. The rest are new companies.
    """
    name = f"crunchbase-{rows}-seed{seed}{'-vs-' + existing.path.stem if existing else ''}.csv"

    def build(path: Path) -> dict[str, int]:
        generator = _Generator(seed, builtin_checklist())
        known: list[tuple[str, str]] = []
        if existing is not None:
            raw = orjson.loads(existing.path.read_bytes())
            companies = raw["companies"].values()
            known = [(r["name"], r["website"]) for r in companies if r.get("website")]
            generator.names.update(name.casefold() for name, _ in known)
        written: list[tuple[str, str]] = []
        counts = {"repeats": 0, "known": 0, "nameless": 0}
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.DictWriter(handle, fieldnames=CB_COLUMNS)
            writer.writeheader()
            for _ in range(rows):
                writer.writerow(_next_row(generator, written, known, counts))
        return counts

    path, counts = cached(name, folder, build)
    return CsvFile(path, rows, path.stat().st_size, **counts)


def _next_row(
    generator: _Generator,
    written: list[tuple[str, str]],
    known: list[tuple[str, str]],
    counts: dict[str, int],
) -> dict[str, str]:
    """One row of the export: nameless, a repeat, a known company or a new one."""
    rng = generator.rng
    roll = rng.random()
    if roll < 0.005:
        row = _cb_row(generator, "", "")
        row["Website"] = f"https://{generator.new_id('anon')}.com"
        counts["nameless"] += 1
        return row
    if roll < 0.035 and written:
        name, website = rng.choice(written)
        name, website = f"{name}, Inc.", website.replace("https://", "https://www.")
        counts["repeats"] += 1
    elif roll < 0.085 and known:
        name, website = rng.choice(known)
        counts["known"] += 1
    else:
        name = generator.name()
        website = f"https://{_slug(name)}.{rng.choice(('com', 'ai', 'io'))}"
        written.append((name, website))
    return _cb_row(generator, name, website)


def short_rows_csv(rows: int, folder: Path) -> CsvFile:
    """A CSV of ``rows`` companies, a name, a website and a few words each (~50 bytes a row):
    many rows in a file small enough that only the number of rows can refuse it."""
    path = folder / f"short-rows-{rows}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("Organization Name", "Website", "Description"))
        writer.writerows(
            (f"Company {n}", f"https://company-{n}.example", f"Makes part {n}") for n in range(rows)
        )
    return CsvFile(path, rows, path.stat().st_size, 0, 0, 0)
