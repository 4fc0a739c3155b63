"""The command line's value chain: link, unlink, chokepoints, and what show prints of it.

Each change is saved before exit 0; each refusal is one sentence on stderr, exit 1, and the
file untouched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error


@pytest.fixture
def db(db_path: Path) -> str:
    Workbench.open(db_path).close()
    return str(db_path)


def relations(db: str) -> set[tuple[str, str, str, str]]:
    bench = Workbench.open(Path(db), read_only=True)
    try:
        name = {row.id: row.name for row in bench.rows()}
        return {
            (name[r["from_company"]], r["kind"], name[r["to_company"]], r["note"])
            for r in bench.relation_records().values()
        }
    finally:
        bench.close()


def test_link_and_unlink_by_name_or_id(db: str, cli) -> None:
    result = cli("--db", db, "link", "NVIDIA", "coreweave", "--kind", "supplies", "--note", "H100s")
    assert (result.code, result.out) == (0, "Linked: NVIDIA supplies CoreWeave.\n")
    bench = Workbench.open(Path(db), read_only=True)
    lambda_id = bench.find("Lambda").id
    bench.close()
    assert cli("--db", db, "link", "CoreWeave", lambda_id, "--kind", "competes").code == 0
    assert relations(db) == {
        ("NVIDIA", "supplies", "CoreWeave", "H100s"),
        ("CoreWeave", "competes", "Lambda", ""),
    }
    result = cli("--db", db, "unlink", "CoreWeave", "Lambda")
    assert (result.code, result.out) == (0, "Removed 1 link from CoreWeave to Lambda.\n")
    assert relations(db) == {("NVIDIA", "supplies", "CoreWeave", "H100s")}
    cli("--db", db, "link", "NVIDIA", "CoreWeave", "--kind", "could-absorb")
    result = cli("--db", db, "unlink", "NVIDIA", "CoreWeave", "--kind", "could-absorb")
    assert result.code == 0 and relations(db) == {("NVIDIA", "supplies", "CoreWeave", "H100s")}


def test_a_cycle_of_supplies_is_made_and_said(db: str, cli) -> None:
    cli("--db", db, "link", "NVIDIA", "CoreWeave", "--kind", "supplies")
    result = cli("--db", db, "link", "CoreWeave", "NVIDIA", "--kind", "supplies")
    assert result.code == 0
    assert result.out.splitlines() == [
        "Linked: CoreWeave supplies NVIDIA.",
        "This closes a cycle of supplies: CoreWeave → NVIDIA → CoreWeave.",
    ]


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["link", "NVIDIA", "NVIDIA", "--kind", "competes"], ["cannot be linked to itself"]),
        (["link", "NVIDIA", "CoreWeave", "--kind", "supplies"], ["already exists"]),
        (["link", "NVIDIA", "Coreweav", "--kind", "supplies"], ["did you mean CoreWeave"]),
        (["link", "NVIDIA", "Core", "--kind", "supplies"], ["Give the whole name or the id"]),
        (["link", "NVIDIA", "CoreWeave", "--kind", "eats"], ["Unknown kind 'eats'"]),
        (["link", "NVIDIA", "CoreWeave", "--kind", "competes", "--note", "a\nb"], ["single line"]),
        (["unlink", "CoreWeave", "NVIDIA"], ["There is no relation from CoreWeave to NVIDIA"]),
        (["unlink", "NVIDIA", "CoreWeave", "--kind", "competes"], ["no competes relation"]),
        (["unlink", "NVIDIA", "Nobody"], ["No company is named 'Nobody'"]),
    ],
)
def test_bad_input_is_one_sentence_and_the_file_is_untouched(
    db: str, cli, argv: list[str], fragments: list[str]
) -> None:
    cli("--db", db, "link", "NVIDIA", "CoreWeave", "--kind", "supplies")
    before = Fingerprint.of(Path(db))
    assert_one_line_error(cli("--db", db, *argv), *fragments)
    assert Fingerprint.of(Path(db)) == before


def test_link_to_a_deleted_company_names_it_as_unknown(db: str, cli) -> None:
    cli("--db", db, "delete", "Groq", "--yes")
    assert_one_line_error(
        cli("--db", db, "link", "NVIDIA", "Groq", "--kind", "competes"), "No company is named"
    )


def test_the_app_undoes_a_link_made_on_the_command_line(db: str, cli) -> None:
    cli("--db", db, "link", "NVIDIA", "CoreWeave", "--kind", "supplies")
    bench = Workbench.open(Path(db))
    try:
        assert bench.undo() == "Linked NVIDIA supplies CoreWeave"
        assert bench.relation_records() == {}
    finally:
        bench.close()


def test_show_prints_relations_other_layers_and_chokepoints(db: str, cli) -> None:
    cli("--db", db, "link", "NVIDIA", "CoreWeave", "--kind", "supplies", "--note", "H100s")
    cli("--db", db, "link", "AMD", "CoreWeave", "--kind", "could-absorb")
    bench = Workbench.open(Path(db))
    coreweave = bench.find("CoreWeave").id
    bench.set_secondary_layers(coreweave, ["orchestration"])
    bench.set_chokepoints(coreweave, ["accelerators", "interconnection"])
    bench.close()
    shown = cli("--db", db, "show", "CoreWeave").out
    chain = shown[shown.index("## Value chain") :]
    assert chain.splitlines()[2:] == [
        "- **Also listed in:** Orchestration & Inference",
        "- **Depends on:** Accelerator allocation, Grid interconnection queues",
        "- **Suppliers:** NVIDIA (H100s)",
        "- **Possible absorbers:** AMD",
    ]
    data = json.loads(cli("--db", db, "show", "CoreWeave", "--format", "json").out)
    assert data["value_chain"]["suppliers"][0]["name"] == "NVIDIA"
    assert data["value_chain"]["possible_absorbers"][0]["name"] == "AMD"
    assert data["chokepoints"] == ["accelerators", "interconnection"]
    assert "## Value chain" not in cli("--db", db, "show", "Oklo").out


def test_chokepoints_rolls_up_the_pipeline(db: str, cli) -> None:
    bench = Workbench.open(Path(db))
    for name in ("NVIDIA", "AMD"):
        bench.set_chokepoints(bench.find(name).id, ["hbm"])
    bench.set_status([bench.find("NVIDIA").id, bench.find("AMD").id], "screening")
    bench.close()
    table = cli("--db", db, "chokepoints").out
    hbm = next(line for line in table.splitlines() if line.startswith("HBM supply"))
    assert hbm.split() == ["HBM", "supply", "Compute", "2", "2", "screening", "2", "unscored"]
    assert table.splitlines()[-1] == "1 of 10 chokepoints have companies of the pipeline on them."
    data = json.loads(cli("--db", db, "chokepoints", "--format", "json").out)
    hbm_data = next(item for item in data if item["id"] == "hbm")
    assert hbm_data["companies"] == 2
    assert hbm_data["by_status"] == {"screening": 2}
    assert hbm_data["by_verdict"] == {"unscored": 2}
    assert len(data) == 10


def test_depends_and_also_in_change_a_company_and_show_says_so(db: str, cli) -> None:
    result = cli("--db", db, "depends", "CoreWeave", "+hbm", "+accelerators")
    assert (result.code, result.out) == (
        0,
        "CoreWeave depends on: HBM supply, Accelerator allocation.\n",
    )
    result = cli("--db", db, "depends", "CoreWeave", "-hbm")
    assert result.out == "CoreWeave depends on: Accelerator allocation.\n"
    result = cli("--db", db, "also-in", "CoreWeave", "+orchestration", "+compute")
    assert result.out == "CoreWeave is also listed in: Orchestration & Inference.\n"
    shown = cli("--db", db, "show", "CoreWeave").out
    assert "- **Also listed in:** Orchestration & Inference\n" in shown
    assert "- **Depends on:** Accelerator allocation\n" in shown
    listed = cli("--db", db, "list", "--layer", "orchestration", "--format", "json").out
    assert "CoreWeave" in [row["name"] for row in json.loads(listed)]
    assert "2 accelerators" not in cli("--db", db, "chokepoints").out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["depends", "CoreWeave", "+unobtainium"], "There is no chokepoint 'unobtainium'"),
        (["depends", "CoreWeave"], "Give the chokepoints to add (+ID) or remove (-ID)."),
        (["also-in", "CoreWeave", "+moon"], "There is no layer 'moon'"),
        (["also-in", "CoreWeave", "network"], "'network' is not a change"),
        (["also-in", "Coreweav", "+network"], "did you mean CoreWeave"),
    ],
)
def test_bad_dependences_and_layers_are_one_sentence(
    db: str, cli, argv: list[str], fragment: str
) -> None:
    before = Fingerprint.of(Path(db))
    assert_one_line_error(cli("--db", db, *argv), fragment)
    assert Fingerprint.of(Path(db)) == before
