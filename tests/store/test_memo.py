"""The memo: verdict and reason, strongest answers and worst risks first, risks marked,
evidence with its kind, source, date and flags, the unanswered questions, and the question
texts of the run's own checklist version (a version 1 run survives the upgrade as it was).

The golden file is ``fixtures/memo_v2.md``; to redraw it after a deliberate change, run
with ``MOATSCOPE_UPDATE_GOLDEN=1`` and read the diff before committing it.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from store import clock
from store.checklist import builtin_checklist
from store.render import company_markdown
from store.service import Workbench
from tests.store.conftest import FIXTURES

GOLDEN = FIXTURES / "memo_v2.md"
V1_ERA = FIXTURES / "v1_era.json"
"""A database written by moatscope before version 2 (three version 1 runs, 2026-06-01)."""
V1, V2 = builtin_checklist(1), builtin_checklist()


@pytest.fixture
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 7, 9, 30, tzinfo=UTC))


def _evidence(answer: str, text: str, kind: str = "", source: str = "", day: str = "") -> dict:
    entry = {"answer": answer, "evidence": text, "source": source, "kind": kind or None}
    return {**entry, "date": day or None}


ANSWERS = {
    "A1": _evidence("y", "Two design partners blocked on cluster bandwidth", "customer_call",
                    "Call notes, 2026-11-02", "2026-11-02"),
    "A2": _evidence("p", "4.1 pJ/bit measured | vs 9 for pluggables", "benchmark",
                    "https://example.com/bench.pdf", "2026-09-15"),
    "A3": _evidence("y", "Designed into the partner's next rack", "claim"),
    "B1": _evidence("y", "Cost roadmap by yield step", "analyst", "Analyst note", "2025-06-01"),
    "B2": _evidence("p", ""),
    "C1": _evidence("n", "Own photonics; leaks to neither side"),
    "C2": _evidence("y", "The switch vendor has a co-packaged optics roadmap", "filing"),
    "C3": _evidence("p", "Tuned to today's all-to-all traffic"),
    "D1": _evidence("y", ""),
    "D2": _evidence("n", ""),
}  # fmt: skip


def test_the_memo_matches_its_golden_file(workbench: Workbench, fixed_day: None) -> None:
    company = workbench.add_company(
        "Kestrel Photonics", layer="network", one_liner="Co-packaged optics for AI clusters"
    )
    workbench.record_run(company.id, ANSWERS)
    memo = company_markdown(
        workbench.company(company.id),
        workbench.runs(company.id),
        "Networking & Interconnect",
        workbench.checklist,
    )
    if os.environ.get("MOATSCOPE_UPDATE_GOLDEN"):
        GOLDEN.write_text(memo, encoding="utf-8")
    assert memo == GOLDEN.read_text(encoding="utf-8")


def test_the_memo_puts_what_matters_first(workbench: Workbench, fixed_day: None) -> None:
    company = workbench.add_company("Kestrel Photonics", layer="network")
    workbench.record_run(company.id, ANSWERS)
    memo = company_markdown(
        workbench.company(company.id), workbench.runs(company.id), "", workbench.checklist
    )
    order = ["Contender", "risk C2 is answered Yes", "### Strongest answers", "**A1**",
             "**A3**", "### Worst risks", "**C2** Risk:", "**C3** Risk:", "### Answers",
             "### Unanswered"]  # fmt: skip
    positions = [memo.index(marker) for marker in order]
    assert positions == sorted(positions), memo
    assert "| C2 | Risk: Could a platform" in memo and "| Yes (bad) |" in memo
    assert "| C1 | Risk: " in memo and "| No (good) |" in memo
    assert "4.1 pJ/bit measured \\| vs 9" in memo  # a pipe cannot break the table
    assert "(founder or vendor claim)" in memo and "claim only" in memo
    assert "older than a year" in memo  # B1's analyst note of 2025-06-01
    for qid in ("B3", "B4", "C4", "D3"):
        assert f"- **{qid}** " in memo.split("### Unanswered")[1]


def test_a_version_1_run_stays_version_1_across_the_upgrade(
    tmp_path: Path, fixed_day: None
) -> None:
    db_path = tmp_path / "db" / "moatscope.json"
    db_path.parent.mkdir()
    shutil.copy(V1_ERA, db_path)
    stored = orjson.loads(V1_ERA.read_bytes())["runs"]
    bench = Workbench.open(db_path, author="tester")  # writable: migrates, backs up
    try:
        assert bench.checklist.version == 2
        oklo = bench.find("Oklo")
        (run,) = bench.runs(oklo.id)
        assert (run.checklist_version, run.verdict.value) == (1, "leaks_value")
        assert run.score == pytest.approx(64.0)
        bench.add_note(oklo.id, "a change after the upgrade")  # the file is written again
        memo = company_markdown(oklo, [run], "Power & Facilities", bench.checklist)
    finally:
        bench.close()
    after = orjson.loads(db_path.read_bytes())["runs"]
    assert after == stored, "every version 1 run is kept exactly as it was"
    assert "**Leaks value** · score 64" in memo and "moat v1" in memo
    assert "Scored with moat v1; the score and verdict are as saved" in memo
    assert V1.by_id["A1"].text in memo and V2.by_id["A1"].text not in memo
    assert V1.by_id["C1"].text in memo
    assert "Reactor design licensed" in memo


def test_the_cli_shows_a_version_1_run_as_saved(tmp_path: Path, cli) -> None:
    db_path = tmp_path / "v1.json"
    shutil.copy(V1_ERA, db_path)
    shown = cli("show", "Groq", "--db", str(db_path))
    assert shown.code == 0, shown.err
    assert "**Anchor** · score 100" in shown.out and "moat v1" in shown.out
    listed = orjson.loads(cli("list", "--format", "json", "--db", str(db_path)).out)
    verdicts = {row["name"]: row["verdict"] for row in listed if row["verdict"]}
    assert verdicts == {"Oklo": "leaks_value", "Groq": "anchor", "Crusoe": "leaks_value"}
