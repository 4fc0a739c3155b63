"""A/B of the start, the headless commands and the TUI's memory between source trees.

    python -m tests.benchmarks.load_ab TREE_A TREE_B --sizes 10000,100000 --repeats 3 [--chain]

For each size it builds (once, in ``--workdir``) the ``data.dataset`` file with the default
spread over layers, copies it once per tree (the first open makes that copy's backup, as
a first session would; it is not timed), then runs the trees alternately (A B A B),
touching the copy before each start (``--touch``: its backup is made again, as after a
session that changed it; without it no backup is needed):
``load_probe start`` (first frame, memory at the first frame and after a filter) and the
commands ``add``, ``note``, ``status`` and ``show`` as whole processes (wall time of the
process, interpreter start included). Prints medians as a JSON object on the last line,
with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROBE = Path(__file__).with_name("load_probe.py")


def _env(tree: Path, workdir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "XDG_DATA_HOME": str(workdir / "xdg-data"),
        "XDG_CONFIG_HOME": str(workdir / "xdg-config"),
        "PYTHONPYCACHEPREFIX": str(workdir / f"bytecode-{tree.name}"),
    }
    env.pop("MOATSCOPE_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(command: list[str], tree: Path, workdir: Path) -> tuple[float, str]:
    began = time.monotonic()
    done = subprocess.run(
        command, cwd=tree, env=_env(tree, workdir), capture_output=True, text=True, check=False
    )
    wall = time.monotonic() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {tree}:\n{done.stderr[-2000:]}")
    return wall, done.stdout


def _start(tree: Path, db: Path, workdir: Path) -> dict[str, float]:
    began = time.monotonic()
    probe = workdir / "load_probe.py"
    _, out = _run([sys.executable, str(probe), "start", str(db), "grid"], tree, workdir)
    result = json.loads(out.strip().splitlines()[-1])
    return {
        "imports_s": result["imported"] - began,
        "first_frame_s": result["frame"] - began,
        "open_s": result["opened"] - result["imported"],
        "frame_after_open_s": result["frame"] - result["opened"],
        "idle_s": result["idle"] - began,
        "peak_mb_frame": result["at_frame"]["peak_mb"],
        "rss_mb_idle": result["at_idle"]["rss_mb"],
        "peak_mb_filter": result["after_filter"]["peak_mb"],
    }


def _commands(tree: Path, db: Path, workdir: Path, name: str, target: str) -> dict[str, float]:
    cli = [sys.executable, "-m", "tui", "--db", str(db)]
    timed: dict[str, float] = {}
    timed["add_s"], _ = _run([*cli, "add", name, "--layer", "power"], tree, workdir)
    timed["note_s"], _ = _run([*cli, "note", name, "a note"], tree, workdir)
    timed["status_s"], _ = _run([*cli, "status", name, "screening"], tree, workdir)
    timed["show_s"], _ = _run([*cli, "show", target], tree, workdir)
    return timed


def _dataset(n: int, workdir: Path, chain: bool) -> Path:
    """The generated file, reused when an earlier run left it in ``workdir``."""
    from tests.benchmarks import chain_data, data

    path = workdir / f"companies-{n}-seed{data.SEED}{'-chain' if chain else ''}.json"
    if not path.exists():
        dataset = data.dataset(n, workdir)
        path = chain_data.chained(dataset).path if chain else dataset.path
    return path


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="+", type=Path)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/load-ab"))
    parser.add_argument("--chain", action="store_true", help="with 3 relations per company")
    parser.add_argument("--no-commands", action="store_true")
    parser.add_argument("--touch", action="store_true", help="a backup at every start")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROBE, args.workdir / "load_probe.py")
    results: dict[str, Any] = {"load_before": os.getloadavg()}
    for n in (int(size) for size in args.sizes.split(",")):
        source = _dataset(n, args.workdir, args.chain)
        target = next(iter(json.loads(source.read_bytes())["companies"].values()))["name"]
        copies = {}
        for tree in args.trees:
            copies[tree] = args.workdir / f"{tree.name}-{n}" / "moatscope.json"
            copies[tree].parent.mkdir(exist_ok=True)
            shutil.copyfile(source, copies[tree])
            for leftover in copies[tree].parent.glob("moatscope.json.*"):
                leftover.unlink()
            _start(tree, copies[tree], args.workdir)  # not timed: bytecode and the backup
        samples: dict[str, dict[str, list[float]]] = {str(tree): {} for tree in args.trees}
        for attempt in range(args.repeats):
            for tree in args.trees:
                if args.touch:
                    os.utime(copies[tree])
                got = _start(tree, copies[tree], args.workdir)
                if not args.no_commands:
                    name = f"Loadprobe {tree.name} {attempt}"
                    got |= _commands(tree, copies[tree], args.workdir, name, target)
                for key, value in got.items():
                    samples[str(tree)].setdefault(key, []).append(value)
        results[str(n)] = {
            tree: {key: round(statistics.median(values), 3) for key, values in got.items()}
            for tree, got in samples.items()
        }
        print(json.dumps({n: results[str(n)]}, indent=1), file=sys.stderr, flush=True)
    results["load_after"] = os.getloadavg()
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:])
