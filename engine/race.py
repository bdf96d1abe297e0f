"""A fair race: each optimizer at its best constant learning rate on the surface, found by one batched sweep.

``lr_sweep`` runs one optimizer from one start at every lr of a grid in a single ``simulate`` call (the lr
becomes a 1-D array with a value per trajectory).  The best lr is the one that converges (the engine's rule:
``engine.trajectory_labels``) in the fewest steps; ties, and grids where nothing converges, go to the lowest
final loss among the runs that did not diverge; when every lr diverges, to the smallest lr.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .optimizers import OPTIMIZERS, optimizer
from .simulate import simulate
from .surface_type import Surface

__all__ = ["LrSweep", "best_index", "default_lr", "lr_grid", "lr_sweep"]


@dataclass(frozen=True, eq=False)
class LrSweep:
    """One optimizer at each lr of ``lrs`` (ascending): status (the engine's words), converged_in (the step it
    converged at, −1 when it did not), final_loss (f at the last real point) and ``best``, the index of the
    best lr (``best_index``)."""

    lrs: np.ndarray
    status: np.ndarray
    converged_in: np.ndarray
    final_loss: np.ndarray
    best: int

    @property
    def best_lr(self) -> float:
        return float(self.lrs[self.best])


def lr_grid(low: float, high: float, per_decade: int) -> np.ndarray:
    """``per_decade`` lrs per factor of ten from ``low`` up to ``high``, both included when ``high/low`` is a
    whole number of grid steps: low·10^(k/per_decade) for k = 0 .. round(per_decade·log10(high/low))."""
    if not (0 < low < high) or int(per_decade) != per_decade or per_decade < 1:
        raise ValueError(f"needs 0 < low < high and a whole per_decade >= 1, got {low!r}, {high!r}, {per_decade!r}")
    count = int(round(per_decade * np.log10(high / low)))
    return low * 10.0 ** (np.arange(count + 1) / per_decade)


def default_lr(optimizer_name: str) -> float:
    """torch.optim's default lr for the optimizer (engine.OPTIMIZERS carries torch's defaults)."""
    return float(next(p.default for p in OPTIMIZERS[optimizer_name].params if p.name == "lr"))


def best_index(status: np.ndarray, converged_in: np.ndarray, final_loss: np.ndarray) -> int:
    """The best run of a sweep: converged in the fewest steps, then the lowest final loss; runs that diverged
    come last (the smallest lr first among them: it is the one nearest to working)."""
    converged = status == "converged"
    diverged = status == "diverged"
    loss = np.where(np.isfinite(final_loss) & ~diverged, final_loss, np.inf)
    order = np.lexsort((np.arange(len(status)), loss, np.where(converged, converged_in, np.iinfo(int).max),
                        diverged))
    return int(order[0])


def lr_sweep(surface: Surface, optimizer_name: str, start, lrs, steps: int = 500, **hyper) -> LrSweep:
    """Run ``optimizer_name`` (its other hyper-parameters from ``hyper``, else torch's defaults) from ``start``
    at every lr of ``lrs`` for ``steps`` steps, in one batched ``simulate`` call."""
    lrs = np.asarray(lrs, dtype=float)
    opt = optimizer(optimizer_name, **{**hyper, "lr": lrs})
    starts = np.broadcast_to(np.asarray(start, dtype=float).reshape(1, 2), (lrs.size, 2))
    run = simulate(surface, opt, starts, steps=steps)
    ends = run.ends
    final_loss = run.losses[ends, np.arange(lrs.size)]
    converged_in = np.where(run.status == "converged", run.stopped_at, -1)
    return LrSweep(lrs, run.status, converged_in, final_loss, best_index(run.status, converged_in, final_loss))
