"""The live learning-rate slider's data: every position the slider can take, simulated as one ``lab.runs.sweep``
(one batched engine call, one trajectory per lr), packed small for the browser.

While the thumb is dragged the browser (``assets/lr_scrubber.js``) swaps in the path and the outcome words of
the lr under the thumb; nothing is computed there.  On release the server runs that lr on its own, and
``map_spec`` draws the same ``map_line`` of the same points (one lr of a batch is bit-identical to a run of
its own when there is no gradient noise: ``tests/lab/test_scrub.py``), so the picture does not jump.

Gradient noise is drawn from one stream for the whole batch, so with noise > 0 a batched trajectory is not
the run the server makes alone: then there is no scrub data and the slider commits on release only; so too
when the paths would take more than ``SCRUB_BUDGET`` (thousands of steps on Rastrigin's bumps).
No streamlit here.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence

import numpy as np

import engine

from .figures_base import F4

__all__ = ["SCRUB_BUDGET", "SCRUB_TOLERANCE", "THIN_FROM", "map_line", "scrub_data"]

SCRUB_TOLERANCE = 1e-3  # a path point within this share of the view's diagonal of a straight line is dropped
THIN_FROM = 257  # paths of more points than this (runs of more than 256 steps) are thinned
SCRUB_BUDGET = 300_000  # bytes of scrub data per racer at most (long runs on bumpy surfaces: no live path)


def map_line(surface: engine.Surface, run: engine.Run, i: int = 0) -> np.ndarray:
    """Trajectory i's real points (up to where it stopped) as float32; a path of more than ``THIN_FROM``
    points is thinned where it is straight (Ramer-Douglas-Peucker): every dropped point lies within
    ``SCRUB_TOLERANCE`` of the view's diagonal of the drawn segment that replaces it (a point that is not
    finite is kept).  Shorter paths, the Playground's 200 steps, are sent whole."""
    with np.errstate(over="ignore"):  # beyond float32's range is off any map: it becomes inf, as in ``typed``
        path = run.points[: run.last_step(i) + 1, i].astype(F4)
    if len(path) <= THIN_FROM:
        return path
    (x0, x1), (y0, y1) = surface.bounds
    tolerance = SCRUB_TOLERANCE * float(np.hypot(x1 - x0, y1 - y0))
    keep = np.zeros(len(path), dtype=bool)
    keep[[0, -1]] = True
    segments = [(0, len(path) - 1)]
    with np.errstate(all="ignore"):  # a diverging path's last points may overflow float32: they are kept
        while segments:
            a, b = segments.pop()
            if b - a < 2:
                continue
            k = a + 1 + int(np.argmax(_distances(path[a + 1:b], path[a], path[b])))
            if not _distances(path[k:k + 1], path[a], path[b])[0] <= tolerance:
                keep[k] = True
                segments += [(a, k), (k, b)]
    return path[keep]


def _distances(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance of each of ``points`` from the segment's line a-b (from a when a = b); inf where not finite."""
    chord, offset = (b - a).astype(float), (points - a).astype(float)
    length = float(np.hypot(*chord))
    far = (np.abs(chord[0] * offset[:, 1] - chord[1] * offset[:, 0]) / length if length
           else np.hypot(offset[:, 0], offset[:, 1]))
    return np.where(np.isfinite(far), far, np.inf)


def scrub_data(surface: engine.Surface, run: engine.Run, lrs: Sequence[float], names: Sequence[str],
               words: Callable[[str, int], str]) -> dict | None:
    """What the browser needs to show lr ``lrs[k]`` without asking the server: ``xy``, every ``map_line``
    of ``run`` one after the other as base64 float32 (x0, y0, x1, y1, ...), ``ends`` (the point count after
    each line), ``names[k]`` (the racer's name at lrs[k], its legend entry) and ``words[k]`` =
``words(names[k], k)`` (the outcome line the page shows for it).  None when
    the lines take more than ``SCRUB_BUDGET`` bytes (as base64)."""
    lines = [map_line(surface, run, k) for k in range(len(lrs))]
    xy = base64.b64encode(np.ascontiguousarray(np.concatenate(lines), dtype=F4).tobytes()).decode("ascii")
    if len(xy) > SCRUB_BUDGET:
        return None
    return {"xy": xy,
            "ends": np.cumsum([len(line) for line in lines]).tolist(),
            "names": list(names), "words": [words(name, k) for k, name in enumerate(names)]}
