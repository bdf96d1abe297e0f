"""Lesson 2: too small, just right, too large — the thresholds 1/L and 2/L on a bowl (REFERENCE.md)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task, ToolLink
from .common import curvature_at_start, outcome_of, predicate, rounded, scene_query, scene_runs

PRESET = {"surface": "bowl", "optimizer": "sgd", "lr": "0.75", "steps": "300", "x0": "1.5", "y0": "-1"}
CREEP, BLOWUP = 0.2, 2.1  # the scenes' α·L: well below 1 (creeps) and just above 2 (blows up)
FLAT = 0.1  # the flat bowl's steepness s: curvature 2s = 0.2, so learning rates far above 1 still converge
FLAT_CURVATURE = theory.curvature(engine.surface("bowl", scale=FLAT), np.zeros(2))
FLAT_LR = 8.0  # between the flat bowl's 1/L = 5 (one step, a degenerate example) and 2/L = 10: it zigzags in

REGIME_ANSWERS = {
    "monotone": "It creeps straight in without ever overshooting.",
    "one step": "It lands on the minimum in a single step.",
    "zigzagging": "It overshoots, flips to the other side every step, and still closes in.",
    "bouncing": "It jumps between the same two points forever.",
    "diverging": "It overshoots by more every step and flies off.",
}


def facts(setup: Setup) -> dict[str, str]:
    c = curvature_at_start(setup)
    flat = FLAT_CURVATURE
    flat_run, one_step = (outcome_of("bowl", "sgd", setup.config.start, setup.config.steps, {"scale": FLAT}, lr=lr)
                          for lr in (FLAT_LR, flat.one_over_L))
    return {
        "L": rounded(c.L), "one": rounded(c.one_over_L), "two": rounded(c.two_over_L), "lr": rounded(setup.lr),
        "factor": rounded(float(theory.gd_factor(setup.lr, c.L))),
        "regime": theory.GD_REGIMES[theory.gd_regime(setup.lr, c.L)],
        "target": rounded(0.9 * c.two_over_L),
        "flat": rounded(FLAT), "flat_L": rounded(flat.L), "flat_one": rounded(flat.one_over_L),
        "flat_two": rounded(flat.two_over_L),
        "flat_lr": rounded(FLAT_LR), "flat_outcome": predicate(flat_run), "flat_one_outcome": predicate(one_step),
        "outcome": predicate(setup.run),
    }


def task_done(setup: Setup) -> bool:
    c = curvature_at_start(setup)
    return setup.run.status[0] == "converged" and setup.lr >= 0.9 * c.two_over_L


def question(setup: Setup) -> Question:
    c = curvature_at_start(setup)
    regime = theory.gd_regime(setup.lr, c.L)
    factor = rounded(float(theory.gd_factor(setup.lr, c.L)))
    lr, one, two = rounded(setup.lr), rounded(c.one_over_L), rounded(c.two_over_L)
    why = {
        "monotone": f"That needs α < 1/L = {one}, so that 1 − αL is between 0 and 1.",
        "one step": f"That needs α = 1/L = {one} exactly, so that 1 − αL = 0.",
        "zigzagging": f"With α = {lr} the factor 1 − αL = {factor} is negative but its size is below 1: "
                       "each step lands on the other side, closer than before.",
        "bouncing": f"That needs α = 2/L = {two} exactly, so that 1 − αL = −1.",
        "diverging": f"That needs α > 2/L = {two}, where |1 − αL| > 1.",
    }
    why[regime] = f"With α = {lr}, 1 − αL = {factor}: " + theory.GD_REGIMES[regime] + "."
    return Question(
        prompt=f"Here L = {rounded(c.L)}, 1/L = {one} and 2/L = {two}. With α = {lr}, what will the path do?",
        answers=tuple(Answer(text, name == regime, why[name]) for name, text in REGIME_ANSWERS.items()))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Creep, one step, zigzag (the preset), bounce, blow-up: α walks past 1/L and 2/L on the same bowl."""
    c = theory.curvature(engine.surface(PRESET["surface"]), np.zeros(2))
    one, two = rounded(c.one_over_L), rounded(c.two_over_L)
    creep, blowup = scene_query(PRESET, lr=CREEP / c.L), scene_query(PRESET, lr=BLOWUP / c.L)
    exact, bounce = scene_query(PRESET, lr=c.one_over_L), scene_query(PRESET, lr=c.two_over_L)

    def outcome(query) -> str:
        return predicate(scene_runs(query)[0], brief=True)

    return (
        (f"α = {rounded(CREEP / c.L)}, well below 1/L = {one}: the path creeps straight in and {outcome(creep)}.",
         creep),
        (f"α = 1/L = {one}: the first step lands on the minimum; the path {outcome(exact)}.", exact),
        (f"α = {rounded(float(PRESET['lr']))}, between 1/L and 2/L = {two}: it {outcome(PRESET)}.", PRESET),
        (f"α = 2/L = {two}: it jumps between two mirror points and {outcome(bounce)}.", bounce),
        (f"α = {rounded(BLOWUP / c.L)}, above 2/L = {two}: every overshoot is bigger; it {outcome(blowup)}.", blowup),
    )


LESSON = Lesson(
    number=2, slug="thresholds", title="Too small, just right, too large",
    goal="See where a learning rate converges, oscillates or diverges, and predict it from the curvature.",
    preset=PRESET,
    controls=(
        Control("lr", "Learning rate α", options=(0.01, 10.0, FLAT_CURVATURE.one_over_L, FLAT_LR)),
        Control("surface_param", "Steepness s of the bowl f = s(x² + y²)", name="scale", options=(FLAT, 1.0, 10.0)),
    ),
    text=(
        "On a bowl, one step of gradient descent multiplies the offset from the minimum by **1 − αL**, where "
        "L is the curvature (f = s(x² + y²) has L = 2s; here **L = {{L}}**). The size of that factor decides "
        "everything, so α only means something *compared with 1/L and 2/L*:\n\n"
        "- α < 1/L = {{one}}: the path creeps straight in;\n"
        "- 1/L < α < 2/L = {{two}}: it overshoots and zigzags, but still converges;\n"
        "- α > 2/L: every overshoot is bigger than the last, and it diverges.\n\n"
        "Exactly at 1/L the first step lands on the minimum; exactly at 2/L the path bounces between two points "
        "forever.[[ Right now α = {{lr}}, so gradient descent {{regime}}: the path {{outcome}}.]]"
    ),
    after=(
        "**Can the learning rate be greater than 1?** Yes, whenever the curvature is small. On the flat bowl "
        "s = {{flat}} (L = {{flat_L}}, so 1/L = {{flat_one}} and 2/L = {{flat_two}}) every α below {{flat_two}} "
        "converges: α = {{flat_lr}} {{flat_outcome}}, and α = {{flat_one}}, exactly 1/L, {{flat_one_outcome}}. "
        "The number 1 has nothing to do with it."
    ),
    latex=(r"x_{t+1} - x^\star = (1 - \alpha L)\,(x_t - x^\star)",
           r"[[1 - \alpha L = 1 - {{lr}}\cdot{{L}} = {{factor}}]]"),
    task=Task(
        prompt="Find the largest learning rate that still converges: get within 10% of the limit "
               "(α ≥ {{target}}) with a path that converges.",
        done=task_done,
        success="At α = {{lr}}, just below 2/L = {{two}}, the path {{outcome}}. Past 2/L the same bowl diverges."),
    question=question, facts=facts, charts=("loss", "stability"), predict=True, make_scenes=scenes,
    tools=(ToolLink("stability-map", own={"axis": "curvature"}),),
)
