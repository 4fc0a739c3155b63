"""A name that matches nothing gets "did you mean …?": the closest spellings (three at
most, only close ones), from the store's ``find`` and on every command line that takes a
company (show, note, status, tag, delete), which still refuses it with nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import InvalidInput, NotFound
from store.service import Workbench
from tests.store.conftest import Fingerprint, assert_one_line_error


@pytest.fixture
def seeded(db_path: Path) -> Path:
    """A database holding the starter companies (Crusoe, Groq, Cerebras…)."""
    Workbench.open(db_path, author="tester").close()
    return db_path


def test_find_offers_the_closest_names_with_their_ids(workbench: Workbench) -> None:
    crusoe = workbench.find("Crusoe")
    with pytest.raises(NotFound) as refused:
        workbench.find("Crusoo")
    assert str(refused.value) == f"No company is named 'Crusoo'; did you mean Crusoe ({crusoe.id})?"
    with pytest.raises(NotFound, match=r"did you mean Groq \("):
        workbench.find("grok", exact=True)


def test_three_at_most_and_only_close_ones(workbench: Workbench) -> None:
    layer = workbench.layers()[0].id
    for name in ("Kestrel One", "Kestrel Two", "Kestrel Six", "Kestrel Ten"):
        workbench.add_company(name, layer=layer)
    with pytest.raises(NotFound) as refused:
        workbench.find("Kestrl Tw")
    message = str(refused.value)
    assert message.startswith("No company is named 'Kestrl Tw'; did you mean Kestrel Two (")
    assert message.count("Kestrel") == 3
    with pytest.raises(NotFound) as nothing_close:
        workbench.find("zanzibar")
    assert str(nothing_close.value) == "No company is named 'zanzibar'."


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "Cerebas"],
        ["note", "Cerebas", "a note"],
        ["status", "Cerebas", "watching"],
        ["tag", "Cerebas", "+hot"],
        ["delete", "Cerebas", "--yes"],
    ],
)
def test_every_command_that_takes_a_company_says_did_you_mean(
    seeded: Path, cli, argv: list[str]
) -> None:
    before = Fingerprint.of(seeded)
    refused = cli("--db", str(seeded), *argv)
    assert_one_line_error(refused, "No company is named 'Cerebas'; did you mean Cerebras (")
    assert Fingerprint.of(seeded) == before


# Messages in the interface's words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"founded_year": "soon"}, "Founded must be a whole number"),
        ({"name": "  "}, "Name must not be empty"),
        ({"kill_criterion": "two\nlines"}, "Kill criterion must be a single line"),
    ],
)
def test_a_refused_edit_says_the_fields_label_not_its_code_name(
    workbench: Workbench, fields: dict[str, str], sentence: str
) -> None:
    crusoe = workbench.find("Crusoe")
    with pytest.raises(InvalidInput) as refused:
        workbench.edit_company(crusoe.id, **fields)
    assert str(refused.value) == sentence
    assert next(iter(fields)) in refused.value.problems, "a form still knows the field"


def test_adding_a_passed_company_without_a_reason_says_so_in_words(seeded: Path, cli) -> None:
    refused = cli("--db", str(seeded), "add", "Kestrel", "--layer", "compute", "--status", "passed")
    assert_one_line_error(refused, "A reason is required to pass on a company")
    assert "pass_reason" not in refused.err
