"""Shared fixtures: every test gets its own data and config folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from store.service import Workbench

# Property tests run the same generated cases on every run (derandomised, no example
# database), so `make test` passes or fails alike on every machine; set
# HYPOTHESIS_PROFILE=explore to search with fresh random cases instead.
settings.register_profile(
    "repeatable",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG data/config at tmp_path so no test sees a developer's files."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("MOATSCOPE_DB", raising=False)
    return tmp_path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database lives."""
    return tmp_path / "db" / "moatscope.json"


@pytest.fixture
def workbench(db_path: Path):
    """A seeded workbench on a fresh database, closed after the test."""
    bench = Workbench.open(db_path, author="tester")
    yield bench
    bench.close()
