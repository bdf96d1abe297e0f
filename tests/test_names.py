"""The engine's registries are the only table of names (DESIGN.md, "Layers"; issue 10 item 3).

Scans the app's source outside ``engine/`` (lab, lessons, views, benchmarks, app.py) and fails on a string
literal equal to a registry display name (``"RMSprop"``, ``"Cosine annealing"``, ``"Rosenbrock valley"``),
on a slug spelled another way (``"cosine restarts"``, ``"cosine-restarts"``), and on a ``NAMES``/``LABELS``/
``TITLES`` dict keyed by three or more registry slugs: each is a second table of names that can drift from
the engine's.
A page writes ``engine.OPTIMIZERS[slug].title`` instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import engine
from tests.source_tree import ROOT, python_files

SCANNED = ("lab", "lessons", "views", "benchmarks", "app.py")
REGISTRIES = (engine.OPTIMIZERS, engine.SCHEDULES, engine.SURFACES)
SLUGS = {slug for registry in REGISTRIES for slug in registry}
TITLES = {factory.title for registry in REGISTRIES for factory in registry.values()}
LABEL_WORDS = re.compile("NAME|LABEL|TITLE", re.IGNORECASE)  # what a variable holding a table of names is called
OTHER_SPELLINGS = {slug.replace("_", sep) for slug in SLUGS if "_" in slug for sep in (" ", "-")}
# Tables that name something else: the class a framework calls each optimizer or schedule (code to write).
CLASS_TABLES = {("lab/codegen.py", "TORCH_OPTIMIZERS"), ("lab/codegen.py", "TORCH_SCHEDULES"),
                ("lab/codegen_keras.py", "KERAS_OPTIMIZERS")}
# A literal that equals a title but names something else: lesson 4 is called "Momentum".
OTHER_MEANINGS = {("lessons/lesson_04.py", "Momentum")}


def sources() -> list[Path]:
    return python_files(*SCANNED)


def class_table_nodes(tree: ast.AST, where: str) -> set[int]:
    """ids of the nodes inside an allowed framework class-name table of this file."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and (where, t.id) in CLASS_TABLES
                                                for t in node.targets):
            inside |= {id(child) for child in ast.walk(node.value)}
    return inside


def name_tables(path: Path, root: Path = ROOT) -> list[str]:
    """Every second name table in one file, as "file:line: what"."""
    where = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(), where)
    allowed = class_table_nodes(tree, where)
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in TITLES and (where, node.value) not in OTHER_MEANINGS:
                found.append(f"{where}:{node.lineno}: display name {node.value!r} (use the registry's .title)")
            elif node.value in OTHER_SPELLINGS:
                found.append(f"{where}:{node.lineno}: {node.value!r} spells a slug another way")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                isinstance(t, ast.Name) and LABEL_WORDS.search(t.id) for t in node.targets):
            keys = [k.value for k in node.value.keys if isinstance(k, ast.Constant) and k.value in SLUGS]
            if len(keys) >= 3 and id(node.value) not in allowed:
                found.append(f"{where}:{node.lineno}: a table of names for {', '.join(keys)}")
    return found


def test_no_second_table_of_display_names():
    found = [line for path in sources() for line in name_tables(path)]
    assert not found, "\n".join(found)


def test_the_scan_finds_a_copied_table_a_title_and_a_respelled_slug(tmp_path):
    copy = tmp_path / "labels.py"
    copy.write_text('SHORT_NAMES = {"sgd": "plain", "adam": "adaptive", "rmsprop": "rms"}\n'
                    'TITLE = "Cosine annealing"\nSLUG = "cosine restarts"\nTORCH_OPTIMIZERS = {"adam": "Adam"}\n')
    found = sorted(name_tables(copy, tmp_path))
    assert len(found) == 4 and [line[: len("labels.py:1")] for line in found] == [
        "labels.py:1", "labels.py:2", "labels.py:3", "labels.py:4"]
    assert "a table of names for sgd, adam, rmsprop" in found[0] and "'Cosine annealing'" in found[1]
    assert "'cosine restarts' spells a slug" in found[2] and "'Adam'" in found[3]  # allowed only in lab/codegen.py
