"""User-typed loss surfaces: ``surface_from_expression("x**2 + 3*sin(y)")`` -> a ``Surface``.

The text comes from URLs and text boxes, so it is never evaluated.  It is parsed with
``ast.parse(text, mode="eval")`` and every node is checked against an allow-list: numbers, the names
x, y, pi, e, the operators + - * / ** (and unary + -), and one-argument calls of the functions in
``FUNCTIONS``.  The checked tree is then translated node by node into a sympy expression built by this
module (sympy's own ``sympify``/``parse_expr`` call ``eval`` and are never used).  The gradient and
Hessian are derived with ``sympy.diff`` and turned into NumPy functions with ``sympy.lambdify`` on
those sympy expressions -- code generated from our own tree, never from the user's text.

Conventions and limits (each violation is a ``ValueError`` naming what is not allowed):

- ``^`` means power, as in maths and calculators: ``x^2 + y^2`` is ``x**2 + y**2``.  (Python would read
  ``^`` as bitwise xor with a lower precedence than ``+``, so it is replaced in the text before parsing.)
- at most ``MAX_LENGTH`` printable ASCII characters, ``MAX_NODES`` nodes (numbers, names, operations,
  calls), ``MAX_DEPTH`` levels of nesting (counted in the tree, where a chain like a + b - c is one level,
  and in parentheses); numbers at most ``MAX_CONSTANT`` in size.  Compiling the largest allowed
  expressions takes up to about 1.5 s (typical ones 5-50 ms); results are cached by normalised text.
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

from .expression_syntax import ExpressionError, syntax_error
from .surface_type import Surface

__all__ = ["FUNCTIONS", "ExpressionError", "MAX_LENGTH", "parse_expression", "surface_from_expression"]

MAX_LENGTH = 200
MAX_NODES = 100
MAX_DEPTH = 20
MAX_CONSTANT = 1e6
MAX_EXPONENT = 10
MAX_BITS = 256
START_FRACTION = 0.7  # default start: this fraction of the way from the view's centre to its top-left corner

X, Y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
NAMES = {"x": X, "y": Y, "pi": sympy.pi, "e": sympy.E}
FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "arctan": sympy.atan, "atan": sympy.atan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "exp": sympy.exp, "log": sympy.log,
    "ln": sympy.log, "sqrt": sympy.sqrt, "abs": sympy.Abs,
}
_ALLOWED = ", ".join(FUNCTIONS)
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_CHAINS = {ast.Add: "+", ast.Sub: "+", ast.Mult: "*", ast.Div: "*"}
_SYMBOLS = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|",
    ast.BitAnd: "&", ast.BitXor: "^", ast.Not: "not", ast.Invert: "~",
}
_FORBIDDEN = {
    ast.Attribute: "attribute access (.)", ast.Subscript: "indexing ([...])", ast.Lambda: "lambda",
    ast.ListComp: "a comprehension", ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension", ast.IfExp: "if/else", ast.Compare: "a comparison", ast.BoolOp: "and/or",
    ast.JoinedStr: "an f-string", ast.Tuple: "a comma (tuple)", ast.List: "a list", ast.Set: "a set",
    ast.Dict: "a dict", ast.NamedExpr: "assignment (:=)", ast.Starred: "a star (*) argument",
}
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
    normalised = ast.unparse(_parse(text))
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
    return _compile(ast.unparse(_parse(text)))[0]


def _check_bounds(bounds) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)), got {bounds!r}") from None
    if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
        raise ValueError(f"bounds must be finite with xmin < xmax and ymin < ymax, got {bounds!r}")
    return (x0, x1), (y0, y1)


def _parse(text: str) -> ast.Expression:
    """Check the raw text and its syntax tree; return the tree (with ``^`` read as ``**``)."""
    if not isinstance(text, str):
        raise ValueError(f"the expression must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"expression is too long (max {MAX_LENGTH} characters)")
    stripped = text.strip()
    if not stripped:
        raise ValueError("the expression is empty; type a function of x and y, e.g. x**2 + y**2")
    bad = next((c for c in stripped if not " " <= c <= "~"), None)
    if bad is not None:
        raise ValueError(f"character {bad!r} is not allowed: use plain ASCII on one line (** or ^ for powers)")
    depth = 0
    for c in stripped:
        depth += (c == "(") - (c == ")")
        if depth > MAX_DEPTH:
            raise ValueError(f"expression is nested too deeply (max {MAX_DEPTH} levels)")
    try:
        tree = ast.parse(stripped.replace("^", "**"), mode="eval")
    except SyntaxError as err:
        raise syntax_error(text, err, FUNCTIONS) from None
    _check_tree(tree)
    return tree


def _check_tree(tree: ast.Expression) -> None:
    nodes = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
    if nodes > MAX_NODES:
        raise ValueError(f"expression is too large ({nodes} parts; max {MAX_NODES})")
    _check_node(tree.body, 1)


def _check_node(node: ast.AST, depth: int) -> None:
    """Raise ValueError unless ``node`` and its children are on the allow-list."""
    if depth > MAX_DEPTH:
        raise ValueError(f"expression is nested too deeply (max {MAX_DEPTH} levels)")
    if isinstance(node, ast.BinOp) and (type(node.op) in _BINARY or isinstance(node.op, ast.Pow)):
        children = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        children = [node.operand]
    elif isinstance(node, (ast.BinOp, ast.UnaryOp)):
        symbol = _SYMBOLS.get(type(node.op), type(node.op).__name__)
        raise ValueError(f"operator {symbol!r} is not allowed; use + - * / and ** (or ^) for powers")
    elif isinstance(node, ast.Constant):
        _check_constant(node.value)
        return
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise ValueError(f"{node.id!r} is a function: write it with an argument, e.g. {node.id}(x)")
        if node.id not in NAMES:
            raise ValueError(f"unknown name {node.id!r}; use x, y, pi and e")
        return
    elif isinstance(node, ast.Call):
        _check_call(node)
        children = node.args
    else:
        what = _FORBIDDEN.get(type(node), type(node).__name__)
        raise ValueError(f"{what} is not allowed")
    for child in children:
        _check_node(child, depth if _same_level(node, child) else depth + 1)


def _same_level(parent: ast.AST, child: ast.AST) -> bool:
    """A chain like a + b - c or a * b / c is one level: sympy keeps it flat, and long sums are ordinary."""
    if not (isinstance(parent, ast.BinOp) and isinstance(child, ast.BinOp)):
        return False
    chain = _CHAINS.get(type(parent.op))
    return chain is not None and chain == _CHAINS.get(type(child.op))


def _check_constant(value: object) -> None:
    if type(value) not in (int, float):
        kind = {str: "text in quotes", bytes: "a bytes literal", bool: "True/False", complex: "a complex number"}
        raise ValueError(f"{kind.get(type(value), repr(value))} is not allowed; use real numbers")
    if not abs(value) <= MAX_CONSTANT:
        shown = f"{value:g}" if math.isfinite(value) else "beyond floating-point range"
        raise ValueError(f"numbers must be at most {MAX_CONSTANT:,.0f} in size, got {shown}")


def _check_call(node: ast.Call) -> None:
    if not isinstance(node.func, ast.Name):
        raise ValueError(f"only the functions {_ALLOWED} can be called")
    name = node.func.id
    if name not in FUNCTIONS:
        raise ValueError(f"{name!r} is not an allowed function; allowed: {_ALLOWED}")
    if len(node.args) != 1 or node.keywords:
        raise ValueError(f"{name} takes exactly one argument, e.g. {name}(x)")


@lru_cache(maxsize=128)
def _compile(normalised: str) -> tuple[sympy.Expr, Callable, Callable, Callable]:
    """sympy expression and NumPy f, df, d2f for checked, normalised text (cached: lambdify is slow)."""
    tree = ast.parse(normalised, mode="eval")
    _check_tree(tree)
    expr = _build(tree.body)
    if not expr.free_symbols:
        raise ValueError(f"the expression must depend on x or y; {normalised!r} is a constant")
    fx, fy = _diff(expr, X), _diff(expr, Y)
    value = _numpy_function([expr])
    grad = _numpy_function([fx, fy])
    hess = _numpy_function([_diff(fx, X), _diff(fx, Y), _diff(fy, Y)])

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
