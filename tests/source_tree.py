"""The project's own Python files, for the tests that read the source (names, layers, raw HTML, charts)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def python_files(*names: str) -> list[Path]:
    """The ``.py`` files named (``"app.py"``) or below the folders named (``"lab"``), relative to the repo root,
    each folder's sorted."""
    found = []
    for name in names:
        path = ROOT / name
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return found
