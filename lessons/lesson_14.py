"""Lesson 14: conditioning you can fix — standardised inputs turn the regression valley into a bowl, a diagonal
preconditioner, and Newton's step as the limit (REFERENCE.md, "Conditioning you can fix").

The map is lesson 10's regression loss over (w, b), with raw inputs (Hessian 2·[[mean x², mean x], [mean x, 1]],
a tilted valley) or standardised ones (Hessian 2·I, κ = 1): ``engine.regression``.  The preconditioned paths
come from ``engine.preconditioning``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import preconditioning, theory
from engine.regression import make_dataset
from engine.trajectory_labels import GRAD_TOL
from lab.figures_lessons import path_trace
from lab.figures_map import COLORS

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task, ToolLink
from .common import (
    curvature_at_start,
    outcome_of,
    predicate,
    rounded,
    scene_query,
    scene_runs,
    settle_steps,
    steps_words,
)

BUDGET = 10  # the task: plain gradient descent at the minimum within this many steps
SURFACES = ("regression", "regression_std")
PRESET = {"surface": "regression", "optimizer": "sgd", "lr": "0.3", "steps": "300", "x0": "0", "y0": "0"}
LIMIT = 2000  # steps allowed to the preconditioned path
ONE_STEP = theory.curvature(engine.surface("regression_std"), np.zeros(2)).one_over_L  # 1/L of the round bowl


def _surface(slug: str, setup: Setup) -> engine.Surface:
    """The surface ``slug`` built from the same data as the setup's."""
    return engine.surface(slug, **setup.surface.params)


def _best_steps(surface: engine.Surface, start, steps: int) -> tuple[float, str]:
    """α* = 2/(L + μ) of plain GD on ``surface`` and what it does from ``start`` in ``steps`` steps."""
    c = theory.curvature(surface, np.array(start))
    alpha, _ = theory.optimal_step(c.L, c.mu)
    run = outcome_of(surface.slug, "sgd", start, steps, surface.params, lr=alpha)
    return alpha, steps_words(run)


def _path_steps(path: np.ndarray, surface: engine.Surface) -> str:
    """How a preconditioned path ended, in steps (it stops at convergence or at LIMIT)."""
    converged = np.linalg.norm(surface.grad(path[-1])) <= GRAD_TOL
    return f"{len(path) - 1} step{'s' if len(path) != 2 else ''}" if converged else f"more than {LIMIT} steps"


def diagonal(surface: engine.Surface, start) -> tuple[float, float, np.ndarray]:
    """The diagonal preconditioner at ``start``: κ after it, its best fixed step, and its path at that step."""
    c = preconditioning.preconditioned_curvature(surface, start, "diagonal")
    alpha, _ = theory.optimal_step(c.L, c.mu)
    return c.kappa, alpha, preconditioning.preconditioned_path(surface, start, alpha, LIMIT, "diagonal")


def newton(surface: engine.Surface, start) -> np.ndarray:
    """Newton's path at α = 1 (one step to a quadratic's minimum)."""
    return preconditioning.preconditioned_path(surface, start, 1.0, LIMIT, "newton")


def facts(setup: Setup) -> dict[str, str]:
    start, steps = setup.config.start, setup.config.steps
    raw, std = (_surface(slug, setup) for slug in SURFACES)
    data = make_dataset(**setup.surface.params)
    c = curvature_at_start(setup)
    (raw_star, raw_steps), (std_star, std_steps) = (_best_steps(s, start, steps) for s in (raw, std))
    diag_kappa, diag_alpha, diag_path = diagonal(raw, start)
    return {
        "lr": rounded(setup.lr), "L": rounded(c.L), "mu": rounded(c.mu), "kappa": rounded(c.kappa),
        "two": rounded(c.two_over_L),
        "outcome": predicate(setup.run),
        "mean": rounded(np.mean(data.x_train)), "spread": rounded(np.std(data.x_train)),
        "raw_kappa": rounded(theory.curvature(raw, np.array(start)).kappa),
        "std_kappa": rounded(theory.curvature(std, np.array(start)).kappa),
        "raw_star": rounded(raw_star), "raw_steps": raw_steps, "std_star": rounded(std_star), "std_steps": std_steps,
        "diag_kappa": rounded(diag_kappa), "diag_alpha": rounded(diag_alpha), "diag_steps": _path_steps(diag_path, raw),
        "newton_steps": _path_steps(newton(raw, start), raw), "budget": str(BUDGET),
    }


def task_done(setup: Setup) -> bool:
    steps = settle_steps(setup.run)
    return steps is not None and steps <= BUDGET


def _correlation(surface: engine.Surface) -> float:
    """r = |h₀₁|/√(h₀₀ h₁₁): mean x / √(mean x²) for the regression loss."""
    h = surface.hessian(np.zeros(2))
    return float(abs(h[0, 1]) / np.sqrt(h[0, 0] * h[1, 1]))


def question(setup: Setup) -> Question:
    raw = _surface("regression", setup)
    start = setup.config.start
    kappa, diag_kappa = theory.curvature(raw, np.array(start)).kappa, diagonal(raw, start)[0]
    r = _correlation(raw)
    return Question(
        prompt=f"On the raw data, dividing each coordinate's step by its own curvature (diag H) only takes κ from "
               f"{rounded(kappa)} to {rounded(diag_kappa)}. Why so little?",
        answers=(
            Answer("The valley is tilted: mean x ≠ 0 couples w and b, and a per-coordinate scale cannot undo a "
                   "tilt", True,
                   "H = 2·[[mean x², mean x], [mean x, 1]]. Dividing by its diagonal makes both diagonal entries 1 "
                   f"but keeps the coupling r = mean x/√(mean x²) = {rounded(r)}: κ = (1 + r)/(1 − r) = "
                   f"{rounded((1 + r) / (1 - r))}. Centring x removes the coupling and scaling it evens the diagonal: "
                   "standardised inputs give κ = 1."),
            Answer("The learning rate is too small", False,
                   "κ does not depend on α. Even at the best fixed step for the preconditioned valley the error "
                   "shrinks only by (κ − 1)/(κ + 1) per step."),
            Answer("A diagonal preconditioner only helps together with Newton's method", False,
                   "It is a cheaper stand-in for H, exact when H is diagonal: an axis-aligned valley becomes a "
                   "round bowl (κ = 1). Newton uses all of H, coupling included."),
            Answer("Gradient descent cannot be preconditioned", False,
                   "It can: p ← p − α·P⁻¹∇f is gradient descent in rescaled coordinates. RMSprop and Adam do a "
                   "diagonal version, with P built from the gradients' sizes."),
        ))


def _marks(setup: Setup):
    start = setup.config.start
    _, _, diag_path = diagonal(setup.surface, start)
    return (path_trace(diag_path, "diagonal preconditioner (its best α)", COLORS[3]),
            path_trace(newton(setup.surface, start), "Newton's step (α = 1)", COLORS[2], dash="dash"))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Raw inputs at the best fixed step, standardised inputs, one step at 1/L, then that α on the raw data."""
    raw, std = (engine.surface(slug) for slug in SURFACES)
    start = (float(PRESET["x0"]), float(PRESET["y0"]))
    c_raw, c_std = (theory.curvature(s, np.array(start)) for s in (raw, std))
    star = theory.optimal_step(c_raw.L, c_raw.mu)[0]
    best_raw = scene_query(PRESET, lr=star)
    bowl = scene_query(PRESET, surface="regression_std")
    one_step = scene_query(bowl, lr=c_std.one_over_L)
    raw_big = scene_query(PRESET, lr=c_std.one_over_L)

    def outcome(query) -> str:
        return predicate(scene_runs(query)[0], brief=True)

    return (
        (f"Raw inputs: κ = {rounded(c_raw.kappa)}; GD at its best fixed step {rounded(star)} {outcome(best_raw)}.",
         best_raw),
        (f"Standardised inputs: κ = {rounded(c_std.kappa)}, a round bowl; at α = {PRESET['lr']} GD {outcome(bowl)}.",
         bowl),
        (f"Standardised, α = 1/L = {rounded(c_std.one_over_L)}: {outcome(one_step)}, like Newton's step.", one_step),
        (f"Raw inputs at that α = {rounded(c_std.one_over_L)}, past 2/L = {rounded(c_raw.two_over_L)}: "
         f"{outcome(raw_big)}.", raw_big),
    )


LESSON = Lesson(
    number=14, slug="conditioning", title="Conditioning you can fix",
    goal="Make gradient descent fast by changing the problem instead of the learning rate: standardise the "
         "inputs, precondition, and see Newton's step as the limit.",
    preset=PRESET,
    controls=(Control("surface", "Inputs", options=SURFACES),
              Control("lr", "Learning rate α", options=(0.01, 1.0, ONE_STEP))),
    text=(
        "Lesson 10's model y = w·x + b again. Its loss has the Hessian 2·[ [mean x², mean x], [mean x, 1] ]; the "
        "inputs here have mean {{mean}} and spread {{spread}}, so w and b are coupled and the bowl is a tilted "
        "valley: κ = {{raw_kappa}}. *Standardise* x (subtract its mean, divide by its spread) and the Hessian "
        "becomes 2·I: κ = {{std_kappa}}, a round bowl. The fitted line is the same; only the coordinates change.\n\n"
        "On the map now: L = {{L}}, μ = {{mu}}, κ = {{kappa}}, so α must stay below 2/L = {{two}}. At α = {{lr}} "
        "gradient descent {{outcome}}. At their best fixed steps it needs {{raw_steps}} on the raw inputs "
        "(α* = {{raw_star}}) and {{std_steps}} on the standardised ones (α* = {{std_star}})."
    ),
    after=(
        "**Preconditioning** changes the step instead of the data: p ← p − α·P⁻¹∇f. With P = diag H (each "
        "coordinate divided by its own curvature) the raw valley's κ only drops to {{diag_kappa}}[[, because "
        "the trouble is the coupling of w and b, not their scales]]; at its best fixed step (α = {{diag_alpha}}) "
        "the dotted path on the raw inputs' map needs {{diag_steps}}. With P = H, Newton's step −H⁻¹∇f, a "
        "quadratic's minimum is reached in {{newton_steps}} at α = 1 (dashed): the limit every preconditioner "
        "approaches. Standardising the inputs is the cheap way there for this model."
    ),
    latex=(r"p \leftarrow p - \alpha\,P^{-1}\nabla f(p),\qquad P = \operatorname{diag} H \ \text{(Jacobi)},"
           r"\quad P = H \ \text{(Newton)}",),
    task=Task(prompt="Get plain gradient descent to the minimum in at most {{budget}} steps.",
              done=task_done, success="Gradient descent {{outcome}} at α = {{lr}} (κ = {{kappa}})."),
    question=question, facts=facts, charts=("stability",), marks=_marks, make_scenes=scenes,
    tools=(ToolLink("race"),),
)
