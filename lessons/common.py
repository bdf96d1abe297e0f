"""Small helpers the lesson modules share: number formatting, engine look-ups used in texts and tasks, and
the presenter scenes' queries and runs.  Runs come from ``lab.runs`` (the one road from a config to runs);
every run these helpers hand to lesson code is noted (``lessons.outcome_words.stating``), so a test can check
a text's outcome words against the runs it used."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

import engine
from engine import theory
from lab.config import RunConfig
from lab.runs import get_surface, make_config, run_of, runs_of
from lab.url_schema import write_value

from .base import Setup, preset_config
from .outcome_words import note

__all__ = ["curvature_at_start", "default_lr", "predicate", "rounded", "outcome_of", "run_on", "scene_query",
           "scene_runs", "settle_steps", "setup_of", "steps_words"]

# Optimizer names as the lessons' sentences spell them (the UI's legends use torch's class names).
def rounded(value: float, digits: int = 3) -> str:
    """A number as a lesson prints it: ``digits`` significant digits, no trailing zeros."""
    return f"{float(value):.{digits}g}"


def curvature_at_start(setup: Setup) -> theory.Curvature:
    """L, μ (and 1/L, 2/L, κ) at the setup's start point."""
    return theory.curvature(setup.surface, np.array(setup.config.start))


def setup_of(config: RunConfig) -> Setup:
    """The surface and runs of ``config`` (``lab.runs``: cached, shared with the Playground)."""
    return Setup(config, get_surface(config.surface_key), runs_of(config))


def outcome_of(slug: str, opt: str, start, steps: int, surface_params: dict | None = None, **hyper) -> engine.Run:
    """The run (``lab.runs.make_config``) behind a fact the text states, e.g. "α = 5 converges in 9 steps"."""
    return note(run_of(make_config(slug, opt, start, steps, surface_params=surface_params, **hyper)))


def run_on(config: RunConfig, optimizer: str, schedule: str = "constant", schedule_params: dict | None = None,
           **hyper) -> engine.Run:
    """``optimizer`` with ``hyper`` (torch's defaults otherwise) and ``schedule`` on ``config``'s surface, from
    its start for its steps, with exact gradients (``lab.runs.run_of``): what another setting would do here."""
    return run_of(make_config(config.surface, optimizer, config.start, config.steps,
                              surface_params=dict(config.surface_params), expression=config.expression,
                              schedule=schedule, schedule_params=schedule_params, **hyper))


def default_lr(name: str) -> float:
    """torch.optim's default learning rate of optimizer ``name``."""
    return float(engine.OPTIMIZERS[name].param("lr").default)


def settle_steps(run: engine.Run) -> int | None:
    """The step a run converged at, or None when it did not converge."""
    return int(note(run).stopped_at[0]) if run.status[0] == "converged" else None


def steps_words(run: engine.Run) -> str:
    """ "297 steps" (or "1 step") when the run converged, else its outcome words as a predicate (``predicate``)."""
    steps = settle_steps(run)
    return f"{steps} step{'s' if steps != 1 else ''}" if steps is not None else predicate(run, brief=True)


_VERBS = {"oscillating": "keeps ", "stalled": "has ", "running": "is "}  # status -> what makes its words a predicate


def predicate(run: engine.Run, i: int = 0, brief: bool = False) -> str:
    """The engine's outcome words as a predicate: "converged in 12 steps", "keeps oscillating (amplitude 1)",
    "is still moving after 300 steps", "has stalled 0.3 from the minimum (...)", view events first (so
    "the path {predicate}" reads as a sentence); ``brief``: without the view events and details (``Outcome.words``)."""
    facts = note(run).facts(i)
    return ", ".join([*([] if brief else facts.events()), _VERBS.get(facts.status, "") + facts.status_words(brief)])


def scene_query(preset: Mapping[str, str], **changes) -> dict[str, str]:
    """``preset`` with ``changes`` written as query text; floats keep 4 significant digits so a scene's link
    (and its QR code) stays short, while values such as 1/L = 0.5 or 2/L = 1 stay exact."""
    def text(value) -> str:
        return write_value(float(f"{value:.4g}")) if isinstance(value, float) else write_value(value)

    return {**preset, **{name: text(value) for name, value in changes.items()}}


def scene_runs(query: Mapping[str, str]) -> tuple[engine.Run, ...]:
    """One engine run per racer of a scene's query, exactly as the Playground (and the presenter) runs it,
    for the numbers its caption states."""
    return tuple(map(note, runs_of(preset_config(query))))
