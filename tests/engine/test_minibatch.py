"""Mini-batch gradients (engine.minibatch) on the regression surface: a hand-checked batch gradient, the full
batch equals the exact gradient, seeded reproducibility, and the 1/B law of the gradient noise."""

import numpy as np
import pytest

import engine
from engine.minibatch import draw_batches
from engine.regression import _batch_grad, make_dataset


def test_batch_gradient_by_hand():
    # Two examples (x, y) = (1, 2) and (2, 1) at (w, b) = (1, 0): residuals 1·1 + 0 − 2 = −1 and 2 − 1 = 1.
    # Their mean gradient 2·mean(r·(x, 1)) = 2·((−1·1 + 1·2)/2, (−1 + 1)/2) = (1, 0); example 0 alone: 2·(−1, −1).
    batch_grad = _batch_grad(np.array([1.0, 2.0]), np.array([2.0, 1.0]))
    out = np.empty((2, 2))
    batch_grad(np.array([1.0, 1.0]), np.array([0.0, 0.0]), np.array([[0, 1], [0, 0]]), out)
    np.testing.assert_allclose(out[:, 0], [1.0, 0.0])
    np.testing.assert_allclose(out[:, 1], [-2.0, -2.0])


def test_all_examples_give_the_exact_gradient():
    s = engine.surface("regression", n_train=20)
    p = np.array([[0.3, -0.7], [2.0, 1.0]])
    out = np.empty((2, 2))
    s.examples.batch_grad(p[:, 0], p[:, 1], np.tile(np.arange(20), (2, 1)), out)
    np.testing.assert_allclose(out.T, s.grad(p), rtol=1e-12, atol=1e-12)


def _run(batch, seed=0, n=1, steps=200, lr=0.1):
    s = engine.surface("regression", n_train=50)
    return engine.simulate(s, engine.optimizer("sgd", lr=lr), np.zeros((n, 2)), steps=steps, batch=batch,
                           seed=seed, stop_at_convergence=False)


def test_full_batch_is_the_exact_run_and_a_batch_is_not():
    exact = _run(0)
    np.testing.assert_array_equal(_run(50).points, exact.points)  # B = n: the full-batch gradient
    np.testing.assert_array_equal(_run(500).points, exact.points)
    assert np.abs(_run(5).points - exact.points).max() > 1e-3


def test_the_same_seed_gives_the_same_batches():
    np.testing.assert_array_equal(_run(4, seed=7).points, _run(4, seed=7).points)
    assert np.abs(_run(4, seed=7).points - _run(4, seed=8).points).max() > 1e-6
    first = next(draw_batches(10, 3, seed=1, trajectories=4, steps=5))
    assert first.shape == (4, 3) and all(len(set(row)) == 3 for row in first.tolist())


def test_batches_are_uniform_subsets():
    counts = np.bincount(np.concatenate([b.ravel() for b in draw_batches(10, 3, 0, 100, 200)]), minlength=10)
    assert counts.sum() == 100 * 200 * 3
    np.testing.assert_allclose(counts / counts.sum(), 0.1, atol=0.005)


@pytest.mark.parametrize("batch", [1, 4, 16])
def test_gradient_noise_variance_is_the_per_example_one_over_b_with_the_finite_population_correction(batch):
    # At a fixed point the batch gradient's covariance is C/B·(n − B)/(n − 1), C the per-example covariance.
    n, draws = 50, 4000
    data = make_dataset(n_train=n)
    s = engine.surface("regression", n_train=n)
    w, b = 0.5, 0.2
    r = w * data.x_train + b - data.y_train
    per_example = 2 * np.stack([r * data.x_train, r], axis=1)
    expected = np.cov(per_example.T, bias=True) / batch * (n - batch) / (n - 1)
    idx = next(draw_batches(n, batch, 3, draws, 1))
    out = np.empty((2, draws))
    s.examples.batch_grad(np.full(draws, w), np.full(draws, b), idx, out)
    np.testing.assert_allclose(out.mean(axis=1), s.grad(np.array([w, b])), atol=4 * np.sqrt(expected.max() / draws))
    np.testing.assert_allclose(np.cov(out), expected, rtol=0.1, atol=0.02 * expected.max())


def test_a_batch_needs_examples_and_a_positive_size():
    with pytest.raises(ValueError, match="examples"):
        engine.simulate(engine.surface("bowl"), engine.optimizer("sgd", lr=0.1), np.zeros((1, 2)), batch=4)
    with pytest.raises(ValueError, match="batch must be"):
        _run(-2)
