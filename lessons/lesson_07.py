"""Lesson 7: saddles and local minima — slow escapes, and which minimum a start reaches (basin maps)."""

from __future__ import annotations

import numpy as np

import engine
from engine import sweeps

from .base import Answer, Control, Extra, Lesson, Question, Setup, Task
from .common import did, num
from .figures import basin_figure

PRESET = {"surface": "himmelblau", "optimizer": "sgd", "lr": "0.01", "steps": "300", "x0": "-0.5", "y0": "-0.5"}
SURFACES = ("himmelblau", "rastrigin", "saddle", "monkey_saddle")


def _reached(surface: engine.Surface, run: engine.Run) -> int | None:
    """Index of the known minimum the run converged to, or None."""
    if run.status[0] != "converged" or not len(surface.minima):
        return None
    end = run.points[run.last_step(0), 0]
    dist = np.linalg.norm(surface.minima - end, axis=1)
    return int(dist.argmin()) if dist.min() <= 1e-2 * surface.view_diagonal else None


def _preset_minimum() -> int | None:
    s = engine.surface(PRESET["surface"])
    start = np.array([[float(PRESET["x0"]), float(PRESET["y0"])]])
    run = engine.simulate(s, engine.optimizer("sgd", lr=float(PRESET["lr"])), start, steps=int(PRESET["steps"]))
    return _reached(s, run)


PRESET_MINIMUM = _preset_minimum()


def _name(m) -> str:
    return f"({num(m[0])}, {num(m[1])})"


def facts(setup: Setup) -> dict[str, str]:
    s = setup.surface
    hit = _reached(s, setup.run)
    himmel = engine.surface("himmelblau")
    return {
        "surface": s.name, "outcome": did(setup.run), "count": str(len(himmel.minima)),
        "where": f"the minimum at {_name(s.minima[hit])}" if hit is not None else "no known minimum",
        "preset_min": _name(himmel.minima[PRESET_MINIMUM]),
    }


def task_done(setup: Setup) -> bool:
    hit = _reached(setup.surface, setup.run)
    return setup.config.surface == "himmelblau" and hit is not None and hit != PRESET_MINIMUM


def question(setup: Setup) -> Question:
    s = engine.surface("saddle")
    run = engine.simulate(s, engine.optimizer("sgd", lr=0.1), np.array([[-1.5, 0.0]]), steps=300)
    end = run.points[run.last_step(0), 0]
    return Question(
        prompt="On the saddle f = x² − y², plain gradient descent starts exactly on the line y = 0 (at x = −1.5). "
               "Where does it end?",
        answers=(
            Answer("At the saddle point (0, 0): it never escapes", True,
                   f"On y = 0 the gradient (2x, −2y) has no y part, so nothing ever pushes the path off the line: "
                   f"the engine ends at ({num(end[0])}, {num(end[1])}) and says it {did(run)}. Any noise or "
                   "a start off the line grows like (1 + 2α)ᵗ and escapes."),
            Answer("It escapes downhill along y", False,
                   "Downhill along y needs a y gradient, and on y = 0 it is exactly 0. Add a little noise and it "
                   "does."),
            Answer("It diverges along x", False, "Along x the saddle curves upward (f = x²), so x shrinks to 0."),
            Answer("It oscillates around the saddle", False,
                   "With α = 0.1 along curvature 2, 1 − αL = 0.8 > 0: x shrinks without flipping sign."),
        ))


def _basins(setup: Setup):
    opt = setup.config.optimizers[0]
    bm = sweeps.basin_map(setup.surface, opt.name, resolution=41, steps=setup.config.steps, **opt.kwargs())
    names = [f"minimum {_name(m)}" for m in setup.surface.minima]
    return basin_figure(bm, setup.config.start, names)


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
        "settings. On {{surface}} your path {{outcome}}, at {{where}}. A larger step or momentum can jump a "
        "ridge and reach a different (on Rastrigin, better) minimum — or overshoot into a worse one."
    ),
    task=Task(prompt="On Himmelblau, make the path end in a different minimum than the preset's "
                     "{{preset_min}} — click a new start on the map or change the learning rate.",
              done=task_done, success="Now it ends at {{where}}."),
    question=question, facts=facts, charts=("loss",),
    extras=(Extra("Basin map: where each start ends (same optimizer and steps)", _basins,
                  "Grey: starts that diverge or end away from every known minimum (saddles have none)."),),
)
