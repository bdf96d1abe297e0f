"""Lesson 6: schedules — every engine schedule's lr(t) beside the path; large steps early, fine steps late."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from engine.schedules import lr_table
from ui.url_schema import write_value

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task
from .common import curvature_at_start, did, num, scene_query, scene_runs

STEPS = 300
OVERSHOOT = 1.2  # the preset's base lr is this many times 2/L: too large to converge at a constant lr
L_PRESET = float(theory.curvature(engine.surface("quadratic"), np.zeros(2)).L)

# Each schedule with parameters sized to a 300-step run (torch names; omitted ones keep torch's defaults).
SCHEDULES = {
    "constant": {},
    "step": {"step_size": 10, "gamma": 0.5},
    "multistep": {"milestones": (5, 100), "gamma": 0.5},
    "exponential": {"gamma": 0.97},
    "cosine": {"T_max": STEPS},
    "cosine_restarts": {"T_0": 50},
    "cyclic": {"base_lr": 0.01, "max_lr": 0.24, "step_size_up": 20},
    "onecycle": {"max_lr": 0.24, "total_steps": STEPS},
    "linear": {"start_factor": 1.0, "end_factor": 0.3, "total_iters": 10},
    "polynomial": {"total_iters": STEPS, "power": 1.0},
    "plateau": {"factor": 0.5, "patience": 3},
}
NAMES = {"constant": "Constant", "step": "Step decay", "multistep": "Multi-step decay", "exponential": "Exponential",
         "cosine": "Cosine annealing", "cosine_restarts": "Cosine with warm restarts", "cyclic": "Cyclical (CLR)",
         "onecycle": "1cycle", "linear": "Linear", "polynomial": "Polynomial", "plateau": "Reduce on plateau"}
PRESET = {"surface": "quadratic", "optimizer": "sgd", "lr": write_value(float(f"{OVERSHOOT * 2 / L_PRESET:.3g}")),
          "steps": str(STEPS), "x0": "-1.5", "y0": "1"}
# The scenes after the constant lr: (what the caption calls it, schedule); parameters from SCHEDULES.
SCENE_SCHEDULES = (("Step decay, ×0.5 every 10 steps", "step"), ("Cosine annealing over 300 steps", "cosine"),
                   ("Linear decay to 0.3× over 10 steps", "linear"))
# The question's candidates: (answer text, schedule, parameters).
CANDIDATES = (
    ("Linear decay from 1× to 0.3× of the base lr over the first 10 steps", "linear", SCHEDULES["linear"]),
    ("Cosine annealing over all 300 steps", "cosine", SCHEDULES["cosine"]),
    ("A linear warm-up over 20 steps, then the constant base lr", "constant", {"warmup_steps": 20}),
    ("Step decay, halving the lr every 10 steps", "step", SCHEDULES["step"]),
)


def _outcome(setup: Setup, name: str, params: dict) -> engine.Run:
    cfg = setup.config
    return engine.simulate(setup.surface, engine.optimizer("sgd", lr=cfg.optimizers[0].lr), np.array([cfg.start]),
                           steps=cfg.steps, schedule=engine.schedule(name, **params))


def facts(setup: Setup) -> dict[str, str]:
    c = curvature_at_start(setup)
    run = setup.run
    return {"two": num(c.two_over_L), "lr": num(setup.lr), "times": num(setup.lr / c.two_over_L),
            "schedule": NAMES[setup.config.schedule], "outcome": did(run),
            "last_lr": num(run.lrs[max(run.last_step(0) - 1, 0), 0]),
            "constant": did(_outcome(setup, "constant", {}))}


def task_done(setup: Setup) -> bool:
    return setup.config.schedule != "constant" and setup.run.status[0] == "converged"


def _why(run: engine.Run) -> str:
    """Why a candidate schedule does or does not rescue the path, chosen by the engine's status and view events."""
    status = str(run.status[0])
    if status == "converged" and run.left_view[0] < 0:
        return "The lr drops below 2/L within a few steps, before the early overshoots have grown far."
    if status == "converged":
        return ("It does converge in the end, but the lr stayed above 2/L long enough for the overshoots to carry "
                "the path out of the view first.")
    if status == "stalled":
        return ("The lr falls below 2/L and the path comes back, but the lr keeps shrinking and runs out before "
                "the path reaches the minimum.")
    return ("The lr stays above 2/L for too long (or comes back to it), and every step there multiplies the error "
            "by more than 1.")


def question(setup: Setup) -> Question:
    answers = []
    for text, name, params in CANDIDATES:
        run = _outcome(setup, name, params)
        good = run.status[0] == "converged" and run.left_view[0] < 0
        answers.append(Answer(text, good, f"The engine: it {did(run)}. {_why(run)}"))
    return Question(prompt=f"The base lr is {num(setup.lr)}, {num(OVERSHOOT)}× the limit 2/L: at a constant lr "
                           "the path diverges. Which schedule makes it converge without ever leaving the view?",
                    answers=tuple(answers))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """The too-large lr at a constant rate, then decays (each eventually below 2/L) that lower it too late and
    in time."""
    two = 2 / L_PRESET
    lr = float(PRESET["lr"])
    out = [(f"Base lr {num(lr)} = {num(lr / two)} × 2/L at a constant rate: the path "
            f"{did(scene_runs(PRESET)[0], brief=True)}.", PRESET)]
    for words, name in SCENE_SCHEDULES:
        params = SCHEDULES[name]
        query = scene_query(PRESET, schedule=name, **params)
        lrs = lr_table(engine.schedule(name, **params), STEPS, lr)
        below = int(np.flatnonzero(lrs >= two)[-1]) + 1  # from this step on the lr stays below 2/L
        out.append((f"{words}: lr < 2/L from step {below} on; it {did(scene_runs(query)[0], brief=True)}.", query))
    return tuple(out)


LESSON = Lesson(
    number=6, slug="schedules", title="Schedules",
    goal="Watch the learning rate change during the run, and see which schedules turn a too-large lr into "
         "a converging one.",
    preset=PRESET,
    controls=(Control("schedule", "Schedule", options=tuple(SCHEDULES), schedules=SCHEDULES),
              Control("lr", "Base learning rate", options=(0.01, 0.5))),
    text=(
        "A schedule changes the learning rate as training goes on: big steps early to cover ground, small "
        "steps late to settle. PyTorch's schedulers scale the optimizer's base lr step by step (cyclical and "
        "1cycle set it themselves). The base lr here is {{lr}}, {{times}}× the stability limit 2/L = {{two}}: "
        "at a constant lr the path {{constant}}.\n\n"
        "With **{{schedule}}** the path {{outcome}}; the last lr used was {{last_lr}}. Compare the lr curve "
        "(right) with the path: the path calms down exactly when the lr falls below 2/L."
    ),
    task=Task(prompt="Pick a schedule that makes this same base lr converge.", done=task_done,
              success="{{schedule}} converged: the path {{outcome}}."),
    question=question, facts=facts, charts=("loss", "lr"), predict=True, make_scenes=scenes,
)
