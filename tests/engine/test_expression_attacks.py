"""Typed f(x, y) under attack: nothing a user types reaches ``eval``/``exec`` or sympy's string parsers.

While each test runs, builtins ``eval`` and ``exec``, ``sympy.sympify`` and ``sympy_parser.parse_expr`` of text are
replaced by guards: the attack list must be refused without calling any of them, and a hypothesis-generated
syntax tree (allowed and forbidden nodes mixed) either is refused or compiles without the typed text ever
reaching one of them (``exec`` runs the function ``lambdify`` printed from the checked sympy tree: no quotes,
no dunder name), and its value, gradient and Hessian evaluate on a grid without a RuntimeWarning.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
import types
import warnings

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy.parsing import sympy_parser

import engine.expressions as expressions
from engine import surface_from_expression

# text -> words the refusal must have
ATTACKS = {
    "__import__('os').system('id')": "only the functions",
    "__builtins__": "unknown name '__builtins__'",
    "__class__ + x": "unknown name '__class__'",
    "x.__class__.__mro__[1].__subclasses__()": "only the functions",
    "().__class__.__base__": "attribute access",
    "getattr(x, 'real')": "'getattr' is not an allowed function",
    "globals()": "'globals' is not an allowed function",
    "(lambda: 0)()": "only the functions",
    "lambda x: x": "lambda",
    "[x for x in (1, 2)]": "comprehension",
    "{x: 1 for x in (1,)}": "comprehension",
    "sum(x for x in (1,))": "'sum' is not an allowed function",
    "9**9**9": "exponent is too large",
    "x**9**9": "exponent is too large",
    "(((((9**9)**9)**9)**9)**9) * x": "too large",
    "(" * 30 + "x" + ")" * 30: "nested too deeply",
    "sin(" * 25 + "x" + ")" * 25: "nested too deeply",
    "x+" * 5_120 + "y": "too long",  # a 10 kB expression
    "х**2 + y**2": "plain ASCII",  # Cyrillic х
    "ｘ**2 + y**2": "plain ASCII",  # fullwidth x (Python would NFKC-normalise it to x)
    "x**2 + у**2": "plain ASCII",  # Cyrillic у
    "ѕin(x)": "plain ASCII",  # Cyrillic ѕ
    "x\u2212y": "plain ASCII",  # minus sign
    "'x' * 10**9": "text in quotes",
    "f'{x}' + y": "f-string",
    "(z := x) + y": "assignment",
    "sin(*[x])": "star",
    "[*x]": "a list",
    "x if y else 1": "if/else",
    "x @ y": "'@'",
    "x ** -1e400": "at most",
    "await x": "not allowed",
    "exec('1') + x": "'exec' is not an allowed function",
    "eval": "unknown name 'eval'",
}


def _guard(patch: pytest.MonkeyPatch, typed: str | None = None) -> list[str]:
    """Replace builtins eval/exec and sympy's text parsing by guards; returns the list the text given to eval
    and exec is recorded in.

    ``typed`` None: any call of eval, exec (but Python importing a module), sympify of text or parse_expr fails
    the test.  Otherwise (an accepted expression compiles): eval and exec run, unless given ``typed`` itself
    (any text of 4 or more characters, as typed or as the checker normalised it); sympify of text and
    parse_expr still fail."""
    calls: list[str] = []
    real = {"eval": builtins.eval, "exec": builtins.exec}
    real_sympify = sympy.sympify
    texts = {t for t in (typed, _normalised(typed)) if t and len(t) >= 4}

    def guarded(name):
        def guard(source, *args, **kwargs):
            if isinstance(source, types.CodeType) and source.co_name == "<module>":  # Python importing a module
                return real[name](source, *args, **kwargs)
            calls.append(str(source))
            if typed is None or any(t in str(source) for t in texts):
                raise AssertionError(f"{name} was called with {source!r}")
            if not args and not kwargs:  # eval/exec of text alone run in the caller's namespace
                caller = sys._getframe(1)
                args = (caller.f_globals, caller.f_locals)
            return real[name](source, *args, **kwargs)
        return guard

    def refuse_text(name, call):
        def guard(value, *args, **kwargs):
            if isinstance(value, str):
                raise AssertionError(f"{name} was called with text {value!r}")
            return call(value, *args, **kwargs)
        return guard

    patch.setattr(builtins, "eval", guarded("eval"))
    patch.setattr(builtins, "exec", guarded("exec"))
    patch.setattr(sympy, "sympify", refuse_text("sympify", real_sympify))
    patch.setattr(sympy_parser, "parse_expr", refuse_text("parse_expr", sympy_parser.parse_expr))
    return calls


def _normalised(text: str | None) -> str | None:
    try:
        return ast.unparse(ast.parse(text.replace("^", "**"), mode="eval")) if text else None
    except SyntaxError:
        return None


@pytest.mark.parametrize("text", list(ATTACKS), ids=lambda t: repr(t[:30]))
def test_every_attack_is_refused_before_anything_runs(text, monkeypatch):
    calls = _guard(monkeypatch)
    with pytest.raises(ValueError, match=re.escape(ATTACKS[text])):
        surface_from_expression(text)
    with pytest.raises(ValueError, match=re.escape(ATTACKS[text])):
        expressions.parse_expression(text)
    assert calls == []


# ----------------------------------------------------------------------------------------------------------
# Random syntax trees of allowed and forbidden nodes

ALLOWED_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
FORBIDDEN_OPS = (ast.FloorDiv, ast.Mod, ast.MatMult, ast.BitXor, ast.LShift)
FUNCTION_NAMES = (*expressions.FUNCTIONS, "eval", "__import__", "getattr", "open")
LEAF_NAMES = ("x", "y", "pi", "e", "z", "__builtins__", "sin")

leaves = st.one_of(
    st.sampled_from(LEAF_NAMES).map(lambda name: ast.Name(name, ast.Load())),
    st.integers(min_value=-10, max_value=10**7).map(ast.Constant),
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False).map(ast.Constant),
    st.sampled_from(("s", b"b", True, 1j)).map(ast.Constant))


def _branches(inner):
    return st.one_of(
        st.builds(ast.BinOp, inner, st.sampled_from(ALLOWED_OPS + FORBIDDEN_OPS).map(lambda op: op()), inner),
        st.builds(ast.UnaryOp, st.sampled_from((ast.USub, ast.UAdd, ast.Invert, ast.Not)).map(lambda op: op()),
                  inner),
        st.builds(lambda name, args: ast.Call(ast.Name(name, ast.Load()), args, []),
                  st.sampled_from(FUNCTION_NAMES), st.lists(inner, min_size=0, max_size=2)),
        st.builds(lambda value: ast.Attribute(value, "__class__", ast.Load()), inner),
        st.builds(lambda value: ast.Subscript(value, ast.Constant(0), ast.Load()), inner),
        st.builds(lambda body: ast.Lambda(ast.arguments([], [], None, [], [], None, []), body), inner),
        st.builds(lambda a, b: ast.Compare(a, [ast.Lt()], [b]), inner, inner),
        st.builds(lambda a, b, c: ast.IfExp(a, b, c), inner, inner, inner),
        st.builds(lambda value: ast.NamedExpr(ast.Name("z", ast.Store()), value), inner),
        st.builds(lambda elt: ast.ListComp(elt, [ast.comprehension(ast.Name("x", ast.Store()),
                                                                   ast.Name("y", ast.Load()), [], 0)]), inner),
        st.builds(lambda value: ast.Call(ast.Name("sin", ast.Load()), [ast.Starred(value, ast.Load())], []), inner),
    )


variables = st.sampled_from(("x", "y", "x", "y", "pi", "e")).map(lambda name: ast.Name(name, ast.Load()))
allowed_leaves = st.one_of(  # mostly x and y: a tree of numbers alone is refused as a constant
    variables, variables, variables, st.integers(min_value=0, max_value=10).map(ast.Constant),
    st.sampled_from((0.5, 1e-3, 2.5, 1e6)).map(ast.Constant))


def _allowed_branches(inner):
    return st.one_of(
        st.builds(ast.BinOp, inner, st.sampled_from((ast.Add, ast.Sub, ast.Mult, ast.Div)).map(lambda op: op()),
                  inner),
        st.builds(lambda base, power: ast.BinOp(base, ast.Pow(), ast.Constant(power)), inner,
                  st.sampled_from((2, 3, -1, 0.5, 10))),
        st.builds(ast.UnaryOp, st.just(ast.USub()), inner),
        st.builds(lambda name, arg: ast.Call(ast.Name(name, ast.Load()), [arg], []),
                  st.sampled_from(tuple(expressions.FUNCTIONS)), inner),
    )


mixed_trees = st.recursive(leaves, _branches, max_leaves=12)  # nearly all refused
allowed_trees = st.recursive(allowed_leaves, _allowed_branches, max_leaves=12)  # some refused for their numbers
ALLOWED_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant, ast.Load, ast.USub, ast.UAdd,
                 *ALLOWED_OPS)


def _forbidden(tree: ast.AST) -> bool:
    """Whether ``tree`` holds a node, name, call or constant the allow-list refuses on sight."""
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            return True
        if isinstance(node, ast.Constant) and type(node.value) not in (int, float):
            return True
        if isinstance(node, ast.Call) and (node.func.id not in expressions.FUNCTIONS or len(node.args) != 1):
            return True
        if isinstance(node, ast.Name) and node.id not in (*expressions.NAMES, *expressions.FUNCTIONS):
            return True
    return False


TREES = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@TREES
@given(mixed_trees)
def test_a_tree_with_forbidden_nodes_is_refused_without_eval(tree):
    _refused_or_quiet(tree)


@TREES
@given(allowed_trees)
def test_a_tree_of_allowed_nodes_compiles_without_eval_and_evaluates_quietly(tree):
    _refused_or_quiet(tree)


def _refused_or_quiet(tree: ast.expr) -> None:
    """The text of ``tree`` is refused with a message, or gives a surface whose value, gradient and Hessian
    evaluate on a grid without a RuntimeWarning; the typed text never reaches eval or exec."""
    text = ast.unparse(ast.fix_missing_locations(ast.Expression(tree)))
    with pytest.MonkeyPatch.context() as patch:
        calls = _guard(patch, typed=text)
        try:
            surface = surface_from_expression(text)
        except ValueError as err:
            assert str(err)  # a message the page shows
            return
        finally:
            for source in (c for c in calls if c.startswith("def _lambdifygenerated(")):
                body = source.split(":", 1)[1]  # printed by sympy from the checked tree: no text, no dunder
                assert "__" not in body and "'" not in body and '"' not in body, source
        assert not _forbidden(ast.parse(text.replace("^", "**"), mode="eval")), text
        grid = np.stack(np.meshgrid(np.linspace(-3, 3, 41), np.linspace(-3, 3, 41)), axis=-1).reshape(-1, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            values, grads, hessians = surface.value(grid), surface.grad(grid), surface.hessian(grid)
    assert values.shape == (41 * 41,) and grads.shape == (41 * 41, 2) and hessians.shape == (41 * 41, 2, 2)
    assert values.dtype == grads.dtype == hessians.dtype == np.float64  # inf or NaN where f overflows: diverged
