"""The TUI in a real terminal: a pseudo-terminal, ``moatscope`` in a child process, and the
screen read back from what the app writes to it.

Only the standard library: the child gets the pty as its controlling terminal (so closing
the terminal sends it SIGHUP, as a closed window or ssh session does), and ``ScreenGrid``
keeps the characters of the screen from the cursor moves and text the app writes (Textual
positions every run of text it draws, and ignores what it does not ask back).
"""

from __future__ import annotations

import codecs
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

RUN = "import runpy; runpy.run_module('tui', run_name='__main__')"
"""Run ``moatscope`` (its arguments follow)."""
TAKE_TERMINAL = "import fcntl, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
"""Make the terminal on standard input the controlling terminal (the child leads a
session of its own): closing the terminal then sends it SIGHUP."""

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "ctrl+s": "\x13",
    "backspace": "\x7f",
    "end": "\x1b[F",
}
SAVE_STATES = ("NOT SAVED", "saving…", "saved", "read-only")
"""What the header's end says of saving."""


def moatscope_env(home: Path) -> dict[str, str]:
    """The environment of ``moatscope`` in a test: this repository first on the path, the
    data and config folders under ``home``, no database chosen by the environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MOATSCOPE")}
    env.update(
        PYTHONPATH=f"{REPO_ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        HOME=str(home),
    )
    return env


_SEQUENCE = re.compile(
    r"\x1b\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[^\[\]P]"  # two-character escapes
)
_INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|P[^\x1b]*|)$")


def cells(char: str) -> int:
    """How many terminal cells ``char`` takes."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


class ScreenGrid:
    """The characters on a terminal screen, kept from the bytes written to it."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.grid = [[" "] * width for _ in range(height)]
        self.row = self.col = 0
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self._pending = ""

    def feed(self, data: bytes) -> None:
        """Apply what the app wrote."""
        text = self._pending + self._decode(data)
        cut = _INCOMPLETE.search(text)
        self._pending, text = (text[cut.start() :], text[: cut.start()]) if cut else ("", text)
        position = 0
        for match in _SEQUENCE.finditer(text):
            self._text(text[position : match.start()])
            if match["final"] is not None:
                self._control(match["params"], match["final"])
            position = match.end()
        self._text(text[position:])

    def _control(self, params: str, final: str) -> None:
        if final in "Hf" and not params.startswith("?"):
            row, _, col = params.partition(";")
            self.row = min(max(int(row or 1) - 1, 0), self.height - 1)
            self.col = min(max(int(col or 1) - 1, 0), self.width - 1)
        elif final == "J" and params in ("2", "3"):
            self.grid = [[" "] * self.width for _ in range(self.height)]

    def _text(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row = min(self.row + 1, self.height - 1)
            elif char >= " ":
                width = cells(char)
                if width and self.col < self.width:
                    self.grid[self.row][self.col] = char
                    for extra in range(1, width):
                        if self.col + extra < self.width:
                            self.grid[self.row][self.col + extra] = ""
                self.col += width

    def line(self, row: int) -> str:
        """One line of the screen, without trailing blanks."""
        return "".join(self.grid[row]).rstrip()

    @property
    def text(self) -> str:
        """The whole screen, one line per row."""
        return "\n".join(self.line(row) for row in range(self.height))

    @property
    def save_state(self) -> str:
        """What moatscope's header (the first line) says of saving: "saved", "saving…",
        "NOT SAVED" or "read-only"; "" when it shows none."""
        header = self.line(0)
        return next((state for state in SAVE_STATES if header.endswith(f"· {state}")), "")


class Terminal:
    """``moatscope --db PATH`` running in a pseudo-terminal of ``size`` (columns, lines);
    its controlling terminal unless ``controlling`` is False (then closing the terminal
    sends no SIGHUP, as under some terminal multiplexers and job runners)."""

    def __init__(
        self,
        db: Path,
        env: dict[str, str],
        size: tuple[int, int] = (200, 40),
        *,
        controlling: bool = True,
    ) -> None:
        width, height = size
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        environment = {
            **env,
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "COLUMNS": "",
            "LINES": "",
        }
        environment = {key: value for key, value in environment.items() if value}
        self.process = subprocess.Popen(
            [sys.executable, "-c", (TAKE_TERMINAL if controlling else "") + RUN, "--db", str(db)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment,
            cwd=REPO_ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = ScreenGrid(width, height)
        self.output = b""
        """Every byte the app wrote."""

    # Reading ------------------------------------------------------------------------------

    def read(self, timeout: float) -> bool:
        """Take what the app wrote within ``timeout`` seconds; False once it wrote nothing
        (or the terminal is closed)."""
        if self.master < 0:
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the app is gone: its side of the terminal is closed
            return False
        self.output += data
        self.screen.feed(data)
        return bool(data)

    def pause(self, seconds: float) -> None:
        """Let ``seconds`` pass, taking what the app writes meanwhile."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if not self.read(left):
                time.sleep(min(left, 0.01))

    def wait_for(self, holds: Callable[[ScreenGrid], bool], timeout: float = 60.0) -> None:
        """Read until ``holds(screen)``; fail with the screen if it does not in time."""
        deadline = time.monotonic() + timeout
        while not holds(self.screen):
            if self.process.poll() is not None:
                self.read(0.1)
                if holds(self.screen):
                    return
                raise AssertionError(f"moatscope exited ({self.process.returncode}):\n{self.tail}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen never showed it:\n{self.screen.text}")
            self.read(0.05)

    def wait_for_text(self, text: str, timeout: float = 60.0) -> None:
        """Read until ``text`` is on screen."""
        self.wait_for(lambda screen: text in screen.text, timeout)

    @property
    def header(self) -> str:
        """The header line."""
        return self.screen.line(0)

    @property
    def save_state(self) -> str:
        """What the header says of saving ("saved", "saving…", "NOT SAVED"…), or ""."""
        return self.screen.save_state

    @property
    def tail(self) -> str:
        """The end of what the app wrote, as text (for failure messages)."""
        return self.output[-2000:].decode(errors="replace")

    # Acting -------------------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Type keys: single characters, or names such as "enter", "escape", "ctrl+s"."""
        for key in keys:
            os.write(self.master, KEYS.get(key, key).encode())

    def type(self, text: str) -> None:
        """Type ``text`` in one write, as a fast typist or a paste of keystrokes does."""
        os.write(self.master, text.encode())

    def send(self, signum: int) -> None:
        """Send a signal to the app."""
        self.process.send_signal(signum)

    def hang_up(self) -> None:
        """Close the terminal, as closing its window does: the kernel hangs it up and
        sends the app SIGHUP."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for the app to exit, reading what it writes meanwhile; its exit status.

        Fails (after killing it) if it does not exit in ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"moatscope did not exit:\n{self.tail}")
            if self.master < 0 or not self.read(0.05):
                time.sleep(0.02)
        while self.read(0.05):
            pass
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL the app (if it still runs) and reap it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        """Kill the app if needed and close the terminal."""
        self.kill()
        self.hang_up()
