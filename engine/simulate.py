"""The batched simulator: many trajectories of one optimizer on one surface, in one NumPy loop over steps.

State is kept as (2, n) so x and y are each contiguous; there is no Python loop over trajectories.  After
the loop, each trajectory is labelled "converged", "diverged" or "running" by the rules in
``engine.trajectory_labels`` (tolerances and the divergence box are documented there), and ``Run.outcome``
puts a label into the words every page uses.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .optimizers import Optimizer
from .schedules import Schedule, lr_table
from .surface_type import Surface
from .trajectory_labels import DIVERGENCE_FACTOR, GRAD_TOL, STEP_TOL, freeze, oscillation, scan

__all__ = [
    "DIVERGENCE_FACTOR", "GRAD_TOL", "OSCILLATING", "STEP_TOL", "Run", "describe_outcome", "simulate",
]

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
        first_bad, first_conv, reverses = scan(surface, hist, flat if stop_at_convergence else None)
    diverged, converged = first_bad < first_conv, first_conv < first_bad
    status = np.where(diverged, "diverged", np.where(converged, "converged", "running")).astype("<U9")
    stopped_at = np.where(diverged, first_bad, np.where(converged, first_conv, -1))
    last = np.where(diverged, first_bad - 1, np.where(converged, first_conv, steps))
    freeze(hist, last)
    points = hist.transpose(0, 2, 1)
    return Run(surface, points, lrs, status, stopped_at, oscillation(reverses, last), records)


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
