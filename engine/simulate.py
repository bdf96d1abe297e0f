"""The batched simulator: many trajectories of one optimizer on one surface, in one NumPy loop over steps.

State is kept as (2, n) so x and y are each contiguous; there is no Python loop over trajectories.  The
history (steps+1, 2, n) is the state: each step's last ufunc writes the new points into their row, and a
``Scan`` takes them in, each step while they are in the cache, or for a few trajectories (whose steps cost
NumPy's call overhead rather than arithmetic) after the last step, all together.  Every step is simulated,
whatever the path does: leaving the view is an event, not a stop.  Each trajectory is then labelled
"converged" or "diverged" by the rules in ``engine.trajectory_labels`` (the tolerances, and the far box with
why a path past it for the rest of the run cannot come back), else "oscillating", "stalled" or "running" by
``engine.outcomes`` (measured over the end of the run), and ``Run.outcome`` puts a label and its measured
facts into the words every page uses.  A large batch runs as two halves on two threads (see ``_run``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from copy import copy
from dataclasses import dataclass
from functools import partial

import numpy as np

from . import outcomes
from . import trajectory_labels as labels
from .minibatch import draw_batches
from .optimizers import Optimizer
from .run_type import Run
from .schedules import Schedule, lr_table
from .surface_type import Surface
from .trajectory_labels import DIVERGENCE_FACTOR, GRAD_TOL, STEP_TOL, Scan

__all__ = ["DIVERGENCE_FACTOR", "GRAD_TOL", "STEP_TOL", "Run", "simulate"]

# indexed by diverged + 2 converged + 3 oscillating + 4 stalled (at most one of them)
_STATUS = np.array(["running", "diverged", "converged", "oscillating", "stalled"], dtype="<U11")


def simulate(
    surface: Surface,
    opt: Optimizer,
    starts: np.ndarray,
    *,
    steps: int = 500,
    schedule: Schedule | None = None,
    noise: float = 0.0,
    seed: int = 0,
    record: bool = False,
    stop_at_convergence: bool = True,
    batch: int = 0,
    common_noise: bool = False,
) -> Run:
    """Run ``opt`` from each of ``starts`` (n, 2) for ``steps`` steps on ``surface``.

    noise: standard deviation of Gaussian noise added to every gradient component (seeded by ``seed``;
    0 gives exact gradients).  batch: examples per gradient on a surface that is a mean over examples
    (``surface.examples``, ``engine.minibatch``): each step's gradient is that of ``batch`` examples drawn at
    random (seeded by ``seed``); 0, or at least the number of examples, is the full batch (exact gradient).
    common_noise: every trajectory gets the same draws at each step, the ones a single trajectory would get:
    one (2,) noise vector and one mini-batch per step from the seeded streams, broadcast to all.  Trajectory k
    of such a batch is then bit for bit the run of its own from its start with its lr and the same seed (a
    run of one trajectory draws exactly this, so its results do not depend on the flag): a sweep over lrs
    sees one noise, as each single run does.  False (the default): each trajectory its own draws.
    schedule: an ``engine.schedule(...)`` or None for a constant lr.
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
    draws = GradientDraws(float(noise), seed, _batch_size(surface, batch), common_noise)
    steps, n = int(steps), starts.shape[0]
    base_lr = np.broadcast_to(np.asarray(opt.hyper["lr"], dtype=float), (n,)).copy()
    if base_lr.shape != (n,):
        raise ValueError(f"lr has {base_lr.size} values for {n} trajectories")

    with np.errstate(all="ignore"):  # divergence is a result, not a warning
        hist, lrs, scan, records = _run(surface, opt, starts, steps, schedule, base_lr, draws, record,
                                        stop_at_convergence)
        first_bad = labels.diverged_at(surface, hist)
        diverged, converged = first_bad < scan.first_conv, scan.first_conv < first_bad
        # a start where f is undefined (first_bad = 0) has no good point before it: the start itself is kept
        last = np.where(diverged, np.maximum(first_bad - 1, 0), np.where(converged, scan.first_conv, steps))
        oscillation = labels.oscillation(scan.reverses, last)
        oscillating, stalled = outcomes.end_labels(surface, hist, scan, lrs.run_lrs(), ~(diverged | converged))
        recorded = records.result(hist, lrs.run_lrs()) if records is not None else None  # inf - inf is NaN
    status = _STATUS[diverged + 2 * converged + 3 * oscillating + 4 * stalled]
    stopped_at = np.where(diverged, first_bad, np.where(converged, scan.first_conv, -1))
    labels.freeze(hist, last)
    return Run(surface, hist.transpose(0, 2, 1), lrs.run_lrs(), status, stopped_at, oscillation, recorded)


@dataclass(frozen=True)
class GradientDraws:
    """How each step's gradient is drawn (``simulate``'s noise, seed, batch and common_noise, checked):
    Gaussian noise of standard deviation ``noise`` added to every component, mini-batches of ``batch``
    examples (0: the exact gradient), both from streams seeded by ``seed``; ``common``: one trajectory's
    draws each step, broadcast to all."""

    noise: float = 0.0
    seed: int = 0
    batch: int = 0
    common: bool = False

    @property
    def exact(self) -> bool:
        """No noise and no mini-batches: the true gradient, nothing random."""
        return self.noise == 0 and self.batch == 0


def _batch_size(surface: Surface, batch: int) -> int:
    """The mini-batch size to draw, or 0 for the exact gradient (``batch`` 0 or the whole data set)."""
    if batch == 0:
        return 0
    if surface.examples is None:
        raise ValueError(f"batch needs a loss made of examples (the regression surface); {surface.name} has none")
    surface.examples.check_batch(batch)
    return 0 if batch >= surface.examples.count else int(batch)


def _run(surface, opt, starts, steps, schedule, base_lr, draws: GradientDraws, record, convergence):
    """All the steps: the history (steps+1, 2, n), the lrs, the finished ``Scan`` and the records (or None).

    A large batch runs as two blocks of trajectories (columns), one per thread, when nothing ties them
    together: no noise or mini-batches (one random stream each), no plateau schedule (it watches every loss),
    no records, and neither the optimizer nor the surface holds per-trajectory arrays."""
    n = starts.shape[0]
    hist = np.empty((steps + 1, 2, n))
    hist[0] = starts.T
    lrs = _Lrs(surface, schedule, steps, base_lr)
    records = _Recorder(opt, steps, n) if record else None
    state = opt.init(hist[0])
    per_point = _per_point(surface, starts)
    scan = Scan(surface, hist, convergence, per_point, opt.l2_decay)
    halves = slice(0, n // 2), slice(n // 2, n)
    parallel = (n >= THREADS_FROM and draws.exact and lrs.table is not None and records is None
                and opt.column_blocks_ok and per_point)
    blocks = halves if parallel else (slice(0, n),)
    _run_all([partial(_loop, surface, opt, hist[:, :, b], {k: v[:, b] for k, v in state.items()}, lrs.columns(b),
                      scan.columns(b), draws, records) for b in blocks])
    return hist, lrs, scan, records


THREADS_FROM = 50_000  # trajectories; below this the two threads, taking turns at the GIL, save little or nothing
NOISE_ELEMENTS = 1 << 16  # gradient noise is drawn this many numbers at a time (one stream: the same numbers)


def _per_point(surface: Surface, starts: np.ndarray) -> bool:
    """Whether the surface's gradient takes any set of points on its own, tried on one of them.  A family with
    one parameter per trajectory (the sweeps' bowls of many curvatures, n > 1) does not: it fails to broadcast."""
    try:
        surface.grad_into(starts[:1, 0], starts[:1, 1], np.empty((2, 1)))
    except ValueError:
        return False
    return True


def _run_all(jobs: list) -> None:
    """Run the jobs, the first on this thread and the others on their own (NumPy releases the GIL inside
    ufuncs; the floating-point error state is per thread, so each job sets its own)."""
    if len(jobs) == 1:
        jobs[0]()
        return
    with ThreadPoolExecutor(len(jobs) - 1) as pool:
        others = [pool.submit(job) for job in jobs[1:]]
        jobs[0]()
        for other in others:
            other.result()


def _loop(surface, opt, hist, state, lrs, scan, draws: GradientDraws, records) -> None:
    """The step loop over one block of trajectories: hist (steps+1, 2, k) with hist[0] set, filled row by row
    (the optimizer's last ufunc writes p_t straight into hist[t]); the scan takes in each new point.  With
    ``draws.batch`` > 0 each gradient is a mini-batch's (``engine.minibatch``).  ``draws.common``: one
    trajectory's draws per step (noise (2, 1), batches (1, B)), broadcast to all k."""
    steps = hist.shape[0] - 1
    p, g = hist[0], np.empty(hist.shape[1:])
    drawn = 1 if draws.common else g.shape[1]  # trajectories each step draws for
    noises = _noise(draws.noise, draws.seed, (2, drawn), steps) if draws.noise > 0 else None
    grad_into, step, update = surface.grad_into, opt.step, scan.update
    if draws.batch:
        batches, batch_grad = draw_batches(surface.examples.count, draws.batch, draws.seed, drawn, steps), \
            surface.examples.batch_grad

        def grad_into(x, y, out):
            batch_grad(x, y, next(batches), out)
    observe = lrs.observe if lrs.table is None else None
    with np.errstate(all="ignore"):  # divergence is a result, not a warning
        for t in range(1, steps + 1):
            grad_into(p[0], p[1], g)
            if noises is not None:
                np.add(g, next(noises), out=g)
            lr = lrs.lr(t)
            if records is not None:
                records.before(t, g)
            step(p, g, state, lr, t, out=hist[t])
            p = hist[t]
            update(t)
            if records is not None:
                records.after(t, state)
            if observe is not None:
                observe(p)


def _noise(noise: float, seed: int, shape: tuple[int, ...], steps: int):
    """The noise added to each step's gradient, noise · N(0, 1) of the given shape from one seeded stream,
    drawn for many steps at a time (the stream gives the same numbers in the same order)."""
    rng, rows = np.random.default_rng(seed), max(1, NOISE_ELEMENTS // int(np.prod(shape)))
    for t in range(0, steps, rows):
        yield from noise * rng.standard_normal((min(rows, steps - t), *shape))


class _Lrs:
    """The lr of each step.  A schedule that ignores the loss gives a table (steps, n), or (steps, 1) when every
    trajectory shares one base lr: the optimizer's ufuncs broadcast it, and ``Run.lrs`` is a read-only view
    (steps, n) of it.  plateau (loss-driven) fills the table step by step from the loss at each new point."""

    def __init__(self, surface: Surface, schedule: Schedule | None, steps: int, base_lr: np.ndarray) -> None:
        self.surface, self.schedule, self.n = surface, schedule, base_lr.size
        if schedule is not None and schedule.loss_driven:
            self.table, self.state = None, schedule.init_state(base_lr)
            self.filled, self.next_lr = np.empty((steps, base_lr.size)), self.state["lr"].copy()
        else:
            shared = bool((base_lr == base_lr[0]).all())
            self.table = lr_table(schedule, steps, base_lr[:1] if shared else base_lr)

    def columns(self, cols: slice) -> _Lrs:
        """The lrs of some trajectories (a table with one column serves them all)."""
        if self.table is None or self.table.shape[1] == 1:
            return self
        part = copy(self)
        part.table = self.table[:, cols]
        return part

    def lr(self, t: int) -> np.ndarray:
        """The lr of step t: (k,), or a 0-d array when shared (ufuncs take a 0-d constant faster)."""
        if self.table is not None:
            return self.table[t - 1, 0, ...] if self.table.shape[1] == 1 else self.table[t - 1]
        self.filled[t - 1] = self.next_lr
        return self.next_lr

    def observe(self, p: np.ndarray) -> None:
        """After a step: plateau sees the loss at the new points p (2, n) (only plateau: ``table`` is None)."""
        self.next_lr = self.schedule.observe(self.state, self.surface.f(p[0], p[1]) + np.zeros(self.n))

    def run_lrs(self) -> np.ndarray:
        """The lrs (steps, n) for ``Run``."""
        return self.filled if self.table is None else np.broadcast_to(self.table, (self.table.shape[0], self.n))


class _Recorder:
    """Collects per-step diagnostics in (steps, 2, n) arrays, row k = step k + 1; ``result`` gives them as
    (steps, n, 2) views.  The loop records what the next step overwrites (the gradient, the optimizer state);
    the updates and the effective lrs are computed afterwards for all steps at once (before ``freeze``)."""

    def __init__(self, opt: Optimizer, steps: int, n: int) -> None:
        self.opt = opt
        self.data = {name: np.empty((steps, 2, n)) for name in ("grad", *opt.state_names)}

    def before(self, t: int, g: np.ndarray) -> None:
        np.copyto(self.data["grad"][t - 1], g)

    def after(self, t: int, state: dict) -> None:
        for name in self.opt.state_names:
            np.copyto(self.data[name][t - 1], state[name])

    def result(self, hist: np.ndarray, lrs: np.ndarray) -> dict[str, np.ndarray]:
        """All records, given the unfrozen history (steps+1, 2, n) and the lrs (steps, n)."""
        states = {name: self.data[name] for name in self.opt.state_names}
        steps = np.arange(1, lrs.shape[0] + 1)[:, None, None]
        effective = self.opt.effective_lr({**states, "_tmp": np.empty_like(self.data["grad"])}, lrs[:, None, :], steps)
        data = {"grad": self.data["grad"], "update": np.subtract(hist[1:], hist[:-1]), "effective_lr": effective,
                **states}
        return {name: values.transpose(0, 2, 1) for name, values in data.items()}
