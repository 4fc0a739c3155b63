"""The chain picture's layout (``tui.chain_picture.draw``): bands cut to the width with
"+N more", the cursor's name always drawn, long names ending with "…", a loop written out."""

from __future__ import annotations

from rich.style import Style

from store.models import Verdict
from tui.chain_picture import Chain, Looks, Node, draw

LOOKS = Looks({}, Style(reverse=True), Style(bold=True), Style(dim=True), Style(bold=True))


def chain(customers: int, name: str = "Customer") -> Chain:
    nodes = [Node(f"c{i}", f"{name} {i:02}", None) for i in range(customers)]
    bands = [("Possible absorbers", []), ("Customers", nodes), ("Suppliers", []),
             ("Competitors", []), ("Could absorb", [])]  # fmt: skip
    centre = Node("me", "Centre Co", Verdict.ANCHOR)
    return Chain(centre, "Compute", bands, ["HBM supply"], [], ["Centre Co", "X", "Centre Co"])


def plain(lines) -> list[str]:
    return [line.plain for line in lines]


def test_a_wide_band_is_cut_with_a_count_of_the_rest_and_fits_the_width() -> None:
    lines = plain(draw(chain(40), (1, 0), 80, 20, LOOKS))
    assert all(len(line) <= 80 for line in lines)
    assert lines[1] == "Customers (40)"
    shown = [line for line in lines if "Customer " in line]
    assert shown and shown[-1].rstrip().endswith("more")
    assert "Customer 00" in shown[0]


def test_the_cursor_far_along_a_band_is_drawn() -> None:
    lines = plain(draw(chain(40), (1, 37), 80, 20, LOOKS))
    band = " ".join(line for line in lines if "Customer " in line)
    assert "Customer 37" in band
    assert "Customer 00" not in band  # the names before it give way
    assert "more" in band


def test_a_tall_screen_gives_a_band_more_lines() -> None:
    short = [line for line in plain(draw(chain(40), (1, 0), 80, 10, LOOKS)) if "Customer " in line]
    tall = [line for line in plain(draw(chain(40), (1, 0), 80, 45, LOOKS)) if "Customer " in line]
    assert len(tall) > len(short)


def test_a_long_name_ends_with_an_ellipsis_and_the_loop_is_written_out() -> None:
    lines = plain(
        draw(chain(1, name="An Extraordinarily Long Company Name"), (1, 0), 80, 24, LOOKS)
    )
    assert any("An Extraordinarily Long…" in line for line in lines)
    assert "Loop of supplies: Centre Co → X → Centre Co" in lines
    assert "Suppliers: none" in lines
    assert any(line.startswith("▶ Centre Co  Compute · Anchor") for line in lines)
