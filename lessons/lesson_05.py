"""Lesson 5: adaptive learning rates — Adagrad, RMSprop, Adam and their per-parameter effective steps."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from lab.config import to_query
from lab.figures_lessons import effective_lr_figure

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task
from .common import default_lr, predicate, rounded, scene_query, scene_runs, settle_steps

TARGET = 0.01  # the task: bring the loss below this share of its starting value
PRESET = {"surface": "quadratic", "l1": "10", "angle": "0", "optimizer": "adam", "lr": "0.001", "steps": "300",
          "x0": "-1.5", "y0": "1"}
RACE = ("sgd", "adagrad", "rmsprop", "adam")
RACE_LRS = (0.1, 0.5)  # the scenes' races: an α every method handles, then one past SGD's 2/L
TURNED = 45.0  # the valley's angle in the rotated race: its axes no longer line up with x and y

# Why the first move has the size it has, per method (torch's rules, engine/optimizers.py); {k}: its multiple of α
FIRST_STEP = {
    "adam": "Adam corrects its averages for starting at 0 (m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)), so m̂₁ = g₁ and "
            "v̂₁ = g₁²: its first move is α in every coordinate",
    "rmsprop": "torch's RMSprop does not correct for starting at 0: v₀ = 0 and v₁ = (1 − {keep})·g₁², so its first "
               "move is α·g₁/√v₁ = {k} α in every coordinate, shrinking towards α as v fills up",
    "adagrad": "Adagrad's sum starts at 0, so s₁ = g₁² and its first move is α in every coordinate; as each new g² "
               "joins the sum, no later move can be longer than α",
}


def _first_step_words(setup: Setup) -> str:
    """FIRST_STEP for the optimizer on screen, its constants from the config (torch's smoothing α for RMSprop)."""
    opt = setup.config.optimizers[0]
    if opt.name != "rmsprop":
        return FIRST_STEP[opt.name]
    keep = float(opt.kwargs()["alpha"])
    return FIRST_STEP["rmsprop"].format(keep=rounded(keep), k=rounded(1 / np.sqrt(1 - keep)))


def _rule(setup: Setup) -> str:
    """The update rule of the optimizer on screen, as the Playground shows it (torch's notation: γ is the lr)."""
    opt = setup.config.optimizers[0]
    return engine.optimizer(opt.name, **opt.kwargs()).latex


def _spike() -> float:
    """The most one Adam step can move a coordinate, in units of α, after a long run of small gradients: a jump
    to g enters m̂ with weight 1 − β₁ and v̂ with 1 − β₂, so m̂/√v̂ → (1 − β₁)/√(1 − β₂) (Kingma & Ba §2.1)."""
    beta1, beta2 = engine.OPTIMIZERS["adam"].param("betas").default
    return (1 - beta1) / np.sqrt(1 - beta2)


def _moves(run: engine.Run) -> np.ndarray:
    """(steps, 2): |update| of x and y at each step up to the run's last real point (at least one step)."""
    return np.abs(np.diff(run.points[: max(run.last_step(0), 1) + 1, 0], axis=0))


def _trend(values: np.ndarray) -> str:
    """"rose", "fell" or "stayed" from the first value to the last."""
    return "rose" if values[-1] > values[0] else "fell" if values[-1] < values[0] else "stayed"


def _turned(setup: Setup, angle: float) -> engine.Run:
    """The setup's run on the same valley turned to ``angle`` degrees."""
    return scene_runs(scene_query(to_query(setup.config), angle=angle))[0]


def facts(setup: Setup) -> dict[str, str]:
    run, lr = setup.run, setup.lr
    eff = run.records["effective_lr"][: max(run.last_step(0), 1), 0]
    moves = _moves(run)
    angle = float(dict(setup.config.surface_params)["angle"])
    return {
        "lr": rounded(lr), "opt": engine.OPTIMIZERS[setup.config.optimizers[0].name].title, "outcome": predicate(run),
        "adam_default": rounded(default_lr("adam")), "adagrad_default": rounded(default_lr("adagrad")),
        "rmsprop_default": rounded(default_lr("rmsprop")), "sgd_default": rounded(default_lr("sgd")),
        "move": rounded(moves.max()), "move_k": rounded(moves.max() / lr),
        "ratio": rounded(run.losses[run.last_step(0), 0] / run.losses[0, 0]),
        "move_x0": rounded(moves[0, 0]), "move_y0": rounded(moves[0, 1]), "first_k": rounded(moves[0].max() / lr),
        "first_step": _first_step_words(setup), "rule": _rule(setup), "spike": rounded(_spike(), 2),
        "eff_x0": rounded(eff[0, 0]), "eff_y0": rounded(eff[0, 1]), "eff_x": rounded(eff[-1, 0]),
        "eff_y": rounded(eff[-1, 1]),
        "x_trend": _trend(eff[:, 0]), "y_trend": _trend(eff[:, 1]),
        "target": f"{TARGET:.0%}", "angle": rounded(angle), "turned": rounded(TURNED if angle != TURNED else 0.0),
        "turned_outcome": predicate(_turned(setup, TURNED if angle != TURNED else 0.0), brief=True),
    }


def task_done(setup: Setup) -> bool:
    run = setup.run
    return (setup.config.optimizers[0].name == "adam" and run.status[0] != "diverged"
            and run.losses[run.last_step(0), 0] <= TARGET * run.losses[0, 0])


def question(setup: Setup) -> Question:
    lr, spike = setup.lr, _spike()
    beta1, beta2 = engine.OPTIMIZERS["adam"].param("betas").default
    return Question(
        prompt=f"Adam with α = {rounded(lr)}: about how far can one step move a parameter, whatever the size of its "
               "gradient?",
        answers=(
            Answer(f"About α = {rounded(lr)} while its gradients are steady; a few α at most (≈ {rounded(spike, 2)} α) "
                   "after a sudden jump", True,
                   "Adam divides the averaged gradient m̂ by √v̂, the root of its averaged square, so the ratio "
                   "is about ±1 when gradients are steady: each coordinate moves about α per step. It is not "
                   f"capped at 1: after many small gradients a sudden large one enters m with weight 1 − β₁ = "
                   f"{rounded(1 - beta1)} but v with weight 1 − β₂ = {rounded(1 - beta2)}, so the ratio can reach "
                   f"(1 − β₁)/√(1 − β₂) ≈ {rounded(spike, 3)}. Either way the step is set by α, not by the gradient's "
                   "size: that is why Adam's α is a *distance per step* and its default is small."),
            Answer("α times the gradient, as in SGD", False,
                   "That is plain SGD. Adam normalises the gradient by its running scale, so a gradient 100× "
                   "larger does not give a 100× longer step."),
            Answer("About 1, independent of α", False,
                   f"The normalised ratio m̂/√v̂ is about 1 (at most ≈ {rounded(spike, 2)}); the step is α times that."),
            Answer("It depends only on the curvature, like 2/L", False,
                   "Curvature bounds plain gradient descent's lr. Adam's step length is set by α, so on a "
                   "steep surface it can still overshoot and oscillate around the minimum."),
        ))


def _effective(setup: Setup):
    return effective_lr_figure(setup.run, engine.OPTIMIZERS[setup.config.optimizers[0].name].title)


def _race(lr: float, angle: float) -> tuple[dict[str, str], str]:
    """The four methods at the same lr on the valley turned to ``angle``, and their outcomes in a few words
    (steps to converge, or what else)."""
    query = scene_query(PRESET, angle=angle, optimizer=",".join(RACE),
                        **{("lr" if k == 0 else f"lr_{k + 1}"): lr for k in range(len(RACE))})
    def brief(run: engine.Run) -> str:
        steps = settle_steps(run)
        if steps is not None:
            return str(steps)
        status = str(run.status[0])
        return "still moving" if status == "running" else status

    return query, ", ".join(f"{engine.OPTIMIZERS[name].title} {brief(run)}"
                            for name, run in zip(RACE, scene_runs(query), strict=True))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Adam at its default α, at a larger α, all four methods raced at one α and past SGD's 2/L, then the first
    race on the same valley turned 45° (per-coordinate scaling depends on the axes)."""
    default = default_lr("adam")
    bigger = scene_query(PRESET, lr=RACE_LRS[0])
    c = theory.curvature(engine.surface("quadratic", l1=float(PRESET["l1"]), angle=0.0), np.zeros(2))
    (calm, calm_words), (bold, bold_words), (turned, turned_words) = (
        _race(lr, angle) for lr, angle in ((RACE_LRS[0], 0.0), (RACE_LRS[1], 0.0), (RACE_LRS[0], TURNED)))
    first = scene_runs(PRESET)[0]
    return (
        (f"Adam at its default α = {rounded(default)}: its longest move is {rounded(_moves(first).max())}; it "
         f"{predicate(first, brief=True)}.", PRESET),
        (f"Adam at α = {rounded(RACE_LRS[0])}, {rounded(RACE_LRS[0] / default)}× its default: it "
         f"{predicate(scene_runs(bigger)[0], brief=True)}.", bigger),
        (f"All four at α = {rounded(RACE_LRS[0])}, steps to converge: {calm_words}.", calm),
        (f"α = {rounded(RACE_LRS[1])}, past SGD's 2/L = {rounded(c.two_over_L)}, steps to converge: {bold_words}.",
         bold),
        (f"Valley turned {rounded(TURNED)}°, α = {rounded(RACE_LRS[0])}: {turned_words}.", turned),
    )


LESSON = Lesson(
    number=5, slug="adaptive", title="Adaptive learning rates",
    goal="See how Adagrad, RMSprop and Adam give each parameter its own step, and why Adam's α is on a "
         "different scale.",
    preset=PRESET,
    controls=(Control("optimizer", "Optimizer", options=("adagrad", "rmsprop", "adam")),
              Control("lr", "Learning rate α", options=(1e-4, 2.0)),
              Control("surface_param", "Angle of the valley's steep axis (degrees)", name="angle",
                      options=(0.0, TURNED))),
    text=(
        "Adaptive methods divide each coordinate's gradient by a running measure of its size, √v. "
        "Adagrad sums *all* past squared gradients, so its factor can only fall; RMSprop and Adam average "
        "the recent ones, so their factor follows the recent gradient size, up when the gradients shrink and "
        "down when they grow (RMSprop's also starts large, for a reason given below). That factor, α/(√v̂ + ε), is the "
        "**per-parameter effective step**: it multiplies the gradient (for Adam its average m̂), and the move "
        "is the product. Below, for the {{opt}} run: x's "
        "factor went from {{eff_x0}} at step 1 to {{eff_x}} at its last step, y's from {{eff_y0}} to {{eff_y}}; "
        "the first moves were {{move_x0}} in x and {{move_y0}} in y. {{opt}}'s rule, in torch's notation "
        "(γ is the learning rate α, θ the parameters w):"
    ),
    after=(
        "With α = {{lr}} the run {{outcome}}; the loss is at {{ratio}} of its start. Its first moves are "
        "{{first_k}} × α: {{first_step}}. Dividing coordinate by coordinate depends on the axes: this valley's "
        "steep axis is at {{angle}}°; turned to {{turned}}° the same {{opt}} setup {{turned_outcome}}, while "
        "plain gradient descent's path just turns with the valley. Torch's default learning rates differ by "
        "method: SGD {{sgd_default}}, Adagrad {{adagrad_default}}, RMSprop {{rmsprop_default}}, Adam "
        "{{adam_default}}.[[ Because the gradient is normalised, Adam moves each parameter by about α per step "
        "while its gradients are steady (up to about {{spike}} α right after a sudden jump in the gradient); this "
        "{{opt}} run's longest move was {{move}} ({{move_k}} × α). So Adam's default α = {{adam_default}} means "
        "*each parameter moves about {{adam_default}} per step*, while SGD's α multiplies the gradient.]]"
    ),
    latex=("{{rule}}",),
    task=Task(prompt="With Adam, find a learning rate that brings the loss below {{target}} of its start "
                     "within the steps shown.",
              done=task_done, success="Adam with α = {{lr}} got the loss down to {{ratio}} of its start."),
    question=question, facts=facts, charts=("loss",), make_scenes=scenes,
    extras=(Extra("Effective step and move per parameter", _effective,
                  "Dashed: each parameter's effective step α/(√v̂ + ε), the factor its (averaged) gradient is "
                  "multiplied by; solid: the move |Δw| it made; dotted: the base α. For this {{opt}} run x's "
                  "factor {{x_trend}} from {{eff_x0}} to {{eff_x}} and y's {{y_trend}} from {{eff_y0}} to "
                  "{{eff_y}}."),),
)
