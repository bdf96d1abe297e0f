"""Lesson 4: momentum — heavy ball and Nesterov on a narrow valley; the optimal (α, β) pair (Goh 2017)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory
from lab.url_schema import write_value

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task, ToolLink
from .common import curvature_at_start, predicate, rounded, scene_query, scene_runs, settle_steps

L_STEEP, MU = 100.0, 1.0  # the valley: REFERENCE.md's worked example, eigenvalues in [1, 100]
SLACK = 1.25
BETA_Q = 0.9  # the question's momentum
GD_STAR = theory.optimal_step(L_STEEP, MU)[0]
VALLEY = {"surface": "quadratic", "l1": write_value(L_STEEP), "steps": "300", "x0": "-1.5", "y0": "1"}
RACE_LR = 0.01  # the scenes' momentum racers: a modest α with the usual β = BETA_Q
HB_STAR, HB_BETA, HB_RATE = theory.heavy_ball_optimum(L_STEEP, MU)
# Polyak's optimal pair beside GD's best step: the scene, its link and the text's "converges in N steps" are one run
BEST = scene_query(VALLEY, optimizer="sgd,momentum", lr=GD_STAR, lr_2=HB_STAR, momentum_2=HB_BETA)


def _optimum_steps() -> int | None:
    """The steps Polyak's optimal pair takes to converge: racer 2 of the ``BEST`` scene's run."""
    return settle_steps(scene_runs(BEST)[1])


def _rate(name: str, lr: float, beta: float, eigenvalues) -> float:
    """The asymptotic factor per step of racer ``name`` on a quadratic: heavy ball's from ``theory``; Nesterov's
    (torch: w ← w − α(g + βv)) is the largest |root| of z² − (1 + β)(1 − αλ) z + β(1 − αλ) = 0 over the
    eigenvalues λ (``theory.stability_limit``'s recurrence)."""
    if name != "nesterov":
        return theory.heavy_ball_rate(lr, beta, eigenvalues)
    return max(float(np.max(np.abs(np.roots([1.0, -(1 + beta) * (1 - lr * lam), beta * (1 - lr * lam)]))))
               for lam in eigenvalues)


def _racer(setup: Setup) -> tuple[str, float, float]:
    opt = setup.config.optimizers[1]
    return opt.name, opt.lr, float(dict(opt.hyper)["momentum"])


def facts(setup: Setup) -> dict[str, str]:
    c = curvature_at_start(setup)
    steps = _optimum_steps()
    gd_alpha, gd_rate = theory.optimal_step(c.L, c.mu)
    name, lr, mom = _racer(setup)
    return {
        "L": rounded(c.L), "mu": rounded(c.mu), "kappa": rounded(c.kappa), "a_star": rounded(HB_STAR),
        "b_star": rounded(HB_BETA),
        "hb_rate": rounded(HB_RATE), "gd_alpha": rounded(gd_alpha), "gd_rate": rounded(gd_rate),
        "opt_steps": str(steps) if steps is not None else f"more than {setup.config.steps}",
        "budget": str(int(SLACK * steps)) if steps is not None else str(setup.config.steps),
        "lr": rounded(lr), "beta": rounded(mom), "my_rate": rounded(_rate(name, lr, mom, [c.mu, c.L])),
        "racer": engine.OPTIMIZERS[name].title if name == "nesterov" else "heavy ball",
        **{f"{key}_limit": rounded(theory.stability_limit(opt, hyper, c.L)) for key, opt, hyper in (
            ("hb", "momentum", {"momentum": mom}), ("nag", "nesterov", {"momentum": mom, "nesterov": True}),
            ("gd", "sgd", {}))},
        "gd_outcome": predicate(setup.runs[0]), "hb_outcome": predicate(setup.runs[1]),
    }


def task_done(setup: Setup) -> bool:
    steps = _optimum_steps()
    mine = settle_steps(setup.runs[1])
    return mine is not None and (steps is None or mine <= SLACK * steps)


def question(setup: Setup) -> Question:
    c = curvature_at_start(setup)
    b = BETA_Q
    hb, gd, wrong = (2 + 2 * b) / c.L, 2 / c.L, 2 / (c.L * (1 - b))
    return Question(
        prompt=f"Heavy ball with β = {rounded(b)} on curvature L = {rounded(c.L)}: what is the largest α that still "
               "converges?",
        answers=(
            Answer(f"2(1 + β)/L = {rounded(hb)}", True,
                   f"Heavy ball converges iff 0 < αλ < 2 + 2β for every curvature λ, so α < {rounded(hb)}: momentum "
                   "almost doubles the stable range."),
            Answer(f"2/L = {rounded(gd)}, as for plain gradient descent", False,
                   f"Momentum changes the recurrence: the bound becomes αL < 2 + 2β, so α up to {rounded(hb)} works."),
            Answer(f"2/(L(1 − β)) = {rounded(wrong)}", False,
                   "That treats the velocity as a plain lr multiplier 1/(1 − β). It is the long-run step on a flat "
                   f"slope, but oscillations set the stability bound: α < {rounded(hb)}."),
            Answer("There is no limit: momentum damps everything", False,
                   f"Momentum can also overshoot; beyond α = {rounded(hb)} the heavy ball diverges."),
        ))


def _race(lr: float, beta: float) -> dict[str, str]:
    """Plain GD at its best step against heavy ball and Nesterov at (lr, beta)."""
    return scene_query(VALLEY, optimizer="sgd,momentum,nesterov", lr=GD_STAR, lr_2=lr, momentum_2=beta, lr_3=lr,
                       momentum_3=beta)


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """GD's best step alone, then heavy ball and Nesterov beside it, Nesterov's smaller stable range, and
    Polyak's optimal pair."""
    gd = scene_query(VALLEY, optimizer="sgd", lr=GD_STAR)
    _, gd_rate = theory.optimal_step(L_STEEP, MU)
    calm, bold = _race(RACE_LR, BETA_Q), _race(GD_STAR, BETA_Q)
    _, hb, nag = scene_runs(calm)
    _, hb_bold, nag_bold = scene_runs(bold)
    return (
        (f"GD at its best step 2/(L + μ) = {rounded(GD_STAR)}, κ = {rounded(L_STEEP / MU)}: error × {rounded(gd_rate)} "
         "per "
         f"step; it {predicate(scene_runs(gd)[0], brief=True)}.", gd),
        (f"Momentum, α = {rounded(RACE_LR)}, β = {rounded(BETA_Q)}: heavy ball {predicate(hb, brief=True)}, "
         f"Nesterov {predicate(nag, brief=True)}.", calm),
        (f"Nesterov's range is smaller: at α = {rounded(GD_STAR)} it {predicate(nag_bold, brief=True)}; heavy ball "
         f"{predicate(hb_bold, brief=True)}.", bold),
        (f"Polyak's optimal pair α = {rounded(HB_STAR)}, β = {rounded(HB_BETA)}: error × {rounded(HB_RATE)} per step; "
         "it "
         f"{predicate(scene_runs(BEST)[1], brief=True)}.", BEST),
    )


LESSON = Lesson(
    number=4, slug="momentum", title="Momentum",
    goal="Race heavy-ball momentum against the best plain gradient descent, and find the optimal (α, β).",
    preset={**VALLEY, "optimizer": "sgd,momentum", "lr": write_value(float(f"{GD_STAR:.4g}")), "lr_2": "0.01",
            "momentum_2": "0.5"},
    controls=(Control("optimizer", "Racer 2", index=1, options=("momentum", "nesterov")),
              Control("lr", "Racer 2: learning rate α", index=1, options=(0.001, 0.1)),
              Control("hyper", "Racer 2: momentum β", name="momentum", index=1,
                      options=(0.3, 0.5, 0.6, 0.67, 0.7, 0.8, 0.9, 0.95, 0.99))),
    text=(
        "Picture a ball rolling down the valley: it keeps its speed from step to step, so the zigzag across "
        "the valley cancels out while the motion along it adds up. PyTorch's heavy ball keeps a velocity "
        "v ← βv + ∇f and steps w ← w − αv. On this valley (L = {{L}}, μ = {{mu}}, κ = {{kappa}}) the best "
        "plain step α = {{gd_alpha}} multiplies the error by {{gd_rate}} per step: it {{gd_outcome}}.\n\n"
        "Theory (Polyak; Goh 2017) gives the best pair: **α = {{a_star}}, β = {{b_star}}**, with rate "
        "{{hb_rate}} per step; from this start it converges in {{opt_steps}} steps. Your racer, {{racer}} "
        "with α = {{lr}} and β = {{beta}}, multiplies the error by {{my_rate}} per step in theory and "
        "{{hb_outcome}}. Nesterov looks ahead before taking the gradient, which damps the overshoot, but also "
        "shrinks the stable range of α: with β = {{beta}} heavy ball needs α < {{hb_limit}}, Nesterov "
        "α < {{nag_limit}} (plain gradient descent: α < {{gd_limit}})."
    ),
    latex=(r"v_{t+1} = \beta v_t + \nabla f(w_t),\qquad w_{t+1} = w_t - \alpha v_{t+1}",
           r"\alpha^\star = \Big(\frac{2}{\sqrt{L} + \sqrt{\mu}}\Big)^2,\quad "
           r"\beta^\star = \Big(\frac{\sqrt{\kappa} - 1}{\sqrt{\kappa} + 1}\Big)^2"),
    task=Task(prompt="Tune racer 2 so it converges in at most {{budget}} steps — about as fast as the "
                     "theoretical optimum.",
              done=task_done, success="Racer 2 {{hb_outcome}} with α = {{lr}}, β = {{beta}} (optimum: "
                                       "α = {{a_star}}, β = {{b_star}})."),
    question=question, facts=facts, charts=("loss",), make_scenes=scenes,
    tools=(ToolLink("stability-map", racer=1),),
)
