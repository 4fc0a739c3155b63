"""Running git for team use: one call, its failure as one sentence with git's own words.

Every call runs ``git`` in the database's folder with a fixed environment: no prompt for
a password (``GIT_TERMINAL_PROMPT=0``: a remote that wants one fails at once instead of
waiting on a terminal the TUI owns), messages in English (``LC_ALL=C``, so a refused push
is recognised), and this program's source folder first on ``PYTHONPATH`` so the merge
driver git starts (``python -m tui merge``) is this very moatscope, from a source tree,
a virtualenv or an installed package alike.

The driver is passed on git's command line (``driver_options``), never written into the
repository's configuration: a fresh clone needs no set-up, and ``.gitattributes`` (which
travels with the repository) only names the file.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from store.errors import MoatscopeError

SOURCE_ROOT = Path(__file__).resolve().parents[1]
"""The folder holding the ``store`` and ``tui`` packages (source tree or site-packages)."""
DRIVER = "moatscope"
"""The merge driver's name in ``.gitattributes`` (``NAME merge=moatscope``)."""


class GitFailed(MoatscopeError):
    """A git command failed; ``str`` is one sentence ending with git's own message."""


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every git call runs with (see the module docstring)."""
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(SOURCE_ROOT), env.get("PYTHONPATH", "")) if part
    )
    env.update(extra or {})
    return env


def driver_options() -> list[str]:
    """``-c`` options that make git merge the database with ``moatscope merge``."""
    command = f"{shlex.quote(sys.executable)} -m tui merge %O %A %B %P"
    return ["-c", f"merge.{DRIVER}.name=moatscope", "-c", f"merge.{DRIVER}.driver={command}"]


def run(
    folder: Path, *args: str, doing: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``git ARGS`` in ``folder``; with ``doing`` ("pull from origin"), a failure
    raises GitFailed naming it, else the result is returned whatever the exit status."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=folder,
            env=git_env(env),
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitFailed("Cannot run git: it is not installed (or not on PATH).") from None
    except OSError as error:
        raise GitFailed(f"Cannot run git in {folder}: {error.strerror or error}.") from None
    if doing and done.returncode != 0:
        raise GitFailed(f"Cannot {doing}: git says {message(done)}.")
    return done


def run_bytes(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``git ARGS`` in ``folder`` for its output as bytes (a file's content)."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=folder,
            env=git_env(),
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except OSError as error:
        raise GitFailed(f"Cannot run git in {folder}: {error.strerror or error}.") from None


def message(done: subprocess.CompletedProcess[str]) -> str:
    """Git's own message, on one line: its ``fatal:``/``error:`` lines, else its last ones."""
    lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines()]
    lines = [line for line in lines if line and not line.startswith("hint:")]
    marked = [line for line in lines if line.startswith(("fatal:", "error:", "!", "CONFLICT"))]
    chosen = (marked or lines[-2:]) or [f"exit status {done.returncode}"]
    text = " ".join(line.removeprefix("fatal: ").removeprefix("error: ") for line in chosen)
    return text.rstrip(".") if len(text) <= 300 else text[:299] + "…"


def top_level(folder: Path) -> Path | None:
    """The work tree ``folder`` is in, or None when it is in none."""
    if not folder.is_dir():
        return None
    done = run(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return Path(done.stdout.strip()).resolve()


def output(folder: Path, *args: str) -> str:
    """The stripped output of a git command that must succeed (``doing`` from its args)."""
    return run(folder, *args, doing=f"run 'git {' '.join(args)}'").stdout.strip()
