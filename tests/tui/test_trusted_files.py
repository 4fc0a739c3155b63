"""The app on files shaped by hand or another version: read-only files, records breaking a rule."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from textual.widgets import Static

from store.service import Workbench
from store.storage import MemoryStorage
from tests.tui.conftest import (
    SIZE,
    main,
    recording,
    told,
)
from tui.__main__ import make_app
from tui.screens.main import MainScreen
from tui.widgets.company_table import CompanyTable
from tui.widgets.detail import CompanyDetail


async def test_a_read_only_file_opens_read_only_with_a_notice(db_path: Path) -> None:
    Workbench.open(db_path).close()
    os.chmod(db_path, 0o400)
    before = db_path.read_bytes(), db_path.stat().st_mtime_ns
    bench = Workbench.open(db_path)
    try:
        app = recording(make_app(bench))
        async with app.run_test(size=SIZE) as pilot:
            notice = main(app).query_one("#notice", Static)
            assert notice.has_class("-visible")
            assert "its permissions do not allow writing" in str(notice.render())
            assert "read-only" in app.sub_title
            await pilot.press("n")
            assert isinstance(app.screen, MainScreen), "no dialog opens"
            assert told(app, "warning")[-1].startswith("Read-only session:")
            await pilot.press("q")
    finally:
        bench.close()
    assert (db_path.read_bytes(), db_path.stat().st_mtime_ns) == before
    assert os.stat(db_path).st_mode & 0o777 == 0o400


async def test_a_company_breaking_a_rule_is_shown_not_a_crash(db_path: Path) -> None:
    bench = Workbench.open(db_path)
    company = bench.add_company("Aaa Future Fab", layer="power")
    bench.close()
    tables = orjson.loads(db_path.read_bytes())
    tables["companies"][company.id].update(founded_year=3000, notes=[{"body": ""}])
    MemoryStorage(db_path, tables, on_disk=False).flush()
    bench = Workbench.open(db_path)
    try:
        app = recording(make_app(bench))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            rows = main(app).query_one(CompanyTable).rows
            assert rows[0].name == "Aaa Future Fab"
            assert "Aaa Future Fab" in main(app).query_one(CompanyDetail).text
            await pilot.press("down", "up")
            assert app.is_running
            await pilot.press("q")
    finally:
        bench.close()
