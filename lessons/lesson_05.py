"""Lesson 5: adaptive learning rates — Adagrad, RMSprop, Adam and their per-parameter effective steps."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from ui.config import DISPLAY_NAMES

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task
from .common import default_lr, did, num, scene_query, scene_runs, settle_steps
from .figures import effective_lr_figure

TARGET = 0.01  # the task: bring the loss below this share of its starting value
PRESET = {"surface": "quadratic", "l1": "10", "angle": "0", "optimizer": "adam", "lr": "0.001", "steps": "300",
          "x0": "-1.5", "y0": "1"}
RACE = ("sgd", "adagrad", "rmsprop", "adam")
RACE_LRS = (0.1, 0.5)  # the scenes' races: an α every method handles, then one past SGD's 2/L


def _largest_move(run: engine.Run) -> float:
    """The largest per-coordinate |update| the run made."""
    upd = run.records["update"][: max(run.last_step(0), 1), 0]
    return float(np.nanmax(np.abs(upd)))


def facts(setup: Setup) -> dict[str, str]:
    run = setup.run
    eff = run.records["effective_lr"][: max(run.last_step(0), 1), 0]
    return {
        "lr": num(setup.lr), "opt": DISPLAY_NAMES[setup.config.optimizers[0].name], "outcome": did(run),
        "adam_default": num(default_lr("adam")), "adagrad_default": num(default_lr("adagrad")),
        "rmsprop_default": num(default_lr("rmsprop")), "sgd_default": num(default_lr("sgd")),
        "move": num(_largest_move(run)), "ratio": num(run.losses[run.last_step(0), 0] / run.losses[0, 0]),
        "eff_x": num(eff[-1, 0]), "eff_y": num(eff[-1, 1]), "target": f"{TARGET:.0%}",
    }


def task_done(setup: Setup) -> bool:
    run = setup.run
    return (setup.config.optimizers[0].name == "adam" and run.status[0] != "diverged"
            and run.losses[run.last_step(0), 0] <= TARGET * run.losses[0, 0])


def question(setup: Setup) -> Question:
    lr = setup.lr
    return Question(
        prompt=f"Adam with α = {num(lr)}: about how far can one step move a parameter, whatever the size of its "
               "gradient?",
        answers=(
            Answer(f"About α = {num(lr)}", True,
                   "Adam divides the averaged gradient m̂ by √v̂, the root of its averaged square, so the ratio "
                   "is about ±1 when gradients are steady: each coordinate moves about α per step. That is why "
                   "Adam's α is a *distance per step* and its default is small."),
            Answer("α times the gradient, as in SGD", False,
                   "That is plain SGD. Adam normalises the gradient by its running scale, so a gradient 100× "
                   "larger does not give a 100× longer step."),
            Answer("About 1, independent of α", False,
                   "The normalised ratio is about 1; the step is α times that."),
            Answer("It depends only on the curvature, like 2/L", False,
                   "Curvature bounds plain gradient descent's lr. Adam's step length is set by α, so on a "
                   "steep surface it can still overshoot and oscillate around the minimum."),
        ))


def _effective(setup: Setup):
    return effective_lr_figure(setup.run, DISPLAY_NAMES[setup.config.optimizers[0].name])


def _race(lr: float) -> tuple[dict[str, str], str]:
    """The four methods at the same lr, and their outcomes in a few words (steps to converge, or what else)."""
    query = scene_query(PRESET, optimizer=",".join(RACE), **{("lr" if k == 0 else f"lr_{k + 1}"): lr
                                                              for k in range(len(RACE))})
    def brief(run: engine.Run) -> str:
        steps = settle_steps(run)
        if steps is not None:
            return str(steps)
        status = str(run.status[0])
        return "still moving" if status == "running" else status

    return query, ", ".join(f"{DISPLAY_NAMES[name]} {brief(run)}"
                            for name, run in zip(RACE, scene_runs(query), strict=True))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Adam at its default α, at a larger α, then all four methods raced at one α and past SGD's 2/L."""
    default = default_lr("adam")
    bigger = scene_query(PRESET, lr=RACE_LRS[0])
    c = theory.curvature(engine.surface("quadratic", l1=float(PRESET["l1"]), angle=0.0), np.zeros(2))
    (calm, calm_words), (bold, bold_words) = (_race(lr) for lr in RACE_LRS)
    return (
        (f"Adam at its default α = {num(default)} moves each parameter ≈ α per step: "
         f"{scene_runs(PRESET)[0].outcome(0, brief=True)}.", PRESET),
        (f"Adam at α = {num(RACE_LRS[0])}, {num(RACE_LRS[0] / default)}× its default: it "
         f"{did(scene_runs(bigger)[0], brief=True)}.", bigger),
        (f"All four at α = {num(RACE_LRS[0])}, steps to converge: {calm_words}.", calm),
        (f"α = {num(RACE_LRS[1])}, past SGD's 2/L = {num(c.two_over_L)}, steps to converge: {bold_words}.", bold),
    )


LESSON = Lesson(
    number=5, slug="adaptive", title="Adaptive learning rates",
    goal="See how Adagrad, RMSprop and Adam give each parameter its own step, and why Adam's α is on a "
         "different scale.",
    preset=PRESET,
    controls=(Control("optimizer", "Optimizer", options=("adagrad", "rmsprop", "adam")),
              Control("lr", "Learning rate α", options=(1e-4, 2.0))),
    text=(
        "Adaptive methods divide each coordinate's gradient by a running measure of its size, √v. "
        "Adagrad sums *all* past squared gradients, so its steps shrink forever; RMSprop and Adam average "
        "the recent ones, so their steps settle. The result is a **per-parameter effective step**, plotted "
        "below: for the {{opt}} run, x now gets {{eff_x}} and y gets {{eff_y}}."
    ),
    after=(
        "With α = {{lr}} the run {{outcome}}; the loss is at {{ratio}} of its start. Torch's default learning "
        "rates differ by method: SGD {{sgd_default}}, Adagrad {{adagrad_default}}, RMSprop {{rmsprop_default}}, "
        "Adam {{adam_default}}.[[ Because the gradient is normalised, Adam moves each parameter by about α per "
        "step: here the largest move was {{move}} with α = {{lr}}. So Adam's default α = {{adam_default}} means "
        "*each parameter moves about {{adam_default}} per step*, while SGD's α multiplies the gradient.]]"
    ),
    latex=(r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,\quad "
           r"w_{t+1} = w_t - \frac{\alpha}{\sqrt{\hat v_t} + \epsilon}\,\hat m_t",),
    task=Task(prompt="With Adam, find a learning rate that brings the loss below {{target}} of its start "
                     "within the steps shown.",
              done=task_done, success="Adam with α = {{lr}} got the loss down to {{ratio}} of its start."),
    question=question, facts=facts, charts=("loss",), make_scenes=scenes,
    extras=(Extra("Effective step size per parameter", _effective,
                  "Dotted: the base α. Adagrad's lines keep falling; RMSprop's and Adam's level off."),),
)
