"""Lesson 3: narrow valleys — conditioning, the zigzag, and the best fixed step 2/(L + μ) (Goh 2017)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

import engine
from engine import theory

from .base import Answer, Control, Lesson, Question, SceneList, Setup, Task
from .common import curvature_at_start, outcome_of, predicate, rounded, scene_query, scene_runs, settle_steps

SLACK = 1.25  # the task: converge within this factor of the steps the best fixed step takes
PRESET = {"surface": "quadratic", "l1": "20", "optimizer": "sgd", "lr": "0.05", "steps": "500", "x0": "-1.5", "y0": "1"}
OVER = 1.05  # a scene's α as a multiple of 2/L: just too large
NARROWER = 50.0  # a narrower valley's steep curvature (the shallow one stays 1)
ROSENBROCK = {"surface": "rosenbrock", "optimizer": "sgd", "steps": "2000"}
ROSENBROCK_START = (-1.2, 1.0)  # the classic start
EDGE, BLOW = 1.5, 5.0  # α as multiples of 2/L at Rosenbrock's minimum: a bounded 2-cycle, then a blow-up
EDGE_STEPS = 5000  # long enough for the 2-cycle to settle (REFERENCE.md, edge of stability)
BLOW_STEPS = 100  # the blow-up happens within a few steps


def _best_query(l1: float) -> dict[str, str]:
    """The preset's valley with steep curvature ``l1`` at its best fixed step α* = 2/(L + μ): the link of the
    scene that shows it, and the run whose steps the text and the task quote (one number for both)."""
    c = theory.curvature(engine.surface("quadratic", l1=l1), np.zeros(2))
    return scene_query(PRESET, l1=l1, lr=theory.optimal_step(c.L, c.mu)[0])


def _best(setup: Setup) -> tuple[float, float, int | None]:
    """α* = 2/(L + μ), its rate, and the steps its run (the scene's, ``_best_query``) takes."""
    c = curvature_at_start(setup)
    alpha, rate = theory.optimal_step(c.L, c.mu)
    return alpha, rate, settle_steps(scene_runs(_best_query(dict(setup.config.surface_params)["l1"]))[0])


def _edge_of_stability() -> dict[str, str]:
    """Rosenbrock from its classic start at EDGE × and BLOW × 2/L(minimum): bounded, then diverging."""
    c = theory.curvature(engine.surface("rosenbrock"), np.ones(2))
    start, steps = ROSENBROCK_START, EDGE_STEPS
    edge = outcome_of("rosenbrock", "sgd", start, steps, lr=EDGE * c.two_over_L)
    blow = outcome_of("rosenbrock", "sgd", start, BLOW_STEPS, lr=BLOW * c.two_over_L)
    end = edge.points[edge.last_step(0), 0]
    return {"edge": rounded(EDGE), "edge_lr": rounded(EDGE * c.two_over_L), "edge_steps": str(steps),
            "edge_outcome": predicate(edge), "edge_loss": rounded(float(edge.losses[edge.last_step(0), 0])),
            "edge_end": f"({rounded(end[0])}, {rounded(end[1])})", "blow": rounded(BLOW),
            "blow_lr": rounded(BLOW * c.two_over_L),
            "blow_outcome": predicate(blow), "rosen_start": f"({rounded(start[0])}, {rounded(start[1])})"}


def facts(setup: Setup) -> dict[str, str]:
    c = curvature_at_start(setup)
    alpha, rate, steps = _best(setup)
    rosen = theory.curvature(engine.surface("rosenbrock"), np.ones(2))
    return {
        "L": rounded(c.L), "mu": rounded(c.mu), "kappa": rounded(c.kappa), "two": rounded(c.two_over_L),
        "lr": rounded(setup.lr),
        "star": rounded(alpha), "rate": rounded(rate), "gd_rate": rounded(theory.gd_rate(setup.lr, [c.mu, c.L])),
        "star_steps": str(steps) if steps is not None else f"more than {setup.config.steps}",
        "budget": str(min(int(SLACK * steps), setup.config.steps)) if steps is not None else str(setup.config.steps),
        "rosen_L": rounded(rosen.L, 5), "rosen_mu": rounded(rosen.mu, 4), "rosen_kappa": rounded(rosen.kappa, 4),
        "rosen_two": rounded(rosen.two_over_L), "outcome": predicate(setup.run), **_edge_of_stability(),
    }


def task_done(setup: Setup) -> bool:
    _, _, steps = _best(setup)
    mine = settle_steps(setup.run)
    return mine is not None and (steps is None or mine <= SLACK * steps)


def question(setup: Setup) -> Question:
    c = curvature_at_start(setup)
    return Question(
        prompt=f"This valley has curvatures μ = {rounded(c.mu)} and L = {rounded(c.L)}. Which one caps the largest "
               "learning rate that still converges?",
        answers=(
            Answer("The largest, L", True, f"Every direction needs |1 − αλ| < 1, and the steepest one fails "
                   f"first: α < 2/L = {rounded(c.two_over_L)}."),
            Answer("The smallest, μ", False, f"μ sets the *speed*: along it each step only removes αμ of the "
                   f"error. It would allow α up to 2/μ = {rounded(2 / c.mu)}, but the steep direction blows up long "
                   "before that."),
            Answer("Their ratio κ = L/μ", False, f"κ = {rounded(c.kappa)} sets how slow the best fixed step is, "
                   "(κ − 1)/(κ + 1) per step, but the cap itself is 2/L."),
            Answer("Neither: any α works if you run long enough", False,
                   "Above 2/L the error along the steep direction grows every step; no number of steps helps."),
        ))


@lru_cache(maxsize=1)
def scenes() -> SceneList:
    """1/L (safe but slow), the best fixed step, just past 2/L, a narrower valley, then Rosenbrock."""
    c = theory.curvature(engine.surface("quadratic", l1=float(PRESET["l1"])), np.zeros(2))
    star, rate = theory.optimal_step(c.L, c.mu)
    safe, over = (scene_query(PRESET, lr=lr) for lr in (c.one_over_L, OVER * c.two_over_L))
    best = _best_query(float(PRESET["l1"]))
    narrow_c = theory.curvature(engine.surface("quadratic", l1=NARROWER), np.zeros(2))
    narrow_star, narrow_rate = theory.optimal_step(narrow_c.L, narrow_c.mu)
    narrow = _best_query(NARROWER)
    rosen_c = theory.curvature(engine.surface("rosenbrock"), np.ones(2))
    rosen_star, _ = theory.optimal_step(rosen_c.L, rosen_c.mu)
    rosen = scene_query(ROSENBROCK, lr=rosen_star)

    def outcome(query) -> str:
        return predicate(scene_runs(query)[0], brief=True)

    return (
        (f"α = 1/L = {rounded(c.one_over_L)}: no zigzag across, but a crawl along the valley; it {outcome(safe)}.",
         safe),
        (f"Best fixed step α* = 2/(L + μ) = {rounded(star)}: error × {rounded(rate)} per step; it {outcome(best)}.",
         best),
        (f"α = {rounded(OVER * c.two_over_L)}, just past 2/L = {rounded(c.two_over_L)}: the zigzag across grows; "
         f"it {outcome(over)}.", over),
        (f"Narrower, κ = {rounded(narrow_c.kappa)}: even α* = {rounded(narrow_star)} only gives × "
         f"{rounded(narrow_rate)} per "
         f"step; it {outcome(narrow)}.", narrow),
        (f"Rosenbrock, κ ≈ {rounded(rosen_c.kappa, 4)} at its minimum: at α* = {rounded(rosen_star)} the path "
         f"{outcome(rosen)}.", rosen),
    )


LESSON = Lesson(
    number=3, slug="narrow-valleys", title="Narrow valleys",
    goal="See which direction of a narrow valley limits the learning rate, which one sets the speed, and what "
         "the best fixed step is.",
    preset=PRESET,
    controls=(Control("lr", "Learning rate α", options=(0.002, 0.5)),
              Control("surface_param", "Steep curvature λ₁ (the shallow one is 1)", name="l1",
                      options=(5.0, 20.0, 50.0))),
    text=(
        "A narrow valley curves steeply across and gently along. Here the curvatures are **L = {{L}}** across "
        "and **μ = {{mu}}** along: the *condition number* κ = L/μ = {{kappa}}. One learning rate has to serve "
        "both directions.[[ The steep one caps it (α < 2/L = {{two}}, or the path zigzags out of the valley); "
        "the shallow one then crawls, removing only αμ of its error per step.]]\n\n"
        "The best compromise balances the two: α* = 2/(L + μ) = **{{star}}**, which multiplies the error by "
        "(κ − 1)/(κ + 1) = {{rate}} per step and converges here in **{{star_steps}}** steps. Your α = {{lr}} "
        "multiplies the error by {{gd_rate}} per step in its worst direction[[; the path {{outcome}}]]."
    ),
    after=(
        "Rosenbrock's banana valley is far worse: at its minimum the curvatures are {{rosen_L}} and "
        "{{rosen_mu}} (κ ≈ {{rosen_kappa}})[[, so gradient descent cannot settle at the minimum with α above "
        "2/L = {{rosen_two}}]]. A larger α need not diverge there, though, because the curvature changes along "
        "the valley: from {{rosen_start}} at α = {{edge_lr}}[[ ({{edge}} × 2/L)]] the path {{edge_outcome}} after "
        "{{edge_steps}} steps, bouncing across the valley around {{edge_end}} (loss {{edge_loss}}), short of the "
        "minimum: the *edge of stability*. At α = {{blow_lr}}[[ ({{blow}} × 2/L)]] it {{blow_outcome}}."
    ),
    latex=(r"\alpha^\star = \frac{2}{L + \mu},\qquad \text{rate} = \frac{\kappa - 1}{\kappa + 1},"
           r"\qquad \kappa = \frac{L}{\mu}",),
    task=Task(prompt="Find a fixed learning rate that converges in at most {{budget}} steps "
                     "(close to what α* achieves).",
              done=task_done,
              success="At α = {{lr}} the path {{outcome}}; the theory's α* = {{star}} takes {{star_steps}} steps."),
    question=question, facts=facts, charts=("loss", "stability"), predict=True, make_scenes=scenes,
)
