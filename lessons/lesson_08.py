"""Lesson 8: stochastic gradients — the noise ball around the minimum and decay that shrinks it.

For gradient descent on a quadratic with Gaussian gradient noise of standard deviation σ per coordinate, the
error along each Hessian eigendirection (eigenvalue λᵢ) follows e ← (1 − αλᵢ)e − αξ, so its stationary variance
is Varᵢ = α²σ²/(1 − (1 − αλᵢ)²) = ασ²/(λᵢ(2 − αλᵢ)) for α < 2/λᵢ (REFERENCE.md, "Gradient noise").  The RMS
distance from the minimum is √(Σᵢ Varᵢ): it grows with α.  On an isotropic bowl (λ₁ = λ₂ = L) that is
√(2ασ²/(L(2 − αL))); on a valley the ball is an ellipse, widest along the flat direction.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task
from .common import predicate, rounded, scene_query, scene_runs

TAIL = 100  # the noise ball is measured over the last TAIL points
SHRINK = 3.0  # the task: a ball this many times smaller than the preset's, with at least the preset's noise
PRESET = {"surface": "bowl", "optimizer": "sgd", "lr": "0.2", "noise": "1", "steps": "300", "x0": "1.5", "y0": "-1"}
DECAY = "exponential"  # the scenes' decay (parameters from SCHEDULES)
SCHEDULES = {"constant": {}, "exponential": {"gamma": 0.99}, "step": {"step_size": 50, "gamma": 0.5},
             "cosine": {"T_max": 300}}


def direction_variances(lr: float, noise: float, eigenvalues) -> np.ndarray:
    """Varᵢ = ασ²/(λᵢ(2 − αλᵢ)) per Hessian eigendirection (module docstring); inf where α ≥ 2/λᵢ."""
    lam = np.asarray(eigenvalues, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(lr * lam < 2, lr * noise**2 / (lam * (2 - lr * lam)), np.inf)


def ball_radius(lr: float, noise: float, eigenvalues) -> float:
    """Stationary RMS distance from the minimum, √(Σᵢ Varᵢ) (module docstring)."""
    return float(np.sqrt(direction_variances(lr, noise, eigenvalues).sum()))


def eigen(surface: engine.Surface) -> tuple[np.ndarray, np.ndarray]:
    """The Hessian's eigenvalues (ascending) and eigenvectors (columns) at the minimum."""
    return np.linalg.eigh(surface.hessian(surface.minima[0]))


def _tail(surface: engine.Surface, run: engine.Run) -> np.ndarray:
    return run.points[-TAIL:, 0] - surface.minima[0]


def _radius(surface: engine.Surface, run: engine.Run) -> float:
    return float(np.sqrt(np.mean(np.sum(_tail(surface, run) ** 2, axis=1))))


def direction_spread(surface: engine.Surface, run: engine.Run) -> np.ndarray:
    """RMS distance from the minimum along each Hessian eigendirection over the run's last TAIL points."""
    along = _tail(surface, run) @ eigen(surface)[1]
    return np.sqrt(np.mean(along**2, axis=0))


def left_over(setup: Setup) -> float:
    """How far the noiseless path would still be from the minimum when the tail window starts: the start's
    error along each eigendirection times |1 − αλᵢ| per step (the constant base lr)."""
    lams, vectors = eigen(setup.surface)
    error = (np.asarray(setup.config.start) - setup.surface.minima[0]) @ vectors
    return float(np.linalg.norm(error * np.abs(1 - setup.lr * lams) ** (setup.config.steps - TAIL)))


def measured_radius(setup: Setup) -> float:
    """RMS distance from the minimum over the run's last TAIL points."""
    return _radius(setup.surface, setup.run)


def _query_radius(query) -> float:
    """The noise ball's radius of a query's (first) run."""
    run = scene_runs(query)[0]
    return _radius(run.surface, run)


def _preset_radius() -> float:
    return _query_radius(PRESET)


def _pair(values) -> str:
    return " and ".join(rounded(v) for v in values)


def _measure(setup: Setup) -> str:
    """What the run's ball measures against the formula, in words that hold for the settings on screen."""
    run, noise = setup.run, setup.config.noise
    lams = eigen(setup.surface)[0]
    if noise == 0:
        return f"With σ = 0 there is no noise and no ball: the path {predicate(run)}."
    if setup.lr * lams.max() >= 2:
        return f"At α = {rounded(setup.lr)} ≥ 2/λ the formula has no ball to give: the path {predicate(run)}."
    radius, theory_radius = measured_radius(setup), ball_radius(setup.lr, noise, lams)
    spread = direction_spread(setup.surface, run)
    theory_spread = np.sqrt(direction_variances(setup.lr, noise, lams))
    if setup.config.schedule != "constant":
        return (f"The formula is for a constant α: at the base lr it gives {rounded(theory_radius)}. With the "
                f"{setup.config.schedule} schedule the lr falls, and over the last {TAIL} steps your path stays "
                f"{rounded(radius)} from the minimum (root mean square).")
    if left_over(setup) > 0.3 * theory_radius:
        return (f"At α = {rounded(setup.lr)} the path has not reached its ball yet: without noise it would still be "
                f"{rounded(left_over(setup))} from the minimum when the last {TAIL} steps begin, so their RMS distance "
                f"{rounded(radius)} measures the approach, not the ball (the formula gives {rounded(theory_radius)}).")
    return (f"Over the last {TAIL} steps your path stays {rounded(radius)} from the minimum (root mean square); along "
            f"the two eigendirections its spread is {_pair(spread)}, and the formula gives {_pair(theory_spread)} "
            f"({rounded(theory_radius)} in all).")


def facts(setup: Setup) -> dict[str, str]:
    lams = eigen(setup.surface)[0]
    return {"lr": rounded(setup.lr), "noise": rounded(setup.config.noise), "lams": _pair(lams),
            "radius": rounded(measured_radius(setup)), "theory": rounded(ball_radius(setup.lr, setup.config.noise,
                                                                                     lams)),
            "measure": _measure(setup), "preset_noise": PRESET["noise"],
            "goal": rounded(_preset_radius() / SHRINK)}


def task_done(setup: Setup) -> bool:
    return (setup.config.noise >= float(PRESET["noise"]) and setup.run.status[0] != "diverged"
            and measured_radius(setup) <= _preset_radius() / SHRINK)


def question(setup: Setup) -> Question:
    lams = eigen(setup.surface)[0]
    lr, noise = setup.lr, setup.config.noise
    ratio = ball_radius(lr / 2, noise, lams) / ball_radius(lr, noise, lams)
    return Question(
        prompt=f"With gradient noise σ = {rounded(noise)}, you halve the learning rate from {rounded(lr)} to "
               f"{rounded(lr / 2)}. "
               "What happens to the noise ball?",
        answers=(
            Answer("It shrinks, by roughly a factor √2", True,
                   f"Along each direction its variance is ασ²/(λ(2 − αλ)), about proportional to α while αλ is "
                   f"small, so the radius goes like √α: here it becomes {rounded(ratio)}× as large (1/√2 = "
                   f"{rounded(2 ** -0.5)}). Smaller steps average the noise over more of them."),
            Answer("It halves exactly", False, f"The variance goes like α, the radius like √α: the factor here is "
                                                f"{rounded(ratio)}."),
            Answer("It stays the same: the noise is the same", False,
                   "The noise enters every step multiplied by α, so smaller steps add less of it."),
            Answer("It grows, because convergence is slower", False,
                   "It converges more slowly *to* the ball, but the ball itself is smaller."),
        ))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Exact gradients converge; noise leaves a ball; half the lr shrinks it by about √2; a decay shrinks it more."""
    lr, noise = float(PRESET["lr"]), float(PRESET["noise"])
    lams = eigen(engine.surface(PRESET["surface"]))[0]
    exact, half = scene_query(PRESET, noise=0.0), scene_query(PRESET, lr=lr / 2)
    decay = scene_query(PRESET, schedule=DECAY, **SCHEDULES[DECAY])
    ball, smaller, decayed = (_query_radius(q) for q in (PRESET, half, decay))
    return (
        (f"Exact gradients (σ = 0), α = {rounded(lr)}: the path {predicate(scene_runs(exact)[0], brief=True)}.", exact),
        (f"Gradient noise σ = {rounded(noise)}: it never settles, jittering {rounded(ball)} from the minimum (RMS; "
         "theory "
         f"{rounded(ball_radius(lr, noise, lams))}).", PRESET),
        (f"Half the step, α = {rounded(lr / 2)}: the ball shrinks to {rounded(smaller)}, {rounded(smaller / ball)}× as "
         "large "
         f"(theory {rounded(ball_radius(lr / 2, noise, lams))}).", half),
        (f"Exponential decay ×{rounded(SCHEDULES[DECAY]['gamma'])} per step: the lr falls and the ball shrinks to "
         f"{rounded(decayed)}.", decay),
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
        "does, so with σ > 0 the path never settles: it jitters in a **noise ball** whose size grows with α.\n\n"
        "Along each eigendirection of the Hessian (curvature λᵢ) the error follows e ← (1 − αλᵢ)e − α·noise, so "
        "for a constant α below 2/λᵢ its variance settles at the value below: the flatter the direction, the "
        "wider the ball along it, so on a valley the ball is an ellipse. On this bowl both curvatures are "
        "{{lams}}, so the ball is round. {{measure}} Lower α, or let a schedule lower it over time: the ball "
        "shrinks."
    ),
    latex=(r"\operatorname{Var}_i \to \frac{\alpha\,\sigma^2}{\lambda_i\,(2 - \alpha\lambda_i)}, \qquad "
           r"\mathbb{E}\,\|w - w^\star\|^2 \to \sum_i \operatorname{Var}_i",),
    task=Task(prompt="Keep the noise at σ ≥ {{preset_noise}} and make the ball's radius {{goal}} or less.",
              done=task_done, success="Radius {{radius}} with σ = {{noise}}: the ball has shrunk."),
    question=question, facts=facts, charts=("loss", "lr"), make_scenes=scenes,
)
