"""The batched simulator: many trajectories of one optimizer on one surface, in one NumPy loop over steps.

State is kept as (2, n) so x and y are each contiguous; there is no Python loop over trajectories.  After
the loop, each trajectory is labelled once, here, and every page shows these labels in the same words:

* **diverged** at step t: the point p_t is not finite or left the *divergence box*, the default view
  scaled by ``DIVERGENCE_FACTOR`` (10) about its centre, or the loss f(p_t) is not finite (checked for
  surfaces that are not ``defined_everywhere``: typed expressions with log, sqrt or division).  p_t and
  everything after it repeat the last good point p_{t-1}.
* **converged** at step t: p_t is a resting point, ‖∇f(p_t)‖ <= ``GRAD_TOL`` (1e-6) and the step that
  leaves it, ‖p_{t+1} - p_t‖, is <= ``STEP_TOL`` (1e-6) times the view's diagonal (so momentum passing
  through a flat spot at speed does not count).  The trajectory stops there: later points repeat p_t.
* **running**: neither happened within ``steps``; ``stopped_at`` is -1.

``oscillation`` is the share of consecutive update pairs (u_k, u_{k+1}), u_k = p_k - p_{k-1}, whose cosine
is negative, over the updates made before the trajectory stopped (0 when fewer than two were made).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .optimizers import Optimizer
from .schedules import Schedule, lr_table
from .surface_type import Surface

__all__ = [
    "DIVERGENCE_FACTOR", "GRAD_TOL", "OSCILLATING", "STEP_TOL", "Run", "describe_outcome", "simulate",
]

DIVERGENCE_FACTOR = 10.0
GRAD_TOL = 1e-6
STEP_TOL = 1e-6
OSCILLATING = 0.5  # a running trajectory whose updates reverse this often is "oscillating"


@dataclass(frozen=True, eq=False)
class Run:
    """The result of ``simulate``: histories, labels and (when recorded) per-step diagnostics.

    points (steps+1, n, 2); losses (steps+1, n), computed from the points on first use; lrs (steps, n):
    the lr of each step; status (n,) of "converged" | "diverged" | "running"; stopped_at (n,): the step
    it converged or diverged at, else -1; oscillation (n,) in [0, 1]; records: with ``record=True`` a dict
    of (steps, n, 2) arrays where row k describes step k+1 (from points[k] to points[k+1]): "grad" (the
    gradient used, noise included), "update" (points[k+1] - points[k]), "effective_lr" (the per-parameter
    step of adaptive methods, the lr for plain SGD) and each optimizer state by its torch name
    ("momentum_buffer", "exp_avg", ...).
    """

    surface: Surface = field(repr=False)
    points: np.ndarray
    lrs: np.ndarray
    status: np.ndarray
    stopped_at: np.ndarray
    oscillation: np.ndarray
    records: dict[str, np.ndarray] | None = None

    @cached_property
    def losses(self) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self.surface.value(self.points)

    @property
    def steps(self) -> int:
        return self.lrs.shape[0]

    def outcome(self, i: int = 0) -> str:
        """Trajectory i's result in the words every page uses (see ``describe_outcome``)."""
        return describe_outcome(str(self.status[i]), int(self.stopped_at[i]), float(self.oscillation[i]), self.steps)

    def last_step(self, i: int = 0) -> int:
        """Index into ``points`` of trajectory i's last real point (where it stopped, or the end)."""
        stop = int(self.stopped_at[i])
        return {"diverged": stop - 1, "converged": stop}.get(str(self.status[i]), self.steps)


def describe_outcome(status: str, stopped_at: int, oscillation: float, steps: int) -> str:
    """"converged in 143 steps" | "diverged at step 12" | "oscillating" | "still moving after 500 steps"."""
    if status == "converged":
        return f"converged in {stopped_at} step{'s' if stopped_at != 1 else ''}"
    if status == "diverged":
        return f"diverged at step {stopped_at}"
    if oscillation >= OSCILLATING:
        return "oscillating"
    return f"still moving after {steps} steps"


def simulate(
    surface: Surface,
    opt: Optimizer,
    starts: np.ndarray,
    steps: int = 500,
    schedule: Schedule | None = None,
    noise: float = 0.0,
    seed: int = 0,
    record: bool = False,
    stop_at_convergence: bool = True,
) -> Run:
    """Run ``opt`` from each of ``starts`` (n, 2) for ``steps`` steps on ``surface``.

    noise: standard deviation of Gaussian noise added to every gradient component (seeded by ``seed``;
    0 gives exact gradients).  schedule: an ``engine.schedule(...)`` or None for a constant lr.
    record: keep per-step diagnostics (meant for a few trajectories; memory grows with n * steps).
    stop_at_convergence: False ignores convergence (statuses are then "diverged" or "running") and keeps
    stepping: the LR range test needs this, since a later, larger lr throws a resting point out again.
    """
    starts = np.asarray(starts, dtype=float)
    if starts.ndim != 2 or starts.shape[1] != 2 or starts.shape[0] == 0:
        raise ValueError(f"starts must have shape (n, 2) with n >= 1, got {starts.shape}")
    if not np.isfinite(starts).all():
        raise ValueError("starts must be finite")
    if int(steps) != steps or steps < 1:
        raise ValueError(f"steps must be a whole number >= 1, got {steps!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    steps, n = int(steps), starts.shape[0]
    base_lr = np.broadcast_to(np.asarray(opt.hyper["lr"], dtype=float), (n,)).copy()
    if base_lr.shape != (n,):
        raise ValueError(f"lr has {base_lr.size} values for {n} trajectories")

    with np.errstate(all="ignore"):
        hist, flat, lrs, records = _loop(surface, opt, starts, steps, schedule, base_lr, noise, seed, record)
        first_bad, first_conv, reverses = _scan(surface, hist, flat if stop_at_convergence else None)
    diverged, converged = first_bad < first_conv, first_conv < first_bad
    status = np.where(diverged, "diverged", np.where(converged, "converged", "running")).astype("<U9")
    stopped_at = np.where(diverged, first_bad, np.where(converged, first_conv, -1))
    last = np.where(diverged, first_bad - 1, np.where(converged, first_conv, steps))
    _freeze(hist, last)
    points = hist.transpose(0, 2, 1)
    return Run(surface, points, lrs, status, stopped_at, _oscillation(reverses, last), records)


def _loop(surface, opt, starts, steps, schedule, base_lr, noise, seed, record):
    """The step loop: returns the history (steps+1, 2, n), ``flat`` (steps, n): ‖∇f(p_t)‖ <= GRAD_TOL
    (the exact gradient, before noise), lrs (steps, n) and the records (or None)."""
    n = starts.shape[0]
    p = starts.T.copy()  # (2, n), C-contiguous, never a view of the caller's array
    hist = np.empty((steps + 1, 2, n))
    hist[0] = p
    state = opt.init(p)
    g = np.empty_like(p)
    flat = np.empty((steps, n), dtype=bool)
    g2, g2y = np.empty(n), np.empty(n)
    rng = np.random.default_rng(seed) if noise > 0 else None
    plateau = schedule is not None and schedule.loss_driven
    if plateau:
        sched_state = schedule.init_state(base_lr)
        lrs = np.empty((steps, n))
        lr = sched_state["lr"].copy()
    else:
        lrs = lr_table(schedule, steps, base_lr)
        # one lr shared by every trajectory is passed as shape (1,): the optimizer's ufuncs broadcast it
        lr_rows = lrs[:, :1] if (lrs == lrs[:, :1]).all() else lrs
    records = _Recorder(opt, steps, n) if record else None
    with _RowSteps(opt, p, state) as step:
        for t in range(1, steps + 1):
            g[0], g[1] = surface.grad_xy(p[0], p[1])
            np.multiply(g[0], g[0], out=g2)
            np.multiply(g[1], g[1], out=g2y)
            np.add(g2, g2y, out=g2)
            np.less_equal(g2, GRAD_TOL**2, out=flat[t - 1])
            if rng is not None:
                g += noise * rng.standard_normal(g.shape)
            if plateau:
                lrs[t - 1] = lr
            else:
                lr = lr_rows[t - 1]
            if records is not None:
                records.before(t, g, p)
            step(g, lr, t, hist[t])
            if records is not None:
                records.after(t, p, state, lr)
            if plateau:
                lr = schedule.observe(sched_state, surface.f(p[0], p[1]) + np.zeros(n))
    return hist, flat, lrs, (records.result() if records is not None else None)


THREADS_FROM = 20_000  # trajectories; below this, handing work to a thread costs more than it saves


class _RowSteps:
    """``opt.step`` that also writes the new point into the history row.  Every torch.optim rule is
    elementwise, so for large batches the x row and the y row (with their state rows) step on two threads;
    NumPy releases the GIL inside ufuncs.  Per-trajectory hyper-parameters, shape (n,), broadcast on each row."""

    def __init__(self, opt: Optimizer, p: np.ndarray, state: dict) -> None:
        self.opt, self.p, self.state = opt, p, state
        self.rows = [(p[i : i + 1], {k: v[i : i + 1] for k, v in state.items()}) for i in (0, 1)]
        self.pool = ThreadPoolExecutor(1) if p.shape[1] >= THREADS_FROM else None

    def __enter__(self):
        return self.step if self.pool is None else self.step_rows

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    def step(self, g: np.ndarray, lr, t: int, out: np.ndarray) -> None:
        self.opt.step(self.p, g, self.state, lr, t)
        out[...] = self.p

    def _row(self, i: int, g: np.ndarray, lr, t: int, out: np.ndarray) -> None:
        p, state = self.rows[i]
        with np.errstate(all="ignore"):  # error state is per thread: divergence is a result, not a warning
            self.opt.step(p, g[i : i + 1], state, lr, t)
        out[i : i + 1] = p

    def step_rows(self, g: np.ndarray, lr, t: int, out: np.ndarray) -> None:
        other = self.pool.submit(self._row, 1, g, lr, t, out)
        self._row(0, g, lr, t, out)
        other.result()


class _Recorder:
    """Collects per-step diagnostics in (steps, n, 2) arrays (row k = step k + 1)."""

    def __init__(self, opt: Optimizer, steps: int, n: int) -> None:
        self.opt = opt
        names = ("grad", "update", "effective_lr", *opt.state_names)
        self.data = {name: np.full((steps, n, 2), np.nan) for name in names}
        self._prev = np.empty((2, n))

    def before(self, t: int, g: np.ndarray, p: np.ndarray) -> None:
        self.data["grad"][t - 1] = g.T
        self._prev[...] = p

    def after(self, t: int, p: np.ndarray, state: dict, lr: np.ndarray) -> None:
        self.data["update"][t - 1] = (p - self._prev).T
        self.data["effective_lr"][t - 1] = np.broadcast_to(self.opt.effective_lr(state, lr, t), p.shape).T
        for name in self.opt.state_names:
            if name in state:
                self.data[name][t - 1] = np.broadcast_to(state[name], p.shape).T

    def result(self) -> dict[str, np.ndarray]:
        return self.data


BLOCK = 4  # updates analysed at a time: the block and its temporaries stay in the CPU's cache


def _scan(surface: Surface, hist: np.ndarray, flat: np.ndarray | None):
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


def _freeze(hist: np.ndarray, last: np.ndarray) -> None:
    """In place: every point after a trajectory's last real point repeats that point."""
    steps = hist.shape[0] - 1
    stopped = np.flatnonzero(last < steps)
    if stopped.size == 0:
        return
    after = np.arange(steps + 1)[:, None] > last[None, stopped]  # (steps+1, k)
    held = hist[last[stopped], :, stopped].T  # (2, k)
    hist[:, :, stopped] = np.where(after[:, None, :], held[None], hist[:, :, stopped])


def _oscillation(reverses: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Share of update pairs with negative cosine among those made before each trajectory's stop."""
    pairs = np.maximum(last - 1, 0)  # updates 1..last make last - 1 consecutive pairs
    if reverses.shape[0] == 0:
        return np.zeros(last.shape)
    counted = np.arange(reverses.shape[0])[:, None] < pairs[None, :]
    return np.where(pairs > 0, (reverses & counted).sum(axis=0) / np.maximum(pairs, 1), 0.0)
