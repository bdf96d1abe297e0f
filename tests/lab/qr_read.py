"""Read a QR code back from the SVG the page shows (segno's path), for the tests that check what it encodes."""

from __future__ import annotations

import re

import numpy as np


def svg_modules(svg: str, border: int) -> np.ndarray:
    """Read the dark modules back from segno's SVG path (absolute M, then h runs and relative m moves)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) - 2 * border
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    grid = np.zeros((size, size), dtype=bool)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            row, start = int(y - 0.5) - border, int(x) - border
            grid[row, start:start + int(a)] = True
            x += float(a)
    return grid
