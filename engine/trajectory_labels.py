"""Labelling trajectories: the rules that decide where a run stopped, applied once here for every page.

* **diverged** at step k: the path cannot come back.  Precisely: from p_k to the run's last point p_T every
  point is outside the *far box* B (the default view scaled by ``DIVERGENCE_FACTOR`` = 10 about its centre,
  a comparison that NaN and inf fail) and k is the first step of that final excursion; or, on a surface that
  is not ``defined_everywhere`` (typed expressions with log, sqrt, division), f(p_k) is not finite.
  Why this is "cannot come back" and what it assumes: every step of the run is simulated, so each lr the
  schedule still had for steps k+1 .. T (known in advance, or chosen by plateau as it went) was applied,
  and none of them brought the path back into B: the bound is observed, not predicted.  A path that leaves
  B and returns (a step decay that brings the lr back under 2/L, say) is not diverged, however far it went.
  The label speaks for the run's steps only: a longer run with a later milestone could still return the
  path; and the factor 10 is a convention for "far": a path that ends outside the view but inside B is
  still within reach and gets one of the other labels, with the view events (``engine.outcomes``).
  Points from p_k on repeat the last point inside, p_{k-1} (the start p_0 itself when f is undefined there,
  k = 0).
* **converged** at step t: p_t is a resting point, ‖∇f(p_t) + λ p_t‖ <= ``GRAD_TOL`` (1e-6) and the step
  that leaves it, ‖p_{t+1} - p_t‖, is <= ``STEP_TOL`` (1e-6) times the view's diagonal (so momentum passing
  through a flat spot at speed does not count, and a small step alone is not enough).  λ is the optimizer's
  L2 weight decay (``Optimizer.l2_decay``, 0 without): with it the optimizer minimises f + λ/2 ‖p‖², and its
  resting point is that function's minimum, where ∇f itself is -λp, not 0.  The trajectory stops there:
  later points repeat p_t.
* neither: labelled from the end of the run by ``engine.outcomes`` (oscillating, stalled or running).

``oscillation`` is the share of consecutive update pairs (u_k, u_{k+1}), u_k = p_k - p_{k-1}, whose cosine
is negative, over the updates made before the trajectory stopped (0 when fewer than two were made).

The simulator applies the rules as it goes: a ``Scan`` takes in the new points (the update, its length, its
turn against the previous update) each step while they are still in the CPU's cache, or for a few
trajectories all at once after the last step.  ``diverged_at`` looks at the last points first and reads
back from the history only the trajectories that end outside B.  No Python loop runs over trajectories.
"""

from __future__ import annotations

from copy import copy

import numpy as np

from .surface_type import Surface

__all__ = ["DIVERGENCE_FACTOR", "GRAD_TOL", "STEP_TOL", "Scan", "column_counts", "diverged_at", "freeze",
           "oscillation"]

DIVERGENCE_FACTOR = 10.0
GRAD_TOL = 1e-6
STEP_TOL = 1e-6

_ZERO = np.zeros(())
SCAN_ELEMENTS = 1 << 16  # points per block of the scan: rows = SCAN_ELEMENTS // trajectories (1 to steps)


class Scan:
    """The rules applied to the history as it is written, ``rows`` steps at a time.

    Call ``update(t)`` once every p_t is in ``hist[t]`` (steps+1, 2, n).  Every ``rows`` steps, and at the last
    one, it takes in the new points together: the updates u_t = p_t - p_{t-1}, their lengths ‖u_t‖² (a short
    one makes p_{t-1} a candidate resting point) and the turns u_{t-1}·u_t < 0.  For a few
    trajectories rows covers the whole run (a few ufuncs after the last step instead of a dozen per step); for
    a large batch it is 1, so each new point is taken in while it is still in the CPU's cache.  The arithmetic
    is the same either way, element by element.

    After the last update, ``first_conv`` (n,) holds each trajectory's first resting step (steps + 1 for
    none; always that when ``convergence`` is False), ``reverses`` (steps-1, n) whether updates j+1 and j+2
    have a negative dot product (row j).  ``columns`` gives the scan of a block of trajectories, for one
    thread each.  per_point: the surface's gradient takes any set of points on its own (a family with one
    parameter per trajectory does not), so candidate resting points are checked one by one, else by rows.
    """

    def __init__(self, surface: Surface, hist: np.ndarray, convergence: bool, per_point: bool,
                 decay: float | np.ndarray = 0.0) -> None:
        steps, n = hist.shape[0] - 1, hist.shape[2]
        self.surface, self.hist, self.per_point = surface, hist, per_point
        self.decay = np.broadcast_to(np.asarray(decay, dtype=float), (n,))  # λ per trajectory (module doc)
        self.step_tol2 = np.asarray((STEP_TOL * surface.view_diagonal) ** 2) if convergence else None
        self.first_conv = np.full(n, steps + 1)
        self.reverses = np.empty((max(steps - 1, 0), n), dtype=bool)
        self.done = 0  # p_0 .. p_done taken in

    def columns(self, cols: slice) -> Scan:
        """The scan of the trajectories ``cols``, writing its results into this one's."""
        part = copy(self)
        part.hist, part.first_conv, part.reverses, part.decay = (
            a[..., cols] for a in (self.hist, self.first_conv, self.reverses, self.decay))
        return part

    def update(self, t: int) -> None:
        """p_t is in hist[t]: take in the points since the last take when a block is full or t is the last step.
        t = 1 makes the scratch buffers, on the thread that will use them (see ``_take``)."""
        if t == 1:
            k, steps = self.hist.shape[2], self.hist.shape[0] - 1
            self.rows = rows = max(1, min(steps, SCAN_ELEMENTS // k))
            u = np.zeros((rows + 1, 2, k))
            self.views, self.parity = (u, u[::-1]), 0
            self.squares, self.small = np.empty((rows, 2, k)), np.empty((rows, k), dtype=bool)
            self.pending, self.pending_size = [], 0  # candidate resting points not settled yet: (s0, flat indices)
        if t - self.done == self.rows or t == self.hist.shape[0] - 1:
            self._take(self.done + 1, t)

    def _take(self, a: int, b: int) -> None:
        """Take in p_a .. p_b (m = b - a + 1 points).  The updates go into rows 1..m of v, a view of the scratch
        (rows + 1, 2, k) whose row 0 holds u_{a-1}; blocks alternate between the scratch and its reverse, so the
        last update of a full block is row 0 of the next view, without a copy.  The products u_{t-1} u_t are
        written over the updates no longer needed, which keeps the scratch small (it shares the cache with
        the optimizer's state)."""
        m, hist = b - a + 1, self.hist
        v = self.views[self.parity]
        self.parity ^= 1
        np.subtract(hist[a : b + 1], hist[a - 1 : b], out=v[1 : m + 1])
        squares = np.multiply(v[1 : m + 1], v[1 : m + 1], out=self.squares[:m])
        sq = np.add(squares[:, 0], squares[:, 1], out=squares[:, 0])  # ‖u_t‖² = u_x u_x + u_y u_y
        if self.step_tol2 is not None:
            self._rests(a - 1, np.less_equal(sq, self.step_tol2, out=self.small[:m]), b == hist.shape[0] - 1)
        first = 0 if a >= 2 else 1  # the pair (u_{t-1}, u_t) needs t >= 2; its row in reverses is t - 2
        pairs = np.multiply(v[first:m], v[first + 1 : m + 1], out=v[first:m])
        dots = np.add(pairs[:, 0], pairs[:, 1], out=pairs[:, 0])
        np.less(dots, _ZERO, out=self.reverses[a + first - 2 : b - 1])
        self.done = b

    def _rests(self, s0: int, small: np.ndarray, last: bool) -> None:
        """Note this block's candidate resting points, the p_s left by a small step (small[s - s0]); whether
        ‖∇f(p_s)‖ <= GRAD_TOL too is settled once there are as many candidates as trajectories, or at the end."""
        if small.any():
            found = np.flatnonzero(small)  # np.nonzero is ~15x slower in 2-D
            self.pending.append((s0, found))
            self.pending_size += found.size
        if self.pending and (last or self.pending_size >= small.shape[1]):
            self._settle()

    def _settle(self) -> None:
        """first_conv <- the first candidate s of each trajectory with ‖∇f(p_s) + λ p_s‖ <= GRAD_TOL.  The
        gradient (exact, without noise) is computed again only at candidates of trajectories not resting
        already: a few in a typical run, all in one batch, which keeps the norm test out of the hot loop."""
        k = self.hist.shape[2]
        starts, found = zip(*self.pending, strict=True)
        self.pending, self.pending_size = [], 0
        flat = np.concatenate(found)
        s, cols = np.repeat(starts, [f.size for f in found]) + flat // k, flat % k
        keep = self.first_conv[cols] > s
        s, cols = s[keep], cols[keep]
        if s.size == 0:
            return
        if self.per_point:
            g = np.empty((2, s.size))
            self.surface.grad_into(self.hist[s, 0, cols], self.hist[s, 1, cols], g)
            if self.decay.any():
                g += self.decay[cols] * self.hist[s, :, cols].T
            flat = _dot(g, g, g[0], g[1]) <= GRAD_TOL**2
        else:  # whole rows, each row's parameters against its trajectories
            at, where = np.unique(s, return_inverse=True)
            g = np.empty((2, at.size, k))
            self.surface.grad_into(self.hist[at, 0], self.hist[at, 1], g)
            if self.decay.any():
                g += self.decay * self.hist[at].transpose(1, 0, 2)
            flat = (_dot(g, g, g[0], g[1]) <= GRAD_TOL**2)[where, cols]
        np.minimum.at(self.first_conv, cols[flat], s[flat])


def _dot(a: np.ndarray, b: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """a·b over the first axis of two (2, k) arrays, into out: a_x b_x + a_y b_y."""
    np.multiply(a[0], b[0], out=out)
    np.multiply(a[1], b[1], out=tmp)
    return np.add(out, tmp, out=out)


def diverged_at(surface: Surface, hist: np.ndarray) -> np.ndarray:
    """Step each trajectory diverged at (see the module doc), steps + 1 for none; hist (steps+1, 2, n) unfrozen.

    The final excursion: a trajectory whose last point p_T is inside the far box (finite, |p - c| <= half on
    both axes) has not diverged, which clears almost every trajectory with one look at hist[-1].  For the
    others the answer is the step after their last point inside the far box (0 when there is none).  A
    non-finite coordinate never becomes finite again (x - a·d is inf or NaN when x is, for every update rule
    here), so a trajectory that was ever not finite ends outside and its first non-finite point is inside its
    final excursion.  For surfaces not ``defined_everywhere`` the first point where f is not finite is
    checked in every trajectory (such a point can be left again: f = log x has a finite gradient at x < 0).
    """
    steps = hist.shape[0] - 1
    (x0, x1), (y0, y1) = surface.bounds
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])[:, None]
    half = DIVERGENCE_FACTOR * np.array([(x1 - x0) / 2, (y1 - y0) / 2])[:, None]
    first = np.full(hist.shape[2], steps + 1)
    cols = np.flatnonzero(~(np.abs(hist[-1] - centre) <= half).all(axis=0))
    if cols.size:
        inside = _inside(hist[:, :, cols], centre - half, centre + half)  # (steps + 1, k)
        last_inside = steps - inside[::-1].argmax(axis=0)
        first[cols] = np.where(inside.any(axis=0), last_inside + 1, 0)
    if not surface.defined_everywhere:
        undefined = ~np.isfinite(surface.f(hist[:, 0], hist[:, 1]))  # (steps + 1, n)
        first = np.minimum(first, np.where(undefined.any(axis=0), undefined.argmax(axis=0), steps + 1))
    return first


def _inside(points: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """low <= p <= high on both axes, for points (rows, 2, k) and bounds (2, 1): four comparisons into one
    mask (half the passes over memory of |p − c| <= half; NaN is outside either way)."""
    inside = np.greater_equal(points[:, 0], low[0])
    inside &= points[:, 0] <= high[0]
    inside &= points[:, 1] >= low[1]
    inside &= points[:, 1] <= high[1]
    return inside


def freeze(hist: np.ndarray, last: np.ndarray) -> None:
    """In place: every point after a trajectory's last real point repeats that point (one masked copy over
    the whole history: gathering and scattering the stopped columns costs several times more)."""
    steps = hist.shape[0] - 1
    if not (last < steps).any():
        return
    held = hist[last, :, np.arange(hist.shape[2])].T  # (2, n)
    after = np.arange(steps + 1)[:, None] > last[None, :]  # (steps+1, n)
    np.copyto(hist, held[None], where=after[:, None, :])


def oscillation(reverses: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Share of update pairs with negative cosine among those made before each trajectory's stop; reverses
    (steps-1, n) from ``Scan``."""
    pairs = np.maximum(last - 1, 0)  # updates 1..last make last - 1 consecutive pairs
    counts = column_counts(reverses)  # every pair: right for the trajectories that never stopped
    stopped = np.flatnonzero(pairs < reverses.shape[0])
    if stopped.size:
        counted = np.arange(reverses.shape[0])[:, None] < pairs[None, stopped]
        counts[stopped] = (reverses[:, stopped] & counted).sum(axis=0)
    return np.where(pairs > 0, counts / np.maximum(pairs, 1), 0.0)


def column_counts(mask: np.ndarray) -> np.ndarray:
    """``np.count_nonzero(mask, axis=0)`` for a (rows, n) bool array, several times faster: the bytes are
    summed as uint8, which cannot overflow in a run of 255 rows."""
    counts = np.zeros(mask.shape[1], dtype=np.intp)
    for a in range(0, mask.shape[0], 255):
        counts += np.add.reduce(mask[a : a + 255].view(np.uint8), axis=0, dtype=np.uint8)
    return counts
