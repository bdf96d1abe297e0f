"""The LR finder's and the fair race's engine results, cached with ``functools.lru_cache`` on small frozen
configs (the convention of ``lab.runs``).  No streamlit: the pages only draw them.

The race sweeps each optimizer separately (one batched ``engine.race.lr_sweep`` each), so a change of one
setting that leaves an optimizer's sweep the same reuses it; the race's runs are ``lab.runs.run_of``'s.
``race_fit`` holds a race to the one work budget (``lab.tool_budget``): fewer lrs per factor of ten first, then
fewer steps.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import engine
from engine.race import LrSweep, default_lr, lr_grid, lr_sweep
from engine.sweeps import RangeTest, lr_range_test
from lab.config import OptimizerConfig, RunConfig
from lab.figures_map import map_spec
from lab.runs import SurfaceKey, get_surface, label, picture, run_of
from lab.tool_budget import Fit, fit
from lab.tool_links import FinderConfig, RaceConfig

__all__ = ["best_sweep", "race_fit", "race_grid", "race_map", "race_runs", "racers", "range_test"]


@lru_cache(maxsize=64)
def range_test(config: FinderConfig) -> RangeTest:
    """fastai's lr_find for the finder's surface, start and optimizer (its lr is the test's own)."""
    opt = config.run.optimizers[0]
    hyper = {k: v for k, v in opt.hyper if k != "lr"}
    return lr_range_test(get_surface(config.run.surface_key), opt.name, config.run.start, start_lr=config.start_lr,
                         end_lr=config.end_lr, num_it=config.num_it, **hyper)


@lru_cache(maxsize=256)
def best_sweep(key: SurfaceKey, opt: OptimizerConfig, start: tuple[float, float], steps: int,
               grid: tuple[float, float, int]) -> LrSweep:
    """``opt`` (its lr aside) at every lr of ``lr_grid(*grid)`` from ``start`` for ``steps`` steps: one batch."""
    hyper = {k: v for k, v in opt.hyper if k != "lr"}
    return lr_sweep(get_surface(key), opt.name, start, lr_grid(*grid), steps=steps, **hyper)


def race_grid(config: RaceConfig) -> tuple[float, float, int]:
    """The race's lr grid as ``engine.race.lr_grid`` takes it: (smallest lr, largest lr, lrs per decade)."""
    return (config.lr_min, config.lr_max, config.per_decade)


def race_fit(config: RaceConfig) -> tuple[RaceConfig, Fit]:
    """The race within the work budget, and the fit: every optimizer's sweep (each lr of the grid, the race's
    steps) plus its two races (at its best and at its default lr)."""
    racing = len(engine.OPTIMIZERS)

    def runs(per_decade: int) -> int:
        return racing * (lr_grid(config.lr_min, config.lr_max, per_decade).size + 2)

    def describe(per_decade: int, steps: int) -> str:
        lrs = lr_grid(config.lr_min, config.lr_max, per_decade).size
        return f"{racing} optimizers × {lrs} lrs ({per_decade} per factor of ten) × {steps} steps"

    held = fit(runs, config.per_decade, config.run.steps, 1, describe, config.run.expression)
    return replace(config, per_decade=held.resolution, run=replace(config.run, steps=held.steps)), held


def racers(config: RaceConfig, at: str) -> list[RunConfig]:
    """One Playground config per optimizer: at its best lr of the sweep (``at="best"``) or torch's default."""
    run = config.run
    out = []
    for name in engine.OPTIMIZERS:
        opt = OptimizerConfig.default(name)
        lr = (best_sweep(run.surface_key, opt, run.start, run.steps, race_grid(config)).best_lr if at == "best"
              else default_lr(name))
        out.append(replace(run, optimizers=(opt.with_values(lr=lr),)))
    return out


def race_runs(configs: list[RunConfig]) -> list[engine.Run]:
    """The run of each racer (``lab.runs.run_of``: cached, shared with the Playground)."""
    return [run_of(c) for c in configs]


@lru_cache(maxsize=32)
def race_map(config: RaceConfig, at: str, height: int) -> dict:
    """The animated map of the race at the best lrs or at the defaults (a plain figure dict, never mutated)."""
    configs = racers(config, at)
    return map_spec(get_surface(config.run.surface_key), race_runs(configs), [label(c, 0) for c in configs],
                    picture(config.run.surface_key), config.run.start, height=height)

