"""The import preview's lines: columns measured in terminal cells, text cut with "…"."""

from __future__ import annotations

from rich.cells import cell_len

from store.import_plan import Outcome
from tui.screens.import_screen import NAME_CELLS, outcome_line

NAMES = {"network": "Networking & Interconnect", "power": "Power & Facilities"}
WIDE = "光電子集積回路株式会社の次世代コパッケージ光学事業部"  # 52 cells
WHY = "matched optics, photonics, co-packaged; same domain as an existing company"
START = cell_len("row      2  added      ")


def test_a_wide_name_is_cut_in_cells_and_the_layer_column_lines_up() -> None:
    wide = outcome_line(Outcome(2, WIDE, "add", layer="network", reason=WHY), NAMES)
    plain = outcome_line(Outcome(3, "Ember Grid", "add", layer="power"), NAMES)
    assert "コパッケー…" in wide and WIDE not in wide, wide
    assert "Networking & Interconn…" in wide, "the layer cut with …"
    for line, layer in ((wide, "Networking & Interconn…"), (plain, "Power & Facilities")):
        head = line[: line.index(layer)]
        assert cell_len(head) == START + NAME_CELLS + 1, line


def test_the_why_is_cut_to_the_preview_s_width() -> None:
    line = outcome_line(Outcome(2, WIDE, "add", layer="network", reason=WHY), NAMES, 100)
    assert cell_len(line) <= 100 and line.endswith("…"), line
    whole = outcome_line(Outcome(2, "Short", "skip", reason="no name"), NAMES, 100)
    assert whole.endswith("no name")
