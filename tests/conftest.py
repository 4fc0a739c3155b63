"""Shared fixtures: every test gets its own data and config folders; how `make test`
spreads the tests over its workers."""

from __future__ import annotations

import itertools
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


WORKERS_PER_CORE = 2
"""`-n auto` starts two workers per core: a Pilot test waits at least 20 ms for the app to
go idle after each key and pause (Textual's ``wait_for_idle``), so one worker per core
leaves the cores idle for over a third of the run; a second worker fills those waits."""


@pytest.hookimpl(optionalhook=True)  # (a hook of pytest-xdist, when it runs)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return WORKERS_PER_CORE * (os.cpu_count() or 1)


@pytest.hookimpl(trylast=True)  # (after -k and -m have deselected)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deal the process-level tests (marked ``slow``: kill -9 loops, real terminals, a
    wheel built; 10-40 s each) to the heads of the workers' shares, a file's together.

    pytest-xdist's ``worksteal`` (`make test`) hands each worker a contiguous share of
    this list at the start; in collection order the slow tests would fall to one or two
    workers, or to the end of a share, and run alone at the end of the run."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    slow: dict[str, list[pytest.Item]] = {}  # by file: a module's fixtures are built once
    for item in items:
        if item.get_closest_marker("slow"):
            slow.setdefault(item.nodeid.split("::")[0], []).append(item)
    rest = iter([item for item in items if not item.get_closest_marker("slow")])
    shares: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for number, group in enumerate(slow.values()):
        shares[number % workers] += group
    left = len(items)
    for number, share in enumerate(shares):
        size = left // (workers - number)  # as worksteal splits what is left
        left -= size
        share.extend(itertools.islice(rest, max(size - len(share), 0)))
    items[:] = [item for share in shares for item in share] + list(rest)


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
