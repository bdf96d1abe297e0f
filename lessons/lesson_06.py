"""Lesson 6: schedules — every engine schedule's lr(t) beside the path; large steps early, fine steps late."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from engine.schedules import lr_table
from lab.url_schema import write_value

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task
from .common import curvature_at_start, predicate, rounded, run_on, scene_query, scene_runs

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
PRESET = {"surface": "quadratic", "optimizer": "sgd", "lr": write_value(float(f"{OVERSHOOT * 2 / L_PRESET:.3g}")),
          "steps": str(STEPS), "x0": "-1.5", "y0": "1"}
# The scenes after the constant lr: (what the caption calls it, schedule); parameters from SCHEDULES.
SCENE_SCHEDULES = (("×0.5 per 10 steps", "step"), ("Cosine, 300 steps", "cosine"),
                   ("Linear to 0.3× by step 10", "linear"))
# The question's candidates: (answer text, schedule, parameters).
CANDIDATES = (
    ("Linear decay from 1× to 0.3× of the base lr over the first 10 steps", "linear", SCHEDULES["linear"]),
    ("Cosine annealing over all 300 steps", "cosine", SCHEDULES["cosine"]),
    ("A linear warm-up over 20 steps, then the constant base lr", "constant", {"warmup_steps": 20}),
    ("Step decay, halving the lr every 10 steps", "step", SCHEDULES["step"]),
)


def _outcome(setup: Setup, name: str, params: dict) -> engine.Run:
    return run_on(setup.config, "sgd", name, params, lr=setup.lr)


def lrs_run(run: engine.Run) -> np.ndarray:
    """The lrs of the steps the run took, the one it diverged at included (lrs[k] is the lr of step k + 1)."""
    taken = run.last_step(0) + int(run.status[0] == "diverged")
    return run.lrs[: max(taken, 1), 0]


def below_from(lrs: np.ndarray, two: float) -> int | None:
    """The first step from which every lr is below ``two`` (1 when none exceeds it; None when the last one does)."""
    above = np.flatnonzero(lrs > two)
    if not above.size:
        return 1
    return int(above[-1]) + 2 if above[-1] + 1 < lrs.size else None


def valley(surface: engine.Surface, start) -> tuple[float, float, float]:
    """(L, μ, the start's distance from the minimum along the flat eigendirection) of the quadratic valley."""
    eigenvalues, vectors = np.linalg.eigh(surface.hessian(np.zeros(2)))
    offset = np.asarray(start, dtype=float) - surface.minima[0]
    return float(eigenvalues[-1]), float(eigenvalues[0]), float(abs(vectors[:, 0] @ offset))


def _finish(run: engine.Run, mu: float, flat0: float) -> str:
    """Why the run ends as it does, from its lrs: on a quadratic each step multiplies the error along the flat
    eigendirection (curvature μ) by 1 − α_t·μ, so ∏|1 − α_t·μ|·(its start) is what is left of it."""
    facts = run.facts(0)
    if facts.status == "diverged":
        return ("The lr stayed above 2/L until the error along the steep direction was too far out to "
                "come back.")
    left = flat0 * float(np.prod(np.abs(1 - lrs_run(run) * mu)))
    budget = (f"Along the flat direction (μ = {rounded(mu)}) every step multiplies the error by 1 − α·μ; over this "
              f"run's lrs that leaves {rounded(left)} of the start's {rounded(flat0)}")
    if facts.status == "stalled":
        return (f"{budget}, and the path stalls {rounded(facts.distance)} from the minimum: the schedule shrank the lr "
                "to almost nothing before the flat direction was done.")
    return f"{budget}; the path ends {rounded(facts.distance)} from the minimum."


def facts(setup: Setup) -> dict[str, str]:
    c = curvature_at_start(setup)
    L, mu, flat0 = valley(setup.surface, setup.config.start)
    run = setup.run
    lrs = lrs_run(run)
    below = below_from(lrs, c.two_over_L)
    above = int((lrs > c.two_over_L).sum())
    if not above:
        phase = "it stays below 2/L throughout"
    elif below is None:
        phase = f"it is above 2/L in {above} of them, the last one included"
    else:
        phase = f"it is above 2/L in {above} of them and below it from step {below} on"
    growth = abs(1 - setup.lr * L)
    return {"two": rounded(c.two_over_L), "lr": rounded(setup.lr), "times": rounded(setup.lr / c.two_over_L),
            "schedule": engine.SCHEDULES[setup.config.schedule].title, "outcome": predicate(run), "ran": str(lrs.size),
            "first_lr": rounded(lrs[0]), "peak": rounded(lrs.max()), "last_lr": rounded(lrs[-1]), "phase": phase,
            "L": rounded(L), "mu": rounded(mu), "growth": rounded(growth),
            "grows": "above 1: the error grows" if growth > 1 else "below 1: the error shrinks",
            "finish": _finish(run, mu, flat0), "constant": predicate(_outcome(setup, "constant", {}))}


def task_done(setup: Setup) -> bool:
    return setup.config.schedule != "constant" and setup.run.status[0] == "converged"


def _why(run: engine.Run, two: float) -> str:
    """Why a candidate schedule does or does not rescue the path: its status, view events and lrs."""
    status, lrs = str(run.status[0]), lrs_run(run)
    below = below_from(lrs, two)
    if status == "diverged":
        return (f"The lr is above 2/L in {int((lrs > two).sum())} of the {lrs.size} steps it ran, and every "
                "such step multiplies the error along the steep direction by more than 1.")
    if status == "converged" and run.left_view[0] < 0:
        return f"The lr is below 2/L from step {below} on, before the early overshoots have grown past the view."
    if status == "converged":
        return (f"The lr stays above 2/L up to step {below - 1}: long enough for the overshoots to carry "
                "the path out of the view before it comes back and converges.")
    if status == "stalled":
        return (f"The lr is below 2/L from step {below} and the path comes back, but the lr keeps shrinking and "
                "runs out before the path reaches the minimum.")
    return f"The lr is below 2/L from step {below}, but the path has not settled within the steps run."


def question(setup: Setup) -> Question:
    two = curvature_at_start(setup).two_over_L
    answers = []
    for text, name, params in CANDIDATES:
        run = _outcome(setup, name, params)
        good = run.status[0] == "converged" and run.left_view[0] < 0
        answers.append(Answer(text, good, f"The engine: it {predicate(run)}. {_why(run, two)}"))
    constant = _outcome(setup, "constant", {})
    return Question(prompt=f"The base lr is {rounded(setup.lr)}, {rounded(setup.lr / two)}× the limit 2/L: at a "
                           "constant "
                           f"lr the path {predicate(constant, brief=True)}. Which schedule makes it converge without "
                           "ever leaving the view?",
                    answers=tuple(answers))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """The too-large lr at a constant rate, then decays (each eventually below 2/L) that lower it too late and
    in time: where the path leaves the view, when it is back, and how it ends."""
    two = 2 / L_PRESET
    lr = float(PRESET["lr"])
    out = [(f"Base lr {rounded(lr)} = {rounded(lr / two)} × 2/L at a constant rate: the path "
            f"{predicate(scene_runs(PRESET)[0], brief=True)}.", PRESET)]
    for words, name in SCENE_SCHEDULES:
        params = SCHEDULES[name]
        query = scene_query(PRESET, schedule=name, **params)
        run = scene_runs(query)[0]
        below = below_from(lr_table(engine.schedule(name, **params), STEPS, lr), two)
        facts = run.facts(0)
        away = ("" if facts.left < 0 else f" out of view from step {facts.left};" if facts.back < 0
                else f" out of view steps {facts.left}–{facts.back - 1};")
        out.append((f"{words}: lr < 2/L from step {below};{away} {facts.status_words(brief=True)}.", query))
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
        "On this valley each step multiplies the error along the steep direction (curvature L = {{L}}) by "
        "|1 − αL| and along the flat one (μ = {{mu}}) by |1 − αμ|. At the base lr the steep factor is "
        "{{growth}}, {{grows}}. A schedule changes α, and with it both factors, step by step."
    ),
    after=(
        "With **{{schedule}}** the lr starts at {{first_lr}}, peaks at {{peak}} and ends at {{last_lr}} over "
        "the {{ran}} steps run; {{phase}}. [[The path {{outcome}}. Compare the lr curve with the path: the "
        "error grows while the lr is above 2/L and shrinks once it is below. {{finish}}]]"
    ),
    task=Task(prompt="Pick a schedule that makes this same base lr converge.", done=task_done,
              success="With {{schedule}} the path {{outcome}}."),
    question=question, facts=facts, charts=("loss", "lr"), predict=True, make_scenes=scenes,
)
