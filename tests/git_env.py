"""Git configured by the environment only, for the team tests: no user or system config,
a fixed identity, and ``main`` as the first branch, so the tests run alike on any machine."""

from __future__ import annotations

import pytest

GIT_ALONE = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "init.defaultBranch",
    "GIT_CONFIG_VALUE_0": "main",
    "GIT_AUTHOR_NAME": "Tester",
    "GIT_AUTHOR_EMAIL": "tester@example.com",
    "GIT_COMMITTER_NAME": "Tester",
    "GIT_COMMITTER_EMAIL": "tester@example.com",
}


def set_git_alone(monkeypatch: pytest.MonkeyPatch, **more: str) -> None:
    """Set ``GIT_ALONE`` (and ``more``) in this test's environment."""
    for key, value in {**GIT_ALONE, **more}.items():
        monkeypatch.setenv(key, value)
