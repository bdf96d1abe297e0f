"""Lesson 5: adaptive learning rates — AdaGrad, RMSProp, Adam and their per-parameter effective steps."""

from __future__ import annotations

import numpy as np

import engine

from .base import Answer, Control, Extra, Lesson, Question, Setup, Task
from .common import did, num
from .figures import effective_lr_figure

TARGET = 0.01  # the task: bring the loss below this share of its starting value


def _default_lr(name: str) -> float:
    return float(engine.OPTIMIZERS[name].param("lr").default)


def _largest_move(run: engine.Run) -> float:
    """The largest per-coordinate |update| the run made."""
    upd = run.records["update"][: max(run.last_step(0), 1), 0]
    return float(np.nanmax(np.abs(upd)))


def facts(setup: Setup) -> dict[str, str]:
    run = setup.run
    eff = run.records["effective_lr"][: max(run.last_step(0), 1), 0]
    return {
        "lr": num(setup.lr), "opt": setup.config.optimizers[0].name, "outcome": did(run),
        "adam_default": num(_default_lr("adam")), "adagrad_default": num(_default_lr("adagrad")),
        "rmsprop_default": num(_default_lr("rmsprop")), "sgd_default": num(_default_lr("sgd")),
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
    return effective_lr_figure(setup.run, setup.config.optimizers[0].name)


LESSON = Lesson(
    number=5, slug="adaptive", title="Adaptive learning rates",
    goal="See how AdaGrad, RMSProp and Adam give each parameter its own step, and why Adam's α is on a "
         "different scale.",
    preset={"surface": "quadratic", "l1": "10", "angle": "0", "optimizer": "adam", "lr": "0.001", "steps": "300",
            "x0": "-1.5", "y0": "1"},
    controls=(Control("optimizer", "Optimizer", options=("adagrad", "rmsprop", "adam")),
              Control("lr", "Learning rate α", options=(1e-4, 2.0))),
    text=(
        "Adaptive methods divide each coordinate's gradient by a running measure of its size, √v. "
        "AdaGrad sums *all* past squared gradients, so its steps shrink forever; RMSProp and Adam average "
        "the recent ones, so their steps settle. The result is a **per-parameter effective step**, plotted "
        "below: for the {{opt}} run, x now gets {{eff_x}} and y gets {{eff_y}}."
    ),
    after=(
        "Because the gradient is normalised, Adam moves each parameter by about α per step: here the largest "
        "move was {{move}} with α = {{lr}}. So Adam's default α = {{adam_default}} means *each parameter moves "
        "about {{adam_default}} per step*, while SGD's α multiplies the gradient (torch's defaults: "
        "SGD {{sgd_default}}, AdaGrad {{adagrad_default}}, RMSProp {{rmsprop_default}}). With α = {{lr}} the "
        "run {{outcome}}; the loss is at {{ratio}} of its start."
    ),
    latex=(r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t,\quad v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,\quad "
           r"w_{t+1} = w_t - \frac{\alpha}{\sqrt{\hat v_t} + \epsilon}\,\hat m_t",),
    task=Task(prompt="With Adam, find a learning rate that brings the loss below {{target}} of its start "
                     "within the steps shown.",
              done=task_done, success="Adam with α = {{lr}} got the loss down to {{ratio}} of its start."),
    question=question, facts=facts, charts=("loss",),
    extras=(Extra("Effective step size per parameter", _effective,
                  "Dotted: the base α. AdaGrad's lines keep falling; RMSProp's and Adam's level off."),),
)
