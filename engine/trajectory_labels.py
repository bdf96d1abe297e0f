"""Labelling trajectories, decided once here and shown in the same words on every page.

* **diverged** at step t: the point p_t is not finite or left the *divergence box*, the default view
  scaled by ``DIVERGENCE_FACTOR`` (10) about its centre, or the loss f(p_t) is not finite (checked for
  surfaces that are not ``defined_everywhere``: typed expressions with log, sqrt or division).  p_t and
  everything after it repeat the last good point p_{t-1}.
* **converged** at step t: p_t is a resting point, ‖∇f(p_t)‖ <= ``GRAD_TOL`` (1e-6) and the step that
  leaves it, ‖p_{t+1} - p_t‖, is <= ``STEP_TOL`` (1e-6) times the view's diagonal (so momentum passing
  through a flat spot at speed does not count).  The trajectory stops there: later points repeat p_t.
* **running**: neither happened within the steps.

``oscillation`` is the share of consecutive update pairs (u_k, u_{k+1}), u_k = p_k - p_{k-1}, whose cosine
is negative, over the updates made before the trajectory stopped (0 when fewer than two were made).

All of it works on the history (steps+1, 2, n) after the simulator's loop, without a Python loop over
trajectories.
"""

from __future__ import annotations

import numpy as np

from .surface_type import Surface

__all__ = ["DIVERGENCE_FACTOR", "GRAD_TOL", "STEP_TOL", "freeze", "oscillation", "scan"]

DIVERGENCE_FACTOR = 10.0
GRAD_TOL = 1e-6
STEP_TOL = 1e-6

BLOCK = 4  # updates analysed at a time: the block and its temporaries stay in the CPU's cache


def scan(surface: Surface, hist: np.ndarray, flat: np.ndarray | None):
    """Each trajectory's first bad point and first resting point (steps + 1 for none; see the module
    docstring) and, for every pair of consecutive updates, whether it reverses direction.  ``flat`` marks
    the points with a tiny gradient (from the loop); None ignores convergence."""
    steps, n = hist.shape[0] - 1, hist.shape[2]
    small, reverses = _update_signs(hist, (STEP_TOL * surface.view_diagonal) ** 2 if flat is not None else -1.0)
    first_conv = np.full(n, steps + 1)
    if flat is not None:
        _first_true(np.logical_and(small, flat, out=small), 0, first_conv)  # p_t rests: tiny gradient and step
    return _first_bad(surface, hist), first_conv, reverses


def _update_signs(hist: np.ndarray, step_tol2: float) -> tuple[np.ndarray, np.ndarray]:
    """small[t]: ‖p_{t+1} - p_t‖² <= step_tol2, shape (steps, n); reverses[k]: updates k+1 and k+2 have a
    negative dot product, shape (steps - 1, n).  Squared norms: np.hypot is ~20x slower than multiply-add."""
    steps, n = hist.shape[0] - 1, hist.shape[2]
    small = np.empty((steps, n), dtype=bool)
    reverses = np.empty((max(steps - 1, 0), n), dtype=bool)
    u = np.empty((BLOCK + 1, 2, n))  # u[0]: the previous block's last update; u[1:]: this block's
    sq, sq2 = np.empty((BLOCK, n)), np.empty((BLOCK, n))
    for a in range(0, steps, BLOCK):
        b = min(a + BLOCK, steps)
        r = b - a
        np.subtract(hist[a + 1 : b + 1], hist[a:b], out=u[1 : r + 1])  # updates a+1 .. b
        np.multiply(u[1 : r + 1, 0], u[1 : r + 1, 0], out=sq[:r])
        np.multiply(u[1 : r + 1, 1], u[1 : r + 1, 1], out=sq2[:r])
        np.add(sq[:r], sq2[:r], out=sq[:r])
        np.less_equal(sq[:r], step_tol2, out=small[a:b])
        lo = 1 if a == 0 else 0  # pairs (update a+j, update a+j+1), j = lo .. r-1, are rows a+j-1
        if r > lo:
            np.multiply(u[lo:r, 0], u[lo + 1 : r + 1, 0], out=sq[: r - lo])
            np.multiply(u[lo:r, 1], u[lo + 1 : r + 1, 1], out=sq2[: r - lo])
            np.add(sq[: r - lo], sq2[: r - lo], out=sq[: r - lo])
            np.less(sq[: r - lo], 0.0, out=reverses[a + lo - 1 : b - 1])
        u[0] = u[r]
    return small, reverses


def _first_bad(surface: Surface, hist: np.ndarray) -> np.ndarray:
    """Step of each trajectory's first point outside the divergence box, not finite, or (for surfaces not
    ``defined_everywhere``) with a non-finite loss; steps + 1 for none.  Each trajectory's extremes are
    checked first (NaN propagates through max and min), so only suspects are scanned step by step."""
    steps = hist.shape[0] - 1
    (x0, x1), (y0, y1) = surface.bounds
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])[:, None]
    half = DIVERGENCE_FACTOR * np.array([(x1 - x0) / 2, (y1 - y0) / 2])[:, None]
    inside = (hist.max(axis=0) <= centre + half) & (hist.min(axis=0) >= centre - half)  # (2, n)
    suspects = ~(inside[0] & inside[1])
    if not surface.defined_everywhere:
        suspects |= ~np.isfinite(surface.f(hist[:, 0], hist[:, 1])).all(axis=0)
    first = np.full(hist.shape[2], steps + 1)
    cols = np.flatnonzero(suspects)
    if cols.size:
        sub = hist[:, :, cols]  # (steps + 1, 2, k)
        ok = (np.abs(sub - centre) <= half).all(axis=1)
        if not surface.defined_everywhere:
            ok &= np.isfinite(surface.f(sub[:, 0], sub[:, 1]))
        sub_first = np.full(cols.size, steps + 1)
        _first_true(~ok, 0, sub_first)
        first[cols] = sub_first
    return first


def _first_true(mask: np.ndarray, offset: int, first: np.ndarray) -> None:
    """In place: first[j] = offset + the first row where mask[:, j] holds, unless first[j] is already set."""
    hit = mask.any(axis=0)
    np.minimum(first, np.where(hit, offset + mask.argmax(axis=0), first), out=first)


def freeze(hist: np.ndarray, last: np.ndarray) -> None:
    """In place: every point after a trajectory's last real point repeats that point."""
    steps = hist.shape[0] - 1
    stopped = np.flatnonzero(last < steps)
    if stopped.size == 0:
        return
    after = np.arange(steps + 1)[:, None] > last[None, stopped]  # (steps+1, k)
    held = hist[last[stopped], :, stopped].T  # (2, k)
    hist[:, :, stopped] = np.where(after[:, None, :], held[None], hist[:, :, stopped])


def oscillation(reverses: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Share of update pairs with negative cosine among those made before each trajectory's stop."""
    pairs = np.maximum(last - 1, 0)  # updates 1..last make last - 1 consecutive pairs
    if reverses.shape[0] == 0:
        return np.zeros(last.shape)
    counted = np.arange(reverses.shape[0])[:, None] < pairs[None, :]
    return np.where(pairs > 0, (reverses & counted).sum(axis=0) / np.maximum(pairs, 1), 0.0)
