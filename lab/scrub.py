"""The live learning-rate slider's data: every position the slider can take, simulated as one ``lab.runs.sweep``
(one batched engine call, one trajectory per lr), packed small for the browser.

While the thumb is dragged the browser (``assets/lr_scrubber.js``) swaps in everything the page draws for the
lr under the thumb (``lab.scrub_charts``: the path, its exit mark and distance strip, the loss and lr curves,
the stability strip's marker) and its outcome words; nothing is computed there.  On release the server runs
that lr on its own and draws the same figures from the same points (one lr of a batch is bit-identical to a
run of its own: ``tests/lab/test_scrub.py``), so the picture does not jump.  Paths are float32 and thinned
(``map_line``).

With gradient noise or mini-batches the batch shares one trajectory's draws per step (``engine.simulate``'s
``common_noise``), which are the draws the server's run of that lr alone makes, so it is live too.  When the
data would take more than ``SCRUB_BUDGET`` (thousands of steps on Rastrigin's bumps) there is none, and the
slider commits on release only.
No streamlit here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np

import engine

from .figures_base import F4

__all__ = ["SCRUB_BUDGET", "SCRUB_TOLERANCE", "map_line", "scrub_data"]

SCRUB_TOLERANCE = 1e-3  # a path point within this share of the view's diagonal of a straight line is dropped
SCRUB_BUDGET = 300_000  # bytes of scrub data per racer at most (long runs on bumpy surfaces: no live path)


def map_line(surface: engine.Surface, run: engine.Run, i: int = 0) -> np.ndarray:
    """Trajectory i's real points (up to where it stopped) as float32, thinned where the path is straight
    (Ramer-Douglas-Peucker): every dropped point lies within ``SCRUB_TOLERANCE`` of the view's diagonal (half a
    pixel of the Playground's map) of the drawn segment that replaces it (a point that is not finite is kept).
    The line is drawn without hover, so nothing but its shape is sent; thinning every path (not only long
    ones) keeps the live slider's data within ``SCRUB_BUDGET`` now that it carries the loss and distance too."""
    with np.errstate(over="ignore"):  # beyond float32's range is off any map: it becomes inf, as in ``typed``
        path = run.points[: run.last_step(i) + 1, i].astype(F4)
    if len(path) < 3:
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


def scrub_data(names: Sequence[str], words: Sequence[str], charts: dict[str, dict]) -> dict | None:
    """What the browser needs to show lr ``lrs[k]`` of the slider's grid without asking the server: ``names[k]``
    (the racer's name at lrs[k], its legend entry), ``words[k]`` (the outcome line the page shows for it) and
    ``charts`` (``lab.scrub_charts.racer_charts``: each chart's patches per lr).  None when it takes more than
    ``SCRUB_BUDGET`` bytes as JSON."""
    data = {"names": list(names), "words": list(words), "charts": charts}
    return data if len(json.dumps(data)) <= SCRUB_BUDGET else None
