"""The maths the code bridge writes out: each surface's f(x, y) and each schedule's lr as Python source.

Both are written once here, in a *neutral* notation, and translated per framework by ``to_framework``:

* f is a Python expression in x and y using the bare names ``sin cos tan atan sinh cosh tanh exp log sqrt
  abs mean`` and the constants ``pi`` and ``e``; ``to_framework`` prefixes the function names with the
  framework's module (``torch.cos``, ``jnp.cos``, ``ops.cos``) and the constants with ``math.``.  The
  formulas of the built-in surfaces are the standard table's (REFERENCE.md), typed here; a test checks each
  against the engine's surface.  A user-typed surface (slug ``custom``) is never copied from its text: the
  engine's parser checks it and builds a sympy expression, and the neutral text is *printed from that sympy
  tree* (so only numbers, x, y, the operators and the allowed functions can appear).
* ``lr_source`` writes a schedule as a plain-Python ``lr_at(step)``: torch's closed forms (the values
  ``engine.schedule(...).lr`` gives), for frameworks with no exact built-in; plateau has none (it is
  driven by the loss).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy
from sympy.printing.str import StrPrinter

import engine
from engine import expressions, regression

from .config import CUSTOM, RunConfig

__all__ = ["FUNCTIONS", "Formula", "formula", "lr_source", "to_framework"]

FUNCTIONS = ("sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "exp", "log", "sqrt", "abs", "mean")
# Where a framework spells a function differently from the neutral name.
_SPELLING = {"keras": {"atan": "arctan"}, "optax": {"atan": "arctan"}, "torch": {}}
MODULES = {"torch": "torch", "keras": "ops", "optax": "jnp"}

_FIXED = {
    "rosenbrock": "(1 - x)**2 + 100 * (y - x**2)**2",
    "himmelblau": "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "beale": "(1.5 - x + x * y)**2 + (2.25 - x + x * y**2)**2 + (2.625 - x + x * y**3)**2",
    "booth": "(x + 2 * y - 7)**2 + (2 * x + y - 5)**2",
    "matyas": "0.26 * (x**2 + y**2) - 0.48 * x * y",
    "three_hump_camel": "2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2",
    "six_hump_camel": "(4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2",
    "goldstein_price": ("(1 + (x + y + 1)**2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))"
                        " * (30 + (2 * x - 3 * y)**2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2))"),
    "rastrigin": "20 + x**2 - 10 * cos(2 * pi * x) + y**2 - 10 * cos(2 * pi * y)",
    "ackley": "-20 * exp(-0.2 * sqrt(0.5 * (x**2 + y**2))) - exp(0.5 * (cos(2 * pi * x) + cos(2 * pi * y))) + e + 20",
    "saddle": "x**2 - y**2",
    "monkey_saddle": "x**3 - 3 * x * y**2",
}


@dataclass(frozen=True)
class Formula:
    """f(x, y) as neutral source: ``prelude`` lines (NumPy, run before f; they define ``data`` names as
    NumPy arrays that each framework converts to its tensors), and ``expr``, the body of f."""

    expr: str
    prelude: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    comment: str = ""


def _number(value: Any) -> str:
    """Shortest round-trip text of a number (ints stay ints)."""
    return repr(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def formula(config: RunConfig) -> Formula:
    """The neutral f(x, y) of the config's surface (ValueError for a surface with no written formula)."""
    params = dict(config.surface_params)
    if config.surface == CUSTOM:
        return Formula(_custom_source(config.expression), comment="your function, as the engine parsed it")
    if config.surface in _FIXED:
        return Formula(_FIXED[config.surface])
    if config.surface == "bowl":
        return Formula(f"{_number(params['scale'])} * (x**2 + y**2)")
    if config.surface == "quadratic":
        # ½ pᵀAp: A is the engine's Hessian (constant), so the numbers are exactly the engine's
        (a, b), (_, d) = engine.surface("quadratic", **params).hessian(np.zeros(2))
        return Formula(f"0.5 * ({_number(a)} * x**2 + 2 * {_number(b)} * x * y + {_number(d)} * y**2)",
                       comment=f"½ pᵀAp, A with eigenvalues {_number(params['l1'])}, {_number(params['l2'])}"
                               f" turned by {_number(params['angle'])}°")
    if config.surface in ("regression", "regression_std"):
        return _regression(params, standardized=config.surface == "regression_std")
    raise ValueError(f"no code formula for surface {config.surface!r}")


def _regression(params: dict[str, Any], standardized: bool = False) -> Formula:
    """The training MSE of y ≈ w·x + b with the engine's data, drawn the way engine.regression draws it;
    ``standardized``: x scaled by the training points' mean and standard deviation (ddof 0), as regression_std."""
    (w, b), (lo, hi) = regression.TRUE_PARAMS, regression.X_RANGE
    n, noise, seed = int(params["n_train"]), float(params["noise"]), int(params["seed"])
    prelude = (
        f"rng = np.random.default_rng({seed})  # the lesson's data: {n} training points, then {regression.N_VAL} "
        "for validation",
        f"data_x = rng.uniform({_number(lo)}, {_number(hi)}, {n + regression.N_VAL})",
        f"data_y = {_number(w)} * data_x + {_number(b)} + {_number(noise)} * rng.standard_normal(data_x.size)",
        f"X, Y = data_x[:{n}], data_y[:{n}]",
        *(["X = (X - X.mean()) / X.std()  # standardised inputs: mean 0, spread 1"] if standardized else []),
    )
    return Formula("mean((x * X + y - Y)**2)", prelude, ("X", "Y"), "x = slope w, y = intercept b")


class _NeutralPrinter(StrPrinter):
    """sympy -> neutral source: floats in shortest round-trip form, Abs as abs, E as e."""

    def _print_Float(self, expr: sympy.Float) -> str:
        return repr(float(expr))

    def _print_Abs(self, expr: sympy.Abs) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_Exp1(self, expr: Any) -> str:
        return "e"


def _custom_source(text: str) -> str:
    """The neutral source of a user's expression, printed from the engine's checked sympy expression.

    Constant sub-expressions such as sqrt(2) become floats, so every framework function gets a tensor."""
    expr = expressions.parse_expression(text)
    expr = expr.replace(lambda node: (node.is_Function or node.is_Pow) and node.is_number,
                        lambda node: sympy.Float(node.evalf(17)))
    return _NeutralPrinter().doprint(expr)


class _Rename(ast.NodeTransformer):
    def __init__(self, framework: str) -> None:
        self.module, self.spelling = MODULES[framework], _SPELLING[framework]

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in ("pi", "e"):
            return ast.Attribute(ast.Name("math", ast.Load()), node.id, ast.Load())
        if node.id in FUNCTIONS:
            return ast.Attribute(ast.Name(self.module, ast.Load()), self.spelling.get(node.id, node.id), ast.Load())
        if node.id not in ("x", "y", "X", "Y"):
            raise ValueError(f"unexpected name {node.id!r} in a formula")
        return node


def to_framework(expr: str, framework: str) -> str:
    """Neutral source -> the framework's (``torch``, ``keras`` or ``optax``): module-qualified functions."""
    return ast.unparse(_Rename(framework).visit(ast.parse(expr, mode="eval")))


# ----------------------------------------------------------------------------------------------------------
# Schedules as plain Python: lr_at(step), step = number of optimizer steps already taken (torch's convention)


def _main_body(name: str, p: dict[str, Any], lr: str) -> list[str] | None:
    """Lines of the main schedule's closed form in ``step`` (None: plateau, which has none)."""
    n = {k: (_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in p.items()}
    cosine = "{lo} + ({hi} - {lo}) * (1 + math.cos(math.pi * step / {period})) / 2"
    if name == "constant":
        return [f"return {lr}"]
    if name == "step":
        return [f"return {lr} * {n['gamma']} ** (step // {n['step_size']})"]
    if name == "multistep":
        return [f"return {lr} * {n['gamma']} ** sum(step >= m for m in {list(p['milestones'])})"]
    if name == "exponential":
        return [f"return {lr} * {n['gamma']} ** step"]
    if name == "cosine":
        return ["return " + cosine.format(lo=n["eta_min"], hi=lr, period=n["T_max"])]
    if name == "cosine_restarts":
        return [f"period = {n['T_0']}", "while step >= period:  # restart: each cycle T_mult times longer",
                "    step, period = step - period, period * " + n["T_mult"],
                "return " + cosine.format(lo=n["eta_min"], hi=lr, period="period")]
    if name == "linear":
        s, e, t = n["start_factor"], n["end_factor"], n["total_iters"]
        return [f"return {lr} * ({s} + ({e} - {s}) * min(step, {t}) / {t})"]
    if name == "polynomial":
        return [f"return {lr} * (1 - min(step, {n['total_iters']}) / {n['total_iters']}) ** {n['power']}"]
    if name == "cyclic":
        return _cyclic_body(p, n)
    if name == "onecycle":
        return _onecycle_body(p, n)
    return None


def _cyclic_body(p: dict[str, Any], n: dict[str, str]) -> list[str]:
    up, down = p["step_size_up"], p["step_size_down"] if p["step_size_down"] is not None else p["step_size_up"]
    amplitude = {"triangular": "1", "triangular2": "1 / 2 ** (cycle - 1)", "exp_range": f"{n['gamma']} ** step"}
    return [f"total, ratio = {up + down}, {_number(up / (up + down))}",
            "cycle = math.floor(1 + step / total)",
            "x = 1 + step / total - cycle",
            "scale = x / ratio if x <= ratio else (x - 1) / (ratio - 1)",
            f"return {n['base_lr']} + ({n['max_lr']} - {n['base_lr']}) * scale * {amplitude[p['mode']]}"]


def _onecycle_body(p: dict[str, Any], n: dict[str, str]) -> list[str]:
    total, pct = p["total_steps"], p["pct_start"]
    initial = p["max_lr"] / p["div_factor"]
    final = initial / p["final_div_factor"]
    if p["three_phase"]:
        phases = [(pct * total - 1, initial, p["max_lr"]), (2 * pct * total - 2, p["max_lr"], initial),
                  (total - 1, initial, final)]
    else:
        phases = [(pct * total - 1, initial, p["max_lr"]), (total - 1, p["max_lr"], final)]
    anneal = ("b + (a - b) / 2 * (1 + math.cos(math.pi * pct))" if p["anneal_strategy"] == "cos"
              else "a + (b - a) * pct")
    return [f"step, start = min(step, {total - 1}), 0.0  # held at the final lr from the last step on",
            f"phases = {[(float(e), float(a), float(b)) for e, a, b in phases]}  # (end step, from lr, to lr)",
            "for i, (end, a, b) in enumerate(phases):",
            "    if step <= end or i == len(phases) - 1:",
            "        pct = (step - start) / (end - start)",
            f"        return {anneal}",
            "    start = end"]


def lr_source(config: RunConfig, lr: float) -> str | None:
    """``def lr_at(step)`` for the config's schedule with base lr ``lr``, warm-up included; None for plateau."""
    p = dict(config.schedule_params)
    body = _main_body(config.schedule, p, _number(lr))
    if body is None:
        return None
    warm, factor = int(p["warmup_steps"]), _number(p["warmup_start_factor"])
    if not warm:
        return "\n".join(["def lr_at(step):", *("    " + line for line in body)])
    start = "main_lr(0)" if engine.schedule(config.schedule, **p).sets_lr else _number(lr)
    return "\n".join([
        "def main_lr(step):", *("    " + line for line in body), "", "",
        "def lr_at(step):  # linear warm-up, then the main schedule restarted at step 0",
        f"    if step < {warm}:",
        f"        return {start} * ({factor} + (1 - {factor}) * step / {warm})",
        f"    return main_lr(step - {warm})",
    ])
