"""Lessons 11 and 12 against the engine: every number their texts state is the run's at several settings of
their controls, the theory they quote agrees with measured runs, and each task is recognised from the run."""

import numpy as np
import pytest

from engine import theory
from lab.runs import make_config, run_of
from lessons import LESSONS
from lessons.base import fill, preset_config
from lessons.common import rounded, setup_of
from lessons.lesson_11 import measured_radius, theory_radius
from lessons.lesson_12 import TWO, sharpness

BATCH, CURVE = LESSONS[10], LESSONS[11]
WARM = {"schedule": "linear", "start_factor": "0.01", "total_iters": "50"}


def _setup(lesson, **changes):
    return setup_of(preset_config({**lesson.preset, **changes}))


def _params(setup):
    return tuple(sorted(setup.surface.params.items()))


@pytest.mark.parametrize("lr, batch", [(0.05, 1), (0.1, 2), (0.1, 8), (0.2, 4), (0.05, 32)])
def test_lesson11_ball_is_the_measured_one_and_close_to_theory(lr, batch):
    setup = _setup(BATCH, lr=str(lr), batch=str(batch))
    facts = BATCH.facts(setup)
    measured, predicted = measured_radius(_params(setup), lr, batch), theory_radius(_params(setup), lr, batch)
    assert f"**{rounded(measured)}**" in facts["ball"] and f"theory {rounded(predicted)}" in facts["ball"]
    assert measured == pytest.approx(predicted, rel=0.15)  # the theory's noise is measured at the minimum only
    lam = np.linalg.eigvalsh(setup.surface.hessian(setup.surface.minima[0]))
    assert (facts["mu"], facts["L"], facts["two"]) == (rounded(lam[0]), rounded(lam[1]), rounded(2 / lam[1]))
    assert facts["outcome"] in fill(BATCH.text, facts)


def test_lesson11_linear_scaling_holds_well_below_two_over_lambda_and_breaks_past_it():
    params = _params(_setup(BATCH))
    base = measured_radius(params, 0.025, 1)
    assert measured_radius(params, 0.1, 4) == pytest.approx(base, rel=0.2)  # α and B both × 4
    assert measured_radius(params, 0.025, 4) < 0.6 * base  # a larger batch alone shrinks the ball
    assert measured_radius(params, 0.47, 16) == float("inf")  # past 2/λmax ≈ 0.42: no batch size helps
    facts = BATCH.facts(_setup(BATCH, lr="0.2", batch="4"))
    assert "past 2/λmax" in facts["scaled"] and "diverge" in facts["scaled"]


def test_lesson11_full_batch_has_no_ball_and_the_engine_runs_exactly():
    setup = _setup(BATCH, batch="0")
    facts = BATCH.facts(setup)
    assert facts["ball"].startswith("zero") and facts["batch"].startswith("all 100")
    exact = run_of(make_config("regression", "sgd", (0.0, 0.0), 300, surface_params=setup.surface.params, lr=0.05))
    np.testing.assert_array_equal(setup.run.points, exact.points)


def test_lesson11_task_needs_a_larger_batch_and_the_same_ball():
    assert BATCH.task.done(_setup(BATCH, lr="0.18", batch="4"))
    assert not BATCH.task.done(_setup(BATCH, lr="0.05", batch="4"))  # larger batch, smaller ball
    assert not BATCH.task.done(_setup(BATCH, lr="0.05", batch="2"))  # batch not 4× larger
    assert not BATCH.task.done(_setup(BATCH, batch="0"))  # no noise at all


def test_lesson12_numbers_at_the_preset_follow_reference():
    setup = _setup(CURVE)
    facts = CURVE.facts(setup)
    assert (facts["L"], facts["two"], facts["ratio"]) == ("1001.6", "0.002", "1.5")  # REFERENCE.md
    assert setup.run.status[0] == "oscillating"  # above 2/L at the minimum: a bounded 2-cycle, not divergence
    assert facts["far_outcome"].startswith("diverged")  # 5 × 2/L


@pytest.mark.parametrize("ratio", [1.5, 2.0, 3.0])
def test_lesson12_sharpness_hovers_at_two_over_alpha_above_the_limit(ratio):
    lr = float(f"{ratio * TWO:.2g}")
    setup = _setup(CURVE, lr=str(lr))
    facts = CURVE.facts(setup)
    late = sharpness(setup.run)[-100:].mean()
    assert setup.run.status[0] != "diverged"
    assert f"**{rounded(late)}**" in facts["hover"] and f"2/α = {rounded(2 / lr)}" in facts["hover"]
    assert late == pytest.approx(2 / lr, rel=0.1)
    last = setup.run.last_step(0)
    np.testing.assert_allclose(sharpness(setup.run),
                               theory.hessian_eigenvalues(setup.surface, setup.run.points[: last + 1, 0])[:, 1])


def test_lesson12_warm_up_words_are_the_runs_and_the_task_needs_both():
    sharp = {"x0": "1.8", "y0": "3", "lr": "0.0024"}
    warm = _setup(CURVE, **sharp, **WARM)
    facts = CURVE.facts(warm)
    assert facts["cold_outcome"].startswith("diverged") and not facts["warm_outcome"].startswith("diverged")
    assert facts["start_L"] == rounded(theory.curvature(warm.surface, np.array([1.8, 3.0])).L, 4)
    assert CURVE.task.done(warm)
    assert not CURVE.task.done(_setup(CURVE, **sharp))  # no warm-up: it diverges
    assert not CURVE.task.done(_setup(CURVE, lr="0.0024", **WARM))  # from (−1.2, 1) it survives without warm-up
    assert not CURVE.task.done(_setup(CURVE, x0="1.8", y0="3", lr="0.0018", **WARM))  # below 2/L at the minimum


def test_lesson12_sharpness_figure_draws_the_run():
    setup = _setup(CURVE)
    fig = CURVE.extras[0].build(setup)
    np.testing.assert_allclose(fig.data[0].y, sharpness(setup.run))
    np.testing.assert_allclose(fig.data[1].y, 2 / setup.run.lrs[: setup.run.last_step(0), 0])
