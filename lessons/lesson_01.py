"""Lesson 1: what the learning rate is — one step w ← w − α∇f(w), first along a parabola, then in 2D."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from lab.figures_inspect import inspector_figure
from lab.figures_lessons import parabola_figure

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task
from .common import predicate, rounded, scene_query, scene_runs

FAST = 10  # the task: reach the minimum in at most this many steps
PRESET = {"surface": "bowl", "optimizer": "sgd", "lr": "0.05", "steps": "200", "x0": "1.8", "y0": "0"}
LONGER = (0.2, 0.4)  # the scenes' larger learning rates on the same parabola
VALLEY = {"surface": "quadratic", "optimizer": "sgd", "lr": "0.1", "steps": "200"}  # 2-D: a tilted valley


def _first_step(setup: Setup):
    """(w0, ∇f(w0), w1) of the first step, from the engine's records."""
    rec = setup.run.records
    return setup.run.points[0, 0], rec["grad"][0, 0], setup.run.points[1, 0]


def _vec(v) -> str:
    return f"({rounded(v[0])},\\ {rounded(v[1])})"


def facts(setup: Setup) -> dict[str, str]:
    w0, g, w1 = _first_step(setup)
    return {"lr": rounded(setup.lr), "w0": _vec(w0), "g": _vec(g), "w1": _vec(w1), "fast": str(FAST),
            "outcome": predicate(setup.run), "gx": rounded(g[0]), "x0": rounded(w0[0]), "x1": rounded(w1[0])}


def task_done(setup: Setup) -> bool:
    return setup.run.status[0] == "converged" and setup.run.stopped_at[0] <= FAST


def question(setup: Setup) -> Question:
    w0, g, w1 = _first_step(setup)
    x0, gx, lr = float(w0[0]), float(g[0]), setup.lr
    return Question(
        prompt=f"Along the x axis, at w = {rounded(x0)} the slope is f′(w) = {rounded(gx)}. With α = {rounded(lr)}, "
               "where "
               "does the first step land?",
        answers=(
            Answer(f"w = {rounded(x0 - lr * gx)}", True,
                   f"w − α·f′(w) = {rounded(x0)} − {rounded(lr)}·{rounded(gx)} = {rounded(float(w1[0]))}: a step "
                   "downhill, α times "
                   "the slope."),
            Answer(f"w = {rounded(x0 + lr * gx)}", False,
                   "That adds the gradient: it steps uphill. Gradient descent subtracts α·f′(w)."),
            Answer(f"w = {rounded(x0 - lr)}", False,
                   "That moves by α itself. The step is α times the slope, so a steep slope means a long step."),
            Answer(f"w = {rounded(x0 - gx)}", False,
                   "That is a step with α = 1. The learning rate scales the gradient before it is subtracted."),
        ))


def _parabola(setup: Setup):
    return parabola_figure(setup.surface, setup.run, setup.lr)


def _inspector(setup: Setup):
    return inspector_figure(setup.surface, setup.run, 1, "path", height=360)


def _first_move(run) -> float:
    """The length of a run's first step, ‖w₁ − w₀‖."""
    return float(np.linalg.norm(run.points[1, 0] - run.points[0, 0]))


def _off_target(query) -> float:
    """The angle in degrees between −∇f at a query's start and the straight line to the surface's minimum."""
    run = scene_runs(query)[0]
    w0 = run.points[0, 0]
    g, to_min = run.surface.grad(w0), run.surface.minima[0] - w0
    return float(np.degrees(np.arccos(-g @ to_min / (np.linalg.norm(g) * np.linalg.norm(to_min)))))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """One step along the parabola, then longer steps, then the same rule in 2-D on a tilted valley."""
    first = scene_runs(PRESET)[0]
    (x0, _), (x1, _) = first.points[0, 0], first.points[1, 0]
    lr = float(PRESET["lr"])
    out = [(f"α = {rounded(lr)}: the first step moves x from {rounded(x0)} to {rounded(x1)}, α times the slope "
            f"{rounded((x0 - x1) / lr)}; it {predicate(first, brief=True)}.", PRESET)]
    for longer in LONGER:
        query = scene_query(PRESET, lr=longer)
        run = scene_runs(query)[0]
        out.append((f"α = {rounded(longer)}: the first step is {rounded(_first_move(run) / _first_move(first))}× as "
                    "long; "
                    f"the path {predicate(run, brief=True)}.", query))
    out.append((f"2-D, a tilted valley: −∇f points {rounded(_off_target(VALLEY), 2)}° off the minimum; the path bends "
                f"and {predicate(scene_runs(VALLEY)[0], brief=True)}.", VALLEY))
    return tuple(out)


LESSON = Lesson(
    number=1, slug="what-is-lr", title="What the learning rate is",
    goal="See one step of gradient descent: the gradient, and the learning rate that turns it into a step.",
    preset=PRESET,
    controls=(Control("lr", "Learning rate α", options=(0.005, 1.2)), Control("start", "Start")),
    text=(
        "Training a model means walking downhill on its loss. At the current parameters w the gradient "
        "∇f(w) points uphill, so gradient descent steps the other way, and **the learning rate α says how far "
        "to go per unit of slope**:"
    ),
    latex=(r"w_{t+1} = w_t - \alpha\,\nabla f(w_t)",
           r"[[w_1 = {{w0}} - {{lr}}\cdot{{g}} = {{w1}}]]"),
    after=(
        "In one dimension (the parabola, the cut of this bowl along the x axis) the slope at "
        "w₀ = {{x0}} is {{gx}}[[, and the first step takes w to {{x1}}]]. On the map the same rule works in both "
        "coordinates at once: click anywhere on the map to start from there, and the arrow of the first step "
        "still points straight downhill. With α = {{lr}} the path {{outcome}}."
    ),
    task=Task(prompt="Choose a learning rate that reaches the minimum in at most {{fast}} steps.",
              done=task_done, success="Done: the path {{outcome}} with α = {{lr}}."),
    question=question, facts=facts, charts=("loss",), make_scenes=scenes,
    extras=(Extra("One dimension: the parabola f(w) and the first steps", _parabola,
                  "Each dot is one step; the arrow is the first one, −α·f′(w₀)."),
            Extra("The first step up close (the Playground's step inspector)", _inspector,
                  "The gradient step −α·g is the update: plain gradient descent has nothing else.")),
)
