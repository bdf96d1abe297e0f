"""Names explain themselves (issue 10 item 7): no function, module-level name or import alias of one or two
letters, nor a word cut short (``num``, ``std``), in the project's source, except the conventions every reader
of scientific Python knows.

Math inside a function body keeps its textbook letters (x, g, lr, L, μ): this scan looks only at what a reader
meets from outside, the names a module defines or imports (``def did``, ``P = "pg_"``, ``import inputs as w``
were what it replaced).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.source_tree import ROOT, python_files

SCANNED = ("engine", "lab", "lessons", "views", "benchmarks", "deploy", "tests", "assets", "app.py")
CONVENTIONAL_ALIASES = {"np", "st", "go", "pd", "px", "sp"}  # numpy, streamlit, plotly, pandas, sympy
SHORT = 2  # a name of at most this many letters (leading underscores aside) must be a convention
ABBREVIATIONS = {"did", "num", "clr", "std", "val", "tmp", "cfg", "res", "ret", "obj", "arr"}  # words cut short
# Words, units and the letters of the math: f and its derivative df, L (smoothness), L2 (decay), LR, QR, ms, float32.
WORDS = {"go", "at", "of", "gd", "lr", "LR", "QR", "JS", "ms", "f", "df", "L", "L2", "F4"}


def short_names(source: str) -> list[str]:
    """What ``source`` defines or imports under a cryptic short name: ``def num``, ``import x as w``, ``P = 1``."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(node.name)
        elif isinstance(node, ast.alias) and node.asname and node.asname not in CONVENTIONAL_ALIASES:
            found.append(node.asname)
    for node in tree.body:
        if isinstance(node, ast.Assign):
            found += [target.id for target in node.targets if isinstance(target, ast.Name)]
    bare = [name.lstrip("_") for name in found]
    return [name for name, word in zip(found, bare, strict=True)
            if (len(word) <= SHORT and word not in WORDS) or word in ABBREVIATIONS]


def sources() -> list[Path]:
    return python_files(*SCANNED)


def test_no_cryptic_short_names():
    offenders = [f"{path.relative_to(ROOT)}: {name}" for path in sources() for name in short_names(path.read_text())]
    assert not offenders, "names that do not explain themselves:\n" + "\n".join(offenders)


def test_the_scan_finds_a_short_function_an_alias_and_a_module_constant():
    source = "from views.widgets import inputs as w\nP = 'pg_'\ndef did(run):\n    x = 1\n    return x\n"
    assert short_names(source) == ["did", "w", "P"]
    assert short_names("import numpy as np\nfrom lessons import lesson_06\ndef run():\n    pass\n") == []
