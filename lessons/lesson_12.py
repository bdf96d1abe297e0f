"""Lesson 12: curvature that changes — the edge of stability on Rosenbrock, sharpness along the path against
2/α, and warm-up from a start sharper than the minimum (REFERENCE.md; Cohen et al., ICLR 2021).

GD with step α cannot converge to a minimum whose sharpness λmax (largest Hessian eigenvalue) exceeds 2/α.
Rosenbrock's λmax is 1001.6 at (1, 1) but changes along the valley, so above 2/1001.6 the path need not
diverge: it can settle into a bounded 2-cycle across the valley where λmax ≈ 2/α.  The engine's outcome
words and the sharpness at each iterate (``engine.theory.hessian_eigenvalues``) say what happens.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from lab.config import STEPS_PARAM
from lab.figures_lesson_stability import sharpness_figure
from lab.runs import make_config, run_of

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task, ToolLink
from .common import predicate, rounded, scene_query, scene_runs

STEPS = STEPS_PARAM.high  # the Playground's cap (2000); a 2000-step Rosenbrock run takes about 20 ms
TAIL = 100  # the sharpness the path hovers at: mean over the last TAIL iterates
WARM = 50  # warm-up steps (torch's LinearLR from 1 % to the full lr)
WARMUP = {"start_factor": 0.01, "end_factor": 1.0, "total_iters": WARM}
SCHEDULES = {"constant": {}, "linear": WARMUP}
NAMES = {"constant": "no warm-up", "linear": f"{WARM}-step linear warm-up"}
ROSEN = engine.surface("rosenbrock")
MINIMUM = theory.curvature(ROSEN, np.ones(2))  # λmax 1001.6 (REFERENCE.md)
TWO = MINIMUM.two_over_L
PRESET = {"surface": "rosenbrock", "optimizer": "sgd", "lr": "0.003", "steps": str(STEPS), "x0": "-1.2", "y0": "1"}
SHARP_START = (1.8, 3.0)  # λmax ≈ 2883 there, 2.9 × the minimum's
FAR = 5.0  # × 2/L: diverges within a few steps


def _point(p: tuple[float, float]) -> str:
    return f"({rounded(p[0])}, {rounded(p[1])})"


def _gd(lr: float, start: tuple, warm: bool) -> engine.Run:
    """GD on Rosenbrock for STEPS steps, with or without the warm-up (``lab.runs``: cached, so texts and the task
    share it)."""
    schedule = "linear" if warm else "constant"
    return run_of(make_config("rosenbrock", "sgd", start, STEPS, schedule=schedule, schedule_params=SCHEDULES[schedule],
                              lr=lr))


def sharpness(run: engine.Run) -> np.ndarray:
    """λmax of the Hessian at each iterate up to the run's last step."""
    return theory.hessian_eigenvalues(ROSEN, run.points[: run.last_step(0) + 1, 0])[:, 1]


def _hover(run: engine.Run) -> str:
    """Where the sharpness sits over the last TAIL iterates, against 2/α there."""
    if run.status[0] == "diverged":
        return "the run diverged: there is no late sharpness to compare"
    late = sharpness(run)[-TAIL:]
    return f"over the last {TAIL} steps the sharpness averages **{rounded(late.mean())}** against 2/α = " \
           f"{rounded(2 / run.lrs[-1, 0])}"


def facts(setup: Setup) -> dict[str, str]:
    start, lr = tuple(setup.config.start), setup.lr
    return {"L": rounded(MINIMUM.L, 5), "two": rounded(TWO), "lr": rounded(lr), "ratio": rounded(lr / TWO),
            "start": f"({rounded(start[0])}, {rounded(start[1])})",
            "start_L": rounded(theory.curvature(ROSEN, np.array(start)).L, 4), "outcome": predicate(setup.run),
            "hover": _hover(setup.run), "steps": str(STEPS), "warm": str(WARM),
            "warm_from": f"{WARMUP['start_factor']:.0%}", "sharp_start": _point(SHARP_START),
            "cold_outcome": predicate(_gd(lr, start, False), brief=True),
            "warm_outcome": predicate(_gd(lr, start, True), brief=True),
            "schedule": NAMES.get(setup.config.schedule, setup.config.schedule),
            "far": rounded(FAR * TWO), "far_outcome": predicate(_gd(FAR * TWO, (-1.2, 1.0), False), brief=True)}


def task_done(setup: Setup) -> bool:
    """A warm-up run above 2/L(minimum) that stays bounded from a start where the same lr without it diverges."""
    start = tuple(setup.config.start)
    return (setup.config.schedule == "linear" and setup.lr > TWO and setup.run.status[0] != "diverged"
            and _gd(setup.lr, start, False).status[0] == "diverged")


def question(setup: Setup) -> Question:
    lr = float(PRESET["lr"])
    run = _gd(lr, (-1.2, 1.0), False)
    return Question(
        prompt=f"Plain GD on Rosenbrock from (−1.2, 1) at α = {rounded(lr)}, {rounded(lr / TWO)} × the limit 2/L = "
               f"{rounded(TWO)} "
               "at the minimum. What does the path do?",
        answers=(
            Answer("It stays bounded, bouncing across the valley where the sharpness is about 2/α", True,
                   f"The engine: the path {predicate(run)}; {_hover(run).replace('**', '')}. The curvature changes "
                   "along "
                   "the valley, and the path settles where a step's overshoot no longer grows: the edge of "
                   "stability."),
            Answer("It diverges, as any α above 2/L does on a quadratic", False,
                   f"On a quadratic the curvature is the same everywhere; here it is not. The engine: the path "
                   f"{predicate(run, brief=True)}. Only much larger steps blow up: at {rounded(FAR)} × 2/L it "
                   f"{predicate(_gd(FAR * TWO, (-1.2, 1.0), False), brief=True)}."),
            Answer("It converges to (1, 1), only more slowly", False,
                   f"At (1, 1) the sharpness is {rounded(MINIMUM.L, 5)} > 2/α = {rounded(2 / lr)}: there an error "
                   "along "
                   f"the steep direction grows × |1 − αλ| = {rounded(abs(1 - lr * MINIMUM.L))} per step, so the path "
                   "cannot settle at the minimum."),
            Answer("It stops halfway: the steps become too small", False,
                   f"The lr is constant and the steps across the valley do not shrink: the engine says the path "
                   f"{predicate(run, brief=True)}."),
        ))


def _sharpness(setup: Setup):
    run = setup.run
    return sharpness_figure(sharpness(run), 2 / run.lrs[: run.last_step(0), 0], MINIMUM.L)


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Below the limit, 1.5 × above it (the 2-cycle), 5 × (divergence), a sharp start without and with warm-up."""
    below, edge, far = (scene_query(PRESET, lr=k * TWO) for k in (0.9, 1.5, FAR))
    sharp = dict(x0=SHARP_START[0], y0=SHARP_START[1], lr=1.2 * TWO)
    cold = scene_query(PRESET, **sharp)
    warm = scene_query(PRESET, schedule="linear", **WARMUP, **sharp)
    edge_run = scene_runs(edge)[0]

    def outcome(query) -> str:
        return predicate(scene_runs(query)[0], brief=True)

    late = sharpness(edge_run)[-TAIL:].mean()
    start_L = theory.curvature(ROSEN, np.array(SHARP_START)).L
    return (
        (f"α = 0.9 × 2/L = {rounded(0.9 * TWO)}, below the limit at the minimum: it {outcome(below)}.", below),
        (f"α = 1.5 × 2/L: a bounded 2-cycle (amplitude {rounded(edge_run.amplitude[0])}); sharpness {rounded(late)} ≈ "
         f"2/α = {rounded(2 / (1.5 * TWO))}.", edge),
        (f"α = {rounded(FAR)} × 2/L = {rounded(FAR * TWO)}: it {outcome(far)}.", far),
        (f"From {_point(SHARP_START)}, sharpness {rounded(start_L, 4)}, at α = 1.2 × 2/L: it {outcome(cold)}.", cold),
        (f"The same with a {WARM}-step warm-up: it {outcome(warm)}.", warm),
    )


LESSON = Lesson(
    number=12, slug="changing-curvature", title="Curvature that changes",
    goal="Predict what gradient descent does above 2/L when the curvature changes along the path, watch the "
         "sharpness against 2/α, and see why warm-up helps when the start is sharper than the minimum.",
    preset=PRESET,
    controls=(Control("lr", "Learning rate α", options=(0.0005, 0.012)),
              Control("schedule", "Warm-up", options=tuple(SCHEDULES), schedules=SCHEDULES, names=NAMES),
              Control("start", "Start")),
    text=(
        "Lesson 3's rule α < 2/L assumes one curvature everywhere. On Rosenbrock the **sharpness** (the largest "
        "Hessian eigenvalue λmax) changes along the path: it is {{start_L}} at the start {{start}} and {{L}} at "
        "the minimum, where the limit is 2/L = {{two}}. Your α = {{lr}} is {{ratio}} × that limit "
        "({{schedule}}).[[ The path {{outcome}}.]]\n\n"
        "Above 2/L the path cannot settle at the minimum.[[ But it need not diverge either: it finds a place in "
        "the valley where a step's overshoot stops growing and bounces across it, a 2-cycle — the **edge of "
        "stability** (Cohen et al. 2021). In the chart below {{hover}}. Only much larger steps diverge: "
        "α = {{far}} {{far_outcome}}.]]"
    ),
    after=(
        "**Warm-up.** A start sharper than the minimum needs a smaller step than the minimum does. A warm-up "
        "raises the lr from {{warm_from}} to α over the first {{warm}} steps, while the path descends to flatter "
        "ground. "
        "[[From {{start}} at α = {{lr}}: without warm-up the path {{cold_outcome}}; with it, it {{warm_outcome}}. ]]"
        "Rosenbrock is chaotic at these steps, so try several starts: warm-up often helps, not always. (Every run "
        "here takes {{steps}} steps, the most the Playground allows.)"
    ),
    latex=(r"\text{GD cannot converge where } \lambda_{\max}(\nabla^2 f) > \frac{2}{\alpha}",),
    task=Task(prompt="Click a start sharper than the minimum (try the steep wall near {{sharp_start}}), pick an α "
                     "above 2/L = {{two}} that diverges there without warm-up, then make it survive with the warm-up.",
              done=task_done, success="From {{start}} at α = {{lr}}: diverged without warm-up, {{warm_outcome}} "
                                      "with it."),
    question=question, facts=facts, charts=("loss", "lr"), predict=True, make_scenes=scenes,
    extras=(Extra("Sharpness along the path against 2/α", _sharpness,
                  caption="Where the sharpness is above 2/α, the zigzag across the valley grows. 2/α falls during "
                          "a warm-up. Dotted: λmax at the minimum, {{L}}."),),
    tools=(ToolLink("stability-map"),),
)
