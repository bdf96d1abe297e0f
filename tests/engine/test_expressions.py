"""User-typed expressions that are accepted give the value, gradient and Hessian of hand-differentiated
formulas (written out below) and of central finite differences, with the documented shapes, domains and
metadata.  Refused text is tested in test_expression_refusals.py."""

import warnings

import numpy as np
import pytest

import engine.expressions as expressions
from engine import surface_from_expression

# --- accepted text: value, gradient, Hessian ------------------------------------------------------------------

def _rosenbrock_hessian(x, y):
    return 2 - 400 * y + 1200 * x**2, -400 * x, 200 + 0 * x


# text -> (f, (fx, fy), (fxx, fxy, fyy)), differentiated by hand.
CASES = {
    "x**2 + 3*sin(y)": (
        lambda x, y: x**2 + 3 * np.sin(y),
        lambda x, y: (2 * x, 3 * np.cos(y)),
        lambda x, y: (2 + 0 * x, 0 * x, -3 * np.sin(y)),
    ),
    "(1-x)**2 + 100*(y-x**2)**2": (
        lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
        _rosenbrock_hessian,
    ),
    "exp(-x**2-y**2)": (
        lambda x, y: np.exp(-(x**2) - y**2),
        lambda x, y: (-2 * x * np.exp(-(x**2) - y**2), -2 * y * np.exp(-(x**2) - y**2)),
        lambda x, y: tuple(h * np.exp(-(x**2) - y**2) for h in (4 * x**2 - 2, 4 * x * y, 4 * y**2 - 2)),
    ),
    "sqrt(x**2+y**2+1)": (
        lambda x, y: np.sqrt(x**2 + y**2 + 1),
        lambda x, y: (x / np.sqrt(x**2 + y**2 + 1), y / np.sqrt(x**2 + y**2 + 1)),
        lambda x, y: tuple(h / (x**2 + y**2 + 1) ** 1.5 for h in (y**2 + 1, -x * y, x**2 + 1)),
    ),
    "x*y": (lambda x, y: x * y, lambda x, y: (y, x), lambda x, y: (0 * x, 1 + 0 * x, 0 * x)),
    "-x": (lambda x, y: -x, lambda x, y: (-1 + 0 * x, 0 * x), lambda x, y: (0 * x, 0 * x, 0 * x)),
    "x^2 + y^2": (lambda x, y: x**2 + y**2, lambda x, y: (2 * x, 2 * y), lambda x, y: (2 + 0 * x, 0 * x, 2 + 0 * x)),
    "log(1+x**2+y**2)": (
        lambda x, y: np.log(1 + x**2 + y**2),
        lambda x, y: (2 * x / (1 + x**2 + y**2), 2 * y / (1 + x**2 + y**2)),
        lambda x, y: tuple(
            h / (1 + x**2 + y**2) ** 2 for h in (2 * (1 - x**2 + y**2), -4 * x * y, 2 * (1 + x**2 - y**2))
        ),
    ),
    "e^(-x^2) * cos(y) + atan(x*y)": (
        lambda x, y: np.exp(-(x**2)) * np.cos(y) + np.arctan(x * y),
        lambda x, y: (
            -2 * x * np.exp(-(x**2)) * np.cos(y) + y / (1 + x**2 * y**2),
            -np.exp(-(x**2)) * np.sin(y) + x / (1 + x**2 * y**2),
        ),
        lambda x, y: (
            (4 * x**2 - 2) * np.exp(-(x**2)) * np.cos(y) - 2 * x * y**3 / (1 + x**2 * y**2) ** 2,
            2 * x * np.exp(-(x**2)) * np.sin(y) + (1 - x**2 * y**2) / (1 + x**2 * y**2) ** 2,
            -np.exp(-(x**2)) * np.cos(y) - 2 * x**3 * y / (1 + x**2 * y**2) ** 2,
        ),
    ),
    "abs(x) + tanh(y) + x**(1/3)": (
        lambda x, y: np.abs(x) + np.tanh(y) + np.cbrt(x),
        lambda x, y: (np.sign(x) + np.cbrt(x) ** -2 / 3, 1 - np.tanh(y) ** 2),
        lambda x, y: (-2 / 9 * np.cbrt(x) ** -5, 0 * x, -2 * np.tanh(y) * (1 - np.tanh(y) ** 2)),
    ),
}


def _points(text, n=25):
    """Random points in [-2, 2]^2 (x > 0 where the formula has a cube root), away from kinks."""
    p = np.random.default_rng(len(text)).uniform(-2, 2, size=(n, 2))
    if "1/3" in text:
        p[:, 0] = np.abs(p[:, 0]) + 0.2
    return p


def _stack_hessian(fxx, fxy, fyy):
    return np.stack([np.stack([fxx, fxy], -1), np.stack([fxy, fyy], -1)], -2)


@pytest.mark.parametrize("text", list(CASES))
def test_value_gradient_hessian_match_hand_derivatives(text):
    f, df, d2f = CASES[text]
    s, p = surface_from_expression(text), _points(text)
    x, y = p[:, 0], p[:, 1]
    np.testing.assert_allclose(s.value(p), f(x, y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s.grad(p), np.stack(df(x, y), -1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s.hessian(p), _stack_hessian(*d2f(x, y)), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("text", list(CASES))
def test_gradient_and_hessian_match_central_differences(text):
    s, p, h = surface_from_expression(text), _points(text), 1e-5
    steps = h * np.eye(2)
    fd_grad = np.stack([(s.value(p + d) - s.value(p - d)) / (2 * h) for d in steps], -1)
    fd_hess = np.stack([(s.grad(p + d) - s.grad(p - d)) / (2 * h) for d in steps], -2)
    np.testing.assert_allclose(s.grad(p), fd_grad, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(s.hessian(p), fd_hess, rtol=1e-6, atol=1e-6)


def test_rosenbrock_reference_numbers():
    s = surface_from_expression("(1-x)**2 + 100*(y-x**2)**2")
    start = np.array([-1.2, 1.0])
    assert s.value(start) == pytest.approx(24.2)
    np.testing.assert_allclose(s.grad(start), [-215.6, -88.0])
    np.testing.assert_allclose(np.linalg.eigvalsh(s.hessian(np.ones(2))), [0.3994, 1001.6], rtol=1e-4)


def test_caret_is_power_with_maths_precedence():
    """Python's ^ is xor binding looser than +; here x^2 + y^2 is the sum of squares and 2^3^2 is 2^9."""
    assert surface_from_expression("x^2 + y^2").value(np.array([3.0, 4.0])) == pytest.approx(25.0)
    assert surface_from_expression("x * 2^3^2").value(np.array([1.0, 0.0])) == pytest.approx(512.0)


def test_e_to_a_power_is_exp_and_names_are_constants():
    p = np.array([[0.3, -1.1], [1.5, 0.2]])
    np.testing.assert_allclose(surface_from_expression("e**(x*y)").value(p), np.exp(p[:, 0] * p[:, 1]))
    np.testing.assert_allclose(surface_from_expression("pi*x + e").value(p), np.pi * p[:, 0] + np.e)


def test_large_exact_integers_are_evaluated_as_floats():
    """NumPy cannot take Python ints beyond int64; 999999**10 ~ 1e60 fits in a float."""
    s = surface_from_expression("y + arctan(999999**10) + x * 999999**10")
    assert s.value(np.array([0.0, 2.0])) == pytest.approx(2 + np.pi / 2)
    np.testing.assert_allclose(s.grad(np.zeros(2)), [999999.0**10, 1.0])


def test_abs_has_zero_curvature_at_its_kink():
    s = surface_from_expression("abs(x) + abs(y)")
    np.testing.assert_array_equal(s.grad(np.array([[-2.0, 3.0], [0.0, 0.0]])), [[-1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(s.hessian(np.zeros(2)), np.zeros((2, 2)))


def test_abs_of_a_quotient():
    """sympy leaves d sign(x/y) / dx unevaluated (x/y could be infinite); near (1, 2) f is x/y."""
    s, p = surface_from_expression("abs(x/y)"), np.array([1.0, 2.0])
    np.testing.assert_allclose(s.grad(p), [1 / 2, -1 / 4])  # (1/y, -x/y^2)
    np.testing.assert_allclose(s.hessian(p), [[0, -1 / 4], [-1 / 4, 2 / 8]])  # fxy = -1/y^2, fyy = 2x/y^3


# --- shapes, domains, metadata --------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(2,), (5, 2), (3, 4, 2)])
@pytest.mark.parametrize("text", ["x + 0*y", "x*y", "-x", "x**2 + 3*sin(y)"])
def test_outputs_broadcast_over_leading_axes(shape, text):
    s = surface_from_expression(text)
    p = np.random.default_rng(0).normal(size=shape)
    value, grad, hess = s.value(p), s.grad(p), s.hessian(p)
    assert (value.shape, grad.shape, hess.shape) == (shape[:-1], shape, shape + (2,))
    assert value.dtype == grad.dtype == hess.dtype == np.float64
    np.testing.assert_array_equal(hess, np.swapaxes(hess, -1, -2))


def test_constant_derivatives_come_back_as_float_arrays_of_the_broadcast_shape():
    s = surface_from_expression("x + 0*y")
    x, y = np.arange(3.0)[:, None], np.arange(4.0)[None, :]
    fx, fy = s.df(x, y)
    assert fx.shape == fy.shape == (3, 4) and fx.dtype == np.float64
    np.testing.assert_array_equal(fx, 1.0)
    np.testing.assert_array_equal(fy, 0.0)
    fx[0, 0] = 5.0  # a fresh array, not a read-only broadcast view
    assert all(h.shape == (3, 4) for h in s.d2f(x, y))
    assert s.f(1, 2).shape == ()


def test_outside_the_domain_gives_nan_without_warnings():
    p = np.array([[-1.0, 0.0], [4.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = surface_from_expression("sqrt(x) + log(x) + y")
        value, grad = s.value(p), s.grad(p)
    assert np.isnan(value[0]) and np.isnan(grad[0, 0])
    assert value[1] == pytest.approx(2 + np.log(4)) and grad[1, 0] == pytest.approx(0.25 + 0.25)


def test_surface_metadata():
    s = surface_from_expression(" x^2+3*sin(y) ")
    assert s.slug == "custom"
    assert s.name == "f(x, y) = x ** 2 + 3 * sin(y)"
    assert "you typed" in s.description
    assert s.params == {"expr": " x^2+3*sin(y) "}
    assert s.minima.shape == (0, 2)
    assert s.bounds == ((-3.0, 3.0), (-3.0, 3.0))
    np.testing.assert_allclose(s.start, [-2.1, 2.1])
    assert s.start.tolist() == [-2.1, 2.1]  # what a person types, not -2.0999999999999996
    assert s.formula == r"x^{2} + 3 \sin{\left(y \right)}"


def test_bounds_and_start():
    s = surface_from_expression("x*y", bounds=((0, 10), (-1, 1)))
    assert s.bounds == ((0.0, 10.0), (-1.0, 1.0))
    np.testing.assert_allclose(s.start, [1.5, 0.7])  # 70% of the way from the centre (5, 0) to (0, 1)
    np.testing.assert_array_equal(surface_from_expression("x*y", start=(0.5, -0.5)).start, [0.5, -0.5])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": None}, "must be text"),
        ({"text": b"x"}, "must be text"),
        ({"bounds": ((1, -1), (-1, 1))}, "xmin < xmax"),
        ({"bounds": ((-1, 1), (0, np.inf))}, "finite"),
        ({"bounds": (-1, 1)}, "bounds must be"),
        ({"start": (1.0, 2.0, 3.0)}, "start must be"),
        ({"start": (np.nan, 0.0)}, "start must be"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        surface_from_expression(**{"text": "x*y", **kwargs})


def test_equivalent_spellings_share_one_compiled_function():
    first = surface_from_expression("x**2+y")
    for spelling in ("x ** 2 + y", "x^2 + y", "(x**2) + (y)"):
        assert surface_from_expression(spelling).f is first.f
    assert expressions.MAX_LENGTH == 200 and "sin" in expressions.FUNCTIONS


def test_parse_expression_gives_the_checked_sympy_tree():
    from engine.expressions import parse_expression

    expr = parse_expression("x^2 + 3*sin(y)")
    symbols = {s.name: s for s in expr.free_symbols}
    assert set(symbols) == {"x", "y"}
    value = float(expr.subs({symbols["x"]: 0.5, symbols["y"]: 2.0}))
    assert value == pytest.approx(0.25 + 3 * np.sin(2.0))
    with pytest.raises(ValueError):
        parse_expression("__import__('os')")
