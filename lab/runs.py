"""Cached runs keyed on the small frozen config (never on big arrays; DESIGN.md, Known traps).

Each function is cached in this process with ``functools.lru_cache`` on its small hashable arguments, so
every session of the server shares one cache.  What is returned is shared and never mutated: nothing
writes into a Run's arrays or a figure dict from here.  Each optimizer of a race is its own cached run, so
moving one racer's lr recomputes only that racer.  No streamlit: pages, lessons, benchmarks and tests all
take their runs from here.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from lab.config import DISPLAY_NAMES, LR_PARAM, OptimizerConfig, Pairs, RunConfig, make_surface, simulate_racer
from lab.figures_map import map_spec
from lab.outcome import outcome_line
from lab.raster import surface_picture
from lab.scrub import grid_run, scrub_data
from lab.scrub_charts import racer_charts

__all__ = ["SurfaceKey", "curvature_at", "get_surface", "label", "map_chart", "picture", "run_config", "run_one",
           "scrub_racer"]

SurfaceKey = tuple[str, Pairs, str]


@lru_cache(maxsize=64)
def get_surface(key: SurfaceKey) -> engine.Surface:
    """The surface a config's ``surface_key`` names."""
    return make_surface(*key)


@lru_cache(maxsize=64)
def picture(key: SurfaceKey) -> str:
    """The banded background picture of the surface (PNG data URI)."""
    return surface_picture(get_surface(key))


@lru_cache(maxsize=512)
def run_one(key: SurfaceKey, opt: OptimizerConfig, schedule: str, schedule_params: Pairs, steps: int,
            start: tuple[float, float], noise: float, seed: int, batch: int = 0) -> engine.Run:
    """One optimizer from one start, with per-step records (for the step inspector)."""
    return simulate_racer(get_surface(key), opt, schedule, schedule_params, steps, start, noise, seed, record=True,
                          batch=batch)


def run_config(config: RunConfig) -> list[engine.Run]:
    """One run per optimizer of the race, all from the same start with the same noise seed."""
    return [run_one(config.surface_key, opt, config.schedule, config.schedule_params, config.steps,
                    config.start, config.noise, config.seed, config.batch) for opt in config.optimizers]


@lru_cache(maxsize=256)
def curvature_at(key: SurfaceKey, point: tuple[float, float]) -> tuple[float, float]:
    """(L, μ): the largest and smallest Hessian eigenvalue at ``point`` (engine.theory)."""
    c = engine.theory.curvature(get_surface(key), np.array(point))
    return c.L, c.mu


@lru_cache(maxsize=32)
def map_chart(config: RunConfig) -> dict:
    """The Playground's animated map of ``config``, with the distance strip under it, as a plain figure dict
    (shared and never mutated), so moving a slider back to a value already seen sends the map without
    rebuilding its frames."""
    runs = run_config(config)
    labels = [label(config, i) for i in range(len(runs))]
    return map_spec(get_surface(config.surface_key), runs, labels, picture(config.surface_key), config.start,
                    strip=True)


def scrub_racer(config: RunConfig, i: int, lrs: tuple[float, ...]) -> dict | None:
    """Racer i of ``config`` at each of ``lrs`` (``lab.scrub.scrub_data``: one batched engine call), for the
    live lr slider; None over the size budget (``lab.scrub.SCRUB_BUDGET``)."""
    return _scrub(config.with_lr(i, LR_PARAM.default), i, lrs)


@lru_cache(maxsize=64)
def _scrub(config: RunConfig, i: int, lrs: tuple[float, ...]) -> dict | None:
    """``scrub_racer``, cached on the config with racer i's lr set to the default (it is the grid's)."""
    key, opt = config.surface_key, config.optimizers[i]
    surface = get_surface(key)
    sched = engine.schedule(config.schedule, **dict(config.schedule_params))
    run = grid_run(surface, opt.name, opt.kwargs(), lrs, config.steps, config.start, sched, config.noise,
                   config.seed, config.batch)
    names = [label(config.with_lr(i, lr), i) for lr in lrs]
    charts = racer_charts(surface, config, i, lrs, run, run_config(config),
                          lambda at: [label(at, j) for j in range(len(at.optimizers))], picture(key),
                          curvature_at(key, config.start)[0])
    return scrub_data(names, [outcome_line(name, run, k) for k, name in enumerate(names)], charts)


def label(config: RunConfig, i: int) -> str:
    """A racer's display name: "SGD · lr 0.05" (numbered when the same optimizer races twice)."""
    opt = config.optimizers[i]
    same = [j for j, o in enumerate(config.optimizers) if o.name == opt.name]
    number = f" #{same.index(i) + 1}" if len(same) > 1 else ""
    return f"{DISPLAY_NAMES.get(opt.name, opt.name)}{number} · lr {opt.lr:.3g}"
