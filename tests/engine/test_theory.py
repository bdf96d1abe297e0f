"""engine.theory against REFERENCE.md's numbers and against simulation."""

import numpy as np
import pytest

import engine
from engine import theory


def test_goh_worked_example_kappa_100():
    # REFERENCE.md: eigenvalues in [1, 100]; GD α* = 0.019802, rate 0.980198;
    # momentum α* = 0.033058, β* = 0.669421, rate 0.818182.
    alpha, rate = theory.optimal_step(100.0, 1.0)
    assert alpha == pytest.approx(0.019802, abs=1e-6)
    assert rate == pytest.approx(0.980198, abs=1e-6)
    a, b, r = theory.heavy_ball_optimum(100.0, 1.0)
    assert (a, b, r) == pytest.approx((0.033058, 0.669421, 0.818182), abs=1e-6)


def test_thresholds_and_regimes_follow_reference():
    assert theory.thresholds(4.0) == (0.25, 0.5)
    assert theory.thresholds(0.0) == (np.inf, np.inf)
    assert np.isnan(theory.thresholds(np.nan)).all()  # f not defined there: no thresholds, not "never diverges"


def test_curvature_where_f_is_not_defined_is_nan_without_a_warning():
    c = theory.curvature(engine.surface_from_expression("1/x"), [0.0, 0.0])  # an infinite Hessian
    assert np.isnan(c.L) and np.isnan(c.mu) and np.isnan(c.two_over_L)
    c = theory.curvature(engine.surface_from_expression("log(x)"), [-2.0, 0.0])  # formally -1/x², but f is NaN
    assert np.isnan(c.L) and np.isnan(c.one_over_L)
    L = 4.0
    assert theory.gd_regime(0.1, L) == "monotone"
    assert theory.gd_regime(0.25, L) == "one step"
    assert theory.gd_regime(0.4, L) == "zigzagging"
    assert theory.gd_regime(0.5, L) == "bouncing"
    assert theory.gd_regime(0.6, L) == "diverging"
    assert theory.gd_regime(5.0, -2.0) == "flat"
    assert set(theory.GD_REGIMES) >= {"monotone", "one step", "zigzagging", "bouncing", "diverging", "flat"}


def test_hessian_eigenvalues_of_rotated_quadratic_and_rosenbrock():
    q = engine.surface("quadratic", l1=10.0, l2=0.5, angle=30.0)
    assert theory.hessian_eigenvalues(q, [0.3, -0.2]) == pytest.approx([0.5, 10.0])
    c = theory.curvature(engine.surface("rosenbrock"), [1.0, 1.0])
    assert (c.mu, c.L) == pytest.approx((0.3994, 1001.6), rel=1e-4)
    assert c.kappa == pytest.approx(1001.6 / 0.3994, rel=1e-3)
    assert c.two_over_L == pytest.approx(2 / 1001.6, rel=1e-4)
    saddle = theory.curvature(engine.surface("saddle"), [0.0, 0.0])
    assert (saddle.mu, saddle.L) == (-2.0, 2.0) and saddle.kappa == np.inf


@pytest.mark.parametrize("lr_over_L, expected", [(0.5, "converged"), (1.0, "converged"), (1.5, "converged"),
                                                 (2.0, "oscillating"), (2.1, "diverged")])
def test_gd_thresholds_match_simulation_on_a_quadratic(lr_over_L, expected):
    L = 10.0
    q = engine.surface("quadratic", l1=L, l2=1.0, angle=0.0)
    run = engine.simulate(q, engine.optimizer("sgd", lr=lr_over_L / L), np.array([[1.0, 0.0]]), steps=400)
    assert run.status[0] == expected
    if lr_over_L == 2.0:  # a permanent bounce between ±x0
        assert run.points[-1, 0, 0] == pytest.approx(1.0) and run.points[-2, 0, 0] == pytest.approx(-1.0)
        assert run.oscillation[0] == 1.0 and run.outcome(0) == "oscillating (amplitude 1)"
    if lr_over_L == 1.0:  # the minimum in one step
        assert run.stopped_at[0] == 1
    if lr_over_L == 1.5:  # sign flips every step while |x| shrinks
        assert run.oscillation[0] == 1.0


def test_gd_rate_matches_simulated_contraction():
    L, mu = 100.0, 1.0
    q = engine.surface("quadratic", l1=L, l2=mu, angle=0.0)
    alpha, rate = theory.optimal_step(L, mu)
    run = engine.simulate(q, engine.optimizer("sgd", lr=alpha), np.array([[1.0, 1.0]]), steps=50)
    norms = np.linalg.norm(run.points[:, 0], axis=1)
    assert norms[50] / norms[40] == pytest.approx(rate**10, rel=1e-9)
    assert theory.gd_rate(alpha, [mu, L]) == pytest.approx(rate)


def test_heavy_ball_optimum_beats_gd_in_simulation_at_its_rate():
    L, mu = 100.0, 1.0
    q = engine.surface("quadratic", l1=L, l2=mu, angle=0.0)
    alpha, beta, rate = theory.heavy_ball_optimum(L, mu)
    assert theory.heavy_ball_rate(alpha, beta, [mu, L]) == pytest.approx(rate, rel=1e-6)
    run = engine.simulate(q, engine.optimizer("sgd", lr=alpha, momentum=beta), np.array([[1.0, 1.0]]), steps=120)
    err = np.linalg.norm(run.points[:, 0], axis=1)
    # at the optimum the iteration matrix is defective, so the error decays like t·rate^t
    observed = (err[100] / err[80]) ** (1 / 20)
    assert observed == pytest.approx(rate, rel=0.02)
    gd_rate = theory.optimal_step(L, mu)[1]
    assert observed < gd_rate


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_heavy_ball_stability_boundary_matches_simulation(beta):
    lam = 4.0
    q = engine.surface("quadratic", l1=lam, l2=lam, angle=0.0)
    edge = (2 + 2 * beta) / lam
    for lr, stable in [(0.95 * edge, True), (1.05 * edge, False)]:
        assert theory.heavy_ball_converges(lr, beta, [lam]) is stable
        run = engine.simulate(q, engine.optimizer("sgd", lr=lr, momentum=beta), np.array([[1.0, 0.5]]), steps=2000)
        assert (run.status[0] == "diverged") is (not stable)


def test_bad_spectrum_is_a_clear_error():
    with pytest.raises(ValueError, match="0 < mu <= L"):
        theory.optimal_step(1.0, 0.0)
    with pytest.raises(ValueError, match="0 < mu <= L"):
        theory.heavy_ball_optimum(1.0, 2.0)


@pytest.mark.parametrize("name, hyper", [
    ("sgd", {}), ("momentum", {"momentum": 0.9}), ("momentum", {"momentum": 0.5, "dampening": 0.3}),
    ("nesterov", {"momentum": 0.9, "nesterov": True}), ("nesterov", {"momentum": 0.5, "nesterov": True}),
    ("sgd", {"weight_decay": 1.0}),
])
def test_stability_limit_is_where_simulation_stops_converging(name, hyper):
    L = 4.0
    q = engine.surface("quadratic", l1=L, l2=1.0, angle=0.0)
    limit = theory.stability_limit(name, hyper, L)
    for lr, status in [(0.95 * limit, "converged"), (1.05 * limit, "diverged")]:
        run = engine.simulate(q, engine.optimizer(name, lr=lr, **hyper), np.array([[1.0, 0.0]]), steps=5000)
        assert run.status[0] == status, (lr, limit)


def test_adaptive_methods_have_no_fixed_band():
    assert all(theory.stability_limit(name, {}, 10.0) is None for name in ("adagrad", "rmsprop", "adam", "adamw"))
    assert theory.stability_limit("momentum", {"momentum": 0.9}, 10.0) == pytest.approx(0.38)  # 2(1 + β)/L
