"""Lesson 7: saddles and local minima — slow escapes, and which minimum a start reaches (basin maps)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import sweeps
from lab.figures_lessons import basin_figure
from lab.runs import run_of

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task, ToolLink, preset_config
from .common import predicate, rounded, scene_query, scene_runs

PRESET = {"surface": "himmelblau", "optimizer": "sgd", "lr": "0.01", "steps": "300", "x0": "-0.5", "y0": "-0.5"}
SURFACES = ("himmelblau", "rastrigin", "saddle", "monkey_saddle")
OTHER_START = (3.5, -1.5)  # a Himmelblau start across the ridge from the preset's
SADDLE = {"surface": "saddle", "optimizer": "sgd", "lr": "0.1", "steps": "300", "x0": "-1.5", "y0": "0"}
NUDGE = 0.1  # gradient noise that pushes the saddle's path off the line y = 0


def _reached(surface: engine.Surface, run: engine.Run) -> int | None:
    """Index of the known minimum the run converged to, or None."""
    if run.status[0] != "converged" or not len(surface.minima):
        return None
    end = run.points[run.last_step(0), 0]
    dist = np.linalg.norm(surface.minima - end, axis=1)
    return int(dist.argmin()) if dist.min() <= 1e-2 * surface.view_diagonal else None


def _preset_minimum() -> int | None:
    run = run_of(preset_config(PRESET))
    return _reached(run.surface, run)


PRESET_MINIMUM = _preset_minimum()


def _name(m) -> str:
    return f"({rounded(m[0])}, {rounded(m[1])})"


def _ending(surface: engine.Surface, run: engine.Run) -> str:
    """Where the path ends, in words that follow the run: at a known minimum, nowhere (diverged), or at a point
    with its loss and its distance from the nearest known minimum."""
    hit = _reached(surface, run)
    if hit is not None:
        return f", at the minimum {_name(surface.minima[hit])}"
    if run.status[0] == "diverged":
        return ""
    end = run.points[run.last_step(0), 0]
    facts = run.facts(0)
    near = (f", {rounded(facts.distance)} from the nearest known minimum" if facts.minima else
            " (this surface has no minimum)")
    return f", now at {_name(end)} where f = {rounded(surface.value(end))}{near}"


def facts(setup: Setup) -> dict[str, str]:
    s = setup.surface
    hit = _reached(s, setup.run)
    himmel = engine.surface("himmelblau")
    return {
        "surface": s.name, "outcome": predicate(setup.run), "count": str(len(himmel.minima)),
        "ending": _ending(s, setup.run),
        "where": f"the minimum at {_name(s.minima[hit])}" if hit is not None else "no known minimum",
        "preset_min": _name(himmel.minima[PRESET_MINIMUM]),
    }


def task_done(setup: Setup) -> bool:
    hit = _reached(setup.surface, setup.run)
    return setup.config.surface == "himmelblau" and hit is not None and hit != PRESET_MINIMUM


def question(setup: Setup) -> Question:
    run = scene_runs(SADDLE)[0]
    end = run.points[run.last_step(0), 0]
    lr = float(SADDLE["lr"])
    return Question(
        prompt="On the saddle f = x² − y², plain gradient descent starts exactly on the line y = 0 (at x = −1.5). "
               "Where does it end?",
        answers=(
            Answer("At the saddle point (0, 0): it never escapes", True,
                   f"On y = 0 the gradient (2x, −2y) has no y part, so nothing ever pushes the path off the line: "
                   f"the engine ends at ({rounded(end[0])}, {rounded(end[1])}) and says it {predicate(run)}. Any noise "
                   "or "
                   "a start off the line grows like (1 + 2α)ᵗ and escapes."),
            Answer("It escapes downhill along y", False,
                   "Downhill along y needs a y gradient, and on y = 0 it is exactly 0. Add a little noise and it "
                   "does."),
            Answer("It diverges along x", False, "Along x the saddle curves upward (f = x²), so x shrinks to 0."),
            Answer("It oscillates around the saddle", False,
                   f"With α = {rounded(lr)} along curvature 2, 1 − 2α = {rounded(1 - 2 * lr)} > 0: x shrinks without "
                   "flipping sign."),
        ))


def _basins(setup: Setup):
    opt = setup.config.optimizers[0]
    bm = sweeps.basin_map(setup.surface, opt.name, resolution=41, steps=setup.config.steps, **opt.kwargs())
    # the surface's known minima first, then other points runs converged to (the saddle's centre, say)
    names = [f"{'minimum' if known else 'end point'} {_name(m)}" for m, known in zip(bm.minima, bm.known, strict=True)]
    return basin_figure(bm, setup.config.start, names)


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Two starts on Himmelblau end in two minima; a path on the saddle's ridge line stalls, noise frees it."""
    himmel = engine.surface("himmelblau")
    other = scene_query(PRESET, x0=OTHER_START[0], y0=OTHER_START[1])
    noisy = scene_query(SADDLE, noise=NUDGE)

    def ends(query) -> str:
        hit = _reached(himmel, scene_runs(query)[0])
        return f"the minimum {_name(himmel.minima[hit])}" if hit is not None else "no minimum"

    saddle, free = scene_runs(SADDLE)[0], scene_runs(noisy)[0]
    return (
        (f"Himmelblau has {len(himmel.minima)} minima; from ({PRESET['x0']}, {PRESET['y0']}) gradient descent "
         f"ends at {ends(PRESET)}.", PRESET),
        (f"Start across the ridge at {_name(OTHER_START)}: it ends at {ends(other)}.", other),
        (f"Saddle x² − y², from y = 0: no push off the line; it {predicate(saddle, brief=True)} at the saddle point.",
         SADDLE),
        (f"Noise σ = {rounded(NUDGE)} nudges it off the line and it escapes downhill: "
         f"{free.outcome(0, brief=True)} (no bottom).", noisy),
    )


LESSON = Lesson(
    number=7, slug="saddles-minima", title="Saddles and local minima",
    goal="See which minimum a start reaches, and why saddles slow gradient descent down.",
    preset=PRESET,
    controls=(Control("surface", "Surface", options=SURFACES),
              Control("optimizer", "Optimizer", options=("sgd", "momentum")),
              Control("lr", "Learning rate α", options=(0.001, 0.1)),
              Control("noise", "Gradient noise", options=(0.0, 0.1, 1.0, 5.0)),
              Control("start", "Start")),
    text=(
        "Real losses have many critical points. At a **saddle** the gradient vanishes while the surface goes "
        "down in some direction: the path slows to a crawl near it and only leaves along the downhill "
        "direction, the faster the more that direction is already present (noise and momentum help). The "
        "**monkey saddle** is flatter still: there even the curvature vanishes."
    ),
    after=(
        "With several minima, the start decides where you end: Himmelblau has {{count}} equal minima, and the "
        "basin map above colours every start by the minimum gradient descent reaches from it with your "
        "settings. On {{surface}} your path {{outcome}}{{ending}}. A larger step or momentum can jump a "
        "ridge and reach a different (on Rastrigin, better) minimum — or overshoot into a worse one."
    ),
    task=Task(prompt="On Himmelblau, make the path end in a different minimum than the preset's "
                     "{{preset_min}} — click a new start on the map (or type one) or change the learning rate.",
              done=task_done, success="Now it ends at {{where}}."),
    question=question, facts=facts, charts=("loss",), make_scenes=scenes,
    extras=(Extra("Basin map: where each start ends (same optimizer and steps)", _basins,
                  "Grey: starts that diverge or end away from every known minimum (saddles have none)."),),
    tools=(ToolLink("basins"),),
)
