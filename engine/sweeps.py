"""Sweeps: many runs as one batch.  The LR range test, stability maps and basin maps.

Every sweep builds one batch of trajectories (one per grid cell) and calls ``simulate`` once: the
optimizer's hyper-parameters become 1-D arrays with a value per trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .optimizers import optimizer
from .schedules import Schedule, schedule
from .simulate import Run, simulate
from .surface_type import Surface

__all__ = [
    "BasinMap", "RangeTest", "StabilityMap", "basin_map", "lr_range_test", "stability_map",
    "curvature_stability_map", "suggest_minimum", "suggest_steep", "suggest_valley", "SMOOTHING", "STOP_FACTOR",
    "SUGGESTION_NAMES",
]

# fastai's smoothing of the range test's loss (its recorder's beta): an average that remembers about
# 1/(1 − β) = 50 steps, half of a 100-step sweep.
SMOOTHING = 0.98
STOP_FACTOR = 4  # fastai's stop_div: the sweep stops once the smoothed loss exceeds this times its best
# How a page names each of ``RangeTest.suggestions`` (fastai's names; "minimum" is a tenth of the lowest loss's lr).
SUGGESTION_NAMES = {"valley": "valley", "steep": "steepest slope", "minimum": "minimum/10"}


@dataclass(frozen=True, eq=False)
class RangeTest:
    """An LR range test: lrs[i] was the lr of step i+1, losses[i] the raw loss after it, smoothed[i] its
    debiased exponential average; ``suggestions`` maps "valley" | "steep" | "minimum" to an lr (or None
    when the curve is too short to suggest anything)."""

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggestions: dict[str, float | None]
    stopped_early: bool


def lr_range_test(
    surface: Surface,
    optimizer_name: str,
    start,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_it: int = 100,
    stop_div: bool = True,
    beta: float = SMOOTHING,
    **hyper,
) -> RangeTest:
    """fastai's ``lr_find`` on a surface: lr_i = start_lr·(end_lr/start_lr)^(i/num_it) for i = 0..num_it−1.

    The loss is smoothed as fastai's recorder does (avg ← β·avg + (1−β)·loss, debiased by 1 − β^(i+1)),
    and with ``stop_div`` the sweep stops once the smoothed loss exceeds STOP_FACTOR (4) × the best so far (or the
    trajectory diverges).  Suggestions follow fastai: they look at points num_it//10 .. −5 of the sweep.
    """
    if not (0 < start_lr < end_lr):
        raise ValueError(f"needs 0 < start_lr < end_lr, got {start_lr!r}, {end_lr!r}")
    if int(num_it) != num_it or num_it < 10:
        raise ValueError(f"num_it must be a whole number >= 10, got {num_it!r}")
    gamma = (end_lr / start_lr) ** (1.0 / num_it)
    opt = optimizer(optimizer_name, **{**hyper, "lr": start_lr})
    run = simulate(surface, opt, np.asarray(start, dtype=float).reshape(1, 2), steps=int(num_it),
                   schedule=schedule("exponential", gamma=gamma), stop_at_convergence=False)
    lrs, losses = run.lrs[:, 0], run.losses[1:, 0]
    if run.status[0] == "diverged":
        lrs, losses = lrs[: run.stopped_at[0] - 1], losses[: run.stopped_at[0] - 1]
    smoothed = _debiased_average(losses, beta)
    stopped_early = run.status[0] == "diverged"
    if stop_div and smoothed.size:
        exploded = smoothed > STOP_FACTOR * np.minimum.accumulate(smoothed)
        if exploded.any():
            cut = int(exploded.argmax()) + 1
            lrs, losses, smoothed, stopped_early = lrs[:cut], losses[:cut], smoothed[:cut], True
    window = slice(int(num_it) // 10, -5)
    sl, ss = lrs[window], smoothed[window]
    suggestions = {
        "valley": suggest_valley(sl, ss),
        "steep": suggest_steep(sl, ss),
        "minimum": suggest_minimum(sl, ss),
    }
    return RangeTest(lrs, losses, smoothed, suggestions, bool(stopped_early))


def _debiased_average(values: np.ndarray, beta: float) -> np.ndarray:
    """fastai's smoothed loss: avg_t = β·avg_{t−1} + (1 − β)·loss_t from avg_0 = 0, reported as avg_t/(1 − β^t)."""
    avg, out = 0.0, np.empty_like(values)
    for i, v in enumerate(values):
        avg = beta * avg + (1 - beta) * v
        out[i] = avg / (1 - beta ** (i + 1))
    return out


def suggest_valley(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    """fastai's "valley": the longest strictly decreasing run of losses (not necessarily contiguous);
    the lr two-thirds of the way along it (start + ⌊len/3⌋ + ⌊len/6⌋)."""
    n = len(losses)
    if n < 2:
        return None
    lds = np.ones(n, dtype=int)
    max_start = max_end = 0
    for i in range(1, n):
        earlier = losses[:i] > losses[i]
        if earlier.any():
            lds[i] = max(lds[i], int(lds[:i][earlier].max()) + 1)
        if lds[max_end] < lds[i]:
            max_end, max_start = i, i - lds[i]
    sections = (max_end - max_start) / 3
    return float(lrs[max_start + int(sections) + int(sections / 2)])


def suggest_steep(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    """fastai's "steep": the lr where the loss falls fastest against log(lr)."""
    if len(losses) < 2:
        return None
    slope = np.diff(losses) / np.diff(np.log(lrs))
    return float(lrs[int(np.argmin(slope))])


def suggest_minimum(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    """fastai's "minimum": a tenth of the lr at the lowest loss."""
    return float(lrs[int(np.argmin(losses))] / 10) if len(losses) else None


@dataclass(frozen=True, eq=False)
class StabilityMap:
    """A grid of runs: rows follow ``ys`` (momentum or curvature), columns ``lrs``.

    final_loss / initial_loss and status are (len(ys), len(lrs)); stopped_at likewise."""

    lrs: np.ndarray
    ys: np.ndarray
    y_name: str
    loss_ratio: np.ndarray
    status: np.ndarray
    stopped_at: np.ndarray


def _grid_map(run: Run, lrs: np.ndarray, ys: np.ndarray, y_name: str) -> StabilityMap:
    shape = (len(ys), len(lrs))
    with np.errstate(all="ignore"):  # the loss at the two ends only: f over the whole history costs more than the run
        ratio = run.surface.value(run.points[-1]) / run.surface.value(run.points[0])
    return StabilityMap(lrs, ys, y_name, ratio.reshape(shape), run.status.reshape(shape),
                        run.stopped_at.reshape(shape))


def stability_map(
    surface: Surface, optimizer_name: str, lrs, momenta, start, steps: int = 200, **hyper
) -> StabilityMap:
    """Final loss and status over an lr × momentum grid, all from ``start``, in one batch.

    ``optimizer_name`` must take ``momentum`` (sgd, momentum, nesterov, rmsprop)."""
    lrs, momenta = np.asarray(lrs, dtype=float), np.asarray(momenta, dtype=float)
    lr_grid, mom_grid = np.meshgrid(lrs, momenta)
    opt = optimizer(optimizer_name, **{**hyper, "lr": lr_grid.ravel(), "momentum": mom_grid.ravel()})
    starts = np.broadcast_to(np.asarray(start, dtype=float).reshape(1, 2), (lr_grid.size, 2))
    return _grid_map(simulate(surface, opt, starts, steps=steps), lrs, momenta, "momentum")


def curvature_stability_map(
    lrs, curvatures, optimizer_name: str = "sgd", steps: int = 100, **hyper
) -> StabilityMap:
    """Final loss and status over an lr × curvature grid: each row runs on the 1-D quadratic λx²/2
    (embedded as f(x, y) = λ(x² + y²)/2, started from (1, 1)), so the 1/λ and 2/λ lines can be read off."""
    lrs, lams = np.asarray(lrs, dtype=float), np.asarray(curvatures, dtype=float)
    if (lams <= 0).any():
        raise ValueError("curvatures must be > 0")
    lr_grid, lam_grid = np.meshgrid(lrs, lams)
    bowl = _bowl_family(lam_grid.ravel())
    opt = optimizer(optimizer_name, **{**hyper, "lr": lr_grid.ravel()})
    return _grid_map(simulate(bowl, opt, np.ones((lr_grid.size, 2)), steps=steps), lrs, lams, "curvature")


def _bowl_family(lams: np.ndarray) -> Surface:
    """f = λ(x² + y²)/2 with one λ per trajectory (λ broadcasts along the batch axis)."""
    return Surface(
        slug="bowl_family", name="Bowls of several curvatures", description="λ(x² + y²)/2, λ per trajectory",
        f=lambda x, y: 0.5 * lams * (x * x + y * y),
        df=lambda x, y: (lams * x, lams * y),
        d2f=lambda x, y: (lams, 0.0, lams),
        minima=np.zeros((1, 2)), bounds=((-2.0, 2.0), (-2.0, 2.0)), start=np.ones(2),
    )


@dataclass(frozen=True, eq=False)
class BasinMap:
    """Which minimum each start of a grid reaches: ``basin`` (ny, nx) holds the index into ``minima`` or −1
    (not converged: see ``status``).  ``minima`` are the surface's known minima first (``known`` True), then
    the other points where converged runs ended (local minima such as Rastrigin's, ``known`` False), each
    the mean of the end points within ``tol`` of one another.  ``stopped_at`` is the engine's step of each
    run's stop (−1 for none)."""

    xs: np.ndarray
    ys: np.ndarray
    minima: np.ndarray
    known: np.ndarray
    basin: np.ndarray
    status: np.ndarray
    stopped_at: np.ndarray


def basin_map(
    surface: Surface, optimizer_name: str, resolution: int = 41, steps: int = 300, tol: float = 1e-2,
    schedule: Schedule | None = None, **hyper
) -> BasinMap:
    """Run from every point of a resolution × resolution grid over the default view, in one batch.

    tol is relative to the view's diagonal: a converged run's end that close to a known minimum is in its
    basin; ends of converged runs near no known minimum are grouped on a grid of that spacing."""
    (x0, x1), (y0, y1) = surface.bounds
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    starts = np.column_stack([gx.ravel(), gy.ravel()])
    run = simulate(surface, optimizer(optimizer_name, **hyper), starts, steps=steps, schedule=schedule)
    ends, converged, radius = run.points[-1], run.status == "converged", tol * surface.view_diagonal
    basin = np.full(starts.shape[0], -1)
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    if len(minima):
        dist = np.linalg.norm(ends[:, None, :] - minima[None, :, :], axis=-1)
        nearest = dist.argmin(axis=1)
        basin = np.where(converged & (dist[np.arange(len(nearest)), nearest] <= radius), nearest, -1)
    elsewhere = np.flatnonzero(converged & (basin < 0))
    found = np.empty((0, 2))
    if elsewhere.size:
        cells, group = np.unique(np.round(ends[elsewhere] / radius), axis=0, return_inverse=True)
        found = np.array([ends[elsewhere][group.ravel() == k].mean(axis=0) for k in range(len(cells))])
        basin[elsewhere] = len(minima) + group.ravel()
    known = np.r_[np.ones(len(minima), bool), np.zeros(len(found), bool)]
    shape = (resolution, resolution)
    return BasinMap(xs, ys, np.vstack([minima, found]), known, basin.reshape(shape), run.status.reshape(shape),
                    run.stopped_at.reshape(shape))
