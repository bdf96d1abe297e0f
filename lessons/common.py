"""Small helpers the lesson modules share: number formatting, engine look-ups used in texts and tasks, and
the presenter scenes' queries and runs.  Every run they hand to lesson code is noted
(``lessons.outcome_words.stating``), so a test can check a text's outcome words against the runs it used."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np

import engine
from engine import theory
from lab.config import RunConfig, make_surface, simulate_racer
from lab.url_schema import write_value

from .base import Setup, preset_config
from .outcome_words import note

__all__ = ["curvature_at_start", "default_lr", "did", "num", "outcome_of", "scene_query", "scene_runs",
           "settle_steps", "steps_words"]

# Optimizer names as the lessons' sentences spell them (the UI's legends use torch's class names).
def num(value: float, digits: int = 3) -> str:
    """A number as a lesson prints it: ``digits`` significant digits, no trailing zeros."""
    return f"{float(value):.{digits}g}"


def curvature_at_start(setup: Setup) -> theory.Curvature:
    """L, μ (and 1/L, 2/L, κ) at the setup's start point."""
    return theory.curvature(setup.surface, np.array(setup.config.start))


@lru_cache(maxsize=256)
def _run(slug: str, surface_params: tuple, opt: str, hyper: tuple, start: tuple, steps: int,
         noise: float = 0.0, seed: int = 0) -> engine.Run:
    s = engine.surface(slug, **dict(surface_params))
    return engine.simulate(s, engine.optimizer(opt, **dict(hyper)), np.array([start]), steps=steps,
                           noise=noise, seed=seed)


def outcome_of(slug: str, opt: str, start, steps: int, surface_params: dict | None = None, **hyper) -> engine.Run:
    """A single engine run (cached) for facts the text states, e.g. "α = 5 converges in 9 steps"."""
    return note(_run(slug, tuple(sorted((surface_params or {}).items())), opt, tuple(sorted(hyper.items())),
                     tuple(float(v) for v in start), int(steps)))


def default_lr(name: str) -> float:
    """torch.optim's default learning rate of optimizer ``name``."""
    return float(engine.OPTIMIZERS[name].param("lr").default)


def settle_steps(run: engine.Run) -> int | None:
    """The step a run converged at, or None when it did not converge."""
    return int(note(run).stopped_at[0]) if run.status[0] == "converged" else None


def steps_words(run: engine.Run) -> str:
    """ "297 steps" (or "1 step") when the run converged, else its outcome words as a predicate (``did``)."""
    steps = settle_steps(run)
    return f"{steps} step{'s' if steps != 1 else ''}" if steps is not None else did(run, brief=True)


_VERBS = {"oscillating": "keeps ", "stalled": "has ", "running": "is "}  # status -> what makes its words a predicate


def did(run: engine.Run, i: int = 0, brief: bool = False) -> str:
    """The engine's outcome words as a predicate: "converged in 12 steps", "keeps oscillating (amplitude 1)",
    "is still moving after 300 steps", "has stalled 0.3 from the minimum (...)", view events first (so
    "the path {did}" reads as a sentence); ``brief``: without the view events and details (``Outcome.words``)."""
    facts = note(run).facts(i)
    return ", ".join([*([] if brief else facts.events()), _VERBS.get(facts.status, "") + facts.status_words(brief)])


def scene_query(preset: Mapping[str, str], **changes) -> dict[str, str]:
    """``preset`` with ``changes`` written as query text; floats keep 4 significant digits so a scene's link
    (and its QR code) stays short, while values such as 1/L = 0.5 or 2/L = 1 stay exact."""
    def text(value) -> str:
        return write_value(float(f"{value:.4g}")) if isinstance(value, float) else write_value(value)

    return {**preset, **{name: text(value) for name, value in changes.items()}}


@lru_cache(maxsize=128)
def _config_runs(config: RunConfig) -> tuple[engine.Run, ...]:
    surface = make_surface(*config.surface_key)
    return tuple(simulate_racer(surface, opt, config.schedule, config.schedule_params, config.steps, config.start,
                                config.noise, config.seed, batch=config.batch) for opt in config.optimizers)


def scene_runs(query: Mapping[str, str]) -> tuple[engine.Run, ...]:
    """One engine run per racer of a scene's query, exactly as the Playground (and the presenter) runs it,
    for the numbers its caption states."""
    return tuple(map(note, _config_runs(preset_config(query))))
