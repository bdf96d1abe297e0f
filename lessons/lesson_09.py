"""Lesson 9: finding a good learning rate — the LR range test (Smith 2015; fastai's lr_find) and defaults as
starting points."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import sweeps, theory
from lab.config import LR_PARAM, RunConfig
from lab.figures_lessons import range_test_figure
from lab.url_schema import write_value

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task, ToolLink
from .common import curvature_at_start, default_lr, predicate, rounded, run_on, scene_query, scene_runs

PRESET = {"surface": "quadratic", "optimizer": "sgd", "lr": write_value(default_lr("sgd")), "steps": "300",
          "x0": "-1.5", "y0": "1"}
SUGGESTION = {"sgd": "minimum", "adam": "steep"}  # which of fastai's suggestions each scene tries
LAGGING = 2.0  # the smoothed curve lags the raw loss when it reads more than this many times the raw minimum


def _range_test(setup: Setup) -> sweeps.RangeTest:
    opt = setup.config.optimizers[0]
    hyper = {k: v for k, v in opt.kwargs().items() if k != "lr"}
    return sweeps.lr_range_test(setup.surface, opt.name, setup.config.start, **hyper)


def default_result(config: RunConfig, name: str) -> str:
    """What optimizer ``name`` does at its library default lr on ``config``'s surface, from its start for its
    steps: its outcome and the loss from start to end."""
    run = run_on(config, name, lr=default_lr(name))
    start, end = np.asarray(config.start, dtype=float), run.points[run.last_step(0), 0]
    return (f"{predicate(run)}, the loss going from {rounded(run.surface.value(start))} "
            f"to {rounded(float(run.surface.value(end)))}")


def _ceiling(setup: Setup, rt: sweeps.RangeTest) -> str:
    """What 2/L says about this optimizer at this start, and how the test's blow-up compares with it."""
    name, c = setup.config.optimizers[0].name, curvature_at_start(setup)
    if name != "sgd":
        return (f"2/L is plain gradient descent's ceiling; {engine.OPTIMIZERS[name].title} scales each parameter's "
                "step itself, so no fixed 2/L band applies to it.")
    if not np.isfinite(c.two_over_L):
        return ("The start is on a hill here (no positive curvature, L ≤ 0), so 2/L sets no ceiling at the "
                "start: it is the curvature further along the path that limits the lr.")
    text = f"For a constant lr the theory's ceiling is 2/L = {rounded(c.two_over_L)} at the start"
    if not rt.stopped_early:
        return f"{text}."
    if rt.lrs[-1] > c.two_over_L:
        return (f"{text}; the test stops above it, at lr {rounded(rt.lrs[-1], 2)}, because it uses each lr for one "
                "step only.")
    return (f"{text}; the test stops below it, at lr {rounded(rt.lrs[-1], 2)}, where the path has reached steeper "
            "ground.")


def _lag(rt: sweeps.RangeTest) -> str:
    """How far the smoothed curve (the one the suggestions read) lags behind the raw loss."""
    low = int(np.argmin(rt.losses))
    raw, smooth = rt.losses[low], rt.smoothed[low]
    where = (f"The raw loss is lowest, {rounded(raw)}, at lr {rounded(rt.lrs[low], 2)}, where the smoothed curve reads "
             f"{rounded(smooth)}")
    if smooth <= LAGGING * raw:
        return f"{where}: it follows the raw loss."
    return (f"{where}: fastai's average (β = {sweeps.SMOOTHING}) remembers about "
            f"{round(1 / (1 - sweeps.SMOOTHING))} steps, so it lags a fall that takes fewer.")


def facts(setup: Setup) -> dict[str, str]:
    rt = _range_test(setup)
    name = setup.config.optimizers[0].name
    tips = {key: (rounded(v, 2) if v is not None else "—") for key, v in rt.suggestions.items()}
    last, stop = rounded(rt.lrs[-1], 2), sweeps.STOP_FACTOR
    blowup = (f"then climbs until the test stops at lr {last} (its smoothed loss passed {stop}× its lowest)"
              if rt.stopped_early else
              f"and here it never climbs to {stop}× its lowest before the sweep ends at lr {last}")
    return {"lr": rounded(setup.lr), "opt": engine.OPTIMIZERS[name].title, "outcome": predicate(setup.run),
            "valley": tips["valley"], "steep": tips["steep"], "minimum": tips["minimum"],
            "blowup": blowup, "ceiling": _ceiling(setup, rt), "lag": _lag(rt),
            "default": rounded(default_lr(name)),
            "default_result": default_result(setup.config, name),
            "sgd_default": rounded(default_lr("sgd")), "adam_default": rounded(default_lr("adam")),
            "steps": str(setup.config.steps),
            "yours": "" if setup.lr == default_lr(name) else f" With your α = {rounded(setup.lr)} it "
                                                             f"{predicate(setup.run)}."}


def task_done(setup: Setup) -> bool:
    return setup.run.status[0] == "converged"


def _defaults(setup: Setup) -> list[tuple[str, str]]:
    """(optimizer, what its library default does here) for the optimizers the lesson offers."""
    return [(name, default_result(setup.config, name))
            for name in SUGGESTION]


def _lowest_point(setup: Setup) -> str:
    """Why not the lr at the test's lowest loss: where it sits against 2/L and the blow-up, at ``setup``."""
    rt, two = _range_test(setup), curvature_at_start(setup).two_over_L
    low = float(rt.lrs[int(np.argmin(rt.losses))])
    bound = f", {rounded(low / two)}× the 2/L = {rounded(two)} that a constant lr can bear" if np.isfinite(two) else ""
    end = (f"the test stops at {rounded(rt.lrs[-1], 2)} (its smoothed loss passed {sweeps.STOP_FACTOR}× its lowest)"
           if rt.stopped_early else "the lr is still rising")
    return (f"Here the raw loss is lowest at lr {rounded(low, 2)}{bound}, and {end}: the lowest point is where the lr "
            "is already too large to keep. fastai's 'minimum' suggestion therefore takes a tenth of the lr at the "
            "lowest (smoothed) loss.")


def question(setup: Setup) -> Question:
    return Question(
        prompt="The range test raises the lr every step and records the loss. What should you take from it?",
        answers=(
            Answer("A range: from where the loss starts falling fast to well below where it blows up", True,
                   "That is Smith's reading: pick from the steep part, below the blow-up. Its suggestions are "
                   "starting points that you still check with a real run, as the path on this page does."),
            Answer("The lr at the lowest loss of the test", False, _lowest_point(setup)),
            Answer("The exact optimal learning rate", False,
                   "The test is short and its lr changes every step; it brackets a good range, nothing more. "
                   "Compare its suggestions with the runs here."),
            Answer("Nothing: defaults such as 0.001 always work", False,
                   "Defaults are a scale to start from, not a promise. At their defaults, from this page's start: "
                   + "; ".join(f"{engine.OPTIMIZERS[name].title} at {rounded(default_lr(name))} {result}"
                               for name, result in _defaults(setup)) + "."),
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
        label = engine.OPTIMIZERS[name].title
        out.append((f"{label} at its library default α = {rounded(default_lr(name))}: "
                    f"{scene_runs(default)[0].outcome(0, brief=True)}.", default))
        limit = f" (2/L = {rounded(two)})" if name == "sgd" else ""
        out.append((f"{label} at the range test's {sweeps.SUGGESTION_NAMES[pick]} suggestion α = {rounded(lr, 2)}"
                    f"{limit}: the path {predicate(scene_runs(tried)[0], brief=True)}.", tried))
    return tuple(out)


LESSON = Lesson(
    number=9, slug="find-lr", title="Finding a good learning rate",
    goal="Use the LR range test to bracket a good learning rate, and treat defaults as starting points.",
    preset=PRESET,
    controls=(Control("surface", "Surface", options=("quadratic", "himmelblau", "rosenbrock")),
              Control("optimizer", "Optimizer", options=("sgd", "adam")),
              Control("lr", "Learning rate α", options=(LR_PARAM.low, 2.0))),
    text=(
        "Library defaults are starting points, not recommendations: torch's SGD starts at {{sgd_default}}, Adam "
        "at {{adam_default}} (Keras' Adam too). On this surface, at its default α = {{default}}, {{opt}} "
        "{{default_result}}.{{yours}}"
    ),
    after=(
        "The **LR range test** (Leslie Smith; fastai's `lr_find`) runs a short training in which the lr grows "
        "exponentially every step, and plots the loss against the lr. The loss first barely moves, then "
        "falls, {{blowup}}. {{lag}} fastai's suggestions for this surface: valley {{valley}}, steep {{steep}}, "
        "minimum/10 {{minimum}}. {{ceiling}} Try the suggestions with a real run[[: they are a bracket, not "
        "an answer]]."
    ),
    task=Task(prompt="Use the range test to choose a learning rate that converges within {{steps}} steps.",
              done=task_done, success="{{opt}} with α = {{lr}} {{outcome}}."),
    question=question, facts=facts, charts=("loss", "stability"), make_scenes=scenes,
    extras=(Extra("LR range test on this surface", _range_figure,
                  "Dotted: fastai's suggestions. Solid: the lr of your run."),),
    tools=(ToolLink("lr-finder"),),
)
