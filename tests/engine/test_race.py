"""engine.race: the fair race's lr sweep, checked against the closed form of gradient descent on a quadratic."""

import numpy as np
import pytest

import engine
from engine import race, theory
from engine.trajectory_labels import GRAD_TOL, STEP_TOL


def _gd_steps_to_converge(lr: float, lams: np.ndarray, e0: np.ndarray, diagonal: float, steps: int) -> int:
    """Closed form on f = ½ Σ λᵢ eᵢ²: e_t = (1 − αλ)^t e₀, ∇f = λ e_t; converged at the first t with
    ‖∇f‖ <= GRAD_TOL and the next step α‖∇f‖ <= STEP_TOL·diagonal (the engine's rule); a large number if never."""
    with np.errstate(all="ignore"):
        for t in range(steps + 1):
            grad = float(np.linalg.norm(lams * (1 - lr * lams) ** t * e0))
            if grad <= GRAD_TOL and lr * grad <= STEP_TOL * diagonal:
                return t
    return 10**9


def test_best_gd_lr_on_a_quadratic_is_the_closed_forms_and_next_to_two_over_l_plus_mu():
    surface = engine.surface("quadratic", l1=10.0, l2=1.0, angle=0.0)
    start = np.array(surface.start)
    lrs = race.lr_grid(1e-3, 1.0, 20)
    sweep = race.lr_sweep(surface, "sgd", start, lrs, steps=500)
    lams, e0 = np.array([10.0, 1.0]), start - surface.minima[0]
    closed = np.array([_gd_steps_to_converge(lr, lams, e0, surface.view_diagonal, 500) for lr in lrs])
    assert sweep.best == int(np.argmin(closed))
    np.testing.assert_array_equal(sweep.converged_in[closed < 10**9], closed[closed < 10**9])
    # the contraction max|1 − αλ| is smallest at 2/(L + μ): the best lr lies within one grid cell of it
    c = theory.curvature(surface, start)
    optimum = theory.optimal_step(c.L, c.mu)[0]
    assert optimum == pytest.approx(2 / 11)
    assert abs(np.log10(sweep.best_lr / optimum)) <= 1 / 20
    assert (sweep.status[lrs > 2 / c.L] == "diverged").all()


def test_lr_grid_is_log_spaced_with_both_ends():
    grid = race.lr_grid(1e-4, 10.0, 4)
    assert len(grid) == 21 and grid[0] == pytest.approx(1e-4) and grid[-1] == pytest.approx(10.0)
    np.testing.assert_allclose(np.diff(np.log10(grid)), 0.25)
    with pytest.raises(ValueError):
        race.lr_grid(1.0, 0.1, 4)


def test_best_index_prefers_fewest_steps_then_lowest_loss_and_puts_divergence_last():
    status = np.array(["stalled", "converged", "converged", "diverged"])
    assert race.best_index(status, np.array([-1, 40, 40, 3]), np.array([0.1, 2e-9, 1e-9, np.nan])) == 2
    status = np.array(["stalled", "oscillating", "diverged"])
    assert race.best_index(status, np.array([-1, -1, -1]), np.array([0.5, 0.2, 0.0])) == 1
    assert race.best_index(np.array(["diverged", "diverged"]), np.array([-1, -1]), np.array([np.inf, 1.0])) == 0


def test_default_lrs_are_torchs():
    assert race.default_lr("sgd") == 0.001 and race.default_lr("adagrad") == 0.01 and race.default_lr("adam") == 0.001
