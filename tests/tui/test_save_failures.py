"""A save that fails in any way shows "NOT SAVED", and quitting keeps the change in a
recovery copy.

The failure is injected where the background writer calls the storage: a bug
(RuntimeError), an OSError the storage did not word, MemoryError. The header says "NOT
SAVED" on screen, the error is told in one sentence, and once the app is closed
(``close_or_rescue``, as ``moatscope`` does) the database file is untouched and the
recovery copy holds the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import MoatscopeError
from store.paths import data_dir
from store.service import Workbench
from tests.databases import names_in
from tests.tui.conftest import SIZE, recording, screen_text, settle, told
from tui.__main__ import close_or_rescue, make_app

FAILURES = {
    "a bug": (RuntimeError("lines out of step"), "an internal error (RuntimeError"),
    "an unwrapped OSError": (PermissionError(13, "Permission denied"), "Permission denied"),
    "out of memory": (MemoryError(), "the computer ran out of memory"),
}


@pytest.mark.parametrize("failure, sentence", FAILURES.values(), ids=FAILURES.keys())
async def test_a_failed_save_shows_not_saved_and_quitting_writes_a_recovery_copy(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    sentence: str,
) -> None:
    def broken(snapshot: object) -> bool:
        raise failure

    # Closed by the test, as ``moatscope`` closes it (``close_or_rescue``).
    session = Workbench.open(db_path, author="analyst")
    monkeypatch.setattr(session.database.storage, "write_snapshot", broken)
    before = db_path.read_bytes()
    app = recording(make_app(session))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"Kept Somewhere", "enter")
        await settle(pilot)
        assert screen_text(app).splitlines()[0].endswith("· NOT SAVED")
        (error,) = told(app, "error")
        assert sentence in error and error.endswith("the change is not saved.")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    with pytest.raises(MoatscopeError, match="Your unsaved changes were written to") as raised:
        close_or_rescue(session)
    assert sentence in str(raised.value)
    assert db_path.read_bytes() == before, "the database file is left as it was"
    (copy,) = (data_dir() / "recovered").iterdir()
    assert str(copy) in str(raised.value)
    assert "Kept Somewhere" in names_in(copy)


async def test_after_a_failed_save_the_next_change_saves_both(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Workbench.open(db_path, author="analyst")
    app = recording(make_app(session))
    async with app.run_test(size=SIZE) as pilot:
        with monkeypatch.context() as patch:

            def broken(snapshot: object) -> bool:
                raise RuntimeError("lines out of step")

            patch.setattr(session.database.storage, "write_snapshot", broken)
            await pilot.press("n", *"First Try", "enter")
            await settle(pilot)
            assert "NOT SAVED" in screen_text(app).splitlines()[0]
        await pilot.press("n", *"Second Try", "enter")
        await settle(pilot)
        assert screen_text(app).splitlines()[0].endswith("· saved")
        assert {"First Try", "Second Try"} <= names_in(db_path)
    close_or_rescue(session)
    assert not (data_dir() / "recovered").exists()
