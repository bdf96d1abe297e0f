"""Lesson 9: finding a good learning rate — the LR range test (Smith 2015; fastai's lr_find) and defaults as
starting points."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import sweeps, theory
from ui.config import DISPLAY_NAMES
from ui.url_schema import write_value

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task
from .common import curvature_at_start, default_lr, did, num, scene_query, scene_runs
from .figures import range_test_figure

PRESET = {"surface": "quadratic", "optimizer": "sgd", "lr": write_value(default_lr("sgd")), "steps": "300",
          "x0": "-1.5", "y0": "1"}
SUGGESTION = {"sgd": "minimum", "adam": "steep"}  # which of fastai's suggestions each scene tries
SUGGESTION_NAMES = {"minimum": "minimum/10"}


def _range_test(setup: Setup) -> sweeps.RangeTest:
    opt = setup.config.optimizers[0]
    hyper = {k: v for k, v in opt.kwargs().items() if k != "lr"}
    return sweeps.lr_range_test(setup.surface, opt.name, setup.config.start, **hyper)


def facts(setup: Setup) -> dict[str, str]:
    rt = _range_test(setup)
    c = curvature_at_start(setup)
    tips = {name: (num(v, 2) if v is not None else "—") for name, v in rt.suggestions.items()}
    return {"lr": num(setup.lr), "opt": DISPLAY_NAMES[setup.config.optimizers[0].name],
            "outcome": did(setup.run),
            "valley": tips["valley"], "steep": tips["steep"], "minimum": tips["minimum"],
            "blowup": num(rt.lrs[-1], 2), "two": num(c.two_over_L),
            "sgd_default": num(default_lr("sgd")), "adam_default": num(default_lr("adam")),
            "steps": str(setup.config.steps)}


def task_done(setup: Setup) -> bool:
    return setup.run.status[0] == "converged"


def question(setup: Setup) -> Question:
    return Question(
        prompt="The range test raises the lr every step and records the loss. What should you take from it?",
        answers=(
            Answer("A range: from where the loss starts falling fast to well below where it blows up", True,
                   "That is Smith's reading: pick from the steep part, below the blow-up. Its suggestions are "
                   "starting points that you still check with a real run, as the path on this page does."),
            Answer("The lr at the lowest loss of the test", False,
                   "By then the lr has grown for many steps and the loss is about to blow up; fastai's "
                   "'minimum' suggestion therefore takes a tenth of it."),
            Answer("The exact optimal learning rate", False,
                   "The test is short and its lr changes every step; it brackets a good range, nothing more. "
                   "Compare its suggestions with the runs here."),
            Answer("Nothing: defaults such as 0.001 always work", False,
                   "Defaults are a scale to start from. On this surface the default lr is too slow "
                   "to converge in the steps shown."),
        ))


def _range_figure(setup: Setup):
    return range_test_figure(_range_test(setup), setup.lr)


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """For SGD and for Adam: the library default, then a suggestion of the LR range test on this surface."""
    surface = engine.surface(PRESET["surface"])
    start = (float(PRESET["x0"]), float(PRESET["y0"]))
    two = theory.curvature(surface, np.array(start)).two_over_L
    out = []
    for name, pick in SUGGESTION.items():
        default = scene_query(PRESET, optimizer=name, lr=default_lr(name))
        lr = sweeps.lr_range_test(surface, name, start).suggestions[pick]
        tried = scene_query(PRESET, optimizer=name, lr=lr)
        label = DISPLAY_NAMES[name]
        out.append((f"{label} at its library default α = {num(default_lr(name))}: "
                    f"{scene_runs(default)[0].outcome(0, brief=True)}.", default))
        limit = f" (2/L = {num(two)})" if name == "sgd" else ""
        out.append((f"{label} at the range test's {SUGGESTION_NAMES.get(pick, pick)} suggestion α = {num(lr, 2)}"
                    f"{limit}: the path {did(scene_runs(tried)[0], brief=True)}.", tried))
    return tuple(out)


LESSON = Lesson(
    number=9, slug="find-lr", title="Finding a good learning rate",
    goal="Use the LR range test to bracket a good learning rate, and treat defaults as starting points.",
    preset=PRESET,
    controls=(Control("surface", "Surface", options=("quadratic", "himmelblau", "rosenbrock")),
              Control("optimizer", "Optimizer", options=("sgd", "adam")),
              Control("lr", "Learning rate α", options=(1e-5, 2.0))),
    text=(
        "Library defaults are starting points: torch's SGD starts at {{sgd_default}}, Adam at "
        "{{adam_default}}. On this surface, {{opt}} with α = {{lr}} {{outcome}}."
    ),
    after=(
        "The **LR range test** (Leslie Smith; fastai's `lr_find`) runs a short training in which the lr grows "
        "exponentially every step, and plots the loss against the lr. The loss first barely moves, then "
        "falls fast, then blows up (here around {{blowup}}). fastai's suggestions for this surface: valley "
        "{{valley}}, steep {{steep}}, minimum/10 {{minimum}}. For a constant lr the theory's ceiling is 2/L = "
        "{{two}} at the start; the test blows up later because it uses each lr for one step only. Try the "
        "suggestions with a real run[[: they are a bracket, not an answer]]."
    ),
    task=Task(prompt="Use the range test to choose a learning rate that converges within {{steps}} steps.",
              done=task_done, success="{{opt}} with α = {{lr}} {{outcome}}."),
    question=question, facts=facts, charts=("loss", "stability"), make_scenes=scenes,
    extras=(Extra("LR range test on this surface", _range_figure,
                  "Dotted: fastai's suggestions. Solid: the lr of your run."),),
)
