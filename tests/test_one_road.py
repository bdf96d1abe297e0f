"""One road from a configuration to runs (DESIGN.md, "Layers"): only ``lab.runs`` calls ``engine.simulate``.

Every module is parsed (not imported) and each reference to ``engine.simulate`` is reported, however it is
reached: ``engine.simulate(...)``, an alias (``import engine as e``; ``e.simulate``), ``import engine.simulate``
or ``from engine import simulate``.  The engine itself, its tests and its benchmarks measure the simulator and
may call it directly; everything else takes its runs from ``lab.runs``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = ("engine/", "lab/runs", "tests/engine/", "benchmarks/bench_engine.py", "benchmarks/bench_maps.py")
SKIPPED = (".venv", ".git", "node_modules")


def simulate_references(source: str, filename: str = "<source>") -> list[int]:
    """Line numbers where ``source`` reaches ``engine.simulate`` (see the module docstring)."""
    tree = ast.parse(source, filename)
    aliases = {"engine"}  # names bound to the engine package
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "engine" and alias.asname:
                    aliases.add(alias.asname)
                if alias.name.startswith("engine.simulate"):
                    lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("engine"):
            if node.module.startswith("engine.simulate") or any(a.name == "simulate" for a in node.names):
                lines.append(node.lineno)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "simulate" and isinstance(node.value, ast.Name) \
                and node.value.id in aliases:
            lines.append(node.lineno)
    return sorted(lines)


def project_files() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if not set(p.relative_to(ROOT).parts) & set(SKIPPED)]


def test_only_lab_runs_calls_the_simulator():
    found = [f"{rel}:{line}" for path in project_files()
             if not (rel := path.relative_to(ROOT).as_posix()).startswith(ALLOWED)
             for line in simulate_references(path.read_text(), rel)]
    assert not found, "engine.simulate outside lab.runs (take runs from lab.runs instead):\n" + "\n".join(found)


def test_the_scan_finds_every_way_to_reach_the_simulator():
    assert simulate_references("import engine\nengine.simulate(s, o, p)\n") == [2]
    assert simulate_references("import engine as e\nrun = e.simulate\n") == [2]
    assert simulate_references("from engine import surface, simulate\n") == [1]
    assert simulate_references("from engine.simulate import simulate as go\n") == [1]
    assert simulate_references("import engine.simulate\n") == [1]
    assert simulate_references("from lab.runs import run_of\nrun_of(c)\nengine_simulate = 1\n") == []
    assert simulate_references("import engine\nengine.sweeps.stability_map(s)\nother.simulate(x)\n") == []
