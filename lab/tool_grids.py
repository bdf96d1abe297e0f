"""The stability map's and the basin map's engine calls, cached with ``functools.lru_cache`` on small frozen
configs (the convention of ``lab.runs``), and what theory says about them: the stability map's grid, the
boundary αλ < 2(1 + β)-style line from ``engine.theory.stability_limit``, Polyak's optimum.  No streamlit: the
pages only draw them.

Both maps are held to the one work budget (``lab.tool_budget``): ``stability_fit`` / ``basin_fit`` give the
starts per side and the steps a config may run; the grids are computed at that size.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import sweeps
from lab.config import RunConfig
from lab.runs import get_surface
from lab.tool_budget import Fit, fit
from lab.tool_links import is_quadratic

__all__ = ["BASIN_GRID", "GRID", "SMALLEST_GRID", "basin_fit", "basin_pair", "boundary", "grid_axes", "nearest_index",
           "polyak_optimum", "stability_fit", "stability_grid"]

GRID = 100  # cells along each axis of the stability map
BASIN_GRID = 81  # starts along each axis of each of the two basin maps
SMALLEST_GRID = 20  # starts per side a map keeps when the budget asks for less work: then its steps are cut


def _map_fit(config: RunConfig, maps: int, side: int) -> Fit:
    """``maps`` maps of ``side`` × ``side`` runs of ``config.steps`` steps, held to the work budget."""
    what = "a map" if maps == 1 else f"{maps} maps"
    return fit(lambda n: maps * n * n, side, config.steps, SMALLEST_GRID,
               lambda n, steps: f"{what} of {n} × {n} runs of {steps} steps", config.expression)


def stability_fit(config: RunConfig) -> Fit:
    """The stability map's grid (``GRID`` cells per side asked) and steps within the work budget."""
    return _map_fit(config, 1, GRID)


def basin_fit(config: RunConfig) -> Fit:
    """The two basin maps' grid (``BASIN_GRID`` starts per side asked) and steps within the work budget."""
    return _map_fit(config, 2, BASIN_GRID)


def grid_axes(config: RunConfig, axis: str, side: int = GRID) -> tuple[np.ndarray, np.ndarray]:
    """The map's ``side`` lrs (log, from a hundredth of the theory's limit 2/L at the start, or of the current lr, to
    8 times it) and ``side`` ys
    (β in [0, 0.99], from 0.01 with Nesterov, or λ on a log axis around the surface's curvatures)."""
    surface = get_surface(config.surface_key)
    c = engine.theory.curvature(surface, config.start)
    centre = 2.0 / c.L if np.isfinite(c.L) and c.L > 0 else config.optimizers[0].lr
    lrs = np.geomspace(centre / 100, centre * 8, side)
    if axis == "curvature":
        low, high = (c.mu, c.L) if c.mu > 0 else (c.L, c.L)
        return lrs, np.geomspace(low / 10, high * 10, side)
    nesterov = bool(config.optimizers[0].kwargs().get("nesterov", False))  # torch refuses it at β = 0
    return lrs, np.linspace(0.01 if nesterov else 0.0, 0.99, side)


@lru_cache(maxsize=16)
def stability_grid(config: RunConfig, axis: str, side: int = GRID) -> sweeps.StabilityMap:
    """One batched engine call: every (lr, y) cell of the ``side`` × ``side`` grid, ``config.steps`` steps from its
    start (a page asks for the size ``stability_fit`` allows)."""
    lrs, ys = grid_axes(config, axis, side)
    opt = config.optimizers[0]
    hyper = {k: v for k, v in opt.kwargs().items() if k not in ("lr", "momentum" if axis == "momentum" else "")}
    if axis == "curvature":
        return sweeps.curvature_stability_map(lrs, ys, opt.name, steps=config.steps, **hyper)
    return sweeps.stability_map(get_surface(config.surface_key), opt.name, lrs, ys, config.start,
                                steps=config.steps, **hyper)


def boundary(config: RunConfig, smap: sweeps.StabilityMap) -> tuple[np.ndarray, np.ndarray, str] | None:
    """The theory's largest stable lr for each row (``engine.theory.stability_limit``), where it is exact: on a
    quadratic (or the curvature map's bowls) for the SGD family; None otherwise."""
    opt = config.optimizers[0]
    curvature = smap.y_name == "curvature"
    surface = get_surface(config.surface_key)
    if not (curvature or is_quadratic(surface)):
        return None
    L = engine.theory.curvature(surface, config.start).L
    hyper = opt.kwargs()
    limits = [engine.theory.stability_limit(opt.name, {**hyper, **({} if curvature else {"momentum": y})},
                                            y if curvature else L) for y in smap.ys]
    if limits[0] is None:
        return None
    beta = "β" if not curvature else f"{hyper.get('momentum', 0.0):g}"
    plain = not (hyper.get("nesterov") or hyper.get("dampening") or hyper.get("weight_decay"))
    name = f"theory: αλ = 2(1 + {beta})" if plain else "theory's limit (Nesterov, dampening or weight decay)"
    return np.asarray(limits, dtype=float), smap.ys, name


def polyak_optimum(config: RunConfig) -> tuple[float, float] | None:
    """Polyak's heavy-ball (α, β) for the quadratic's μ and L (``engine.theory.heavy_ball_optimum``), for heavy
    ball without dampening, Nesterov or weight decay; None elsewhere."""
    opt, surface = config.optimizers[0], get_surface(config.surface_key)
    hyper = opt.kwargs()
    plain = not hyper.get("nesterov", False) and not hyper.get("dampening", 0) and not hyper.get("weight_decay", 0)
    if opt.name not in ("sgd", "momentum") or not plain or not is_quadratic(surface):
        return None
    c = engine.theory.curvature(surface, config.start)
    if not 0 < c.mu <= c.L:
        return None
    alpha, beta, _ = engine.theory.heavy_ball_optimum(c.L, c.mu)
    return alpha, beta


def nearest_index(values: np.ndarray, v: float, log: bool) -> int:
    """The index of the grid value nearest ``v`` (in log distance on a log axis)."""
    return int(np.argmin(np.abs(np.log(values) - np.log(v)) if log else np.abs(values - v)))


@lru_cache(maxsize=16)
def basin_pair(config: RunConfig, lrs: tuple[float, float], resolution: int) -> tuple[sweeps.BasinMap, ...]:
    """The basin map of ``config`` at each of ``lrs`` (its optimizer, momentum and schedule otherwise)."""
    surface, opt = get_surface(config.surface_key), config.optimizers[0]
    sched = engine.schedule(config.schedule, **dict(config.schedule_params))
    hyper = {k: v for k, v in opt.kwargs().items() if k != "lr"}
    return tuple(sweeps.basin_map(surface, opt.name, resolution=resolution, steps=config.steps, schedule=sched,
                                  lr=lr, **hyper) for lr in lrs)
