"""A company's value chain as a picture in the terminal: what it is built from, and who.

The centre company sits in the middle with the chokepoints it depends on beside it; its
possible absorbers and customers are drawn above it (value flows up to them), its
suppliers below it, then the companies it competes with and those it could absorb. Each
band is a row of names coloured by verdict; a band wider than the screen shows the names
around the cursor and says how many more there are ("+3 more"), a name too long for its
room ends with "…". A loop of supplies through the centre is written out plainly.

``chain_of`` reads the store once per centre (the relations come from the store's index);
``draw`` only lays out the names already read, so a cursor move redraws without a read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from store.models import Verdict
from store.service import Workbench
from tui.format import VERDICT_CLASS

NAME_MOST = 24
"""The most cells a name takes in a band (longer ones end with "…")."""
BAND_LINES_MOST = 3
"""The most lines of names one band takes, however tall the screen."""
ABOVE = ("Possible absorbers", "Customers")
BELOW = ("Suppliers", "Competitors", "Could absorb")


@dataclass(frozen=True)
class Node:
    """One company of the picture."""

    company_id: str
    name: str
    verdict: Verdict | None
    note: str = ""
    kind: str = ""


@dataclass
class Chain:
    """What the picture shows of one centre company, read once."""

    centre: Node
    layer: str
    bands: list[tuple[str, list[Node]]]
    """Every band, top to bottom (empty ones included: they say "none")."""
    chokepoints: list[str] = field(default_factory=list)
    secondary: list[str] = field(default_factory=list)
    cycle: list[str] = field(default_factory=list)

    def navigable(self) -> list[int]:
        """The indexes of the bands that hold a company, top to bottom."""
        return [index for index, (_, nodes) in enumerate(self.bands) if nodes]

    def node(self, cursor: tuple[int, int] | None) -> Node | None:
        """The company under ``cursor`` (band index, place in it), or None."""
        if cursor is None:
            return None
        band, place = cursor
        nodes = self.bands[band][1]
        return nodes[place] if 0 <= place < len(nodes) else None


def chain_of(workbench: Workbench, company_id: str) -> Chain:
    """The picture's content for ``company_id``: its relations by band, with verdicts."""
    chain = workbench.value_chain(company_id)
    row = workbench.row(company_id)
    layers = {layer.id: layer.name for layer in workbench.layers()}

    def node(link) -> Node:
        other = workbench.row(link.company_id)
        return Node(link.company_id, link.name, other.verdict if other else None, link.note)

    groups = dict(chain.relations.groups())
    names = (*ABOVE, "Suppliers", "Competitors", "Could absorb")
    bands = [(name, [node(link) for link in groups[name]]) for name in names]
    centre = Node(company_id, row.name if row else company_id, row.verdict if row else None)
    layer = layers.get(row.layer or "", "Unsorted") if row else ""
    return Chain(centre, layer, bands, chain.chokepoints, chain.secondary_layers, chain.cycle)


@dataclass(frozen=True)
class Looks:
    """The styles the picture is drawn with (from the widget's component classes)."""

    verdicts: dict[str, Style]
    """By ``VERDICT_CLASS`` value."""
    cursor: Style
    heading: Style
    dim: Style
    centre: Style

    def of(self, node: Node) -> Style:
        if node.verdict is None:
            return self.dim
        return self.verdicts.get(VERDICT_CLASS[node.verdict], Style())


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, ending with "…" when cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + "…" if width > 0 else ""


def draw(chain: Chain, cursor: tuple[int, int] | None, width: int, height: int, looks: Looks):
    """The picture as lines of ``width`` cells at most, fitting ``height`` lines when it
    can (each band gets up to ``BAND_LINES_MOST`` lines of names, the rest say "+N more")."""
    bands = chain.bands
    fixed = len(bands) + 3 + (1 if chain.cycle else 0)  # headings, centre, two arrows, loop
    per_band = max(1, min(BAND_LINES_MOST, (height - fixed) // max(len(chain.navigable()), 1)))
    lines: list[Text] = []
    for index, (name, nodes) in enumerate(bands):
        if name == "Suppliers":
            lines += _centre(chain, width, looks)
        place = cursor[1] if cursor and cursor[0] == index else None
        lines += _band(name, nodes, place, width, per_band, looks)
    if chain.cycle:
        loop = Text("Loop of supplies: ", style=looks.heading)
        loop.append(cut(" → ".join(chain.cycle), max(width - 18, 1)))
        lines.append(loop)
    return lines


def _centre(chain: Chain, width: int, looks: Looks) -> list[Text]:
    """The arrows and the centre line: the company, its verdict and layer, its chokepoints."""
    arrow = Text("  ▲ value flows up to customers and absorbers", style=looks.dim)
    middle = Text("▶ ")
    middle.append(cut(chain.centre.name, NAME_MOST), style=looks.centre + looks.of(chain.centre))
    verdict = chain.centre.verdict.label if chain.centre.verdict else "not scored"
    about = f"  {chain.layer} · {verdict}"
    if chain.secondary:
        about += f" · also in {', '.join(chain.secondary)}"
    middle.append(cut(about, max(width - middle.cell_len, 0)), style=looks.dim)
    points = Text("  ◆ rests on chokepoints: ", style=looks.heading)
    room = max(width - points.cell_len, 1)
    listed = _listed(chain.chokepoints, room)
    points.append(listed or "none", style=None if listed else looks.dim)
    below = Text("  ▲ built on its suppliers", style=looks.dim)
    return [arrow, middle, points, below]


def _listed(names: list[str], room: int) -> str:
    """``names`` joined, as many as fit in ``room`` cells, then "+N more"."""
    shown = ""
    for index, name in enumerate(names):
        more = f" +{len(names) - index - 1} more" if index < len(names) - 1 else ""
        piece = (", " if shown else "") + name
        if cell_len(shown + piece + more) > room:
            rest = f"+{len(names) - index} more"
            return cut(f"{shown}, {rest}" if shown else rest, room)
        shown += piece
    return shown


def _band(
    name: str, nodes: list[Node], place: int | None, width: int, most: int, looks: Looks
) -> list[Text]:
    """A band's heading and up to ``most`` lines of its names, the cursor's in view."""
    heading = Text(f"{name} ({len(nodes)})" if nodes else f"{name}: none", style=looks.heading)
    if not nodes:
        heading.stylize(looks.dim)
        return [heading]
    sized = [cut(node.name, NAME_MOST) for node in nodes]
    start = 0
    rows, end = _rows(sized, start, width, most)
    while place is not None and place >= end and start < place:
        start += 1
        rows, end = _rows(sized, start, width, most)
    lines = []
    for row in rows:
        line = Text("  ")
        for at in row:
            style = looks.of(nodes[at]) + (looks.cursor if at == place else Style())
            line.append(f" {sized[at]} ", style=style)
            line.append(" ")
        lines.append(line)
    hidden = start + len(nodes) - end
    if hidden:
        lines[-1].append(f"+{hidden} more", style=looks.dim)
    return [heading, *(cut_text(line, width) for line in lines)]


def _rows(sized: list[str], start: int, width: int, most: int) -> tuple[list[list[int]], int]:
    """Which names (by index, from ``start``) each of at most ``most`` lines holds, and
    the index after the last shown; the last line keeps room for "+N more"."""
    rows: list[list[int]] = [[]]
    used, at = 2, start
    while at < len(sized):
        size = cell_len(sized[at]) + 3
        last = len(rows) == most
        reserve = len(f"+{len(sized) - at - 1} more") if last and at < len(sized) - 1 else 0
        if used + size + reserve <= width or not rows[-1]:
            rows[-1].append(at)
            used, at = used + size, at + 1
        elif last:
            break
        else:
            rows.append([])
            used = 2
    return rows, at


def cut_text(line: Text, width: int) -> Text:
    """``line`` cut to ``width`` cells, ending with "…" when cut."""
    if line.cell_len <= width:
        return line
    line = line.copy()
    line.truncate(width, overflow="ellipsis")
    return line
