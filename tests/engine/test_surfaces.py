"""Built-in surfaces against independent references: the formulas as written in REFERENCE.md (sympy), finite
differences of the value and of the analytic gradient, and hand-worked numbers from the reference table."""

import warnings

import numpy as np
import pytest
import sympy as sp

from engine.surfaces import SURFACES, surface

SLUGS = [
    "bowl", "quadratic", "rosenbrock", "himmelblau", "beale", "booth", "matyas", "three_hump_camel",
    "six_hump_camel", "goldstein_price", "rastrigin", "ackley", "saddle", "monkey_saddle",
]

X, Y = sp.symbols("x y")
_C30, _S30 = sp.sqrt(3) / 2, sp.Rational(1, 2)
# The formulas as printed in the standard table, typed independently of the engine's modules (defaults for the
# parameterised ones: bowl scale 1; quadratic l1 = 10, l2 = 1, angle 30°, in its spectral form).
FORMULAS = {
    "bowl": X**2 + Y**2,
    "quadratic": (10 * (_C30 * X + _S30 * Y) ** 2 + (-_S30 * X + _C30 * Y) ** 2) / 2,
    "rosenbrock": (1 - X) ** 2 + 100 * (Y - X**2) ** 2,
    "himmelblau": (X**2 + Y - 11) ** 2 + (X + Y**2 - 7) ** 2,
    "beale": (1.5 - X + X * Y) ** 2 + (2.25 - X + X * Y**2) ** 2 + (2.625 - X + X * Y**3) ** 2,
    "booth": (X + 2 * Y - 7) ** 2 + (2 * X + Y - 5) ** 2,
    "matyas": 0.26 * (X**2 + Y**2) - 0.48 * X * Y,
    "three_hump_camel": 2 * X**2 - 1.05 * X**4 + X**6 / 6 + X * Y + Y**2,
    "six_hump_camel": (4 - 2.1 * X**2 + X**4 / 3) * X**2 + X * Y + (-4 + 4 * Y**2) * Y**2,
    "goldstein_price": (1 + (X + Y + 1) ** 2 * (19 - 14 * X + 3 * X**2 - 14 * Y + 6 * X * Y + 3 * Y**2))
    * (30 + (2 * X - 3 * Y) ** 2 * (18 - 32 * X + 12 * X**2 + 48 * Y - 36 * X * Y + 27 * Y**2)),
    "rastrigin": 20 + X**2 - 10 * sp.cos(2 * sp.pi * X) + Y**2 - 10 * sp.cos(2 * sp.pi * Y),
    "ackley": -20 * sp.exp(-sp.Rational(1, 5) * sp.sqrt((X**2 + Y**2) / 2))
    - sp.exp((sp.cos(2 * sp.pi * X) + sp.cos(2 * sp.pi * Y)) / 2) + sp.E + 20,
    "saddle": X**2 - Y**2,
    "monkey_saddle": X**3 - 3 * X * Y**2,
}

# (minimisers, f at them, |grad| tolerance there): REFERENCE.md's table, coordinates rounded as printed there.
MINIMA = {
    "bowl": ([[0, 0]], 0.0, 1e-12),
    "quadratic": ([[0, 0]], 0.0, 1e-12),
    "rosenbrock": ([[1, 1]], 0.0, 1e-12),
    "himmelblau": ([[3, 2], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]], 0.0, 1e-4),
    "beale": ([[3, 0.5]], 0.0, 1e-12),
    "booth": ([[1, 3]], 0.0, 1e-12),
    "matyas": ([[0, 0]], 0.0, 1e-12),
    "three_hump_camel": ([[0, 0]], 0.0, 1e-12),
    "six_hump_camel": ([[0.0898, -0.7126], [-0.0898, 0.7126]], -1.0316, 5e-3),
    "goldstein_price": ([[0, -1]], 3.0, 1e-9),
    "rastrigin": ([[0, 0]], 0.0, 1e-12),
    "ackley": ([[0, 0]], 0.0, 1e-12),
}


def _points(s, n, seed=0):
    (x0, x1), (y0, y1) = s.bounds
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)


def _central(fn, p, h):
    """Central differences of fn along x and y, stacked on a new last axis."""
    steps = h * np.eye(2)
    return np.stack([(fn(p + e) - fn(p - e)) / (2 * h) for e in steps], axis=-1)


def test_registry_lists_the_surfaces_in_order():
    assert list(SURFACES) == [*SLUGS, "regression", "regression_std"]  # the lesson-10 and 14 data surfaces come last
    for slug, factory in SURFACES.items():
        s = surface(slug)
        assert (factory.kind, factory.slug, s.slug) == ("surface", slug, slug)
        assert s.name and s.formula and len(s.description) > 80


@pytest.mark.parametrize("slug", SLUGS)
def test_value_grad_hessian_match_the_reference_formula(slug):
    s, expr = surface(slug), FORMULAS[slug]
    grad = [sp.diff(expr, v) for v in (X, Y)]
    hess = [[sp.diff(g, v) for v in (X, Y)] for g in grad]
    p = _points(s, 50)
    x, y = p[:, 0], p[:, 1]

    def ref(e):
        return np.broadcast_to(sp.lambdify((X, Y), e, "numpy")(x, y), x.shape).astype(float)

    np.testing.assert_allclose(s.value(p), ref(expr), rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(s.grad(p), np.stack([ref(g) for g in grad], -1), rtol=1e-10, atol=1e-10)
    expected = np.stack([np.stack([ref(h) for h in row], -1) for row in hess], -2)
    np.testing.assert_allclose(s.hessian(p), expected, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("slug", SLUGS)
def test_grad_matches_finite_differences(slug):
    s = surface(slug)
    p = _points(s, 200, seed=1)
    fd = _central(s.value, p, 1e-6)
    # rounding noise of the differences is about 1e-16 |f| / 1e-6; truncation about 1e-12 |f'''|
    tol = 1e-6 * np.abs(fd) + 1e-8 * (1 + np.abs(s.value(p)))[:, None]
    assert np.all(np.abs(s.grad(p) - fd) <= tol)


@pytest.mark.parametrize("slug", SLUGS)
def test_hessian_matches_finite_differences_of_the_gradient(slug):
    s = surface(slug)
    p = _points(s, 200, seed=2)
    fd = _central(s.grad, p, 1e-6)   # fd[..., i, j] = ∂g_i/∂p_j, both off-diagonal entries checked
    tol = 1e-6 * np.abs(fd) + 1e-8 * (1 + np.abs(s.grad(p)).max(axis=-1))[:, None, None]
    assert np.all(np.abs(s.hessian(p) - fd) <= tol)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("shape", [(2,), (5, 2), (3, 4, 2)])
def test_shapes_and_symmetry(slug, shape):
    s = surface(slug)
    p = _points(s, int(np.prod(shape[:-1]))).reshape(shape)
    assert s.value(p).shape == shape[:-1]
    assert s.grad(p).shape == shape
    h = s.hessian(p)
    assert h.shape == shape + (2,)
    np.testing.assert_array_equal(h, np.swapaxes(h, -1, -2))


@pytest.mark.parametrize("slug", SLUGS)
def test_formulas_broadcast_a_column_against_a_row(slug):
    s = surface(slug)
    (x0, x1), (y0, y1) = s.bounds
    xs, ys = np.linspace(x0, x1, 3)[:, None], np.linspace(y0, y1, 4)[None, :]
    grid = np.stack(np.broadcast_arrays(xs, ys), axis=-1)
    np.testing.assert_allclose(np.stack(s.grad_xy(xs, ys), axis=-1), s.grad(grid), rtol=1e-14)
    np.testing.assert_allclose(s.f(xs, ys) + np.zeros((3, 4)), s.value(grid), rtol=1e-14)


@pytest.mark.parametrize("slug", SLUGS)
def test_minima_are_the_tabulated_ones(slug):
    s = surface(slug)
    if slug not in MINIMA:
        assert s.minima.shape == (0, 2)
        return
    where, f_min, grad_tol = MINIMA[slug]
    np.testing.assert_allclose(s.minima, where, atol=1e-12)
    np.testing.assert_allclose(s.value(s.minima), f_min, atol=1e-4 if slug == "six_hump_camel" else 1e-9)
    assert np.all(np.linalg.norm(s.grad(s.minima), axis=-1) <= grad_tol)
    assert np.all(np.linalg.eigvalsh(s.hessian(s.minima)) > 0)


def test_rosenbrock_reference_numbers():
    s = surface("rosenbrock")
    np.testing.assert_allclose(s.value(s.start), 24.2, rtol=1e-14)
    np.testing.assert_allclose(s.grad([-1.2, 1.0]), [-215.6, -88.0], rtol=1e-14)
    np.testing.assert_allclose(np.linalg.eigvalsh(s.hessian([1.0, 1.0])), [0.3994, 1001.6], rtol=1e-4)


def test_himmelblau_local_maximum():
    s = surface("himmelblau")
    top = np.array([-0.270845, -0.923039])
    np.testing.assert_allclose(s.value(top), 181.617, atol=1e-3)
    assert np.linalg.norm(s.grad(top)) < 1e-4
    assert np.all(np.linalg.eigvalsh(s.hessian(top)) < 0)


def test_saddles():
    p = _points(surface("saddle"), 10)
    np.testing.assert_array_equal(surface("saddle").hessian(p), np.broadcast_to([[2.0, 0.0], [0.0, -2.0]], (10, 2, 2)))
    monkey = surface("monkey_saddle")
    np.testing.assert_array_equal(monkey.grad([0.0, 0.0]), [0.0, 0.0])
    np.testing.assert_array_equal(monkey.hessian([0.0, 0.0]), np.zeros((2, 2)))
    # three valleys: f = r³ cos 3θ goes down along θ = 60°, 180°, 300°
    angles = np.radians([60.0, 180.0, 300.0])
    assert np.all(monkey.value(np.stack([np.cos(angles), np.sin(angles)], -1)) == pytest.approx(-1.0))


@pytest.mark.parametrize("l1, l2, angle", [(10.0, 1.0, 30.0), (1000.0, 1e-3, -120.0), (2.0, 5.0, 90.0),
                                           (3.0, 3.0, 45.0)])
def test_quadratic_has_the_requested_eigenpairs(l1, l2, angle):
    s = surface("quadratic", l1=l1, l2=l2, angle=angle)
    assert s.params == {"l1": l1, "l2": l2, "angle": angle}
    t = np.radians(angle)
    e1, e2 = np.array([np.cos(t), np.sin(t)]), np.array([-np.sin(t), np.cos(t)])
    h = s.hessian([0.3, -0.7])
    np.testing.assert_allclose(h @ e1, l1 * e1, atol=1e-12 * l1)
    np.testing.assert_allclose(h @ e2, l2 * e2, atol=1e-12 * l1)
    np.testing.assert_allclose(np.linalg.eigvalsh(h), sorted([l1, l2]), rtol=1e-9, atol=1e-12 * l1)
    p = _points(s, 20)
    np.testing.assert_allclose(s.value(p), 0.5 * (l1 * (p @ e1) ** 2 + l2 * (p @ e2) ** 2), rtol=1e-10)


def test_quadratic_defaults_and_bowl_scale():
    assert surface("quadratic").params == {"l1": 10.0, "l2": 1.0, "angle": 30.0}
    s = surface("bowl", scale=4.0)
    np.testing.assert_allclose(s.value([1.0, -2.0]), 20.0)
    np.testing.assert_allclose(s.hessian([0.5, 0.5]), 8.0 * np.eye(2))


@pytest.mark.parametrize("slug, params, name", [
    ("rosenbrok", {}, "rosenbrok"),
    ("quadratic", {"l3": 1.0}, "l3"),
    ("quadratic", {"l1": -1.0}, "l1"),
    ("quadratic", {"angle": 200.0}, "angle"),
    ("bowl", {"scale": 0.0}, "scale"),
    ("rosenbrock", {"curvature": 2.0}, "curvature"),
])
def test_bad_slug_or_parameter_raises_naming_it(slug, params, name):
    with pytest.raises(ValueError, match=name):
        surface(slug, **params)


@pytest.mark.parametrize("p", [[0.0, 0.0], [1e-300, 0.0], [1e-12, -3e-12], [0.0, 5e-9]])
def test_ackley_near_the_cone_tip_is_finite_and_silent(p):
    s = surface("ackley")
    with warnings.catch_warnings(), np.errstate(divide="raise", over="raise", invalid="raise"):
        warnings.simplefilter("error")
        f, g, h = s.value(p), s.grad(p), s.hessian(p)
    assert 0 <= f <= 3 * np.linalg.norm(p) + 1e-15   # the cone: f ≈ 2√2 ρ near the tip, 0 at it
    assert np.all(np.isfinite(g)) and np.linalg.norm(g) < 3
    assert np.all(np.isfinite(h)) and np.all(np.linalg.eigvalsh(h) > 1e7)
    if p == [0.0, 0.0]:
        np.testing.assert_array_equal(g, [0.0, 0.0])


def test_ackley_gradient_keeps_its_size_near_the_tip():
    # the cone: |∇f| → 2√2 along any ray into the minimum, which is why a fixed step keeps bouncing
    s = surface("ackley")
    np.testing.assert_allclose(np.linalg.norm(s.grad([[1e-6, 0.0], [0.0, -1e-6], [1e-6, 1e-6]]), axis=-1),
                               2 * np.sqrt(2), rtol=1e-4)


@pytest.mark.parametrize("slug", SLUGS)
def test_view_start_and_minima_fit_together(slug):
    s = surface(slug)
    (x0, x1), (y0, y1) = s.bounds
    assert x0 < x1 and y0 < y1
    inside = (x0 <= s.minima[:, 0]) & (s.minima[:, 0] <= x1) & (y0 <= s.minima[:, 1]) & (s.minima[:, 1] <= y1)
    assert np.all(inside)
    assert x0 < s.start[0] < x1 and y0 < s.start[1] < y1
    assert np.linalg.norm(s.grad(s.start)) > 1e-2   # the default start is never a resting point
