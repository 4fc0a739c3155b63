"""``python -m tests.benchmarks.peak OUT ARGS...``: ``moatscope ARGS...``, then its peak memory.

The command runs as the console script runs it (``tui.__main__``, in this process); when
the process exits, its peak resident memory in KB (``VmHWM``: this process image alone, not
the parent's peak that ``ru_maxrss`` inherits across a vfork) is written to OUT.
"""

from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path


def _write_peak(out: Path) -> None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            out.write_text(line.split()[1])


def main() -> None:
    out, args = Path(sys.argv[1]), sys.argv[2:]
    atexit.register(_write_peak, out)
    sys.argv = ["moatscope", *args]
    runpy.run_module("tui", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
