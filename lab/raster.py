"""The surface as a banded background picture (a PNG data URI), drawn once per surface.

Plotly erases a contour trace when frames animate with ``redraw=False`` (DESIGN.md, Known traps), and a
picture in ``layout.images`` is also far cheaper for the browser to redraw when only the paths change.
Colour bands follow the quantiles of f over the view, so every surface -- Rosenbrock's 10⁴-high walls
or Matyas' flat trough -- shows its valleys: a band edge is a contour line.  Pure NumPy and zlib.
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np

from engine import Surface

__all__ = ["BANDS", "COLORS", "UNDEFINED_LINE", "band_levels", "grid", "png_data_uri", "surface_picture"]

BANDS = 18
# Light valleys, dark ridges (a sequential blue ramp), so coloured paths stand out everywhere.
COLORS = np.array([
    [247, 251, 255], [222, 235, 247], [198, 219, 239], [158, 202, 225],
    [107, 174, 214], [66, 146, 198], [33, 113, 181], [8, 81, 156], [8, 48, 107],
], dtype=float)
# Where f is not defined (a log or square root of a negative number, a division by zero) the picture is
# blank: white with thin grey diagonal hatching, the usual mark for "no value here", unlike any band colour.
UNDEFINED_BACKGROUND, UNDEFINED_LINE, HATCH_SPACING = (255, 255, 255), (190, 190, 190), 7


def grid(surface: Surface, n: int, bounds=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x (n,), y (n,) over ``bounds`` ((xmin, xmax), (ymin, ymax); default: the surface's view) and f on the
    grid, shape (n, n) indexed [iy, ix]; non-finite -> nan."""
    (x0, x1), (y0, y1) = surface.bounds if bounds is None else bounds
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    with np.errstate(all="ignore"):
        z = surface.value(np.stack(np.meshgrid(xs, ys), axis=-1))
    return xs, ys, np.where(np.isfinite(z), z, np.nan)


def band_levels(z: np.ndarray, bands: int = BANDS) -> np.ndarray:
    """Interior band edges: quantiles of the finite values of z (increasing, duplicates removed)."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return np.array([])
    return np.unique(np.quantile(finite, np.linspace(0, 1, bands + 1)[1:-1]))


def _colour(band_index: np.ndarray, bands: int) -> np.ndarray:
    t = band_index / max(bands - 1, 1) * (len(COLORS) - 1)
    lo = np.clip(np.floor(t).astype(int), 0, len(COLORS) - 2)
    w = (t - lo)[..., None]
    return (COLORS[lo] * (1 - w) + COLORS[lo + 1] * w).round().astype(np.uint8)


def png_data_uri(rgb: np.ndarray) -> str:
    """An (h, w, 3) uint8 image as a ``data:image/png;base64,...`` URI (row 0 is the top)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def surface_picture(surface: Surface, size: int = 300, bands: int = BANDS, bounds=None) -> str:
    """The banded picture of f over ``bounds`` (default: the surface's view), as a PNG data URI (top row =
    largest y).  The bands follow the quantiles of f inside ``bounds``, so a zoomed picture shows the
    local shape rather than one band of the whole view's; where f is not defined the picture is hatched."""
    _, _, z = grid(surface, size, bounds)
    levels = band_levels(z, bands)
    index = np.searchsorted(levels, np.nan_to_num(z, nan=np.inf), side="right")
    rgb = _colour(index, len(levels) + 1)
    undefined = np.isnan(z)
    if undefined.any():
        rows, cols = np.indices(z.shape)
        line = (rows + cols) % HATCH_SPACING == 0
        rgb[undefined & line] = UNDEFINED_LINE
        rgb[undefined & ~line] = UNDEFINED_BACKGROUND
    return png_data_uri(rgb[::-1])
