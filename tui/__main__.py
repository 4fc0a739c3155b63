"""``moatscope``: the command line and ``make_app``, the one factory tests use too."""

from __future__ import annotations

import sys
from pathlib import Path

from store.checklist import active_checklist
from store.errors import MoatscopeError
from store.service import Workbench
from store.writer import write_failure
from tui.cli import run


def make_app(workbench: Workbench, warnings: tuple[str, ...] = ()):
    """Build the Textual app on an open workbench (imports Textual lazily)."""
    from tui.app import MoatscopeApp

    return MoatscopeApp(workbench, warnings=warnings)


def open_tui(db_path: Path) -> int:
    """Open the database, run the full-screen app, close the database.

    SIGHUP, SIGTERM and SIGINT end the app as ``q`` does, saving (``tui.shutdown``); the
    exit status is then 128 + the signal's number. The backup is made on a thread while the
    first frame is drawn (``store.preparation``); the app says so if it fails.
    """
    from tui.shutdown import ExitSignals, exit_status

    checklist, warning = active_checklist()
    with ExitSignals() as signals:
        workbench = Workbench.open(db_path, checklist=checklist, background=True)
        try:
            app = make_app(workbench, (warning,) if warning else ())
            app.exit_signals = signals  # the app takes them while it runs
            app.run()
        finally:
            close_or_rescue(workbench)
    if signals.received is not None:
        return exit_status(signals.received)
    return app.return_code or 0


def close_or_rescue(workbench: Workbench) -> None:
    """Close the database; if the last save fails, keep the changes in a recovery file."""
    try:
        workbench.close()
    except Exception as failure:  # whatever stopped the save, the changes must survive
        error = write_failure(workbench.database.path, failure)
        try:
            rescued = workbench.database.rescue()
        except Exception as second:  # (a recovery copy is the last resort: say why it failed)
            raise MoatscopeError(
                f"{error} Writing a recovery copy failed too ({second})."
            ) from None
        raise MoatscopeError(f"{error} Your unsaved changes were written to {rescued}.") from None


def main() -> None:
    """Console-script entry point."""
    sys.exit(run(sys.argv[1:], open_tui=open_tui))


if __name__ == "__main__":
    main()
