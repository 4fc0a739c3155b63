"""A state machine (hypothesis): three clones of a bare remote make random edits and
syncs; after a final round of syncs every clone's file is the same, byte for byte, and
holds every company anyone added and every note anyone wrote.

Offline: the remote is a bare repository in a temporary folder; git is configured by the
environment only. Each sync is the command's own code in-process (``prepare`` then
``exchange``), with git and the merge driver as child processes. Four examples of ten
steps run by default; ``TEAM_EXAMPLES=25 HYPOTHESIS_PROFILE=explore`` searches more (25
passed once, in 74 s).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from store import team, team_sync
from store.service import Workbench
from tests.git_env import set_git_alone

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PEOPLE = ("ada", "ben", "cy")
NAME = "moatscope.json"
STAGES = ("Pre-seed", "Seed", "Series A", "Series B")
LAYERS = ("compute", "power", "network")


def _open(folder: Path, who: str) -> Workbench:
    return Workbench.open(folder / NAME, author=who)


class Team(RuleBasedStateMachine):
    """Three people; each rule is one person's edit or sync."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="moatscope-team-"))
        remote = self.root / "remote.git"
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
        self.clones = {who: self.root / who for who in PEOPLE}
        bench = _open(self.clones["ada"], "ada")
        try:
            team_sync.prepare(bench)
            team.init(self.clones["ada"] / NAME, str(remote), "ada")
        finally:
            bench.close()
        for who in PEOPLE[1:]:
            team.join(self.clones[who] / NAME, str(remote))
        self.added: set[str] = set()
        self.notes: set[str] = set()
        self.count = 0

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _edit(self, who: str, action) -> None:
        bench = _open(self.clones[who], who)
        try:
            action(bench)
        finally:
            bench.close()

    @rule(who=st.sampled_from(PEOPLE), layer=st.sampled_from(LAYERS))
    def add(self, who: str, layer: str) -> None:
        self.count += 1
        name = f"{who.title()} Co {self.count}"
        self._edit(who, lambda bench: bench.add_company(name, layer=layer))
        self.added.add(name)

    @rule(who=st.sampled_from(PEOPLE), stage=st.sampled_from(STAGES), pick=st.integers(0, 99))
    def stage(self, who: str, stage: str, pick: int) -> None:
        def change(bench: Workbench) -> None:
            rows = sorted(bench.rows(), key=lambda row: row.id)
            bench.edit_company(rows[pick % len(rows)].id, stage=stage)

        self._edit(who, change)

    @rule(who=st.sampled_from(PEOPLE), pick=st.integers(0, 99))
    def note(self, who: str, pick: int) -> None:
        self.count += 1
        body = f"note {self.count} by {who}"

        def write(bench: Workbench) -> None:
            rows = sorted(bench.rows(), key=lambda row: row.id)
            bench.add_note(rows[pick % len(rows)].id, body)

        self._edit(who, write)
        self.notes.add(body)

    @rule(who=st.sampled_from(PEOPLE))
    def sync(self, who: str) -> None:
        self._edit(who, self._sync)

    @staticmethod
    def _sync(bench: Workbench) -> None:
        team_sync.prepare(bench)
        team_sync.exchange(bench.database.path, bench.author)

    @invariant()
    def every_file_opens(self) -> None:
        for folder in self.clones.values():
            Workbench.open(folder / NAME, read_only=True).close()

    def final_round(self) -> None:
        """Everyone syncs twice in turn: everyone has everything, byte for byte."""
        for who in PEOPLE * 2:
            self.sync(who)
        raws = {who: (folder / NAME).read_bytes() for who, folder in self.clones.items()}
        assert len(set(raws.values())) == 1, "the clones differ after a final round"
        bench = Workbench.open(self.clones["ada"] / NAME, read_only=True)
        try:
            assert self.added <= {row.name for row in bench.rows()}
            bodies = {note.body for row in bench.rows() for note in bench.find(row.id).notes}
            assert self.notes <= bodies
        finally:
            bench.close()


class FinishingTeam(Team):
    def teardown(self) -> None:
        try:
            self.final_round()
        finally:
            super().teardown()


def test_three_clones_end_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    set_git_alone(monkeypatch)
    run_state_machine_as_test(
        FinishingTeam,
        settings=settings(
            max_examples=int(os.environ.get("TEAM_EXAMPLES", "4")),
            stateful_step_count=10,
            deadline=None,
        ),
    )
