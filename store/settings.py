"""User settings in the config folder: theme, author, key remapping."""

from __future__ import annotations

from pathlib import Path

import orjson
from pydantic import ValidationError

from store.models import Model
from store.paths import config_dir, ensure_private_dir
from store.problems import problems_from
from store.storage import write_atomic


class Settings(Model):
    """What a user can set in ``config.json``."""

    theme: str = "textual-dark"
    """The Textual theme, switched from the command palette."""
    author: str = ""
    """Name that signs notes and checklist runs (default: the login name)."""
    keymap: dict[str, str] = {}
    """Binding id to keys, e.g. ``{"company.delete": "x"}``."""


def settings_path() -> Path:
    """Where the settings file lives."""
    return config_dir() / "config.json"


def load_settings() -> tuple[Settings, str]:
    """The user's settings and a warning sentence (empty when the file is fine or absent)."""
    path = settings_path()
    if not path.exists():
        return Settings(), ""
    try:
        return Settings.model_validate(orjson.loads(path.read_bytes())), ""
    except (OSError, orjson.JSONDecodeError) as error:
        return Settings(), f"Ignored {path}: it could not be read ({error}); using defaults."
    except ValidationError as error:
        problems = "; ".join(f"{k}: {v}" for k, v in problems_from(error).items())
        return Settings(), f"Ignored {path}: {problems}; using defaults."


def save_settings(settings: Settings) -> None:
    """Write the settings atomically."""
    path = settings_path()
    ensure_private_dir(path.parent)
    data = orjson.dumps(settings.model_dump(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    write_atomic(path, [data, b"\n"])
