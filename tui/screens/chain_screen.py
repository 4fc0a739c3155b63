"""The chain picture: a company's value chain drawn in the terminal, and walked.

Arrows or hjkl move over the companies drawn (``tui.chain_picture``); enter makes the one
under the cursor the centre, esc goes back to the centre before, and a last esc (or q)
closes the picture with the company last centred, which the main screen then shows in
its layer (``MainScreen.jump_to``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from store.service import Workbench
from tui.chain_picture import Chain, Looks, chain_of, cut, draw
from tui.format import VERDICT_CLASS
from tui.widgets.footer import Footer

Cursor = tuple[int, int] | None


class ChainView(Widget):
    """The picture of one centre company, with a cursor on one of its companies."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"chain--{name}" for name in VERDICT_CLASS.values()),
        "chain--cursor",
        "chain--heading",
        "chain--dim",
        "chain--centre",
    }
    DEFAULT_CSS = """
    ChainView { height: 1fr; padding: 0 1; }
    ChainView > .chain--anchor { color: $success; }
    ChainView > .chain--contender { color: $primary; }
    ChainView > .chain--leaks { color: $error; }
    ChainView > .chain--incomplete { color: $warning; }
    ChainView > .chain--unproven { color: $accent; }
    ChainView > .chain--long-shot { color: $secondary; }
    ChainView > .chain--cursor { background: $accent 45%; text-style: bold; }
    ChainView > .chain--heading { text-style: bold; color: $text-muted; }
    ChainView > .chain--dim { color: $text-disabled; }
    ChainView > .chain--centre { text-style: bold reverse; }
    """

    def __init__(self, chain: Chain, cursor: Cursor) -> None:
        super().__init__()
        self.chain, self.cursor = chain, cursor

    def show(self, chain: Chain, cursor: Cursor) -> None:
        self.chain, self.cursor = chain, cursor
        self.refresh()

    def looks(self) -> Looks:
        style = self.get_component_rich_style
        return Looks(
            {name: style(f"chain--{name}", partial=True) for name in VERDICT_CLASS.values()},
            style("chain--cursor", partial=True),
            style("chain--heading", partial=True),
            style("chain--dim", partial=True),
            style("chain--centre", partial=True),
        )

    def lines(self) -> list[Text]:
        """The picture at the widget's size."""
        size = self.content_region.size
        return draw(self.chain, self.cursor, size.width, size.height, self.looks())

    def render(self) -> Text:
        return Text("\n").join(self.lines())


class ChainScreen(Screen[str | None]):
    """A company's suppliers below, customers and absorbers above, chokepoints beside."""

    BINDING_GROUP_TITLE = "Chain picture"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "recentre", "Centre on it", id="chain.centre"),
        Binding("escape", "back", "Back", id="chain.back"),
        Binding("q", "close", "Close", id="chain.close"),
        Binding("k,up", "move(-1, 0)", "Up", show=False, id="chain.up"),
        Binding("j,down", "move(1, 0)", "Down", show=False, id="chain.down"),
        Binding("h,left", "move(0, -1)", "Left", show=False, id="chain.left"),
        Binding("l,right", "move(0, 1)", "Right", show=False, id="chain.right"),
    ]

    DEFAULT_CSS = """
    ChainScreen .screen-title, ChainScreen .chain-status {
        padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, workbench: Workbench, company_id: str, on: str | None = None) -> None:
        """The picture of ``company_id``, the cursor on company ``on`` if it is drawn."""
        super().__init__(classes="chain-screen")
        self.workbench = workbench
        self.chain = chain_of(workbench, company_id)
        self.cursor = self._cursor_on(on)
        self.history: list[tuple[str, Cursor]] = []
        """The centres before this one, with where the cursor was, for esc."""

    def compose(self) -> ComposeResult:
        yield Static(id="chain-title", classes="screen-title")
        yield ChainView(self.chain, self.cursor)
        yield Static(id="chain-status", classes="chain-status")
        yield Footer()

    def on_mount(self) -> None:
        self._describe()

    @property
    def centre(self) -> str:
        """The id of the company at the centre."""
        return self.chain.centre.company_id

    def _cursor_on(self, company_id: str | None) -> Cursor:
        """The place of ``company_id`` in the picture, else the first company drawn."""
        first = None
        for band in self.chain.navigable():
            for place, node in enumerate(self.chain.bands[band][1]):
                if node.company_id == company_id:
                    return (band, place)
                first = first or (band, place)
        return first

    def action_move(self, bands: int, places: int) -> None:
        if self.cursor is None:
            return
        band, place = self.cursor
        if bands:
            order = self.chain.navigable()
            at = max(0, min(order.index(band) + bands, len(order) - 1))
            band = order[at]
            place = min(place, len(self.chain.bands[band][1]) - 1)
        else:
            place = max(0, min(place + places, len(self.chain.bands[band][1]) - 1))
        self.cursor = (band, place)
        self._redraw()

    def action_recentre(self) -> None:
        node = self.chain.node(self.cursor)
        if node is None:
            self.notify("No company here to go to: l on the main screen links one.", timeout=3)
            return
        if self.workbench.row(node.company_id) is None:
            self.notify("That company is no longer in the database.", severity="warning")
            return
        self.history.append((self.centre, self.cursor))
        before = self.centre
        self.chain = chain_of(self.workbench, node.company_id)
        self.cursor = self._cursor_on(before)
        self._redraw()

    def action_back(self) -> None:
        if not self.history:
            self.dismiss(self.centre)
            return
        company_id, cursor = self.history.pop()
        self.chain = chain_of(self.workbench, company_id)
        self.cursor = cursor if self.chain.node(cursor) else self._cursor_on(None)
        self._redraw()

    def action_close(self) -> None:
        self.dismiss(self.centre)

    def _redraw(self) -> None:
        self.query_one(ChainView).show(self.chain, self.cursor)
        self._describe()

    def _describe(self) -> None:
        """The title (the centre, how deep the walk is) and the line on the cursor's company."""
        title = Text("Value chain of ", style="bold", no_wrap=True, overflow="ellipsis")
        title.append(self.chain.centre.name, style="bold")
        if self.history:
            title.append(f" · {len(self.history)} step{'s' * (len(self.history) > 1)} in")
        title.append(" · enter: centre on it · esc: back", style="dim")
        self.query_one("#chain-title", Static).update(title)
        node = self.chain.node(self.cursor)
        status = Text(no_wrap=True, overflow="ellipsis")
        if node is None:
            status.append("No relations yet: l on the main screen links one.", style="dim")
        else:
            band = self.chain.bands[self.cursor[0]][0] if self.cursor else ""
            status.append(f"{band}: ", style="bold")
            status.append(node.name)
            if node.verdict is not None:
                status.append(f" · {node.verdict.label}")
            if node.note:
                status.append(f" · {cut(node.note, 200)}", style=Style(italic=True))
        self.query_one("#chain-status", Static).update(status)
