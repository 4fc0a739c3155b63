"""``moatscope`` as a user runs it, plus a log of what it drew: for ``terminal`` sessions.

    BENCH_LOG=FILE python -m tests.benchmarks.pty_app --db PATH

runs the console script's own ``main()`` (the real driver, writing to the real terminal) with
three hooks that write one JSON line each to FILE, stamped with ``time.monotonic()``:

- ``frame``: every screen update the compositor hands to the driver (``App._display``): the
  screen's class, the filter typed, whether the search still owes the rest of its result
  (``pending``), the rows listed, the highlighted company and the company the detail pane
  was last asked to show (``detail``). A frame is written to the terminal by Textual's
  writer thread just after it is logged; the parent finds its end in the pty's output.
- ``save``: each change of the app's save state ("saving", "saved", ...).
- ``gc``: each pass of the cyclic garbage collector over 1 ms (``gc.callbacks``).

The hooks read a few attributes per frame; nothing else of the app is changed.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from typing import Any

LOG = open(os.environ["BENCH_LOG"], "w", buffering=1)  # noqa: SIM115 (lives as the process)


def log(kind: str, **fields: Any) -> None:
    LOG.write(json.dumps({"kind": kind, "t": time.monotonic(), **fields}) + "\n")


class _Collector:
    """Logs every garbage-collector pass over 1 ms."""

    def __init__(self) -> None:
        self.start = 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.start = time.monotonic()
            return
        seconds = time.monotonic() - self.start
        if seconds > 0.001:
            log("gc", start=self.start, seconds=seconds, generation=info["generation"])


def _frame_fields(app: Any, screen: Any, followed: list[str | None]) -> dict[str, Any]:
    from tui.screens.main import MainScreen

    fields: dict[str, Any] = {"screen": type(screen).__name__}
    if isinstance(screen, MainScreen):
        current = screen.table.current
        fields.update(
            query=screen.query_text,
            pending=screen.search.pending,
            rows=len(screen.table.rows),
            current=current.id if current is not None else None,
            detail=followed[0],
        )
    return fields


def _install(app: Any) -> None:
    """Log the app's frames and save states."""
    from tui.widgets.detail import CompanyDetail

    followed: list[str | None] = [None]
    follow = CompanyDetail.follow

    def following(detail: Any, row: Any, workbench: Any) -> None:
        follow(detail, row, workbench)
        followed[0] = row.id if row is not None else None

    CompanyDetail.follow = following  # type: ignore[method-assign]
    display = app._display

    def recording(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count:
            log("frame", **_frame_fields(app, screen, followed))

    app._display = recording
    watch = app.watch_save_state

    def watching(state: str) -> None:
        watch(state)
        log("save", state=state)

    app.watch_save_state = watching


def main() -> None:
    _Collector()
    import tui.__main__ as cli

    make_app = cli.make_app

    def logged_app(*args: Any, **kwargs: Any) -> Any:
        app = make_app(*args, **kwargs)
        _install(app)
        return app

    cli.make_app = logged_app
    log("main")
    sys.argv[0] = "moatscope"
    cli.main()


if __name__ == "__main__":
    main()
