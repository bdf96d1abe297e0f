"""Lesson 10: learning rate and generalisation — a real two-parameter model (engine.regression) whose training
loss is the map, with training and validation curves and the step to stop at."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from engine.regression import N_VAL, make_dataset
from lab.figures_lessons import fit_figure, point_marker, train_val_figure
from lab.runs import make_config, run_of

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task
from .common import predicate, rounded, scene_query, scene_runs

LONG = 3000  # steps of the reference run that finds the validation minimum along the path
ROUNDING = 1e-12  # relative: a loss change this small is rounding, not a rise
CLOSE = 0.1  # the task: stop within this share of the gap between the best and the final validation loss
PRESET = {"surface": "regression", "optimizer": "sgd", "lr": "0.1", "steps": "300", "x0": "0", "y0": "0"}
CLOSE_TO = 0.9  # the larger lrs compared with: this share of 1/L and of 2/L (``faster_lrs``)
OTHER_SEED = 3  # a data sample whose validation loss keeps falling along the path


@lru_cache(maxsize=64)
def _long_run(params: tuple, lr: float, start: tuple) -> tuple[engine.Run, np.ndarray, np.ndarray]:
    """A LONG-step run at this lr, with the training and validation loss along its path."""
    data = make_dataset(**dict(params))
    run = run_of(make_config("regression", "sgd", start, LONG, surface_params=dict(params), lr=lr))
    path = run.points[: run.last_step(0) + 1, 0]
    return run, data.loss("train", path), data.loss("val", path)


def _reference(params: tuple, lr: float, start: tuple) -> tuple[int, float, float]:
    """Along a LONG-step run at this lr: (step of the lowest validation loss, that loss, the final one)."""
    val = _long_run(params, lr, start)[2]
    best = int(np.argmin(val))
    return best, float(val[best]), float(val[-1])


def path_gap(path: np.ndarray, other: np.ndarray) -> float:
    """How far ``other`` strays from ``path``: the largest distance from a point of ``other`` to the nearest
    point of ``path`` (0 when every point of ``other`` lies on ``path``)."""
    return float(np.sqrt(((other[:, None, :] - path[None, :, :]) ** 2).sum(axis=-1).min(axis=1).max()))


def _story(setup: Setup) -> str:
    """What the training and validation loss do along the path at this lr (from the LONG reference run)."""
    params, start = tuple(sorted(setup.surface.params.items())), setup.config.start
    run, train, val = _long_run(params, setup.lr, start)
    two = theory.curvature(setup.surface, np.array(start)).two_over_L
    if run.status[0] == "diverged":
        return (f"At α = {rounded(setup.lr)}, above 2/L = {rounded(two)}, the path {predicate(run, brief=True)}: both "
                "losses "
                "blow up.")
    falls = bool(np.all(np.diff(train) <= ROUNDING * train[0]))
    training = ("Along the path the training loss only falls." if falls else
                "Along the path the training loss does not fall at every step: the path zigzags across the valley.")
    best, v_best, v_end = _reference(params, setup.lr, start)
    if best == len(val) - 1 or rounded(v_best) == rounded(v_end):
        return (f"{training} For this sample at α = {rounded(setup.lr)} the validation loss is lowest, "
                f"{rounded(v_best)}, where the path ends: no reason to stop early.")
    end = (f"ends at {rounded(v_end)} once the path reaches the training optimum (step {int(run.stopped_at[0])})"
           if run.status[0] == "converged" else f"is {rounded(v_end)} after {LONG} steps, the path still on its way")
    return (f"{training} The validation loss tells you something else: for this sample at α = {rounded(setup.lr)} it "
            f"is lowest, {rounded(v_best)}, at step {best}, and {end}.")


def _curves(setup: Setup) -> tuple[np.ndarray, np.ndarray]:
    data = make_dataset(**setup.surface.params)
    path = setup.run.points[: setup.run.last_step(0) + 1, 0]
    return data.loss("train", path), data.loss("val", path)


def facts(setup: Setup) -> dict[str, str]:
    data = make_dataset(**setup.surface.params)
    train, val = _curves(setup)
    best, v_best, v_end = _reference(tuple(sorted(setup.surface.params.items())), setup.lr, setup.config.start)
    w_tr, w_val = data.optimum("train"), data.optimum("val")
    story = _story(setup)
    return {
        "n_train": str(len(data.x_train)), "n_val": str(N_VAL), "lr": rounded(setup.lr),
        "steps": str(setup.config.steps),
        "train_opt": f"({rounded(w_tr[0])}, {rounded(w_tr[1])})", "val_opt": f"({rounded(w_val[0])}, "
                                                                             f"{rounded(w_val[1])})",
        "best": str(best), "v_best": rounded(v_best), "v_end": rounded(v_end), "train_now": rounded(train[-1]),
        "val_now": rounded(val[-1]), "outcome": predicate(setup.run), "story": story,
        "now": (f"After {setup.config.steps} steps" if setup.run.status[0] != "diverged" else
                f"At step {setup.run.last_step(0)}, its last before it diverged,"),
    }


def task_done(setup: Setup) -> bool:
    _, val = _curves(setup)
    best, v_best, v_end = _reference(tuple(sorted(setup.surface.params.items())), setup.lr, setup.config.start)
    return setup.run.status[0] != "diverged" and val[-1] <= v_best + CLOSE * (v_end - v_best) + 1e-9


def faster_lrs(surface: engine.Surface, start) -> tuple[float, float]:
    """Two larger lrs to compare with: one below 1/L (the path barely changes) and one just below 2/L (it
    zigzags across the valley), each CLOSE_TO (90 %) of its bound, to one significant digit."""
    c = theory.curvature(surface, np.array(start))
    return float(f"{CLOSE_TO * c.one_over_L:.1g}"), float(f"{CLOSE_TO * c.two_over_L:.1g}")


def _higher_lr(setup: Setup) -> str:
    """Why "the lr is too high" is not what a rising validation loss says: runs at larger lrs, compared."""
    params, start = tuple(sorted(setup.surface.params.items())), setup.config.start
    c = theory.curvature(setup.surface, np.array(start))
    base = _long_run(params, setup.lr, start)[0]
    path = base.points[: base.last_step(0) + 1, 0]

    def along(lr: float) -> str:
        run = _long_run(params, lr, start)[0]
        best, v_best, v_end = _reference(params, lr, start)
        gap = path_gap(path, run.points[: run.last_step(0) + 1, 0])
        return (f"at α = {rounded(lr)} the path strays at most {rounded(gap)} from the α = {rounded(setup.lr)} one, "
                "with the "
                f"lowest validation loss {rounded(v_best)} at step {best} (ending at {rounded(v_end)})")

    calm, zigzag = faster_lrs(setup.surface, start)
    best, v_best, v_end = _reference(params, setup.lr, start)
    return (f"At α = {rounded(setup.lr)} the lowest validation loss is {rounded(v_best)} at step {best}. Below "
            f"1/L = {rounded(c.one_over_L)} a higher lr follows nearly the same path, faster: {along(calm)}. Near "
            f"2/L = {rounded(c.two_over_L)} the path zigzags across the valley instead: {along(zigzag)}. Above 2/L "
            "it diverges. Either way the rise comes from where the path heads (the training optimum), not "
            "from the step size.")


def question(setup: Setup) -> Question:
    best, v_best, v_end = _reference(tuple(sorted(setup.surface.params.items())), setup.lr, setup.config.start)
    return Question(
        prompt="Training loss keeps falling while validation loss has started to rise. What does the held-out "
               "set tell you?",
        answers=(
            Answer("The fit now chases noise in the training points: stop here (or regularise)", True,
                   "The validation points were never used for training, so they measure how well the line "
                   "generalises. Once their loss rises, further steps fit the training sample's quirks. "
                   "Stopping at the lowest validation loss is early stopping."),
            Answer("Train longer: the validation loss will follow the training loss down", False,
                   f"Both losses are exact quadratics here, and the path heads for the training optimum. It came "
                   f"closest to the best line for the validation data at step {best} (validation loss "
                   f"{rounded(v_best)}); at the training optimum the validation loss is {rounded(v_end)}."),
            Answer("The learning rate is too high", False, _higher_lr(setup)),
            Answer("The validation set is broken", False,
                   f"It is {N_VAL} points from the same line and noise as the training points. It is the "
                   "training sample that is small and unrepresentative."),
        ))


def _fit(setup: Setup):
    return fit_figure(make_dataset(**setup.surface.params), setup.run.points[setup.run.last_step(0), 0])


def _marks(setup: Setup):
    return (point_marker(make_dataset(**setup.surface.params).optimum("val"), "best line on validation data"),)


def _train_val(setup: Setup):
    train, val = _curves(setup)
    return train_val_figure(train, val, int(np.argmin(val)))


def _losses(query) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation loss along a query's path."""
    run = scene_runs(query)[0]
    data = make_dataset(**run.surface.params)
    path = run.points[: run.last_step(0) + 1, 0]
    return data.loss("train", path), data.loss("val", path)


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Train past the validation minimum, stop there, get there faster below 1/L, zigzag near 2/L, and a sample
    that does not overfit."""
    train, val = _losses(PRESET)
    best = int(np.argmin(val))
    stop = scene_query(PRESET, steps=best)
    surface = scene_runs(PRESET)[0].surface
    start = (float(PRESET["x0"]), float(PRESET["y0"]))
    c = theory.curvature(surface, np.array(start))
    base = scene_runs(PRESET)[0]
    calm, zigzag = (scene_query(PRESET, lr=lr) for lr in faster_lrs(surface, start))

    def gap(query) -> str:
        run = scene_runs(query)[0]
        return rounded(path_gap(base.points[: base.last_step(0) + 1, 0], run.points[: run.last_step(0) + 1, 0]), 2)

    other = scene_query(PRESET, surface_seed=OTHER_SEED)  # "seed" alone is the gradient noise's
    other_val = _losses(other)[1]
    return (
        (f"{PRESET['steps']} steps at α = {rounded(float(PRESET['lr']))}: validation loss was lowest "
         f"({rounded(val[best])}) at "
         f"step {best}; it ends at {rounded(val[-1])}.", PRESET),
        (f"Stop at step {best}: validation loss {rounded(_losses(stop)[1][-1])}, the lowest along the path — early "
         "stopping.", stop),
        (f"α = {calm['lr']} < 1/L = {rounded(c.one_over_L)}: within {gap(calm)} of that path, faster; lowest "
         "validation "
         f"loss at step {int(np.argmin(_losses(calm)[1]))}.", calm),
        (f"α = {zigzag['lr']}, near 2/L = {rounded(c.two_over_L)}: it zigzags, up to {gap(zigzag)} off that path; "
         "lowest "
         f"validation loss {rounded(_losses(zigzag)[1].min())}.", zigzag),
        (f"Another sample (seed {OTHER_SEED}): validation loss is lowest at step {int(np.argmin(other_val))} of "
         f"{len(other_val) - 1}, so no reason to stop early.", other),
    )


LESSON = Lesson(
    number=10, slug="generalisation", title="Learning rate and generalisation",
    goal="Train a real two-parameter model, watch its training and validation loss, and find when to stop.",
    preset=PRESET,
    controls=(Control("lr", "Learning rate α", options=(0.005, 1.0)),
              Control("steps", "Training steps", options=(5, 10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500)),
              Control("surface_param", "Data sample (seed)", name="seed", options=(6, 1, 9, 3))),
    text=(
        "The map is now a real model's loss. A line y = w·x + b is fitted to {{n_train}} noisy points by "
        "gradient descent on the mean squared error; the map's axes are the slope w and the intercept b. Its "
        "minimum is the least-squares line of the training points, {{train_opt}}. A separate validation set "
        "of {{n_val}} points, never used for training, has its best line at {{val_opt}} (the green diamond)."
    ),
    after=(
        "{{story}} {{now}} your model has training loss {{train_now}} and validation loss "
        "{{val_now}}. Another data sample (seed) may not overfit at all."
    ),
    latex=(r"L_{\text{train}}(w, b) = \frac{1}{n}\sum_{i=1}^{n} (w\,x_i + b - y_i)^2",),
    task=Task(prompt="Stop at the right time: set the training steps (and α) so that training ends near the "
                     "lowest validation loss.",
              done=task_done, success="Stopped with validation loss {{val_now}} (best along the path: "
                                       "{{v_best}} at step {{best}})."),
    question=question, facts=facts, charts=(), marks=_marks, make_scenes=scenes,
    extras=(Extra("Training and validation loss", _train_val),
            Extra("The data and the model at your last step", _fit)),
)
