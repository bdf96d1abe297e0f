"""The one road from a configuration to runs: every page, lesson, benchmark and test takes its runs from here.

* ``runs_of(config)``: one ``engine.Run`` per racer of a ``RunConfig``, all from its start with the same noise
  seed and mini-batch draws, with per-step records (the step inspector reads them);  ``run_of(config, i)``:
  racer i alone.  Each racer is its own cached run, so moving one racer's lr recomputes only that racer.
* ``Batch`` (``sweep`` and ``ensemble`` build one): one racer run as many trajectories in a single batched
  engine call, at each of several lrs or from each of several starts.  Without gradient noise trajectory k
  of a sweep is bit-identical to ``run_of`` at that lr; noise and mini-batches are drawn from one stream for
  the whole batch, so there a batch is not a set of runs of their own.
* ``make_config``: a ``RunConfig`` written out in code (a lesson's fact, a test's reference run) rather than
  read from a link; ``label`` / ``labels_of``: a racer's display name, "SGD · lr 0.05".

Convention: every function is cached in this process with ``functools.lru_cache`` on small frozen hashable
arguments (configs, tuples of numbers), never on big arrays, so every session of the server shares one cache.
What is returned is shared and never mutated: nothing writes into a Run's arrays or a figure dict.
No streamlit.  Only this module (and the engine's own tests and benchmarks) calls ``engine.simulate``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

import engine
from engine.params import Factory
from lab.config import (
    CUSTOM,
    DEFAULT_SCHEDULE,
    LR_PARAM,
    OptimizerConfig,
    Pairs,
    RunConfig,
    make_surface,
)
from lab.figures_map import map_spec
from lab.outcome import outcome_line
from lab.raster import surface_picture
from lab.scrub import scrub_data
from lab.scrub_charts import racer_charts

__all__ = ["Batch", "SurfaceKey", "batch_run", "curvature_at", "ensemble", "get_surface", "label", "labels_of",
           "make_config", "map_chart", "picture", "racer_name", "racer_number", "run_of", "runs_of", "scrub_racer",
           "scrub_table", "sweep"]

SurfaceKey = tuple[str, Pairs, str]


@lru_cache(maxsize=64)
def get_surface(key: SurfaceKey) -> engine.Surface:
    """The surface a config's ``surface_key`` names."""
    return make_surface(*key)


@lru_cache(maxsize=64)
def picture(key: SurfaceKey) -> str:
    """The banded background picture of the surface (PNG data URI)."""
    return surface_picture(get_surface(key))


def make_config(surface: str, optimizer: str, start: tuple[float, float], steps: int, *,
                surface_params: dict[str, Any] | None = None, expression: str = "", schedule: str = DEFAULT_SCHEDULE,
                schedule_params: dict[str, Any] | None = None, noise: float = 0.0, seed: int = 0, batch: int = 0,
                **hyper: Any) -> RunConfig:
    """One racer's ``RunConfig`` written in code: ``surface`` (an ``engine.SURFACES`` name, or "custom" with
    ``expression``) with ``surface_params`` over its defaults, ``optimizer`` with ``hyper`` (lr included) over
    torch's defaults, ``schedule`` with ``schedule_params`` over its defaults.  Unlike ``parse_query`` nothing is
    clamped to the Playground's ranges (a lesson's reference run may take 3000 steps); an unknown name raises."""
    def merged(factory: Factory, values: dict[str, Any] | None, what: str) -> Pairs:
        unknown = set(values or {}) - {p.name for p in factory.params}
        if unknown:
            raise ValueError(f"{what} has no parameter {', '.join(sorted(unknown))}")
        return tuple((p.name, (values or {}).get(p.name, p.default)) for p in factory.params)

    params = () if surface == CUSTOM else merged(engine.SURFACES[surface], surface_params, surface)
    opt = OptimizerConfig(optimizer, merged(engine.OPTIMIZERS[optimizer], hyper, optimizer))
    return RunConfig(surface, params, expression, (opt,), schedule,
                     merged(engine.SCHEDULES[schedule], schedule_params, schedule), int(steps),
                     float(start[0]), float(start[1]), float(noise), int(seed), int(batch))


def runs_of(config: RunConfig) -> tuple[engine.Run, ...]:
    """One run per optimizer of the race, all from the same start with the same noise seed (recorded)."""
    return tuple(run_of(config, i) for i in range(len(config.optimizers)))


def run_of(config: RunConfig, racer: int = 0) -> engine.Run:
    """Racer ``racer`` of ``config`` alone, with per-step records: exactly as the Playground runs it."""
    return _solo(replace(config, optimizers=(config.optimizers[racer],)))


@lru_cache(maxsize=512)
def _solo(config: RunConfig) -> engine.Run:
    """``run_of`` for a config of one racer (the cache key: another racer's change leaves it)."""
    return _simulate(Batch(config, record=True))


@dataclass(frozen=True)
class Batch:
    """Racer ``racer`` of ``config`` as many trajectories in one engine call: one per lr of ``lrs`` (empty: the
    racer's own lr) and, when ``starts`` is given, one per start instead of ``config.start`` (lrs and starts,
    both given, pair up one to one).  ``record``: per-step records (for a few trajectories only).
    ``to_the_end``: run every step, convergence ignored (statuses are then "diverged" or "running")."""

    config: RunConfig
    racer: int = 0
    lrs: tuple[float, ...] = ()
    starts: tuple[tuple[float, float], ...] = ()
    record: bool = False
    to_the_end: bool = False


@lru_cache(maxsize=64)
def batch_run(batch: Batch) -> engine.Run:
    """The trajectories ``batch`` describes, in one engine call (cached apart from the single runs)."""
    return _simulate(batch)


def _simulate(batch: Batch) -> engine.Run:
    """The one ``engine.simulate`` call of every run in the app (see the module docstring)."""
    config, opt = batch.config, batch.config.optimizers[batch.racer]
    hyper = {**opt.kwargs(), **({"lr": np.asarray(batch.lrs, dtype=float)} if batch.lrs else {})}
    count = max(len(batch.lrs), len(batch.starts), 1)
    starts = np.array(batch.starts or [config.start] * count, dtype=float)
    sched = engine.schedule(config.schedule, **dict(config.schedule_params))
    return engine.simulate(get_surface(config.surface_key), engine.optimizer(opt.name, **hyper), starts,
                           steps=config.steps, schedule=sched, noise=config.noise, seed=config.seed,
                           record=batch.record, stop_at_convergence=not batch.to_the_end, batch=config.batch,
                           common_noise=bool(batch.lrs) and not batch.starts)


def sweep(config: RunConfig, lrs: tuple[float, ...], racer: int = 0) -> engine.Run:
    """Racer ``racer`` of ``config`` at each of ``lrs`` from its start, one batched call: trajectory k runs at
    ``lrs[k]``."""
    return batch_run(Batch(config, racer, lrs=tuple(float(lr) for lr in lrs)))


def ensemble(config: RunConfig, starts: tuple[tuple[float, float], ...], racer: int = 0,
             to_the_end: bool = False) -> engine.Run:
    """Racer ``racer`` of ``config`` from each of ``starts`` (repeat a start for many noisy copies of one run),
    one batched call: trajectory k starts at ``starts[k]``."""
    return batch_run(Batch(config, racer, starts=tuple((float(x), float(y)) for x, y in starts),
                           to_the_end=to_the_end))


def racer_number(config: RunConfig, i: int) -> int | None:
    """Racer i's number among the racers of the same optimizer (1, 2, ...), or None when its optimizer races
    once: what tells two SGDs apart in a label and in the exports."""
    same = [j for j, o in enumerate(config.optimizers) if o.name == config.optimizers[i].name]
    return same.index(i) + 1 if len(same) > 1 else None


def racer_name(config: RunConfig, i: int) -> str:
    """A racer's name without its lr: "SGD" (numbered when the same optimizer races twice: "SGD #2"), what
    names it in a control that must not change when its lr moves."""
    number = racer_number(config, i)
    return f"{engine.OPTIMIZERS[config.optimizers[i].name].title}{'' if number is None else f' #{number}'}"


def label(config: RunConfig, i: int) -> str:
    """A racer's display name: "SGD · lr 0.05" (``racer_name`` and its lr: "SGD #2 · lr 0.05")."""
    return f"{racer_name(config, i)} · lr {config.optimizers[i].lr:.3g}"


def labels_of(config: RunConfig) -> list[str]:
    """``label`` of every racer of ``config``, in order (the legend of its map and the outcome lines)."""
    return [label(config, i) for i in range(len(config.optimizers))]


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
    return map_spec(get_surface(config.surface_key), runs_of(config), labels_of(config), picture(config.surface_key),
                    config.start, strip=True)


def scrub_racer(config: RunConfig, i: int, lrs: tuple[float, ...]) -> dict | None:
    """Racer i of ``config`` at each of ``lrs`` (``lab.scrub.scrub_data`` of one ``sweep``, whose trajectory k
    is the run at ``lrs[k]`` alone, gradient noise and mini-batches included), for the live lr slider; None
    over the size budget (``lab.scrub.SCRUB_BUDGET``)."""
    return _scrub(config.with_lr(i, LR_PARAM.default), i, lrs)


@lru_cache(maxsize=64)
def _scrub(config: RunConfig, i: int, lrs: tuple[float, ...]) -> dict | None:
    """``scrub_racer``, cached on the config with racer i's lr set to the default (it is the grid's)."""
    key = config.surface_key
    return scrub_table(config, i, lrs, lambda grid: racer_charts(
        get_surface(key), config, i, lrs, grid, runs_of(config), labels_of, picture(key),
        curvature_at(key, config.start)[0]))


def scrub_table(config: RunConfig, i: int, lrs: tuple[float, ...],
                charts_of: Callable[[engine.Run], dict[str, dict]]) -> dict | None:
    """The live lr slider's data for racer i of ``config`` over ``lrs`` (``lab.scrub.scrub_data``): one ``sweep``
    (trajectory k is the run at ``lrs[k]``), the racer's name and outcome words at each lr, and
    ``charts_of(sweep)``, the page's charts patched lr by lr (``lab.scrub_charts``); None over the size budget."""
    grid = sweep(config, lrs, i)
    names = [label(config.with_lr(i, lr), i) for lr in lrs]
    return scrub_data(names, [outcome_line(name, grid, k) for k, name in enumerate(names)], charts_of(grid))
