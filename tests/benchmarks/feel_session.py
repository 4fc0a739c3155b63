"""Runs of moatscope and VisiData in a pseudo-terminal, as a user sees them; for ``bench_feel``.

Each function starts one fresh process in a ``terminal.Terminal`` of ``SIZE`` and returns
plain numbers (seconds, KB). The first frame is found in the terminal's output: the first
company name written (a row of the list, of VisiData's sheet), then ``FRAME_GAP`` without
output; the process's peak memory is its ``VmHWM``. The keys of a moatscope session are
timed against the frames ``pty_app`` logs: a key's whole result is the first frame after it
that shows the filter typed, the search finished (no rows still owed), the counts, and the
detail pane on the highlighted company; its time ends when the terminal's output after that
frame ends (``WHOLE_GAP`` of quiet: the pane draws in a few frames).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tests.benchmarks.harness import REPO, Settings, child_env, fresh_copy
from tests.benchmarks.terminal import Terminal

SIZE = (160, 48)
FRAME_GAP = 0.03
"""Seconds of quiet that end a frame's output (Textual writes a frame within a few ms)."""
WHOLE_GAP = 0.1
"""Seconds of quiet that end everything a key changed (the detail pane draws in a few frames;
the filter box's cursor blinks every 0.5 s)."""
SETTLED_GAP = 1.0
"""Seconds of quiet after which a program is taken to have finished starting."""
REST = 0.3
"""Seconds between measured keys, so each starts from an idle app."""
BURST_GAP = 0.04
NOTE = "Pricing holds up at scale; ask for the churn numbers next week."
_ESCAPES = re.compile(
    rb"\x1b(?:\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-B]|[=>])"
)
_CELLS = re.compile("[\r\n\u2502\u2503|]+")


def texts(output: bytes) -> Iterable[str]:
    """The runs of text a program wrote between escape codes, cell borders and line ends."""
    for run in _ESCAPES.split(output):
        for cell in _CELLS.split(run.decode("utf-8", "replace")):
            cell = cell.strip()
            if cell:
                yield cell


def first_name(terminal: Terminal, names: set[str], timeout: float = 180.0) -> float:
    """The arrival time of the first chunk of output that completes one of ``names``."""
    deadline = time.monotonic() + timeout
    seen = 0
    tail = b""
    while time.monotonic() < deadline:
        chunks = terminal._snapshot()
        for at, data in chunks[seen:]:
            # A name split across two chunks is found with the end of the one before.
            if any(text in names for text in texts(tail + data)):
                return at
            tail = data[-512:]
        seen = len(chunks)
        if terminal.status is not None:
            break
        time.sleep(0.003)
    raise TimeoutError(f"no company name appeared on the terminal: {terminal.output()[-400:]!r}")


def moatscope_argv(db: Path, logged: bool) -> list[str]:
    module = "tests.benchmarks.pty_app" if logged else "tui"
    return [sys.executable, "-m", module, "--db", str(db)]


def moatscope_start(db: Path, names: set[str], settings: Settings) -> dict[str, float]:
    """``moatscope --db DB`` from spawn to its first frame, and on until it goes quiet."""
    copy = fresh_copy(db, settings, "pty")
    terminal = Terminal(moatscope_argv(copy, False), child_env(settings), REPO, SIZE)
    return _start_times(terminal, names, ["q"])


def visidata_start(csv: Path, names: set[str], settings: Settings, vd: str) -> dict[str, float]:
    """``vd FILE`` from spawn to its first rows, and on until the whole file is loaded (the
    progress in its status line stops: quiet)."""
    home = settings.workdir / "vd-home"
    home.mkdir(exist_ok=True)
    env = {**child_env(settings), "HOME": str(home)}
    terminal = Terminal([vd, "--motd-url=", str(csv)], env, REPO, SIZE)
    return _start_times(terminal, names, ["gq"])


def _start_times(terminal: Terminal, names: set[str], quit_keys: list[str]) -> dict[str, float]:
    """From spawn: the first name seen, the frame (quiet after it), the settled screen
    (longer quiet) and the peak memory; then the program is quit with ``quit_keys``."""
    try:
        named = first_name(terminal, names)
        frame = terminal.quiet_after(named, FRAME_GAP)
        settled = terminal.quiet_after(named, SETTLED_GAP)
        peak = terminal.peak_kb()
    finally:
        terminal.close(quit_keys)
    start = terminal.spawned
    return {"frame": frame - start, "named": named - start, "settled": settled - start, "kb": peak}


class Log:
    """The lines ``pty_app`` wrote so far, read on from where the last look stopped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read = 0
        self._entries: list[dict[str, Any]] = []

    def entries(self, kind: str, after: float) -> list[dict[str, Any]]:
        if self.path.exists():
            with self.path.open("rb") as handle:
                handle.seek(self._read)
                data = handle.read()
            complete = data[: data.rfind(b"\n") + 1]  # (not the line being written)
            self._read += len(complete)
            self._entries += [json.loads(line) for line in complete.splitlines()]
        return [e for e in self._entries if e["kind"] == kind and e["t"] >= after]

    def wait(
        self, kind: str, after: float, test: Callable[[dict], bool], timeout: float = 60.0
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for entry in self.entries(kind, after):
                if test(entry):
                    return entry
            time.sleep(0.005)
        raise TimeoutError(f"no {kind} passed the test after {after}")


def _whole(query: str) -> Callable[[dict], bool]:
    """A frame of the main screen showing the whole result of ``query``."""

    def test(frame: dict) -> bool:
        return (
            frame.get("query") == query
            and not frame["pending"]
            and frame["current"] == frame["detail"]
        )

    return test


def _listed(query: str) -> Callable[[dict], bool]:
    """A frame with the whole list and counts of ``query`` (the detail may follow)."""
    return lambda frame: frame.get("query") == query and not frame["pending"]


class Session:
    """One moatscope process in a terminal with ``pty_app``'s log."""

    def __init__(self, db: Path, names: set[str], settings: Settings) -> None:
        copy = fresh_copy(db, settings, "pty")
        self.log = Log(settings.workdir / "pty-frames.jsonl")
        self.log.path.unlink(missing_ok=True)
        env = {**child_env(settings), "BENCH_LOG": str(self.log.path)}
        self.terminal = Terminal(moatscope_argv(copy, True), env, REPO, SIZE)
        named = first_name(self.terminal, names)
        self.first_frame = self.terminal.quiet_after(named, FRAME_GAP)
        self.peaks = {"first frame": self.terminal.peak_kb()}

    def key(self, key: str, query: str) -> dict[str, float]:
        """Press ``key`` (the filter then reads ``query``): the wall time to the list and
        counts drawn, and to the whole result drawn."""
        pressed = self.terminal.send(key)
        return self._result(pressed, query, pressed)

    def _result(self, pressed: float, query: str, since: float) -> dict[str, float]:
        listed = self.log.wait("frame", pressed, _listed(query))
        whole = self.log.wait("frame", pressed, _whole(query))
        gc = [p["seconds"] for p in self.log.entries("gc", since) if p["start"] <= whole["t"]]
        return {
            "listed": self.terminal.quiet_after(listed["t"], FRAME_GAP) - pressed,
            "whole": self.terminal.quiet_after(whole["t"], WHOLE_GAP) - pressed,
            "gc": max(gc, default=0.0),
        }

    def first_key(self, letter: str) -> dict[str, float]:
        """``/`` and ``letter`` the moment the first frame is out: what the work still
        running after the first frame (the rest of the database, the search's warm-up)
        costs the first key."""
        pressed = self.terminal.send("/" + letter)
        result = self._result(pressed, letter, pressed)
        time.sleep(REST)
        self.clear_filter()
        return result

    def open_filter(self) -> None:
        self.terminal.send("/")
        time.sleep(REST)

    def clear_filter(self) -> dict[str, float]:
        """esc in the filter box: every row back."""
        result = self.key("\x1b", "")
        time.sleep(REST)
        return result

    def burst(self, word: str) -> dict[str, float]:
        """``word`` typed at ``BURST_GAP`` a letter: from the last key to the final frame."""
        self.open_filter()
        first = time.monotonic()
        for letter in word[:-1]:
            self.terminal.send(letter)
            time.sleep(BURST_GAP)
        last = self.terminal.send(word[-1])
        return self._result(last, word, first)

    def save_note(self) -> dict[str, float]:
        """``a``, a note typed, ``ctrl+s``: from the key to the change on disk (the app's
        writer reports it saved)."""
        self.terminal.send("a")
        time.sleep(0.5)
        self.terminal.send(NOTE)
        time.sleep(0.5)
        pressed = self.terminal.send("\x13")
        saved = self.log.wait("save", pressed, lambda entry: entry["state"] == "saved")
        self.terminal.quiet_after(pressed, 0.2)
        return {"durable": saved["t"] - pressed}

    def peak(self, when: str) -> None:
        self.peaks[when] = self.terminal.peak_kb()

    def close(self) -> None:
        self.terminal.close(["q"])
