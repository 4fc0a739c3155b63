"""An OptionList that also moves with j and k, for every list a user picks from."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class PickList(OptionList):
    """OptionList with the vim keys beside the arrows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="pick.down"),
        Binding("k", "cursor_up", "Up", show=False, id="pick.up"),
    ]
