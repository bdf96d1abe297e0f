"""engine.regression against np.linalg.lstsq, finite differences and direct sums over the data."""

import numpy as np
import pytest

import engine
from engine import theory
from engine.regression import (
    REGRESSION,
    REGRESSION_STD,
    Dataset,
    least_squares,
    make_dataset,
    regression,
    regression_std,
)


def _design(x):
    return np.column_stack([x, np.ones_like(x)])


@pytest.mark.parametrize("kwargs", [{}, {"n_train": 20, "noise": 1.3, "seed": 11}, {"n_train": 3, "seed": 0}])
def test_minimum_is_lstsq_and_loss_is_the_mean_of_squares(kwargs):
    s = regression(**kwargs)
    data = make_dataset(**kwargs)
    ref = np.linalg.lstsq(_design(data.x_train), data.y_train, rcond=None)[0]
    np.testing.assert_allclose(s.minima[0], ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(data.optimum("val"),
                               np.linalg.lstsq(_design(data.x_val), data.y_val, rcond=None)[0], rtol=1e-10)
    p = np.array([[0.3, -1.2], [2.0, 0.7], [ref[0], ref[1]]])
    direct = np.mean((p[:, :1] * data.x_train - (data.y_train - p[:, 1:])) ** 2, axis=1)
    np.testing.assert_allclose(s.value(p), direct, rtol=1e-10)
    np.testing.assert_allclose(data.loss("train", p), direct, rtol=1e-10)
    val = np.mean((p[:, :1] * data.x_val + p[:, 1:] - data.y_val) ** 2, axis=1)
    np.testing.assert_allclose(data.loss("val", p), val, rtol=1e-10)
    assert np.linalg.norm(s.grad(s.minima[0])) < 1e-9


def test_gradient_and_hessian_match_finite_differences_and_normal_matrix():
    s = regression(n_train=12, noise=0.9, seed=3)
    data = make_dataset(n_train=12, noise=0.9, seed=3)
    rng = np.random.default_rng(0)
    h = 1e-5
    for p in rng.uniform(-3, 3, (5, 2)):
        fd = [(s.value(p + h * e) - s.value(p - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(s.grad(p), fd, rtol=1e-6, atol=1e-7)
        fd2 = np.array([(s.grad(p + h * e) - s.grad(p - h * e)) / (2 * h) for e in np.eye(2)])
        np.testing.assert_allclose(s.hessian(p), fd2, rtol=1e-6, atol=1e-6)
        X = _design(data.x_train)
        np.testing.assert_allclose(s.hessian(p), 2 / len(data.x_train) * X.T @ X, rtol=1e-12)
    assert s.hessian(np.zeros((4, 3, 2))).shape == (4, 3, 2, 2)


def test_hand_worked_three_points():
    # x = 0, 1, 2 with y = 1, 2, 4: E[x²] = 5/3, E[x] = 1, E[xy] = 10/3, E[y] = 7/3, det = 2/3,
    # w = (10/3 − 7/3)/(2/3) = 1.5, b = (5/3·7/3 − 10/3)/(2/3) = 5/6.
    assert least_squares([0, 1, 2], [1, 2, 4]) == pytest.approx([1.5, 5 / 6])
    with pytest.raises(ValueError, match="two distinct x"):
        least_squares([1, 1, 1], [0, 1, 2])


def test_default_data_overfits_and_gd_shows_a_validation_minimum_partway():
    s = regression()
    data = make_dataset()
    assert len(data.x_train) == 8 and len(data.x_val) == 200
    assert np.linalg.norm(data.optimum("val") - np.array([1.5, 0.5])) < 0.2
    assert data.loss("val", s.minima[0]) > data.loss("val", data.optimum("val")) + 0.05
    c = theory.curvature(s, s.start)
    run = engine.simulate(s, engine.optimizer("sgd", lr=0.5 * c.two_over_L), s.start[None], steps=400)
    assert run.status[0] == "converged"
    val = data.loss("val", run.points[:, 0])
    train = run.losses[:, 0]
    best = int(np.argmin(val))
    assert 0 < best < run.last_step(0)
    assert val[-1] > val[best] + 0.05
    assert np.all(np.diff(train[: run.last_step(0)]) <= 1e-12)  # training loss never rises


def test_view_holds_start_and_both_optima_and_data_is_deterministic():
    s = regression()
    (x0, x1), (y0, y1) = s.bounds
    for p in (s.start, s.minima[0], make_dataset().optimum("val")):
        assert x0 < p[0] < x1 and y0 < p[1] < y1
    a, b = make_dataset(seed=4), make_dataset(seed=4)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    assert isinstance(a, Dataset)
    assert s.params == {"n_train": 8, "noise": 0.6, "seed": 6}


def test_factory_checks_parameters():
    assert REGRESSION(seed=2).params["seed"] == 2
    with pytest.raises(ValueError, match="n_train"):
        REGRESSION(n_train=2)
    with pytest.raises(ValueError, match="noise"):
        REGRESSION(noise=-1)
    with pytest.raises(ValueError, match="split"):
        make_dataset().loss("test", [0, 0])


@pytest.mark.parametrize("kwargs", [{}, {"n_train": 20, "noise": 1.3, "seed": 11}, {"n_train": 3, "seed": 0}])
def test_standardised_inputs_give_a_round_bowl_and_the_same_line(kwargs):
    # x' = (x - m)/s with the training mean and (population) standard deviation: E[x'] = 0, E[x'²] = 1, so
    # the Hessian 2·[[E x'², E x'], [E x', 1]] is 2·I (κ = 1), while the raw one is a tilted valley.
    raw, std = regression(**kwargs), regression_std(**kwargs)
    data = make_dataset(**kwargs)
    np.testing.assert_allclose(std.hessian(np.zeros(2)), 2 * np.eye(2), atol=1e-12)
    assert theory.curvature(std, np.zeros(2)).kappa == pytest.approx(1.0)
    assert theory.curvature(raw, np.zeros(2)).kappa > 3
    m, s = data.x_train.mean(), data.x_train.std()
    x = (data.x_train - m) / s
    ref = np.linalg.lstsq(_design(x), data.y_train, rcond=None)[0]
    np.testing.assert_allclose(std.minima[0], ref, rtol=1e-10, atol=1e-12)
    w, b = raw.minima[0]  # the same line: w = w'/s, b = b' - w'·m/s
    np.testing.assert_allclose([w, b], [ref[0] / s, ref[1] - ref[0] * m / s], rtol=1e-10, atol=1e-12)
    p = np.array([[0.3, -1.2], [2.0, 0.7]])
    np.testing.assert_allclose(std.value(p), np.mean((p[:, :1] * x + p[:, 1:] - data.y_train) ** 2, axis=1))
    scaled = data.standardized()  # validation points scaled with the training split's m and s
    np.testing.assert_allclose(scaled.x_val, (data.x_val - m) / s)
    np.testing.assert_array_equal(scaled.y_val, data.y_val)
    assert REGRESSION_STD.params == REGRESSION.params and std.params == raw.params


def test_gradient_descent_lands_in_one_step_at_one_over_L_on_standardised_data():
    # Hessian 2·I: α = 1/L = 1/2 multiplies the error by 1 - 2α = 0 in every direction.
    s = regression_std()
    run = engine.simulate(s, engine.optimizer("sgd", lr=0.5), np.zeros((1, 2)), steps=50)
    assert run.outcome(0, brief=True) == "converged in 1 step"
