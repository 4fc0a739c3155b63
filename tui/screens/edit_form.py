"""The full company form: every field, messages next to the field, nothing lost.

It opens with the name field focused (typing edits at once), and the tags field completes
the tag being typed from the tags already in use (the right arrow accepts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from store.errors import readable
from store.models import Company, Layer
from tui.screens.dialogs import Dialog
from tui.widgets.footer import Hint
from tui.widgets.tag_suggester import TagSuggester

SubmitForm = Callable[[dict[str, Any]], dict[str, str] | None]

FIELDS: list[tuple[str, str, str]] = [
    ("name", "Name", ""),
    ("one_liner", "One-liner", "What the company does, in one sentence"),
    ("website", "Website", "https://example.com"),
    ("headquarters", "Headquarters", "City, country"),
    ("founded_year", "Founded", "Year, e.g. 2021"),
    ("stage", "Stage", "Seed, Series A…"),
    ("owner", "Owner", "Who at the fund follows it"),
    ("tags", "Tags", "Comma-separated"),
    ("absorber", "Likely absorber", "The incumbent that could ship this as a feature"),
    ("upstream", "Upstream dependency", "The model, cloud or chip it rests on"),
    ("revisit", "Revisit on", "YYYY-MM-DD"),
    ("kill_criterion", "Kill criterion", "What would make us wrong"),
]


def _initial(company: Company, key: str) -> str:
    value = getattr(company, key)
    if key == "tags":
        return ", ".join(value)
    return "" if value is None else str(value)


class EditCompanyForm(Dialog):
    """Edit every field of a company; enter or ctrl+s saves when all are valid."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]
    FOOTER_HINTS: ClassVar[tuple[Hint, ...]] = (
        Hint("ctrl+s", "Save"),
        Hint("tab", "Next field"),
    )

    def __init__(
        self,
        company: Company,
        layers: list[Layer],
        submit: SubmitForm,
        tags_in_use: Iterable[str] = (),
    ) -> None:
        super().__init__(classes="dialog edit-form")
        self.company, self.layer_choices, self.submit = company, layers, submit
        self.tags_in_use = list(tags_in_use)
        self.initial = {key: _initial(company, key) for key, _, _ in FIELDS}

    def compose_dialog(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"Edit {self.company.name}"), classes="title")
            with VerticalScroll(id="fields"):
                yield Label("Layer", classes="field-label")
                yield Select(
                    [(Text(layer.name), layer.id) for layer in self.layer_choices],
                    value=self.company.layer or Select.BLANK,
                    allow_blank=True,
                    prompt="Unsorted",
                    id="field-layer",
                )
                yield Static(id="error-layer", classes="error")
                for key, label, placeholder in FIELDS:
                    yield Label(label, classes="field-label")
                    suggester = TagSuggester(self.tags_in_use) if key == "tags" else None
                    yield Input(
                        self.initial[key],
                        placeholder=placeholder,
                        id=f"field-{key}",
                        suggester=suggester,
                    )
                    yield Static(id=f"error-{key}", classes="error")
            yield Static(id="error", classes="error")
            yield Static("enter or ctrl+s saves · tab moves · esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#field-name", Input).focus()

    def footer_hints(self) -> Sequence[Hint]:
        """On the tags field the right arrow also takes the suggested tag."""
        focused = self.focused
        if focused is not None and focused.id == "field-tags":
            return (*self.FOOTER_HINTS, Hint("right", "Complete"))
        return self.FOOTER_HINTS

    def values(self) -> dict[str, Any]:
        """What the form holds, as service fields."""
        values: dict[str, Any] = {
            key: self.query_one(f"#field-{key}", Input).value for key, _, _ in FIELDS
        }
        values["tags"] = [tag for tag in values["tags"].split(",") if tag.strip()]
        values["founded_year"] = values["founded_year"].strip() or None
        values["revisit"] = values["revisit"].strip() or None
        layer = self.query_one("#field-layer", Select).value
        values["layer"] = None if layer is Select.BLANK else layer
        return values

    def has_typed(self) -> bool:
        current = {key: self.query_one(f"#field-{key}", Input).value for key, _, _ in FIELDS}
        layer = self.query_one("#field-layer", Select).value
        return (
            current != self.initial
            or (None if layer is Select.BLANK else layer) != self.company.layer
        )

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        problems = self.submit(self.values()) or {}
        known = {key for key, _, _ in FIELDS} | {"layer"}
        for key in known:
            self.show_error(problems.get(key), f"#error-{key}")
        leftover = readable({k: v for k, v in problems.items() if k not in known})
        self.show_error(leftover or None)
        if not problems:
            self.dismiss(True)
            return
        first = next((key for key in (k for k, _, _ in FIELDS) if key in problems), None)
        if first:
            self.query_one(f"#field-{first}", Input).focus()
