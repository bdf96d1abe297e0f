"""The allow-list for typed f(x, y): text -> a checked Python syntax tree, before sympy sees anything.

``checked_tree(text)`` parses the text with ``ast.parse(text, mode="eval")`` (``^`` read as ``**``) and
checks every node: numbers, the names in ``NAMES`` (x, y, pi, e), the operators + - * / ** (and unary
+ -), and one-argument calls of the functions in ``FUNCTIONS``.  It also holds the caps on the text:
``MAX_LENGTH`` printable ASCII characters, ``MAX_NODES`` nodes, ``MAX_DEPTH`` levels of nesting (a chain
like a + b - c is one level) and numbers of size at most ``MAX_CONSTANT``.  Anything else is a
ValueError naming what is not allowed; text Python cannot parse is an ``ExpressionError`` with a hint
(``engine.expression_syntax``).  Turning the checked tree into sympy is ``engine.expressions``' job.
"""

from __future__ import annotations

import ast
import math

import sympy

from .expression_syntax import syntax_error

__all__ = ["FUNCTIONS", "MAX_LENGTH", "NAMES", "X", "Y", "check_tree", "checked_tree"]

MAX_LENGTH = 200
MAX_NODES = 100
MAX_DEPTH = 20
MAX_CONSTANT = 1e6

X, Y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
NAMES = {"x": X, "y": Y, "pi": sympy.pi, "e": sympy.E}
FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "arctan": sympy.atan, "atan": sympy.atan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "exp": sympy.exp, "log": sympy.log,
    "ln": sympy.log, "sqrt": sympy.sqrt, "abs": sympy.Abs,
}
_ALLOWED = ", ".join(FUNCTIONS)
ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div)
SIGNS = (ast.USub, ast.UAdd)
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


def checked_tree(text: str) -> ast.Expression:
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
    check_tree(tree)
    return tree


def check_tree(tree: ast.Expression) -> None:
    """Raise ValueError unless ``tree`` has at most MAX_NODES nodes, all on the allow-list, nested at most
    MAX_DEPTH levels."""
    nodes = sum(isinstance(node, ast.expr) for node in ast.walk(tree))
    if nodes > MAX_NODES:
        raise ValueError(f"expression is too large ({nodes} parts; max {MAX_NODES})")
    _check_node(tree.body, 1)


def _check_node(node: ast.AST, depth: int) -> None:
    """Raise ValueError unless ``node`` and its children are on the allow-list."""
    if depth > MAX_DEPTH:
        raise ValueError(f"expression is nested too deeply (max {MAX_DEPTH} levels)")
    if isinstance(node, ast.BinOp) and (isinstance(node.op, ARITHMETIC) or isinstance(node.op, ast.Pow)):
        children = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, SIGNS):
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
