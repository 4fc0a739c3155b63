"""A user's own checklist file: used when valid, refused with file and line when not.

The file lives at ``$XDG_CONFIG_HOME/moatscope/checklist.json`` (the root
conftest points XDG_CONFIG_HOME into ``tmp_path``). A broken file never stops
the app or the CLI: the built-in checklist is used and one sentence names the
file and the line. A valid file with a new version scores new runs; old runs
keep the version and score they were made with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import assets
from store.checklist import active_checklist, builtin_checklist, user_checklist_path
from store.models import Verdict
from store.service import Workbench
from tests.store.conftest import PERFECT

PERFECT_BUT_SCALE = {**PERFECT, "B4": "n"}
"""Every strength Yes but B4 (scale), every risk No: 97 (29 of 30) on the built-in checklist."""


def builtin_data() -> dict[str, Any]:
    return json.loads(assets.path("checklist.json").read_text(encoding="utf-8"))


def write_user_checklist(text: str) -> Path:
    path = user_checklist_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str, after: str = "") -> int:
    """The 1-based line of the first ``fragment`` found after ``after``."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(fragment, start)) + 1


def question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == qid)


def assert_refused(path: Path, line: int, *fragments: str) -> str:
    checklist, warning = active_checklist()
    assert checklist == builtin_checklist(), "a broken file falls back to the built-in checklist"
    assert warning.startswith(f"{path}, line {line}: "), warning
    assert warning.endswith("Using the built-in checklist.")
    assert "\n" not in warning, "one sentence on one line"
    for fragment in fragments:
        assert fragment in warning, (fragment, warning)
    return warning


def test_without_a_user_file_the_builtin_checklist_is_used_silently() -> None:
    assert not user_checklist_path().exists()
    assert active_checklist() == (builtin_checklist(), "")


def test_a_json_syntax_error_names_the_file_and_line() -> None:
    data = builtin_data()
    text = json.dumps(data, indent=2)
    # Drop the comma after the version: the parser stumbles on the next line.
    broken = text.replace('"version": 2,', '"version": 3', 1)
    path = write_user_checklist(broken)
    assert_refused(path, line_of(broken, '"rules"'), "not valid JSON")


def test_a_weight_of_zero_names_the_line_of_that_weight() -> None:
    data = builtin_data()
    question(data, "B2")["weight"] = 0
    text = json.dumps(data, indent=2)
    path = write_user_checklist(text)
    warning = assert_refused(path, line_of(text, '"weight": 0'), "weight", "greater than 0")
    assert re.search(r"sections\.1\.questions\.1\.weight", warning)


def test_a_wrapper_question_that_does_not_exist_names_its_line() -> None:
    data = builtin_data()
    data["wrapper_question"] = "C9"
    text = json.dumps(data, indent=2)
    path = write_user_checklist(text)
    assert_refused(
        path, line_of(text, '"wrapper_question"'), "wrapper_question 'C9' is not a question id"
    )


def test_a_value_section_that_does_not_exist_names_its_line() -> None:
    data = builtin_data()
    data = {"value_section": "Z", **data}
    text = json.dumps(data, indent=2)
    path = write_user_checklist(text)
    assert_refused(path, line_of(text, '"value_section"'), "value_section 'Z' is not a section id")


def test_a_file_that_is_not_text_is_refused_too() -> None:
    path = user_checklist_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    checklist, warning = active_checklist()
    assert checklist == builtin_checklist()
    assert warning.startswith(f"{path}: cannot be read")


# A valid user checklist ---------------------------------------------------------------------


def checklist_v3_text() -> str:
    """The built-in checklist as version 3, with scale (B4) weighing 5 and Anchor at 90."""
    data = builtin_data()
    data["version"] = 3
    data["anchor_score"] = 90
    question(data, "B4")["weight"] = 5
    return json.dumps(data, indent=2)


def test_a_valid_user_checklist_scores_new_runs_and_old_runs_keep_theirs(db_path: Path) -> None:
    first = Workbench.open(db_path, author="tester")
    oklo = first.find("Oklo").id
    old = first.record_run(oklo, PERFECT_BUT_SCALE)
    first.close()
    assert (old.checklist_version, round(old.score), old.verdict) == (2, 97, Verdict.ANCHOR)

    write_user_checklist(checklist_v3_text())
    checklist, warning = active_checklist()
    assert warning == ""
    assert (checklist.id, checklist.version, checklist.by_id["B4"].weight) == ("moat", 3, 5)

    second = Workbench.open(db_path, checklist=checklist, author="tester")
    try:
        assert second.latest_run(oklo).model_dump() == old.model_dump(), (
            "opening with a new checklist re-scores nothing"
        )
        assert second.row(oklo).score == old.score and second.row(oklo).verdict is Verdict.ANCHOR
        crusoe = second.find("Crusoe").id
        new = second.record_run(crusoe, PERFECT_BUT_SCALE)
        assert (new.checklist_id, new.checklist_version) == ("moat", 3)
        assert (round(new.score), new.verdict) == (85, Verdict.CONTENDER)
        again = second.record_run(oklo, PERFECT_BUT_SCALE)
        assert again.checklist_version == 3
        first_run, second_run = second.runs(oklo)
        assert first_run.model_dump() == old.model_dump(), (
            "the old run keeps version 2 and its score"
        )
        assert second_run.model_dump() == again.model_dump()
    finally:
        second.close()


def test_the_cli_uses_a_valid_user_checklist_and_never_rescores_old_runs(
    db_path: Path, cli
) -> None:
    bench = Workbench.open(db_path, author="tester")
    bench.record_run(bench.find("Oklo").id, PERFECT_BUT_SCALE)
    bench.close()
    write_user_checklist(checklist_v3_text())
    result = cli("list", "--db", str(db_path), "--layer", "power", "--format", "json")
    assert result.code == 0 and result.err == ""
    oklo = next(row for row in json.loads(result.out) if row["name"] == "Oklo")
    assert (round(oklo["score"]), oklo["verdict"]) == (97, "anchor")
    shown = cli("show", "Oklo", "--db", str(db_path), "--format", "json")
    (run,) = json.loads(shown.out)["runs"]
    assert (run["checklist_version"], round(run["score"])) == (2, 97)


def test_a_user_file_copied_from_version_1_keeps_version_1_rules(db_path: Path) -> None:
    write_user_checklist(assets.path("checklist-v1.json").read_text(encoding="utf-8"))
    checklist, warning = active_checklist()
    assert (warning, checklist.version, checklist.rules) == ("", 1, 1)
    bench = Workbench.open(db_path, checklist=checklist, author="tester")
    try:
        # All of A Partly: rules 1 call it Leaks value (version 2 would say Unproven).
        run = bench.record_run(bench.find("Oklo").id, {**PERFECT, "A1": "p", "A2": "p", "A3": "p"})
        assert (run.checklist_version, run.verdict) == (1, Verdict.LEAKS_VALUE)
    finally:
        bench.close()


@pytest.mark.parametrize(
    "command", [["list"], ["show", "Oklo"], ["add", "Warned Co", "--layer", "power"]]
)
def test_the_cli_prints_one_warning_line_for_a_broken_file_and_carries_on(
    db_path: Path, cli, command: list[str]
) -> None:
    path = write_user_checklist('{\n  "id": "mine",\n  "version": 2\n  "title": "x"\n}\n')
    result = cli(*command, "--db", str(db_path))
    assert result.code == 0, result.err
    assert result.out.strip(), "the command still does its work"
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"moatscope: warning: {path}, line 4: not valid JSON")
    assert lines[0].endswith("Using the built-in checklist.")
    assert "Traceback" not in result.err
