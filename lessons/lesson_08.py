"""Lesson 8: stochastic gradients — the noise ball around the minimum and decay that shrinks it.

For gradient descent on (L/2)x² with Gaussian gradient noise of standard deviation σ per coordinate,
x ← (1 − αL)x − ασε has the stationary variance α²σ²/(1 − (1 − αL)²) = ασ²/(L(2 − αL)) per coordinate,
so the RMS distance from the minimum in two dimensions is √(2ασ²/(L(2 − αL))): it grows with α.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task
from .common import curvature_at_start, did, num, scene_query, scene_runs

TAIL = 100  # the noise ball is measured over the last TAIL points
SHRINK = 3.0  # the task: a ball this many times smaller than the preset's, with at least the preset's noise
PRESET = {"surface": "bowl", "optimizer": "sgd", "lr": "0.2", "noise": "1", "steps": "300", "x0": "1.5", "y0": "-1"}
DECAY = "exponential"  # the scenes' decay (parameters from SCHEDULES)
SCHEDULES = {"constant": {}, "exponential": {"gamma": 0.99}, "step": {"step_size": 50, "gamma": 0.5},
             "cosine": {"T_max": 300}}


def ball_radius(lr: float, noise: float, L: float) -> float:
    """Stationary RMS distance from the minimum of 2-D gradient descent with gradient noise (module docstring)."""
    return float(np.sqrt(2 * lr * noise**2 / (L * (2 - lr * L))))


def _radius(surface: engine.Surface, run: engine.Run) -> float:
    tail = run.points[-TAIL:, 0] - surface.minima[0]
    return float(np.sqrt(np.mean(np.sum(tail**2, axis=1))))


def measured_radius(setup: Setup) -> float:
    """RMS distance from the minimum over the run's last TAIL points."""
    return _radius(setup.surface, setup.run)


def _query_radius(query) -> float:
    """The noise ball's radius of a query's (first) run."""
    run = scene_runs(query)[0]
    return _radius(run.surface, run)


def _preset_radius() -> float:
    return _query_radius(PRESET)


def facts(setup: Setup) -> dict[str, str]:
    c = curvature_at_start(setup)
    stable = setup.lr * c.L < 2
    predicted = ball_radius(setup.lr, setup.config.noise, c.L) if stable else float("inf")
    return {"lr": num(setup.lr), "noise": num(setup.config.noise), "L": num(c.L),
            "radius": num(measured_radius(setup)), "theory": num(predicted), "tail": str(TAIL),
            "schedule": setup.config.schedule, "preset_noise": PRESET["noise"],
            "goal": num(_preset_radius() / SHRINK)}


def task_done(setup: Setup) -> bool:
    return (setup.config.noise >= float(PRESET["noise"]) and setup.run.status[0] != "diverged"
            and measured_radius(setup) <= _preset_radius() / SHRINK)


def question(setup: Setup) -> Question:
    c = curvature_at_start(setup)
    lr, noise = setup.lr, setup.config.noise
    ratio = ball_radius(lr / 2, noise, c.L) / ball_radius(lr, noise, c.L)
    return Question(
        prompt=f"With gradient noise σ = {num(noise)}, you halve the learning rate from {num(lr)} to {num(lr / 2)}. "
               "What happens to the noise ball?",
        answers=(
            Answer("It shrinks, by roughly a factor √2", True,
                   f"Its variance is ασ²/(L(2 − αL)), about proportional to α, so the radius goes like √α: here "
                   f"it becomes {num(ratio)}× as large. Smaller steps average the noise over more of them."),
            Answer("It halves exactly", False, f"The radius goes like √α, not α: the factor here is {num(ratio)}."),
            Answer("It stays the same: the noise is the same", False,
                   "The noise enters every step multiplied by α, so smaller steps add less of it."),
            Answer("It grows, because convergence is slower", False,
                   "It converges more slowly *to* the ball, but the ball itself is smaller."),
        ))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Exact gradients converge; noise leaves a ball; half the lr shrinks it by about √2; a decay shrinks it more."""
    lr, noise = float(PRESET["lr"]), float(PRESET["noise"])
    L = theory.curvature(engine.surface(PRESET["surface"]), np.zeros(2)).L
    exact, half = scene_query(PRESET, noise=0.0), scene_query(PRESET, lr=lr / 2)
    decay = scene_query(PRESET, schedule=DECAY, **SCHEDULES[DECAY])
    ball, smaller, decayed = (_query_radius(q) for q in (PRESET, half, decay))
    return (
        (f"Exact gradients (σ = 0), α = {num(lr)}: the path {did(scene_runs(exact)[0], brief=True)}.", exact),
        (f"Gradient noise σ = {num(noise)}: it never settles, jittering {num(ball)} from the minimum (RMS; theory "
         f"{num(ball_radius(lr, noise, L))}).", PRESET),
        (f"Half the step, α = {num(lr / 2)}: the ball shrinks to {num(smaller)}, {num(smaller / ball)}× as large "
         f"(theory {num(ball_radius(lr / 2, noise, L))}).", half),
        (f"Exponential decay ×{num(SCHEDULES[DECAY]['gamma'])} per step: the lr falls and the ball shrinks to "
         f"{num(decayed)}.", decay),
    )


LESSON = Lesson(
    number=8, slug="noise", title="Noise: stochastic gradients",
    goal="See the noise ball that mini-batch gradients leave around the minimum, and shrink it with the "
         "learning rate or a decay.",
    preset=PRESET,
    controls=(Control("lr", "Learning rate α", options=(0.005, 0.9)),
              Control("noise", "Gradient noise σ", options=(0.0, 0.3, 1.0, 3.0)),
              Control("schedule", "Schedule", options=tuple(SCHEDULES), schedules=SCHEDULES)),
    text=(
        "A mini-batch gradient is the true gradient plus noise. Here every gradient gets Gaussian noise of "
        "standard deviation σ = {{noise}}. Far from the minimum the true gradient dominates; near it the noise "
        "does, and the path never settles: it jitters in a **noise ball** whose size grows with α.\n\n"
        "Over the last {{tail}} steps your path stays {{radius}} from the minimum on average (root mean "
        "square). For a constant α the theory predicts {{theory}} (L = {{L}}). Lower α, or let a schedule "
        "(schedule: {{schedule}}) lower it over time: the ball shrinks."
    ),
    latex=(r"\mathbb{E}\,\|w - w^\star\|^2 \to \frac{2\,\alpha\,\sigma^2}{L\,(2 - \alpha L)}",),
    task=Task(prompt="Keep the noise at σ ≥ {{preset_noise}} and make the ball's radius {{goal}} or less.",
              done=task_done, success="Radius {{radius}} with σ = {{noise}}: the ball has shrunk."),
    question=question, facts=facts, charts=("loss", "lr"), make_scenes=scenes,
)
