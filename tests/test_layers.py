"""The packages import one way: views -> lessons -> lab -> engine (DESIGN.md, "Layers").

Walks every import statement of every module (top level and inside functions) and fails on an arrow that
points up, a package importing what it must not (streamlit outside ``views``, plotly in ``engine`` or
``lessons``), a cycle between modules, or a benchmark importing tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.source_tree import ROOT, python_files

LAYERS = ("engine", "lab", "lessons", "views")  # each may import only those before it (and itself)
FORBIDDEN = {  # third-party packages a layer must not import
    "engine": {"streamlit", "plotly", "pandas"},
    "lab": {"streamlit"},
    "lessons": {"streamlit", "plotly"},
    "views": set(),
}
PROJECT = {*LAYERS, "benchmarks", "tests", "app"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute (relative imports resolved against its package)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            submodules = {f"{module}.{alias.name}" for alias in node.names}  # `from pkg import module`
            found |= submodules if node.module is None else {module, *submodules}
    return found


def modules() -> dict[str, Path]:
    files = python_files("app.py", *LAYERS, "benchmarks")
    return {module_name(p): p for p in files}


MODULES = modules()
GRAPH = {name: {m for m in imports_of(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def test_the_walk_sees_the_packages():
    assert {name.split(".")[0] for name in MODULES} == {*LAYERS, "benchmarks", "app"}
    assert "lab.config" in GRAPH["lessons.base"]  # a known arrow is found


@pytest.mark.parametrize("layer", LAYERS)
def test_arrows_point_down(layer):
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    breaches = sorted(f"{name} imports {target}"
                      for name, path in MODULES.items() if name.split(".")[0] == layer
                      for target in imports_of(path)
                      if target.split(".")[0] in PROJECT and target.split(".")[0] not in allowed
                      or target.split(".")[0] in FORBIDDEN[layer])
    assert not breaches


def test_views_are_imported_by_app_alone():
    importers = sorted(name for name, targets in GRAPH.items() if not name.startswith("views")
                       and name != "app" and any(t.startswith("views") for t in targets))
    assert not importers


def test_benchmarks_import_nothing_from_tests():
    assert not sorted(f"{name} imports {t}" for name, path in MODULES.items() if name.startswith("benchmarks")
                      for t in imports_of(path) if t.split(".")[0] == "tests")


def test_no_cycle_between_modules():
    """Depth-first search over the module graph (a package's ``__init__`` counts as a module)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH[name]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[name] = 2
        path.pop()
        return None

    for name in sorted(GRAPH):
        if name not in state and (cycle := visit(name)):
            pytest.fail(" -> ".join(cycle))
