"""The pieces of leaving on a signal (``tui.shutdown``), each in a process of its own.

Signals are noted, never fatal, while ``ExitSignals`` holds them, and handed to the event
loop's ``leave`` once attached (one that came before is handed over at once); a hung-up
terminal is told from a live one; the exit deadline ends a stuck process only once
everything is saved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.terminal import REPO_ROOT
from tui.shutdown import terminal_alive


def run_child(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )


HOLD = """
import asyncio, os, signal
from tui.shutdown import ExitSignals

with ExitSignals() as signals:
    os.kill(os.getpid(), signal.SIGTERM)
    os.kill(os.getpid(), signal.SIGHUP)
    print("noted", signals.received, flush=True)
    left = []
    with asyncio.Runner() as runner:
        loop = runner.get_loop()
        signals.attach(loop, left.append)

        async def later():
            await asyncio.sleep(0.05)
            os.kill(os.getpid(), signal.SIGINT)
            await asyncio.sleep(0.05)

        runner.run(later())
        signals.detach(loop)
    print("left", left, flush=True)
    os.kill(os.getpid(), signal.SIGINT)
    print("still noted", signals.received, flush=True)
print("restored", signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, flush=True)
"""


def test_signals_are_noted_then_handed_to_the_loop_then_noted_again() -> None:
    result = run_child(HOLD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"noted {signal.SIGTERM.value}",
        f"left [{signal.SIGTERM.value}, {signal.SIGINT.value}]",
        f"still noted {signal.SIGTERM.value}",
        "restored True",
    ]


DEADLINE = """
import time
from tui.shutdown import exit_deadline

state = {"saved": False}
exit_deadline(lambda: state["saved"], 77, grace=0.2)
time.sleep(1.0)
print("not before it is saved", flush=True)
state["saved"] = True
time.sleep(60)
print("never", flush=True)
"""


def test_the_exit_deadline_ends_a_stuck_process_once_everything_is_saved() -> None:
    result = run_child(DEADLINE)
    assert result.returncode == 77
    assert result.stdout.splitlines() == ["not before it is saved"]


def test_a_hung_up_terminal_is_told_from_a_live_one(tmp_path) -> None:
    master, slave = os.openpty()
    try:
        assert terminal_alive(slave)
        os.close(master)
        master = -1
        assert not terminal_alive(slave), "its window closed: hung up"
    finally:
        os.close(slave)
        if master >= 0:
            os.close(master)
    read, write = os.pipe()
    try:
        assert terminal_alive(read), "not a terminal: nothing to lose"
    finally:
        os.close(read)
        os.close(write)
