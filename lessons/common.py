"""Small helpers the lesson modules share: number formatting and engine look-ups used in texts and tasks."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory

from .base import Setup

__all__ = ["curvature_at_start", "did", "num", "outcome_of", "settle_steps"]


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
    return _run(slug, tuple(sorted((surface_params or {}).items())), opt, tuple(sorted(hyper.items())),
                tuple(float(v) for v in start), int(steps))


def settle_steps(run: engine.Run) -> int | None:
    """The step a run converged at, or None when it did not converge."""
    return int(run.stopped_at[0]) if run.status[0] == "converged" else None


def did(run: engine.Run, i: int = 0) -> str:
    """The engine's outcome words as a predicate: "converged in 12 steps", "keeps oscillating",
    "is still moving after 300 steps" (so "the path {did}" reads as a sentence)."""
    words = run.outcome(i)
    if words == "oscillating":
        return "keeps oscillating"
    return "is " + words if words.startswith("still") else words
