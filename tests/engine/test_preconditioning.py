"""engine.preconditioning on quadratics worked by hand (REFERENCE.md, "Conditioning you can fix")."""

import numpy as np
import pytest

import engine
from engine import preconditioning
from engine.trajectory_labels import GRAD_TOL


def test_newton_reaches_a_quadratics_minimum_in_one_step():
    # H = diag(4, 1), p = (-1.5, 1): ∇f = (-6, 1), H⁻¹∇f = (-1.5, 1), so p - H⁻¹∇f = (0, 0).
    s = engine.surface("quadratic", l1=4.0, l2=1.0, angle=0.0)
    np.testing.assert_allclose(preconditioning.newton_step(s, [-1.5, 1.0]), [0.0, 0.0], atol=1e-15)
    # H = [[2, 1], [1, 2]] (λ 3 and 1 at 45°): α = 1/2 halves the error, whatever the direction.
    tilted = engine.surface("quadratic", l1=3.0, l2=1.0, angle=45.0)
    np.testing.assert_allclose(preconditioning.newton_step(tilted, [1.0, -2.0], lr=0.5), [0.5, -1.0], atol=1e-15)
    path = preconditioning.preconditioned_path(tilted, [1.0, -2.0], 1.0, 50, "newton")
    assert len(path) == 2 and np.allclose(path[-1], 0.0, atol=1e-15)  # one step, then the gradient is 0


def test_diagonal_preconditioner_fixes_a_stretch_but_not_a_tilt():
    # diag(4, 1): P = H, so P⁻¹H = I: κ 4 -> 1 and α = 1 lands in one step.
    stretched = engine.surface("quadratic", l1=4.0, l2=1.0, angle=0.0)
    c = preconditioning.preconditioned_curvature(stretched, [0.0, 0.0], "diagonal")
    assert (c.L, c.mu) == pytest.approx((1.0, 1.0))
    assert len(preconditioning.preconditioned_path(stretched, [-1.5, 1.0], 1.0, 50, "diagonal")) == 2
    # [[2, 1], [1, 2]]: P = 2I, P⁻¹H = [[1, 1/2], [1/2, 1]], eigenvalues 1 ± 1/2: κ stays 3.
    tilted = engine.surface("quadratic", l1=3.0, l2=1.0, angle=45.0)
    c = preconditioning.preconditioned_curvature(tilted, [0.0, 0.0], "diagonal")
    assert (c.L, c.mu, c.kappa) == pytest.approx((1.5, 0.5, 3.0))
    # each step multiplies the error along (1, -1) by 1 - α·0.5: α = 1 halves it.
    path = preconditioning.preconditioned_path(tilted, [1.0, -1.0], 1.0, 3, "diagonal")
    np.testing.assert_allclose(path, [[1, -1], [0.5, -0.5], [0.25, -0.25], [0.125, -0.125]])


def test_path_stops_at_convergence_and_at_a_blow_up():
    s = engine.surface("quadratic", l1=3.0, l2=1.0, angle=45.0)
    path = preconditioning.preconditioned_path(s, [1.0, -1.0], 1.0, 500, "diagonal")
    assert np.linalg.norm(s.grad(path[-1])) <= GRAD_TOL < np.linalg.norm(s.grad(path[-2]))
    # α = 5 along λ = 0.5 and 1.5 of P⁻¹H: factors -1.5 and -6.5, so the error grows until it is not finite.
    blown = preconditioning.preconditioned_path(s, [1.0, -2.0], 5.0, 2000, "diagonal")
    assert not np.isfinite(blown[-1]).all() and len(blown) < 2001


def test_preconditioners_need_a_positive_definite_hessian():
    with pytest.raises(ValueError, match="positive-definite"):
        preconditioning.newton_step(engine.surface("saddle"), [1.0, 1.0])
    with pytest.raises(ValueError, match="unknown preconditioner"):
        preconditioning.preconditioned_path(engine.surface("bowl"), [1.0, 1.0], 1.0, 5, "adam")
