"""Lesson 13: inside Adam — bias correction and the first step, ε, RMSprop's uncorrected start, rotation
dependence, and AdamW's decoupled weight decay against L2 in Adam (REFERENCE.md, "Inside the adaptive methods").

The valley is the quadratic with curvatures 50 and 1 at 0° or 45°.  The start (−1.5, −1.5(√2 − 1)) has the
same components along the two axes of the valley at both angles, up to a sign ((−1.5, −0.621) at 0°,
(−1.5, 0.621) at 45°), so gradient descent's path is the same path turned and mirrored: the same number of
steps.  Whatever changes between the angles is the adaptive method's doing.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from lab.figures_lessons import paths_figure, step_size_figure
from lab.runs import make_config, run_of

from .base import Answer, Control, Extra, Lesson, Question, SceneList, Setup, Task, ToolLink
from .common import outcome_of, rounded, scene_query, scene_runs, settle_steps, steps_words

STEEP = 50.0  # the valley's steep curvature (the shallow one is 1)
ANGLES = (0.0, 45.0)
GD_LR = theory.optimal_step(STEEP, 1.0)[0]  # plain GD's racer at its best fixed step 2/(L + μ)
PRESET = {"surface": "quadratic", "l1": f"{STEEP:g}", "angle": "0", "optimizer": "adam,sgd", "lr": "0.1",
          "lr_2": f"{GD_LR:.4g}", "steps": "1000", "x0": "-1.5", "y0": f"{-1.5 * (np.sqrt(2) - 1):.4g}"}
FIRST = 60  # steps shown in the step-size figure
SMOOTHING = engine.OPTIMIZERS["rmsprop"].param("alpha").default  # torch's 0.99: v₁ = (1 − 0.99)·g²
EPS = engine.OPTIMIZERS["adam"].param("eps").default
DECAY = 0.5  # weight decay λ of the AdamW scene
DECAY_LRS = (0.03, 0.1)  # the AdamW scene's lr, and a second lr to show where AdamW's end depends on it
DECAY_QUERY = {"surface": "regression", "optimizer": "adam,adamw", "lr": f"{DECAY_LRS[0]}", "lr_2": f"{DECAY_LRS[0]}",
               "weight_decay": f"{DECAY}", "weight_decay_2": f"{DECAY}", "steps": "2000", "x0": "0", "y0": "0"}


def _angle(setup: Setup) -> float:
    return float(setup.surface.params["angle"])


def _other(angle: float) -> float:
    """The other angle of the lesson (45° for 0°, else 0°)."""
    return ANGLES[1] if angle == ANGLES[0] else ANGLES[0]


def _recorded(name: str, lr: float, angle: float, steps: int = FIRST) -> engine.Run:
    """The first ``steps`` steps of optimizer ``name`` (torch defaults but lr) on the lesson's valley, recorded
    (``lab.runs``: cached)."""
    start = (float(PRESET["x0"]), float(PRESET["y0"]))
    return run_of(make_config("quadratic", name, start, steps, surface_params={"l1": STEEP, "angle": angle}, lr=lr))


def first_step(run: engine.Run) -> np.ndarray:
    """|step 1| per coordinate in units of that step's lr (records["update"])."""
    return np.abs(run.records["update"][0, 0]) / run.lrs[0, 0]


def _elsewhere(setup: Setup, index: int) -> engine.Run:
    """Racer ``index`` of the setup on the valley at the other angle (same start, steps and lr)."""
    cfg, opt = setup.config, setup.config.optimizers[index]
    params = {**dict(cfg.surface_params), "angle": _other(_angle(setup))}
    return outcome_of(cfg.surface, opt.name, cfg.start, cfg.steps, params, lr=opt.lr)


def _spike() -> float:
    """α(1 − β₁)/√(1 − β₂) ÷ α with Adam's default betas: the largest step after small gradients (Kingma & Ba)."""
    beta1, beta2 = engine.OPTIMIZERS["adam"].param("betas").default
    return (1 - beta1) / np.sqrt(1 - beta2)


@lru_cache(maxsize=1)
def _decay_runs() -> tuple[engine.Run, engine.Run, engine.Run]:
    """Adam + L2 and AdamW at the first decay lr, and AdamW at the second (scene_runs: as the Playground runs them)."""
    adam, adamw = scene_runs(DECAY_QUERY)
    return adam, adamw, scene_runs(scene_query(DECAY_QUERY, lr=DECAY_LRS[1], lr_2=DECAY_LRS[1]))[1]


def _l2_minimum(s: engine.Surface) -> np.ndarray:
    """The minimum of f + (λ/2)|p|² on the quadratic regression loss: (H + λI) p = −∇f(0)."""
    return np.linalg.solve(s.hessian(np.zeros(2)) + DECAY * np.eye(2), -s.grad(np.zeros(2)))


def _end(run: engine.Run) -> np.ndarray:
    return run.points[run.last_step(0), 0]


def _decay() -> dict[str, str]:
    """Where Adam with L2 and AdamW end on the regression surface, the L2 minimum and the loss's own minimum."""
    adam, adamw, other = _decay_runs()
    s = adam.surface

    def point_text(p: np.ndarray) -> str:
        return f"({rounded(p[0])}, {rounded(p[1])})"

    return {"decay": rounded(DECAY), "decay_lr": rounded(DECAY_LRS[0]), "decay_lr2": rounded(DECAY_LRS[1]),
            "adam_end": point_text(_end(adam)), "adamw_end": point_text(_end(adamw)),
            "adamw_end2": point_text(_end(other)),
            "l2_min": point_text(_l2_minimum(s)), "plain_min": point_text(s.minima[0]),
            "decay_steps": DECAY_QUERY["steps"]}


def _decay_figure(setup: Setup):
    adam, adamw, other = _decay_runs()
    lr, lr2 = (rounded(v) for v in DECAY_LRS)
    paths = {f"Adam + L2, α = {lr}": adam.points[: adam.last_step(0) + 1, 0],
             f"AdamW, α = {lr}": adamw.points[: adamw.last_step(0) + 1, 0],
             f"AdamW, α = {lr2}": other.points[: other.last_step(0) + 1, 0]}
    marks = {"minimum of the loss + (λ/2)|w|²": _l2_minimum(adam.surface),
             "minimum of the loss": adam.surface.minima[0]}
    return paths_figure(paths, marks, "slope w", "intercept b")


def facts(setup: Setup) -> dict[str, str]:
    run, gd = setup.runs
    name = setup.config.optimizers[0].name
    adam, rms = (first_step(_recorded(n, setup.lr, _angle(setup))) for n in ("adam", "rmsprop"))
    grad = setup.surface.grad(np.array(setup.config.start))
    eff = run.records["effective_lr"][: max(run.last_step(0), 1), 0]
    smallest = setup.lr / float(np.max(eff))  # √v̂ + ε = lr / effective lr, at its smallest along the run
    eps = float(dict(setup.config.optimizers[0].hyper)["eps"])
    return {
        "opt": engine.OPTIMIZERS[name].title, "lr": rounded(setup.lr), "angle": rounded(_angle(setup)),
        "other": rounded(_other(_angle(setup))), "adam_x": rounded(adam[0]), "adam_y": rounded(adam[1]),
        "gx": rounded(grad[0]), "gy": rounded(grad[1]), "rms_x": rounded(rms[0]), "smoothing": rounded(SMOOTHING),
        "rms_theory": rounded(1 / np.sqrt(1 - SMOOTHING)),
        "here": steps_words(run), "there": steps_words(_elsewhere(setup, 0)), "gd_here": steps_words(gd),
        "gd_there": steps_words(_elsewhere(setup, 1)), "gd_lr": rounded(gd.lrs[0, 0]),
        "root": rounded(smallest), "eps": rounded(eps), "eps_share": rounded(eps / smallest),
        **_decay(),
    }


def task_done(setup: Setup) -> bool:
    """At 45°, the adaptive racer converges in fewer steps than plain GD (racer 2) does."""
    mine, gd = (settle_steps(run) for run in setup.runs)
    return _angle(setup) == ANGLES[1] and mine is not None and (gd is None or mine < gd)


def question(setup: Setup) -> Question:
    lr, (gx, gy) = setup.lr, setup.surface.grad(np.array(setup.config.start))
    adam = first_step(_recorded("adam", lr, _angle(setup)))
    rms = first_step(_recorded("rmsprop", lr, _angle(setup)))
    return Question(
        prompt=f"Adam with α = {rounded(lr)} starts where the gradient is ({rounded(gx)}, {rounded(gy)}). How far does "
               "its "
               "first step move each coordinate?",
        answers=(
            Answer(f"About α = {rounded(lr)} in each coordinate, whatever the gradient's size", True,
                   "At step 1 the bias corrections make m̂ = g and v̂ = g², so the step is α·g/|g| = α·sign(g) "
                   f"per coordinate. Measured: x moved {rounded(adam[0])}·α and y {rounded(adam[1])}·α. Later steps "
                   "stay "
                   f"near α while gradients are steady; a gradient spike after small ones can give up to "
                   f"(1 − β₁)/√(1 − β₂) ≈ {rounded(_spike(), 2)}·α."),
            Answer(f"α times the gradient: ({rounded(lr * gx)}, {rounded(lr * gy)})", False,
                   "That is plain gradient descent's step. Adam divides by √v̂, the running size of the gradient, "
                   "so a coordinate with a steep gradient does not get a longer step."),
            Answer(f"About {rounded(1 / np.sqrt(1 - SMOOTHING))}·α: v starts at zero, so the first step is large",
                   False,
                   f"That is torch's RMSprop, which has no bias correction: v₁ = (1 − {rounded(SMOOTHING)})·g², so "
                   f"step 1 is α·g/√v₁ ≈ {rounded(1 / np.sqrt(1 - SMOOTHING))}·α. Measured at this α: x "
                   f"{rounded(rms[0])}·α, y {rounded(rms[1])}·α. Adam "
                   "divides v by 1 − β₂ᵗ, which undoes the zero start."),
            Answer("It depends on ε", False,
                   f"ε ({rounded(EPS)} by default) is added to √v̂ to avoid dividing by zero; it matters only when a "
                   f"gradient is about that small. Here |g| is {rounded(min(abs(gx), abs(gy)))} or more."),
        ))


def _step_sizes(setup: Setup):
    t = np.arange(1, FIRST + 1)
    runs = {engine.OPTIMIZERS[n].title: _recorded(n, setup.lr, _angle(setup)) for n in ("adam", "rmsprop")}
    guide = 1 / np.sqrt(1 - SMOOTHING**t)
    return step_size_figure(runs, (f"RMSprop, steady gradient: 1/√(1 − {rounded(SMOOTHING)}ᵗ)", guide))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """Adam's first step and its race with GD at 0°, RMSprop's start, then both at 45°."""
    rms, turned = scene_query(PRESET, optimizer="rmsprop,sgd"), scene_query(PRESET, angle=45.0)
    rms_turned = scene_query(rms, angle=45.0)
    adam_first = first_step(_recorded("adam", float(PRESET["lr"]), 0.0))
    rms_first = first_step(_recorded("rmsprop", float(PRESET["lr"]), 0.0))
    (a0, g0), (r0, _), (a45, g45), (r45, _) = (scene_runs(q) for q in (PRESET, rms, turned, rms_turned))
    return (
        (f"Adam, 0°: step 1 moves x {rounded(adam_first[0])}·α, y {rounded(adam_first[1])}·α; {steps_words(a0)} "
         f"(GD {steps_words(g0)}).", PRESET),
        (f"RMSprop (no bias correction): step 1 is {rounded(rms_first[0])}·α; {steps_words(r0)} at 0°.", rms),
        (f"The same valley at 45°: Adam {steps_words(a45)}, GD {steps_words(g45)} (as at 0°).", turned),
        (f"RMSprop at 45°: {steps_words(r45)} (at 0°: {steps_words(r0)}).", rms_turned),
    )


LESSON = Lesson(
    number=13, slug="inside-adam", title="Inside Adam",
    goal="See what sets the size of Adam's and RMSprop's steps, why turning a valley changes their speed but not "
         "gradient descent's, and how AdamW's weight decay differs from L2 in Adam.",
    preset=PRESET,
    controls=(Control("optimizer", "Adaptive method (racer 1)", options=("adam", "rmsprop")),
              Control("lr", "Its learning rate α", options=(0.003, 1.0)),
              Control("surface_param", "Angle of the valley (degrees)", name="angle", options=ANGLES)),
    text=(
        "Adam keeps two running averages per coordinate, m of the gradient and v of its square, both starting "
        "at 0, and divides them by 1 − β₁ᵗ and 1 − β₂ᵗ (*bias correction*). At step 1 that gives m̂ = g and "
        "v̂ = g², so the step is α·sign(g): here the gradient at the start is ({{gx}}, {{gy}}), yet Adam's "
        "first step at this α moves x by {{adam_x}}·α and y by {{adam_y}}·α. Torch's RMSprop has no "
        "correction: v₁ = (1 − {{smoothing}})·g², so its first step is about {{rms_theory}}·α (measured: "
        "{{rms_x}}·α).\n\n"
        "ε = {{eps}} is added to √v̂ so a zero gradient does not divide by zero. Along this run √v̂ + ε never "
        "fell below {{root}}, so ε is {{eps_share}} of the denominator at most."
    ),
    after=(
        "The valley is at {{angle}}°: the {{opt}} racer needs {{here}}, and {{there}} at {{other}}°. Gradient "
        "descent (α = {{gd_lr}}) needs {{gd_here}} here and {{gd_there}} at {{other}}°.[[ Adam and RMSprop scale "
        "x and y separately, so they can undo a stretch along the axes but not along a tilted direction; "
        "gradient descent's path just turns with the valley.]]\n\n"
        "**Weight decay.** Adam with `weight_decay` adds λ·w to the gradient (L2), which is then divided by "
        "√v̂; AdamW shrinks w by α·λ outside the adaptive step (decoupled). On lesson 10's regression loss with "
        "λ = {{decay}}, {{decay_steps}} steps at α = {{decay_lr}}: Adam + L2 ends at {{adam_end}}, the minimum "
        "of the loss plus (λ/2)·|w|², {{l2_min}}; AdamW ends at {{adamw_end}} (at α = {{decay_lr2}}: "
        "{{adamw_end2}}); the loss alone is lowest at {{plain_min}}."
    ),
    latex=(r"\hat m_t = \frac{m_t}{1 - \beta_1^t},\quad \hat v_t = \frac{v_t}{1 - \beta_2^t},\quad "
           r"w_{t} = w_{t-1} - \alpha\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}",),
    task=Task(prompt="Turn the valley to 45° and find an α at which the adaptive racer still converges in fewer "
                     "steps than gradient descent ({{gd_here}}).",
              done=task_done, success="At {{angle}}°, {{opt}} with α = {{lr}} needs {{here}}; gradient descent "
                                      "{{gd_here}}."),
    question=question, facts=facts, charts=("loss",), make_scenes=scenes,
    extras=(Extra("The size of each step, in units of α", _step_sizes,
                  "Solid: x, dashed: y. Adam's first step is {{adam_x}}·α in x; RMSprop's is {{rms_x}}·α and "
                  "would fall as 1/√(1 − {{smoothing}}ᵗ) if the gradient stayed steady (dotted); as the path "
                  "closes in, the gradient changes and the steps leave that line."),
            Extra("Weight decay on lesson 10's regression loss: where Adam + L2 and AdamW end",
                  _decay_figure, "λ = {{decay}}, from (0, 0), {{decay_steps}} steps each. Adam + L2 ends at the "
                  "minimum of the loss plus (λ/2)|w|²; AdamW's end moves with α."),),
    tools=(ToolLink("stability-map", racer=1, own={"axis": "curvature"}),),
)
