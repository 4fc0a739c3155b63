"""Helpers shared by the store tests: child processes, CLI runs, file fingerprints."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PERFECT = dict(
    zip("A1 A2 A3 B1 B2 B3 B4 C1 C2 C3 C4 D1 D2 D3".split(), "yyyyyyynnnnyyy", strict=True)
)
"""Answers (``y``/``n`` as the CLI takes them) that score 100, Anchor, on the built-in checklist:
every strength Yes, every risk No."""
STARTER_COUNT = len(json.loads((REPO_ROOT / "assets" / "starter.json").read_bytes())["companies"])


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: this repo importable, the test's XDG folders."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("MOATSCOPE_DB", None)
    env.update(extra)
    return env


class Child:
    """A child Python whose stdout is read line by line without losing a byte.

    Reading goes straight to the pipe's file descriptor and keeps its own buffer,
    so lines that arrive together with the one awaited are not dropped.
    """

    def __init__(self, code: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
            env=child_env(),
            cwd=REPO_ROOT,
        )
        self._buffer = b""
        self.seen = ""
        """Every complete line handed out by ``wait_for_line``."""

    def _read(self, timeout: float) -> str:
        """Read what the pipe has: "data", "eof" or "timeout"."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return "timeout"
        chunk = os.read(fd, 65536)
        self._buffer += chunk
        return "data" if chunk else "eof"

    def wait_for_line(self, expected: str, timeout: float = 30.0) -> str:
        """Consume lines until one starts with ``expected``; fail on exit or timeout."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\n", 1)
                line = raw.decode() + "\n"
                self.seen += line
                if line.startswith(expected):
                    return line
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                pytest.fail(f"child did not print {expected!r} within {timeout} s")
            if self._read(remaining) == "eof":
                self.process.wait()
                stderr = self.process.stderr.read().decode() if self.process.stderr else ""
                pytest.fail(
                    f"child exited ({self.process.returncode}) before {expected!r}: {stderr}"
                )

    def kill(self) -> None:
        """SIGKILL the child (if it still runs) and reap it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def finish(self) -> tuple[str, str]:
        """After the child is dead: the rest of stdout (not yet consumed) and all of stderr."""
        assert self.process.poll() is not None
        if self.process.stdout is None or self.process.stdout.closed:
            return "", ""
        while self._read(10.0) == "data":
            pass
        rest, self._buffer = self._buffer.decode(errors="replace"), b""
        stderr = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return rest, stderr


HOLD_CODE = """
import sys, time
from pathlib import Path
from store.service import Workbench
bench = Workbench.open(Path(sys.argv[1]), author="holder")
print("READY" if not bench.read_only else "READONLY " + bench.notice, flush=True)
time.sleep(120)
"""


@pytest.fixture
def lock_holder():
    """Start a child process that opens a database as the writer and keeps it open."""
    started: list[Child] = []

    def start(path: Path) -> Child:
        child = Child(HOLD_CODE, str(path))
        started.append(child)
        child.wait_for_line("READY")
        return child

    yield start
    for child in started:
        child.kill()
        child.finish()


@dataclass(frozen=True)
class Fingerprint:
    """What must not change when a file is left untouched."""

    data: bytes
    mtime_ns: int
    inode: int
    mode: int

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        stat = path.stat()
        return cls(path.read_bytes(), stat.st_mtime_ns, stat.st_ino, stat.st_mode)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``tui.cli.run(argv)`` in-process and capture what it prints."""
    from tui.cli import run

    def invoke(*argv: str) -> CliResult:
        capsys.readouterr()
        try:
            code = run(list(argv))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def assert_one_line_error(result: CliResult, *fragments: str) -> None:
    """A refusal a person can read: exit 1, one line on stderr, no traceback, nothing on stdout."""
    assert result.code == 1, (result.code, result.out, result.err)
    assert result.out == ""
    assert result.err.endswith("\n")
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("moatscope: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, (fragment, result.err)
