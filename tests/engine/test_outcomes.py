"""Outcome words that never lie: each status and fact against what the math says the path does."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine
from engine.outcomes import Outcome
from engine.trajectory_labels import DIVERGENCE_FACTOR

L = 10.0
ROSENBROCK_LMAX = 1001.6  # largest Hessian eigenvalue at the minimum (1, 1)


@pytest.fixture(scope="module")
def flat_valley():
    """(L/2) x² + (1/2) y²: from (x0, 0) a one-dimensional quadratic of curvature L."""
    return engine.surface("quadratic", l1=L, l2=1.0, angle=0.0)


def gd(surface, lr, start, steps, **kwargs):
    return engine.simulate(surface, engine.optimizer("sgd", lr=lr), np.array([start], dtype=float), steps=steps,
                           **kwargs)


def test_step_decay_comes_back_and_stalls_it_does_not_diverge():
    # lr 0.24 = 1.2 × 2/L: the error along the l1 direction grows by |1 - 2.4| = 1.4 a step for ten steps; then
    # the lr halves to 0.12 (factor |1 - 1.2| = 0.2) and keeps halving: the path comes back and stops moving
    q = engine.surface("quadratic", l1=10.0, l2=1.0, angle=30.0)
    run = gd(q, 0.24, (-1.5, 1.0), 300, schedule=engine.schedule("step", step_size=10, gamma=0.5))
    dist = np.linalg.norm(run.points[:, 0], axis=1)
    assert dist[10] > 20 and dist[11] < 5 and dist[20] < 0.05  # |p| 23 -> 4.6 -> 0.03
    assert run.status[0] == "stalled" and run.stopped_at[0] == -1
    assert run.left_view[0] > 0 and 10 < run.back_in_view[0] <= 20
    assert run.outcome(0) == (f"left the view at step {run.left_view[0]}, back at step {run.back_in_view[0]}, "
                              "stalled 0.0085 from the minimum (the lr decayed to 4.47e-10)")
    np.testing.assert_allclose(run.lrs[-1, 0], 0.24 * 0.5**29)


@pytest.mark.parametrize("multiple", [1.1, 1.5, 2.0, 3.0])
def test_rosenbrock_edge_of_stability_is_an_oscillation_with_its_amplitude(multiple):
    s = engine.surface("rosenbrock")
    run = gd(s, multiple * 2 / ROSENBROCK_LMAX, (-1.2, 1.0), 20_000)
    p = run.points[:, 0]
    assert run.status[0] == "oscillating" and run.zigzag[0]
    np.testing.assert_allclose(p[-1], p[-3], atol=1e-6)  # a 2-cycle: back where it was two steps ago
    assert run.amplitude[0] == pytest.approx(np.linalg.norm(p[-1] - p[-2]) / 2) and run.amplitude[0] > 1e-3
    assert abs(run.contraction[0] - 1) <= 1e-6
    assert run.outcome(0) == f"oscillating (amplitude {run.amplitude[0]:.3g})"


def test_rosenbrock_far_above_the_edge_diverges():
    run = gd(engine.surface("rosenbrock"), 5 * 2 / ROSENBROCK_LMAX, (-1.2, 1.0), 1000)
    assert run.status[0] == "diverged"


@settings(max_examples=30, deadline=None)
@given(factor=st.floats(0.05, 0.98), x0=st.floats(0.2, 1.9), y0=st.floats(-1.9, 1.9))
def test_below_one_over_L_converges_monotonically(flat_valley, factor, x0, y0):
    run = gd(flat_valley, factor / L, (x0, y0), 5000)
    assert run.status[0] == "converged" and not run.zigzag[0] and run.oscillation[0] == 0.0
    assert run.outcome(0) == f"converged in {run.stopped_at[0]} steps"


@settings(max_examples=30, deadline=None)
@given(factor=st.floats(1.05, 1.9), x0=st.floats(0.2, 1.9))
def test_between_one_and_two_over_L_converges_zigzagging_with_its_contraction(flat_valley, factor, x0):
    run = gd(flat_valley, factor / L, (x0, 0.0), 5000)
    assert run.status[0] == "converged" and run.zigzag[0]
    assert run.contraction[0] == pytest.approx(abs(1 - factor), abs=1e-3)
    assert "zigzagging (error × " in run.outcome(0) and run.outcome(0).startswith("converged in")


def test_a_zigzag_still_closing_in_when_the_steps_run_out_is_converging_not_oscillating(flat_valley):
    run = gd(flat_valley, 1.99 / L, (1.5, 0.0), 300)  # error × 0.99 per step: 1.5 · 0.99^300 ≈ 0.07 left
    assert run.status[0] == "running" and run.zigzag[0]
    assert run.contraction[0] == pytest.approx(0.99, abs=1e-9)
    assert run.outcome(0) == "converging, zigzagging (error × 0.99 per step)"


@pytest.mark.parametrize("x0, y0", [(1.5, 0.0), (-0.7, 1.2)])
def test_two_over_L_bounces_with_amplitude_x0(flat_valley, x0, y0):
    # x -> (1 - 2) x = -x for ever; y creeps in by (1 - 2/L) = 0.8 a step and is gone after 300 steps
    run = gd(flat_valley, 2 / L, (x0, y0), 300)
    assert run.status[0] == "oscillating"
    assert run.amplitude[0] == pytest.approx(abs(x0), rel=1e-9)
    assert run.outcome(0) == f"oscillating (amplitude {abs(x0):.3g})"


@settings(max_examples=30, deadline=None)
@given(factor=st.floats(2.05, 6.0), x0=st.floats(0.2, 1.9))
def test_above_two_over_L_diverges_where_it_leaves_the_far_box(flat_valley, factor, x0):
    # |x_t| = |1 - αL|^t |x0| leaves the far box (half-width 10 × 2 about 0) at the first t with |x_t| > 20,
    # and a constant lr never brings it back
    run = gd(flat_valley, factor / L, (x0, 0.0), 2000)
    (a, b), _ = flat_valley.bounds
    x = x0 * np.abs(1 - factor) ** np.arange(200)
    expected = int(np.argmax(x > DIVERGENCE_FACTOR * (b - a) / 2))
    assert run.status[0] == "diverged" and abs(run.stopped_at[0] - expected) <= 1  # rounding at the edge
    assert run.outcome(0) == f"diverged at step {run.stopped_at[0]}"


@settings(max_examples=30, deadline=None)
@given(alpha_lambda=st.floats(0.05, 6.0), beta=st.sampled_from([0.5, 0.9]))
def test_heavy_ball_converges_below_two_times_one_plus_beta_and_not_above(flat_valley, alpha_lambda, beta):
    # the error obeys z² - (1 + β - αλ) z + β = 0: both roots inside the unit circle iff 0 < αλ < 2(1 + β)
    assume(abs(alpha_lambda - 2 * (1 + beta)) > 0.1)  # near the bound the rate is too close to 1 for 5000 steps
    opt = engine.optimizer("sgd", lr=alpha_lambda / L, momentum=beta)
    run = engine.simulate(flat_valley, opt, np.array([[1.5, 0.0]]), steps=5000)
    assert run.status[0] == ("converged" if alpha_lambda < 2 * (1 + beta) else "diverged")


@pytest.mark.parametrize("alpha_lambda", [3.85, 4.5, 6.0])
def test_heavy_ball_diverges_above_two_times_one_plus_beta(flat_valley, alpha_lambda):
    opt = engine.optimizer("sgd", lr=alpha_lambda / L, momentum=0.9)
    assert engine.simulate(flat_valley, opt, np.array([[1.5, 0.0]]), steps=2000).status[0] == "diverged"


def test_a_decayed_lr_far_from_the_minimum_has_stalled():
    bowl = engine.surface("bowl")
    run = gd(bowl, 0.01, (1.5, -1.0), 200, schedule=engine.schedule("step", step_size=5, gamma=0.1))
    # lr 0.01 for 5 steps (p × 0.98 each), 0.001 for 5 (× 0.998), ...: |p| = 1.803 · 0.904 · 0.990 · 0.999 ...
    # = 1.61 where the lr is 0.01 · 0.1^39 = 1e-41
    assert run.status[0] == "stalled"
    assert run.outcome(0) == "stalled 1.61 from the minimum (the lr decayed to 1e-41)"


def test_a_small_constant_lr_is_still_moving_not_stalled():
    run = gd(engine.surface("bowl"), 1e-7, (1.5, -1.0), 100)
    assert run.status[0] == "running" and run.outcome(0) == "still moving after 100 steps"


def test_leaving_the_view_and_coming_back_records_both_steps():
    # x² + y² (view (-2, 2)²): GD multiplies p by 1 - 2·lr; the lrs halve after step 3
    bowl = engine.surface("bowl")
    lr = np.array([1.2, 0.9])  # factors -1.4 and -0.8 for steps 1-3, then -0.2 and 0.1
    sched = engine.schedule("multistep", milestones=[3], gamma=0.5)
    run = engine.simulate(bowl, engine.optimizer("sgd", lr=lr), np.array([[1.5, 0.0], [3.0, 0.0]]), steps=60,
                          schedule=sched)
    # path 0: x = 1.5, -2.1 (out at step 1), 2.94, -4.116, then × -0.2: 0.82 (back at step 4), ... converges
    assert run.left_view.tolist()[0] == 1 and run.back_in_view.tolist()[0] == 4
    assert run.outcome(0).startswith("left the view at step 1, back at step 4, converged in ")
    # path 1 starts outside: x = 3, then × -0.8: -2.4, 1.92 (in the view from step 2)
    assert run.left_view[1] == 0 and run.back_in_view[1] == 2
    assert run.outcome(1).startswith("started outside the view, in the view from step 2, converged in ")


def test_a_path_that_ends_outside_the_view_but_inside_the_far_box_is_not_diverged(flat_valley):
    run = gd(flat_valley, 2 / L, (3.0, 0.0), 50)  # bounces between ±3, the view is ±2
    assert run.status[0] == "oscillating" and run.left_view[0] == 0 and run.back_in_view[0] == -1
    assert run.outcome(0) == "started outside the view, oscillating (amplitude 3)"


def test_words_of_each_status():
    base = dict(stopped_at=-1, steps=500, contraction=float("nan"), zigzag=False, amplitude=0.0, left=-1, back=-1,
                lr=0.1, gradient=1.0, distance=2.0, minima=1)
    assert Outcome(**{**base, "status": "converged", "stopped_at": 143}).words() == "converged in 143 steps"
    assert Outcome(**{**base, "status": "converged", "stopped_at": 1}).words() == "converged in 1 step"
    assert Outcome(**{**base, "status": "converged", "stopped_at": 61, "zigzag": True, "contraction": 0.5,
                      "left": 10, "back": 19}).words() == (
        "left the view at step 10, back at step 19, converged in 61 steps, zigzagging (error × 0.5 per step)")
    assert Outcome(**{**base, "status": "diverged", "stopped_at": 12, "left": 9}).words() == "diverged at step 12"
    assert Outcome(**{**base, "status": "oscillating", "amplitude": 0.0278, "zigzag": True,
                      "contraction": 1.0}).words() == "oscillating (amplitude 0.0278)"
    assert Outcome(**{**base, "status": "oscillating", "amplitude": 2.0, "zigzag": True, "contraction": 1.01,
                      "earlier": 1.01}).words() == "oscillating (amplitude 2, growing × 1.01 per step)"
    # growth slowing down (1.01 after 1.03), or with no window before to compare: not called growth
    for earlier in (1.03, float("nan"), 0.99):
        assert Outcome(**{**base, "status": "oscillating", "amplitude": 2.0, "zigzag": True, "contraction": 1.01,
                          "earlier": earlier}).words() == (
            "oscillating (amplitude 2, still changing: × 1.01 per step lately)")
    assert Outcome(**{**base, "status": "running", "zigzag": True, "contraction": 0.99995}).words() == (
        "converging, zigzagging (error × 0.99995 per step)")
    assert Outcome(**{**base, "status": "running"}).words() == "still moving after 500 steps"
    assert Outcome(**{**base, "status": "stalled", "lr": 4.47e-10, "distance": 0.0085}).words() == (
        "stalled 0.0085 from the minimum (the lr decayed to 4.47e-10)")
    assert Outcome(**{**base, "status": "stalled", "minima": 0, "gradient": 0.31, "lr": 1e-9}).words() == (
        "stalled where the gradient is 0.31 (the lr decayed to 1e-09)")


def test_growth_is_named_only_when_sustained():
    """GD at α slightly above 2/L on L x²/2 + y²/2: a linear instability, ρ = |1 - αL| in every window, so
    "growing × 1.01 per step" (1.005 to three digits; inside the far box: 400 steps from 1e-3 grow it × 7.4).
    SGD at lr 0.0025 on Rosenbrock after 2000 steps: a cycle settling in the valley (its amplitude 0.0426
    shrinks to 0.0198 by step 8000), measured growing × 1.01 over the last window after × 1.08 over the one
    before: "still changing", never "growing"."""
    q = engine.surface("quadratic", l1=10.0, l2=1.0, angle=0.0)
    run = engine.simulate(q, engine.optimizer("sgd", lr=0.2005), np.array([[1e-3, 0.0]]), steps=400)
    assert run.outcome(0) == f"oscillating (amplitude {run.amplitude[0]:.3g}, growing × 1.01 per step)"
    assert run.earlier_contraction[0] == pytest.approx(1.005) and run.contraction[0] == pytest.approx(1.005)
    s = engine.surface("rosenbrock")
    settling = engine.simulate(s, engine.optimizer("sgd", lr=0.0025), s.start[None, :], steps=2000)
    later = engine.simulate(s, engine.optimizer("sgd", lr=0.0025), s.start[None, :], steps=8000)
    assert settling.status[0] == "oscillating" and later.amplitude[0] < settling.amplitude[0] / 2
    assert "growing" not in settling.outcome(0) and "still changing: × 1.01" in settling.outcome(0)


@pytest.mark.parametrize(("name", "lr"), [("sgd", 0.05), ("momentum", 0.05), ("adam", 0.05), ("adagrad", 0.5)])
def test_l2_weight_decay_converges_at_the_minimum_of_the_regularised_loss(name, lr):
    """Booth's f = (x + 2y - 7)² + (2x + y - 5)² with λ = 1/2 of L2 weight decay: the optimizer rests where
    ∇f + λp = 0, i.e. 10.5x + 8y = 34 and 8x + 10.5y = 38 (by hand: x = 53/46.25, y = 127/46.25), where
    ∇f = -λp is not 0.  It converged there; before, the engine called it "still moving" or "oscillating
    (amplitude 1.11e-16)"."""
    s = engine.surface("booth")
    run = engine.simulate(s, engine.optimizer(name, lr=lr, weight_decay=0.5), s.start[None, :], steps=2000)
    assert run.status[0] == "converged", run.outcome(0)
    assert run.points[-1, 0] == pytest.approx([53 / 46.25, 127 / 46.25], abs=1e-5)
    assert engine.optimizer("adamw", lr=lr, weight_decay=0.5).l2_decay == 0.0  # decoupled: not a gradient term


def test_weight_decay_per_trajectory():
    s = engine.surface("booth")
    run = engine.simulate(s, engine.optimizer("sgd", lr=0.05, weight_decay=np.array([0.0, 0.5, 1.0])),
                          np.repeat(s.start[None, :], 3, axis=0), steps=2000)
    assert run.status.tolist() == ["converged"] * 3
    assert run.points[-1, 0] == pytest.approx([1.0, 3.0], abs=1e-5)  # no decay: Booth's own minimum
