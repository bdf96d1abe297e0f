"""User-typed loss surfaces: ``surface_from_expression("x**2 + 3*sin(y)")`` -> a ``Surface``.

The text comes from URLs and text boxes, so it is never evaluated.  It is parsed with
``ast.parse(text, mode="eval")`` and every node is checked against an allow-list
(``engine.expression_parser``): numbers, the names x, y, pi, e, the operators + - * / ** (and unary + -),
and one-argument calls of the functions in ``FUNCTIONS``.  The checked tree is then translated node by
node into a sympy expression built by this module (sympy's own ``sympify``/``parse_expr`` call ``eval``
and are never used).  The gradient and Hessian are derived with ``sympy.diff`` and turned into NumPy
functions with ``sympy.lambdify`` on those sympy expressions -- code generated from our own tree, never
from the user's text.

Conventions and limits (each violation is a ``ValueError`` naming what is not allowed):

- ``^`` means power, as in maths and calculators: ``x^2 + y^2`` is ``x**2 + y**2``.  (Python would read
  ``^`` as bitwise xor with a lower precedence than ``+``, so it is replaced in the text before parsing.)
- at most ``MAX_LENGTH`` printable ASCII characters, ``MAX_NODES`` nodes (numbers, names, operations,
  calls), ``MAX_DEPTH`` levels of nesting (counted in the tree, where a chain like a + b - c is one level,
  and in parentheses); numbers at most ``MAX_CONSTANT`` in size.  Compiling the largest allowed
  expressions takes up to about 1.5 s (typical ones 5-50 ms); results are cached by normalised text.  These
  caps and the allow-list live in ``engine.expression_parser``.
- preparing an expression (sympy expression, derivatives, NumPy functions) is stopped after
  ``MAX_COMPILE_SECONDS`` of wall time with a ValueError saying it is too complex.
- the exponent of a power must be a plain number of size at most ``MAX_EXPONENT`` (``x**2``,
  ``x**-0.5``, ``x**(1/3)``).  Variable exponents (``x**y``, ``2**x**2``) are rejected: they are
  undefined for negative bases and can overflow for moderate inputs; write them with ``exp`` instead
  (``2**x`` as ``exp(x*log(2))``).  ``e**(...)`` is accepted and means ``exp(...)``.  Exact numbers
  are capped at ``MAX_BITS`` bits, so nested constant powers (``((9**9)**9)**9``) cannot exhaust memory.
- constant parts must be real and fit in a float64 (``1/0``, ``log(-1)``, ``sqrt(-2)``, ``exp(710)`` are
  rejected), and the expression must depend on x or y.
- text Python cannot parse raises ``ExpressionError`` (a ValueError) with a hint that fits the slip (an
  operator missing an operand, an unclosed bracket, ``2x`` for ``2*x``) and the position of the character
  it is about (``engine.expression_syntax``).
- values outside a function's domain (``log(x)`` at x <= 0) evaluate to NaN without a warning; the
  simulator treats a non-finite value as divergence.
- ``abs`` has derivative sign(u) u' (0 at the kink) and second derivative 0 at the kink.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import sympy

from .deadline import TimeBoundExceeded, time_bound
from .expression_parser import FUNCTIONS, MAX_LENGTH, NAMES, X, Y, check_tree, checked_tree
from .expression_syntax import ExpressionError
from .surface_type import Surface

__all__ = ["FUNCTIONS", "ExpressionError", "MAX_LENGTH", "parse_expression", "surface_from_expression"]

MAX_EXPONENT = 10
MAX_BITS = 256
START_FRACTION = 0.7  # default start: this fraction of the way from the view's centre to its top-left corner

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_NOT_REAL = "is not a real number (a division by zero, or log/sqrt/fractional power of a negative?)"
_TOO_LARGE = "involves numbers that are too large"

Array = np.ndarray


def surface_from_expression(text: str, bounds=((-3, 3), (-3, 3)), start=None) -> Surface:
    """A ``Surface`` (slug "custom") for the function of x and y written in ``text``.

    ``text`` uses Python syntax with ``^`` accepted for powers (see the module docstring for what is
    allowed); ``bounds`` is the view ((xmin, xmax), (ymin, ymax)); ``start`` defaults to the point 70% of
    the way from the centre of the view to its top-left corner, (-2.1, 2.1) for the default view (rounded
    to 10 decimals: a person sees -2.1, not -2.0999999999999996).
    The surface has no known minima.  Raises ValueError with a short message for anything not allowed.
    """
    (x0, x1), (y0, y1) = bounds = _check_bounds(bounds)
    if start is None:
        centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        start = np.round(centre + START_FRACTION * (np.array([x0, y1]) - centre), 10)
    start = np.asarray(start, dtype=float)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be a finite point (x, y), got {start!r}")
    normalised = ast.unparse(checked_tree(text))
    expr, f, df, d2f = _compile(normalised)
    return Surface(
        slug="custom",
        name=f"f(x, y) = {normalised}",
        description=(
            f"A function you typed: f(x, y) = {normalised}. Its gradient and Hessian are derived "
            "symbolically. Where it is undefined (a log or square root of a negative number, a division "
            "by zero) its value is not a number, and a run that reaches such a point counts as diverged."
        ),
        f=f, df=df, d2f=d2f,
        minima=np.empty((0, 2)),
        bounds=bounds,
        start=start,
        params={"expr": text},
        formula=sympy.latex(expr),
        defined_everywhere=False,
    )


def parse_expression(text: str) -> sympy.Expr:
    """The checked sympy expression of ``text`` (same rules and cache as ``surface_from_expression``), for
    code that prints the function elsewhere (the code bridge); ValueError for anything not allowed."""
    return _compile(ast.unparse(checked_tree(text)))[0]


def _check_bounds(bounds) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)), got {bounds!r}") from None
    if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
        raise ValueError(f"bounds must be finite with xmin < xmax and ymin < ymax, got {bounds!r}")
    return (x0, x1), (y0, y1)


MAX_COMPILE_SECONDS = 5.0  # wall-clock bound on building, differentiating and lambdifying one expression
_TOO_SLOW = (
    f"this expression is too complex to prepare within {MAX_COMPILE_SECONDS:g} seconds; "
    "try a shorter or less deeply nested one"
)


def _compile(normalised: str) -> tuple[sympy.Expr, Callable, Callable, Callable]:
    """sympy expression and NumPy f, df, d2f for checked, normalised text (``_prepared``, cached)."""
    prepared = _prepared(normalised)
    if isinstance(prepared, str):
        raise ValueError(prepared)
    return prepared


@lru_cache(maxsize=128)
def _prepared(normalised: str) -> tuple[sympy.Expr, Callable, Callable, Callable] | str:
    """``_compile``'s result, or the message of a refusal for time (cached: lambdify is slow).

    The caps on the text keep most expressions to well under a second (the largest to about 1.5 s), but some
    allowed ones make sympy's differentiation run for minutes (one with ``abs(log(x)**0.5/cosh(...))`` took
    193 s); past MAX_COMPILE_SECONDS the work is stopped (``engine.deadline``).  That refusal is cached like
    a result, so a page that reruns with the same text is told at once, not after another wait.
    """
    tree = ast.parse(normalised, mode="eval")
    check_tree(tree)
    try:
        with time_bound(MAX_COMPILE_SECONDS, _TOO_SLOW):
            expr = _build(tree.body)
            if not expr.free_symbols:
                raise ValueError(f"the expression must depend on x or y; {normalised!r} is a constant")
            fx, fy = _diff(expr, X), _diff(expr, Y)
            value = _numpy_function([expr])
            grad = _numpy_function([fx, fy])
            hess = _numpy_function([_diff(fx, X), _diff(fx, Y), _diff(fy, Y)])
    except TimeBoundExceeded as refusal:
        return str(refusal)

    def f(x, y):
        return value(x, y)[0]

    return expr, f, grad, hess


def _build(node: ast.expr) -> sympy.Expr:
    """The sympy expression for a checked node, with its numbers checked to be finite, real and small."""
    try:
        result = _translate(node)
    except ZeroDivisionError:  # sympy Floats raise it (0.0/0.0); exact numbers give zoo, caught below
        raise ValueError(f"{ast.unparse(node)!r} divides by zero") from None
    _check_numbers(result, node)
    return result


def _translate(node: ast.expr) -> sympy.Expr:
    """One checked node as sympy, its children through ``_build``."""
    if isinstance(node, ast.Constant):
        return sympy.Integer(node.value) if isinstance(node.value, int) else sympy.Float(node.value)
    if isinstance(node, ast.Name):
        return NAMES[node.id]
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_build(node.operand))
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](_build(node.args[0]))
    if isinstance(node.op, ast.Pow):
        return _power(node)
    return _BINARY[type(node.op)](_build(node.left), _build(node.right))


def _power(node: ast.BinOp) -> sympy.Expr:
    """base ** exponent with a plain-number exponent of size <= MAX_EXPONENT; e ** u is exp(u)."""
    exponent = _build(node.right)
    if isinstance(node.left, ast.Name) and node.left.id == "e":
        return sympy.exp(exponent)
    if not isinstance(exponent, sympy.Number):
        raise ValueError(
            f"in {ast.unparse(node)!r} the exponent must be a number (like x**2 or x**0.5); "
            "for a variable exponent use exp, e.g. 2**x as exp(x*log(2))"
        )
    if abs(float(exponent)) > MAX_EXPONENT:
        raise ValueError(f"in {ast.unparse(node)!r} the exponent is too large (max {MAX_EXPONENT} in size)")
    return _build(node.left) ** exponent


def _check_numbers(result: sympy.Expr, node: ast.expr) -> None:
    """Reject undefined (zoo from 1/0), complex (I from sqrt(-1)) or huge numbers as soon as they appear
    (the tree is built bottom-up)."""
    for constant in _constant_parts(result):
        problem = _number_problem(constant)
        if problem:
            raise ValueError(f"{ast.unparse(node)!r} {problem}")


def _constant_parts(expr: sympy.Expr):
    """The largest subexpressions without x or y: 3*sin(2) in 3*sin(2)*x, (-1)**(1/3) in (-x**2)**(1/3)."""
    if expr.is_number:
        yield expr
    else:
        for arg in expr.args:
            yield from _constant_parts(arg)


@lru_cache(maxsize=4096)
def _number_problem(constant: sympy.Expr) -> str:
    """What is wrong with a constant, or "" if it is a finite float64-sized real number.

    Composite constants are evaluated to 15 digits; letting sinh(999999) through would make sympy's later
    sign and reality checks (on tan(sinh(999999)), say) compute it to ~434,000 digits.  Exact integers and
    fractions are capped at MAX_BITS bits for the same reason.
    """
    if isinstance(constant, sympy.Rational):
        small = max(constant.p.bit_length(), constant.q.bit_length()) <= MAX_BITS
        return "" if small else _TOO_LARGE
    value = constant.evalf(15)
    if not isinstance(value, (sympy.Float, sympy.Rational)):
        return _NOT_REAL
    return "" if math.isfinite(float(value)) else _TOO_LARGE


def _diff(expr: sympy.Expr, symbol: sympy.Symbol) -> sympy.Expr:
    """d expr / d symbol, with the derivative of sign(u) (abs's kink) taken as 0.

    sympy writes that derivative as 2 DiracDelta(u) u' when it knows u is real, and leaves it unevaluated
    (``Derivative(sign(x/y), x)``) when u could be infinite; both are 0 wherever they are defined.
    """
    derivative = sympy.diff(expr, symbol).replace(sympy.DiracDelta, lambda *args: sympy.S.Zero)
    return derivative.replace(
        lambda e: isinstance(e, sympy.Derivative) and isinstance(e.expr, sympy.sign), lambda e: sympy.S.Zero
    )


def _numpy_function(exprs: list[sympy.Expr]) -> Callable[[Array, Array], tuple[Array, ...]]:
    """(x, y) -> one float array per expression, each of the broadcast shape of x and y.

    Floating-point warnings are silenced: outside a function's domain the value is NaN or inf, and the
    simulator reports that as divergence.
    """
    big = {r: sympy.Float(r) for e in exprs for r in e.atoms(sympy.Rational) if max(abs(r.p), r.q) > 2**53}
    # NumPy cannot take Python ints beyond int64 (999999**10): those become floats, small ones stay exact.
    fn = sympy.lambdify((X, Y), [e.xreplace(big) for e in exprs], modules="numpy", cse=True)

    def call(x, y):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        shape = np.broadcast_shapes(x.shape, y.shape)
        with np.errstate(all="ignore"):
            out = fn(x, y)
        return tuple(_filled(v, shape) for v in out)

    return call


def _filled(value, shape: tuple[int, ...]) -> Array:
    """``value`` as a float array of ``shape`` (a constant derivative comes back from lambdify as a scalar)."""
    value = np.asarray(value, dtype=float)
    return value if value.shape == shape else np.broadcast_to(value, shape).copy()
