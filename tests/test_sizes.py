"""Sizes a reader can hold in mind: no module of ``tui/`` or ``store/`` over 400 lines, no
function over 40 (counted from its ``def`` line to its last line, docstring included)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tui", "store")
MODULE_LINES = 400
FUNCTION_LINES = 40


def modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def long_functions(path: Path) -> list[str]:
    """``module:line name (n lines)`` for each function of ``path`` over the limit."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > FUNCTION_LINES:
                name = path.relative_to(ROOT)
                found.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_the_size_check_sees_every_module() -> None:
    names = {str(path.relative_to(ROOT)) for path in modules()}
    assert {"tui/app.py", "tui/screens/main.py", "store/service.py"} <= names


def test_no_module_is_over_400_lines() -> None:
    over = [
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    ]
    assert not over, f"modules over {MODULE_LINES} lines: " + ", ".join(over)


def test_no_function_is_over_40_lines() -> None:
    over = [found for path in modules() for found in long_functions(path)]
    assert not over, f"functions over {FUNCTION_LINES} lines: " + ", ".join(over)
