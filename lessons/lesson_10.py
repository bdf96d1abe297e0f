"""Lesson 10: learning rate and generalisation — a real two-parameter model (engine.regression) whose training
loss is the map, with training and validation curves and the step to stop at."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from engine.regression import N_VAL, make_dataset

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task
from .common import did, num, scene_query, scene_runs
from .figures import fit_figure, point_marker, train_val_figure

LONG = 3000  # steps of the reference run that finds the validation minimum along the path
ROUNDING = 1e-12  # relative: a loss change this small is rounding, not a rise
CLOSE = 0.1  # the task: stop within this share of the gap between the best and the final validation loss
PRESET = {"surface": "regression", "optimizer": "sgd", "lr": "0.1", "steps": "300", "x0": "0", "y0": "0"}
FASTER = 0.3  # a scene's larger lr (below 2/L of this sample's loss)
OTHER_SEED = 3  # a data sample whose validation loss keeps falling along the path


@lru_cache(maxsize=64)
def _long_run(params: tuple, lr: float, start: tuple) -> tuple[engine.Run, np.ndarray, np.ndarray]:
    """A LONG-step run at this lr, with the training and validation loss along its path."""
    s = engine.surface("regression", **dict(params))
    data = make_dataset(**dict(params))
    run = engine.simulate(s, engine.optimizer("sgd", lr=lr), np.array([start]), steps=LONG)
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
        return (f"At α = {num(setup.lr)}, above 2/L = {num(two)}, the path {did(run, brief=True)}: both losses "
                "blow up.")
    falls = bool(np.all(np.diff(train) <= ROUNDING * train[0]))
    training = ("Along the path the training loss only falls." if falls else
                "Along the path the training loss does not fall at every step: the path zigzags across the valley.")
    best, v_best, v_end = _reference(params, setup.lr, start)
    if best == len(val) - 1 or num(v_best) == num(v_end):
        return (f"{training} For this sample at α = {num(setup.lr)} the validation loss is lowest, "
                f"{num(v_best)}, where the path ends: no reason to stop early.")
    end = (f"ends at {num(v_end)} once the path reaches the training optimum (step {int(run.stopped_at[0])})"
           if run.status[0] == "converged" else f"is {num(v_end)} after {LONG} steps, the path still on its way")
    return (f"{training} The validation loss tells you something else: for this sample at α = {num(setup.lr)} it "
            f"is lowest, {num(v_best)}, at step {best}, and {end}.")


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
        "n_train": str(len(data.x_train)), "n_val": str(N_VAL), "lr": num(setup.lr), "steps": str(setup.config.steps),
        "train_opt": f"({num(w_tr[0])}, {num(w_tr[1])})", "val_opt": f"({num(w_val[0])}, {num(w_val[1])})",
        "best": str(best), "v_best": num(v_best), "v_end": num(v_end), "train_now": num(train[-1]),
        "val_now": num(val[-1]), "outcome": did(setup.run), "story": story,
        "now": (f"After {setup.config.steps} steps" if setup.run.status[0] != "diverged" else
                f"At step {setup.run.last_step(0)}, its last before it diverged,"),
    }


def task_done(setup: Setup) -> bool:
    _, val = _curves(setup)
    best, v_best, v_end = _reference(tuple(sorted(setup.surface.params.items())), setup.lr, setup.config.start)
    return setup.run.status[0] != "diverged" and val[-1] <= v_best + CLOSE * (v_end - v_best) + 1e-9


def question(setup: Setup) -> Question:
    return Question(
        prompt="Training loss keeps falling while validation loss has started to rise. What does the held-out "
               "set tell you?",
        answers=(
            Answer("The fit now chases noise in the training points: stop here (or regularise)", True,
                   "The validation points were never used for training, so they measure how well the line "
                   "generalises. Once their loss rises, further steps fit the training sample's quirks. "
                   "Stopping at the lowest validation loss is early stopping."),
            Answer("Train longer: the validation loss will follow the training loss down", False,
                   "Both losses are exact quadratics here; the validation loss is lowest at its own optimum, which "
                   "the path has passed. More steps only move away from it."),
            Answer("The learning rate is too high", False,
                   "A higher lr moves along nearly the same path, just faster: the validation minimum comes "
                   "sooner but is not lower. The problem is where the path ends, not how fast it gets there."),
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
    """Train past the validation minimum, stop there, get there faster, and a sample that does not overfit."""
    train, val = _losses(PRESET)
    best = int(np.argmin(val))
    stop = scene_query(PRESET, steps=best)
    faster = scene_query(PRESET, lr=FASTER)
    fast_best = int(np.argmin(_losses(faster)[1]))
    other = scene_query(PRESET, surface_seed=OTHER_SEED)  # "seed" alone is the gradient noise's
    other_val = _losses(other)[1]
    return (
        (f"{PRESET['steps']} steps at α = {num(float(PRESET['lr']))}: validation loss was lowest ({num(val[best])}) at "
         f"step {best}; it ends at {num(val[-1])}.", PRESET),
        (f"Stop at step {best}: validation loss {num(_losses(stop)[1][-1])}, the lowest along the path — early "
         "stopping.", stop),
        (f"α = {num(FASTER)}: the same path, faster; the lowest validation loss now comes at step {fast_best}.",
         faster),
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
