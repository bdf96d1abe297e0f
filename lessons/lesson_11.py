"""Lesson 11: batch size and gradient noise — real mini-batches of the regression data (engine.minibatch), the
noise ball against α and B, the linear scaling rule (Goyal et al. 2017) and where it breaks (2/λmax).

Theory (REFERENCE.md): near the minimum w*, along a Hessian eigendirection eᵢ (curvature λᵢ), SGD is
eᵢ ← (1 − αλᵢ)eᵢ − αξᵢ with batch noise ξᵢ of variance sᵢ² = eᵢᵀCeᵢ/B · (n − B)/(n − 1) (C: the covariance of
the n per-example gradients at w*), so Varᵢ = α sᵢ²/(λᵢ(2 − αλᵢ)) and the ball's RMS radius is √(Σᵢ Varᵢ).
The noise is measured at w* only (it grows away from it), so the theory is a little low, most near 2/λmax.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine.regression import make_dataset
from lab.figures_lesson_stability import noise_ball_figure
from lab.runs import ensemble, make_config

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task, ToolLink
from .common import predicate, rounded, scene_query, scene_runs
from .outcome_words import note

N_TRAIN = 100
PRESET = {"surface": "regression", "n_train": str(N_TRAIN), "optimizer": "sgd", "lr": "0.05", "batch": "1",
          "steps": "300", "x0": "0", "y0": "0"}
BATCHES = (1, 2, 4, 8, 16, 32, 0)  # 0: all of them (the full batch)
ENSEMBLE, BURN, TAIL = 24, 150, 250  # the ball: runs from the minimum, measured over steps BURN+1 … BURN+TAIL
CLOSE = 0.15  # the task: a ball within this share of the preset's, with a batch at least SCALE times larger
SCALE = 4


def _data(params: tuple) -> tuple[engine.Surface, np.ndarray, np.ndarray, np.ndarray]:
    """The surface, its eigenvalues λ (ascending), eigenvectors, and the per-example gradient covariance at w*."""
    s = engine.surface("regression", **dict(params))
    data = make_dataset(**dict(params))
    w = s.minima[0]
    lam, vec = np.linalg.eigh(s.hessian(w))
    residual = w[0] * data.x_train + w[1] - data.y_train
    per_example = 2 * np.stack([residual * data.x_train, residual], axis=1)
    return s, lam, vec, np.cov(per_example.T, bias=True)


@lru_cache(maxsize=16)
def _theory_parts(params: tuple) -> tuple[np.ndarray, np.ndarray, int]:
    _, lam, vec, cov = _data(params)
    return lam, np.einsum("ik,ij,jk->k", vec, cov, vec), dict(params)["n_train"]


def theory_radius(params: tuple, lr: float, batch: int) -> float:
    """The ball's RMS radius from the module docstring's formula (inf at α ≥ 2/λmax; 0 for the full batch)."""
    lam, spread, n = _theory_parts(params)
    if batch == 0 or batch >= n:
        return 0.0
    if lr * lam[-1] >= 2:
        return float("inf")
    noise = spread * (n - batch) / (batch * (n - 1))
    return float(np.sqrt(np.sum(lr * noise / (lam * (2 - lr * lam)))))


def _ball_run(params: tuple, lr: float, batch: int, seed: int) -> engine.Run:
    """ENSEMBLE runs of SGD with mini-batches of ``batch`` started at w*, for BURN + TAIL steps (``lab.runs``:
    one batched call, cached)."""
    minimum = tuple(engine.surface("regression", **dict(params)).minima[0])
    config = make_config("regression", "sgd", minimum, BURN + TAIL, surface_params=dict(params), batch=batch,
                         seed=seed, lr=lr)
    return ensemble(config, (minimum,) * ENSEMBLE, to_the_end=True)


def measured_radius(params: tuple, lr: float, batch: int, seed: int = 0) -> float:
    """RMS distance from w* of ENSEMBLE runs started at w*, over their steps BURN+1 … BURN+TAIL (inf when a run
    leaves for good).  The runs are noted (``lessons.outcome_words.note``): the text speaks about them."""
    run = note(_ball_run(params, lr, batch, seed))
    if (run.status == "diverged").any():
        return float("inf")
    w = run.surface.minima[0]
    return float(np.sqrt(np.mean(np.sum((run.points[BURN + 1:] - w) ** 2, axis=-1))))


def _params(setup: Setup) -> tuple:
    return tuple(sorted(setup.surface.params.items()))


def _preset_radius() -> float:
    return measured_radius(tuple(sorted({"n_train": N_TRAIN, "noise": 0.6, "seed": 6}.items())),
                           float(PRESET["lr"]), int(PRESET["batch"]))


def _batch_words(batch: int, n: int) -> str:
    return f"all {n} (the full batch: the exact gradient)" if batch == 0 else str(batch)


def _ball(radius: float, theory: float, batch: int) -> str:
    if batch == 0:
        return "zero: with the full batch there is no noise, and runs started at the minimum stay there"
    if not np.isfinite(radius):
        return "none: runs started at the minimum leave it for good (α is past 2/λmax)"
    return f"**{rounded(radius)}** (RMS distance from the minimum; theory {rounded(theory)})"


def facts(setup: Setup) -> dict[str, str]:
    params, lr, batch = _params(setup), setup.lr, setup.config.batch
    lam, _, n = _theory_parts(params)
    radius, theory = measured_radius(params, lr, batch, setup.config.seed), theory_radius(params, lr, batch)
    scaled_lr, scaled_b = SCALE * lr, SCALE * max(batch, 1)
    scaled_radius = measured_radius(params, scaled_lr, scaled_b, setup.config.seed) if 0 < scaled_b < n else 0.0
    if batch == 0 or scaled_b >= n:
        scaled = f"B × {SCALE} would be all {n} examples or more: no noise left to keep"
    elif not np.isfinite(scaled_radius):
        scaled = (f"α × {SCALE} = {rounded(scaled_lr)} with B × {SCALE} = {scaled_b} is past 2/λmax: the runs diverge, "
                  "the rule breaks")
    else:
        scaled = (f"α × {SCALE} = {rounded(scaled_lr)} with B × {SCALE} = {scaled_b} gives a ball of "
                  f"{rounded(scaled_radius)} (measured), against {rounded(radius)} now")
    return {"n": str(n), "lr": rounded(lr), "batch": _batch_words(batch, n), "mu": rounded(lam[0]),
            "L": rounded(lam[-1]),
            "two": rounded(2 / lam[-1]), "ensemble": str(ENSEMBLE), "first": str(BURN + 1), "last": str(BURN + TAIL),
            "ball": _ball(radius, theory, batch), "radius": rounded(radius), "outcome": predicate(setup.run),
            "scaled": scaled,
            "scale": str(SCALE), "goal": rounded(_preset_radius()), "close": f"{CLOSE:.0%}",
            "min_batch": str(SCALE * int(PRESET["batch"]))}


def task_done(setup: Setup) -> bool:
    batch = setup.config.batch
    if batch == 0 or batch < SCALE * int(PRESET["batch"]):
        return False
    radius = measured_radius(_params(setup), setup.lr, batch, setup.config.seed)
    return abs(radius / _preset_radius() - 1) <= CLOSE


def question(setup: Setup) -> Question:
    params, lr, batch = _params(setup), setup.lr, max(setup.config.batch, 1)
    base = theory_radius(params, lr, batch)
    same, root, linear = (theory_radius(params, a, SCALE * batch) for a in (lr, 2 * lr, SCALE * lr))
    return Question(
        prompt=f"At α = {rounded(lr)} with batches of {batch}, you make the batches {SCALE} times larger. Which α "
               "keeps "
               "the noise ball about the same size?",
        answers=(
            Answer(f"α × {SCALE} = {rounded(SCALE * lr)}", True,
                   f"The ball's variance goes with α/B: theory gives radius {rounded(linear)} against {rounded(base)} "
                   "now. "
                   f"This is the linear scaling rule; it holds while α stays well below 2/λmax."),
            Answer(f"The same α = {rounded(lr)}", False,
                   f"Larger batches average away noise: the ball shrinks to {rounded(same)} (theory), about 1/√{SCALE} "
                   "of its size."),
            Answer(f"α × 2 = {rounded(2 * lr)} (the square root of {SCALE})", False,
                   f"α × √k keeps the noise of a single step, α·σ/√B, the same; but the ball builds up over many "
                   f"steps and its variance goes with α/B: the radius becomes {rounded(root)} (theory), not "
                   f"{rounded(base)}."),
            Answer("Any α: near the minimum the batch size does not matter", False,
                   f"The batch size sets the gradient noise (variance ∝ 1/B), and the noise sets the ball: "
                   f"{rounded(base)} now, {rounded(same)} with the larger batch at the same α."),
        ))


def _figure(setup: Setup):
    params = _params(setup)
    lam, _, n = _theory_parts(params)
    lrs = np.geomspace(0.01, 2 / lam[-1] * 0.995, 80)
    shown = tuple(b for b in BATCHES if b)
    measured = [(float(PRESET["lr"]), int(PRESET["batch"]), _preset_radius(), "the preset (measured)")]
    batch = setup.config.batch
    radius = measured_radius(params, setup.lr, batch, setup.config.seed)
    if batch and np.isfinite(radius) and radius > 0:
        measured.append((setup.lr, batch, radius, f"yours, B = {batch} (measured)"))
    return noise_ball_figure(lambda a, b: theory_radius(params, a, b), lrs, shown, 2 / lam[-1], measured)


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """The full batch converges; B = 1 leaves a ball; α and B both × 4 keep it; α past 2/λmax diverges at any B."""
    params = tuple(sorted({"n_train": N_TRAIN, "noise": 0.6, "seed": 6}.items()))
    lam, _, n = _theory_parts(params)
    lr = float(PRESET["lr"])
    full, one, four = (scene_query(PRESET, batch=b, lr=a) for a, b in ((lr, 0), (lr, 1), (SCALE * lr, SCALE)))
    far_lr = float(f"{2.2 / lam[-1]:.2g}")
    far = scene_query(PRESET, batch=16, lr=far_lr)
    ball_one, ball_four = (measured_radius(params, a, b) for a, b in ((lr, 1), (SCALE * lr, SCALE)))
    return (
        (f"Full batch (all {n} points): exact gradients; the path {predicate(scene_runs(full)[0], brief=True)}.", full),
        (f"Batches of 1 at α = {rounded(lr)}: a noise ball of radius {rounded(ball_one)} "
         f"(theory {rounded(theory_radius(params, lr, 1))}).", one),
        (f"α and B both × {SCALE} (α = {rounded(SCALE * lr)}, B = {SCALE}): radius {rounded(ball_four)}, "
         "the same ball.",
         four),
        (f"B = 16, α = {rounded(far_lr)} > 2/λmax = {rounded(2 / lam[-1])}: it "
         f"{predicate(scene_runs(far)[0], brief=True)}, "
         "at any batch size.", far),
    )


LESSON = Lesson(
    number=11, slug="batch-size", title="Batch size and gradient noise",
    goal="Train on random mini-batches of real data, measure the noise ball they leave, and see how the "
         "learning rate and the batch size trade off — and where that stops.",
    preset=PRESET,
    controls=(Control("lr", "Learning rate α", options=(0.01, 0.6)),
              Control("batch", "Batch size B (examples per step)", options=BATCHES)),
    text=(
        "The map is lesson 10's model, fitted to {{n}} training points. The full gradient is the mean over all "
        "of them; a **mini-batch** gradient is the mean over B of them, drawn at random every step: right on "
        "average, off by a random amount each time. Here B = {{batch}}, α = {{lr}}, and the path {{outcome}}.\n\n"
        "Near the minimum that noise keeps the path moving: it jitters in a **noise ball**. Measured over "
        "{{ensemble}} runs started at the minimum (steps {{first}}–{{last}}), its radius is {{ball}}. Its variance "
        "goes with α/B: larger batches average the noise away, larger steps add more of it. That is the **linear "
        "scaling rule** (Goyal et al. 2017): grow B by k, grow α by k. Here {{scaled}}.\n\n"
        "It breaks where the steps themselves fail: the curvatures are λ = {{mu}} and {{L}}, and α above "
        "2/λmax = {{two}} diverges whatever the batch size."
    ),
    latex=(r"\operatorname{Var}_i = \frac{\alpha\, s_i^2}{\lambda_i\,(2 - \alpha\lambda_i)},\qquad "
           r"s_i^2 = \frac{e_i^\top C\, e_i}{B}\cdot\frac{n - B}{n - 1}",),
    task=Task(prompt="Use batches of {{min_batch}} or more and find the α that keeps the noise ball within "
                     "{{close}} of the preset's radius {{goal}}.",
              done=task_done, success="B = {{batch}} at α = {{lr}}: radius {{radius}}, the preset's ball kept."),
    question=question, facts=facts, charts=("loss",), make_scenes=scenes,
    extras=(Extra("The noise ball's radius against α, one line per batch size", _figure,
                  caption="Lines: theory (per direction, with the batch noise measured at the minimum). Diamonds: "
                          "measured over {{ensemble}} runs. The dotted line is 2/λmax = {{two}}."),),
    tools=(ToolLink("lr-finder"),),
)
