"""The live learning-rate slider's data: every position the slider can take, simulated in one batched
``engine.simulate`` call (the lr as a 1-D array, one trajectory per lr), packed small for the browser.

While the thumb is dragged the browser (``ui/lr_scrubber.js``) swaps in the path and the outcome words of
the lr under the thumb; nothing is computed there.  On release the server runs that lr on its own, and
``map_spec`` draws the same ``map_line`` of the same points (one lr of a batch is bit-identical to a run of
its own when there is no gradient noise: ``tests/ui/test_scrub.py``), so the picture does not jump.

Gradient noise is drawn from one stream for the whole batch, so with noise > 0 a batched trajectory is not
the run the server makes alone: then there is no scrub data and the slider commits on release only.
No streamlit here.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence

import numpy as np

import engine

from .figures_base import F4

__all__ = ["SCRUB_TOLERANCE", "grid_run", "map_line", "scrub_data"]

SCRUB_TOLERANCE = 1e-3  # a path point within this share of the view's diagonal of a straight line is dropped


def grid_run(surface: engine.Surface, name: str, hyper: dict, lrs: Sequence[float], steps: int,
             start: tuple[float, float], schedule: engine.Schedule | None) -> engine.Run:
    """Optimizer ``name`` with ``hyper`` (its lr replaced by ``lrs``) from ``start``, once per lr, in one
    ``engine.simulate`` call: trajectory k runs at ``lrs[k]``."""
    lr = np.asarray(lrs, dtype=float)
    opt = engine.optimizer(name, **{**hyper, "lr": lr})
    return engine.simulate(surface, opt, np.repeat(np.array([start], dtype=float), lr.size, axis=0),
                           steps=steps, schedule=schedule)


def map_line(surface: engine.Surface, run: engine.Run, i: int = 0) -> np.ndarray:
    """Trajectory i's real points (up to where it stopped) as float32, thinned where they are straight: a
    point is dropped when it lies within ``SCRUB_TOLERANCE`` of the view's diagonal of the straight line
    from the last kept point to the next one (greedy, so the drawn line never strays further)."""
    path = run.points[: run.last_step(i) + 1, i].astype(F4)
    (x0, x1), (y0, y1) = surface.bounds
    tolerance = SCRUB_TOLERANCE * float(np.hypot(x1 - x0, y1 - y0))
    if len(path) <= 2:
        return path
    keep = [0]
    for k in range(1, len(path) - 1):
        a, b, c = path[keep[-1]], path[k], path[k + 1]
        chord = c - a
        length = float(np.hypot(*chord))
        offset = b - a
        away = abs(float(chord[0] * offset[1] - chord[1] * offset[0])) / length if length else float(np.hypot(*offset))
        if not np.isfinite(away) or away > tolerance:
            keep.append(k)
    keep.append(len(path) - 1)
    return path[keep]


def scrub_data(surface: engine.Surface, run: engine.Run, lrs: Sequence[float],
               words: Callable[[float, int], str]) -> dict:
    """What the browser needs to show lr ``lrs[k]`` without asking the server: ``xy``, every ``map_line``
    of ``run`` one after the other as base64 float32 (x0, y0, x1, y1, ...), ``ends`` (the point count after
    each line), and ``words[k]`` = ``words(lrs[k], k)`` (the outcome line the page shows for it)."""
    lines = [map_line(surface, run, k) for k in range(len(lrs))]
    xy = np.concatenate(lines).astype(F4)
    return {"xy": base64.b64encode(np.ascontiguousarray(xy).tobytes()).decode("ascii"),
            "ends": np.cumsum([len(line) for line in lines]).tolist(),
            "words": [words(float(lr), k) for k, lr in enumerate(lrs)]}
