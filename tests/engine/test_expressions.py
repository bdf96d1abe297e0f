"""User-typed expressions: hostile text is refused before anything runs, and accepted text gives the value,
gradient and Hessian of hand-differentiated formulas (written out below) and of central finite differences."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy.parsing import sympy_parser

import engine.expressions as expressions
from engine import Surface, surface_from_expression

# --- refused text -------------------------------------------------------------------------------------------

ATTACKS = {
    "__import__('os').system('echo hi')": "only the functions",
    "().__class__.__bases__": "attribute access",
    "x.real": "attribute access",
    "lambda: 1": "lambda",
    "[x for x in y]": "comprehension",
    "9**9**9": "exponent is too large",
    "x**1000": "exponent is too large",
    "2**x**2": "exponent must be a number",
    "x**y": "exponent must be a number",
    "x" * 10_000: "too long",
    "(" * 50 + "x" + ")" * 50: "nested too deeply",
    "-(" * 50 + "x" + ")" * 50: "nested too deeply",
    "-" * 50 + "x": "nested too deeply",
    "open('f')": "'open' is not an allowed function",
    "eval('1')": "'eval' is not an allowed function",
    "exec": "unknown name 'exec'",
    "f'{x}'": "f-string",
    "x if y else 1": "if/else",
    "x < y": "comparison",
    "x and y": "and/or",
    "sin(x=1)": "exactly one argument",
    "log(x, 2)": "exactly one argument",
    "sin(*x)": "star",
    "'x'": "text in quotes",
    "b'x'": "bytes",
    "1j * x": "complex",
    "True * x": "True/False",
    "1e400 * x": "at most 1,000,000",
    "1000001 * x": "at most 1,000,000",
    "": "empty",
    "   \t ": "empty",
    "x;y": "not a valid expression",
    "x\ny": "plain ASCII on one line",
    "x\x00": "plain ASCII on one line",
    "2x": "not a valid expression",
    "x²": "plain ASCII",
    "\uff58 + y": "plain ASCII",  # fullwidth x: Python's parser would NFKC-normalise it to x
    "x\u200b": "plain ASCII",  # zero-width space
    "x // 2": "'//'",
    "x % 2": "'%'",
    "~x": "'~'",
    "x, y": "comma",
    "x[0]": "indexing",
    "{x}": "set",
    "(z := x)": "assignment",
    "z + x": "unknown name 'z'",
    "sin + x": "'sin' is a function",
    "x(2)": "'x' is not an allowed function",
    "x.__class__(1)": "only the functions",
    "3": "must depend on x or y",
    "x - x": "must depend on x or y",
    "x / 0": "not a real number",
    "log(-1) * x": "not a real number",
    "sqrt(-2) + x": "not a real number",
    "(-8)**(1/3) * x": "not a real number",
    "0**-1 + x": "not a real number",
    "sqrt(-cosh(x))": "not a real number",  # sympy writes it as I*sqrt(cosh(x))
    "((999999**10)**10)**10 * x": "too large",
    "(1e6**10)**10 * x": "too large",
    "0.0 / 0.0 * x": "divides by zero",
    "(-x**2)**(1/3)": "not a real number",  # sympy writes it as (-1)**(1/3) * (x**2)**(1/3)
    "-tan(sinh(999999)) * x": "too large",  # would make sympy compute sinh(999999) to ~434,000 digits
    "x * exp(710)": "too large",
    "-exp(-(1e6**10))": "is a constant",
}


@pytest.mark.parametrize("text", list(ATTACKS), ids=lambda t: repr(t[:30]))
def test_refused_text_raises_value_error_naming_the_problem(text):
    with pytest.raises(ValueError, match=re.escape(ATTACKS[text])):
        surface_from_expression(text)


# text -> (words the message must have, the character it points at)
SYNTAX_HINTS = {
    "x**": ("'**' at the end has nothing on its right", 1),
    "x^": ("'^' at the end has nothing on its right", 1),
    "  x + ": ("'+' at the end has nothing on its right", 4),  # positions count in the text as typed
    "x*/2": ("'*' is followed by '/'", 2),
    "(x + )": ("'+' has nothing on its right", 3),
    "*x": ("'*' at the start has nothing on its left", 0),
    "(* x)": ("'*' has nothing on its left", 1),
    "2x": ("write products with *, e.g. 2*x", 1),
    "x y": ("write products with *", 2),
    "sin x": ("'sin' takes its argument in parentheses, e.g. sin(x)", 4),
    "(x + 1": ("'(' is never closed", 0),
    "sin(x)) + 1": ("')' has no matching '('", 6),
    "x = 2": ("'=' is not allowed", 2),
    "x;y": ("not a valid expression", None),
}


@pytest.mark.parametrize("text", list(SYNTAX_HINTS))
def test_syntax_errors_get_a_hint_that_fits_and_point_at_the_spot(text):
    words, position = SYNTAX_HINTS[text]
    with pytest.raises(expressions.ExpressionError) as caught:
        surface_from_expression(text)
    message = str(caught.value)
    assert message.startswith("not a valid expression") and words in message
    assert ("products" in message) == ("products" in words)  # the products hint only where it fits
    if position is not None:
        assert caught.value.position == position


def test_refused_text_never_runs(tmp_path):
    marker = tmp_path / "ran"
    for attack in (f"__import__('os').system('touch {marker}')", f"open('{marker}', 'w')"):
        with pytest.raises(ValueError):
            surface_from_expression(attack)
    assert not marker.exists()


def test_user_text_never_reaches_sympys_string_parser(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parse_expr was called")

    monkeypatch.setattr(sympy_parser, "parse_expr", refuse)
    s = surface_from_expression("cosh(x) * y - 7")  # not used elsewhere in this file: not cached yet
    assert s.value(np.array([0.0, 3.0])) == pytest.approx(-4.0)


@pytest.mark.parametrize(
    ("accepted", "refused", "message"),
    [
        ("x" + " " * 196 + "+ y", "x" + " " * 197 + "+ y", "too long"),  # 200 vs 201 characters
        ("+".join(["x"] * 50), "+".join(["x"] * 51), "too large"),  # 99 vs 101 nodes
        ("-" * 19 + "x", "-" * 20 + "x", "nested too deeply"),  # depth 20 vs 21
        ("(" * 20 + "x" + ")" * 20, "(" * 21 + "x" + ")" * 21, "nested too deeply"),
        ("1000000 * x", "1000000.5 * x", "at most"),
        ("x**10 + x**-10", "x**10.5", "exponent is too large"),
    ],
)
def test_limits_are_inclusive(accepted, refused, message):
    surface_from_expression(accepted)
    with pytest.raises(ValueError, match=message):
        surface_from_expression(refused)


LEAVES = ["x", "y", "e", "pi", "0", "1", "0.0", "0.5", "1e6", "-1", "(1/3)", "999999", "z", "'s'"]
OPERATORS = ["+", "-", "*", "/", "**", "^", "//", "<", ",", " "]
CALLS = [*expressions.FUNCTIONS, "asin", "x", ""]
TEXTS = st.recursive(
    st.sampled_from(LEAVES),
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"({a}{op}{b})", inner, st.sampled_from(OPERATORS), inner),
        st.builds(lambda name, a: f"{name}({a})", st.sampled_from(CALLS), inner),
        st.builds(lambda a: f"-{a}", inner),
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_a_surface_or_a_value_error(text):
    """No other exception escapes (sympy's ZeroDivisionError on 0.0/0.0, unprintable derivatives of abs(x/y)
    and complex values of sqrt(-cosh(x)) once did), and an accepted surface evaluates with the documented shapes."""
    try:
        s = surface_from_expression(text)
    except ValueError:
        return
    p = np.random.default_rng(0).normal(size=(3, 2))
    assert isinstance(s, Surface)
    assert (s.value(p).shape, s.grad(p).shape, s.hessian(p).shape) == ((3,), (3, 2), (3, 2, 2))


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
