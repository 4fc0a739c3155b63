"""The detail pane's "Value chain" block: a company's relations, other layers and
chokepoints, each group on its line, and a loop of supplies when there is one."""

from __future__ import annotations

from rich.text import Text

from store.relation_ops import ValueChain

LABELS = {
    "Suppliers": "Suppliers",
    "Customers": "Customers",
    "Possible absorbers": "Absorbers",
    "Could absorb": "Absorbs",
    "Competitors": "Competes",
}
"""Each group's label in the block (nine cells at most, as the facts' labels)."""


def chain_block(chain: ValueChain | None, link_key: str | None, picture_key: str | None) -> Text:
    """The block for ``chain``; the keys that link a company and open the picture now
    (None: no key does) are named in its hint. Empty when there is nothing to show and
    no key to link a company."""
    text = Text()
    if chain is None or not chain:
        if link_key:  # (where no key links one, as in the inbox, an empty chain says nothing)
            text.append(f"Value chain: none · press {link_key} to link one", "dim")
        return text
    text.append("Value chain", style="bold")
    if picture_key:
        text.append(f"  {picture_key}: the picture, enter there goes to a company", style="dim")
    rows = [
        (LABELS[heading], [link.name for link in links])
        for heading, links in chain.relations.groups()
    ]
    rows += [("Also in", chain.secondary_layers), ("Rests on", chain.chokepoints)]
    for label, names in rows:
        if names:
            text.append(f"\n{label:<10}", style="dim")
            text.append(", ".join(names))
    if chain.cycle:
        text.append("\nLoop      ", style="dim")
        text.append(" → ".join(chain.cycle) + " (a loop of supplies)")
    return text
