"""No class of the app takes a name Textual keeps private in one of its base classes.

A private name is one Textual may call or set for its own ends: a method of ours that
happens to share it is called in Textual's place, with Textual's arguments. That is how
``CompanyDetail._render(part, renderable, width)`` crashed the app when text was copied.
Names are read from the class bodies and from every ``self.<name> =`` in their methods,
for our classes and for Textual's, so instance attributes count too.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from functools import cache

import tui


def private(name: str) -> bool:
    """One leading underscore, not a dunder."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@cache
def names_defined(cls: type) -> frozenset[str]:
    """Every name the source of ``cls`` defines: in its body (methods, attributes) and in
    any ``self.<name> =`` of its methods. Names Textual's metaclass writes into each
    subclass (merged bindings, CSS type names…) are not in the source and do not count."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset()
    tree = ast.parse(source).body[0]
    assert isinstance(tree, ast.ClassDef)
    names = set()
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(target.id for target in targets if isinstance(target, ast.Name))
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if (
                    isinstance(part, ast.Attribute)
                    and isinstance(part.value, ast.Name)
                    and part.value.id == "self"
                ):
                    names.add(part.attr)
    return frozenset(name for name in names if private(name))


def app_classes() -> list[type]:
    """Every class defined in a module of the ``tui`` package, nested ones (a screen's
    messages) included."""
    classes: list[type] = []

    def add(value: object, module: str) -> None:
        if inspect.isclass(value) and value.__module__ == module and value not in classes:
            classes.append(value)
            for inner in vars(value).values():
                if inspect.isclass(inner) and inner.__qualname__.startswith(value.__qualname__):
                    add(inner, module)

    for module_info in pkgutil.walk_packages(tui.__path__, prefix="tui."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            add(value, module.__name__)
    return classes


def test_the_walk_finds_the_apps_textual_classes() -> None:
    found = {cls.__qualname__ for cls in app_classes()}
    assert {"MoatscopeApp", "MainScreen", "CompanyDetail", "ImportScreen.Planned"} <= found


def test_no_class_of_the_app_defines_a_name_private_to_a_textual_base() -> None:
    clashes = []
    for cls in app_classes():
        if not any(base.__module__.startswith("textual") for base in cls.__mro__[1:]):
            continue
        textual_bases = [base for base in cls.__mro__[1:] if base.__module__.startswith("textual")]
        for name in sorted(names_defined(cls)):
            for base in textual_bases:
                if name in vars(base) or name in names_defined(base):
                    clashes.append(
                        f"{cls.__module__}.{cls.__qualname__}.{name} "
                        f"(private in {base.__module__}.{base.__qualname__})"
                    )
                    break
    assert not clashes, "names Textual keeps private:\n" + "\n".join(clashes)
