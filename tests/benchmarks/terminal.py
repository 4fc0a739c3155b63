"""A program in a real pseudo-terminal, its output timed as it arrives, keys sent as bytes.

What a user sees is what the program wrote to its terminal: the escape codes as well as the
text, through the kernel's pty, read here by a thread that stamps every chunk with
``time.monotonic()`` (CLOCK_MONOTONIC, the same clock in every process of the machine, so
a child can log its own times to compare). A "frame" is found in that stream: a text
appearing (a company name, a row of VisiData's sheet), then the output going quiet.

The terminal answers nothing (no device attributes, no cursor reports): Textual and curses
both carry on without an answer, as they do on a plain xterm.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

QUIET = 0.15
"""Seconds without output that end a frame."""


class Terminal:
    """``argv`` running in a pty of ``size`` (columns, lines)."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], cwd: Path, size: tuple[int, int]
    ) -> None:
        self.chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self.spawned = time.monotonic()
        pid, fd = os.forkpty()
        if pid == 0:  # the child: exec at once (nothing of the parent's state is used)
            try:
                os.chdir(cwd)
                os.execvpe(argv[0], list(argv), {**env, "TERM": "xterm-256color"})
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        columns, lines = size
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.status: int | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.5)
                if not ready:
                    if self.status is not None:
                        return
                    continue
                data = os.read(self.fd, 65536)
            except OSError:  # the child closed the terminal (EIO)
                return
            if not data:
                return
            with self._lock:
                self.chunks.append((time.monotonic(), data))

    def send(self, keys: str | bytes) -> float:
        """Write ``keys`` as typed; the time it was written."""
        data = keys.encode() if isinstance(keys, str) else keys
        at = time.monotonic()
        os.write(self.fd, data)
        return at

    def _snapshot(self) -> list[tuple[float, bytes]]:
        with self._lock:
            return list(self.chunks)

    def quiet_after(self, start: float, gap: float = QUIET, timeout: float = 120.0) -> float:
        """The arrival of the last chunk at or after ``start`` that is followed by ``gap``
        seconds without output (``start`` itself if nothing came)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = start
            for at, _ in self._snapshot():
                if at >= start:
                    if at - last > gap:
                        return last
                    last = at
            if time.monotonic() - last > gap:
                return last
            time.sleep(gap / 5)
        raise TimeoutError(f"the terminal did not go quiet for {gap} s in {timeout:.0f} s")

    def output(self, after: float = 0.0) -> bytes:
        return b"".join(data for at, data in self._snapshot() if at >= after)

    def peak_kb(self) -> int:
        """The child's peak resident memory so far (VmHWM: of this process image alone)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError(f"no VmHWM for process {self.pid}")

    def close(self, keys: Sequence[str | bytes] = (), timeout: float = 30.0) -> int:
        """Send ``keys`` (the program's way out), wait for it to exit (SIGTERM, then SIGKILL,
        if it does not); its exit status."""
        for key in keys:
            self.send(key)
            time.sleep(0.2)
        deadline = time.monotonic() + timeout
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None:
                os.kill(self.pid, sig)
                deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.status = os.waitstatus_to_exitcode(status)
                    self._reader.join(2)
                    os.close(self.fd)
                    return self.status
                time.sleep(0.02)
        raise RuntimeError(f"process {self.pid} did not exit")
