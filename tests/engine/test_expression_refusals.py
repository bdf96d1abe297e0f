"""User-typed expressions that are refused: hostile or malformed text raises a ValueError naming the problem
(with a hint and a position for syntax slips) before anything runs, the caps on size are inclusive, and any
text gives either a surface or a ValueError.  Accepted text is tested in test_expressions.py."""

import re

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
