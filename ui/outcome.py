"""Words and formulas shown beside the figures: each racer's outcome (the engine's words, unchanged) and
the update rule with the current numbers in it.  Pure strings; no streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import engine

from .config import OptimizerConfig

__all__ = ["SYMBOLS", "escape_markdown", "latex_number", "outcome_lines", "rule_numbers", "step_numbers"]

# torch hyper-parameter name -> the symbol torch's documentation (and the engine's LaTeX) uses.
SYMBOLS = {"lr": r"\gamma", "momentum": r"\mu", "dampening": r"\tau", "weight_decay": r"\lambda",
           "eps": r"\epsilon", "alpha": r"\alpha", "lr_decay": r"\eta", "initial_accumulator_value": r"\tau",
           "betas": (r"\beta_1", r"\beta_2")}


def latex_number(value: float) -> str:
    """0.05 -> 0.05; 1e-08 -> 1\\times10^{-8}; four significant digits."""
    text = format(float(value), ".4g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        head = "" if mantissa == "1" else mantissa + r"\times"
        return f"{head}10^{{{int(exponent)}}}"
    return text


def _vector(v: np.ndarray) -> str:
    return rf"({latex_number(v[0])},\ {latex_number(v[1])})"


PER_LINE = 3  # hyper-parameters on one line of the update rule's numbers


def rule_numbers(opt: OptimizerConfig) -> str:
    """The hyper-parameters as LaTeX: γ = 0.05, μ = 0.9, … (switches that are on are named), at most
    PER_LINE to a line so they fit their narrow column (Adam's four and AdamW's five take two lines)."""
    parts = []
    for name, value in opt.hyper:
        symbol = SYMBOLS.get(name)
        if isinstance(value, bool):
            if value:
                parts.append(rf"\text{{{name.replace('_', ' ')}}}")
        elif isinstance(symbol, tuple):
            parts += [f"{s} = {latex_number(v)}" for s, v in zip(symbol, value, strict=True)]
        elif symbol is not None and (name == "lr" or value != 0):
            parts.append(f"{symbol} = {latex_number(value)}")
    lines = [r",\quad ".join(parts[k : k + PER_LINE]) for k in range(0, len(parts), PER_LINE)]
    return lines[0] if len(lines) == 1 else r"\begin{gathered}" + r" \\ ".join(lines) + r"\end{gathered}"


def step_numbers(run: engine.Run, step: int = 1, i: int = 0) -> str:
    """Step ``step`` of trajectory i with its numbers: g, then θ_t = θ_{t-1} + Δθ."""
    if run.records is None or not 1 <= step <= min(run.steps, run.last_step(i)):
        return ""
    before, after = run.points[step - 1, i], run.points[step, i]
    g, update = run.records["grad"][step - 1, i], run.records["update"][step - 1, i]
    return (rf"\begin{{aligned}}g_{{{step}}} &= {_vector(g)} \\ \theta_{{{step}}} &= {_vector(before)} + "
            rf"{_vector(update)} \\ &= {_vector(after)}\end{{aligned}}")


def outcome_lines(labels: Sequence[str], runs: Sequence[engine.Run]) -> list[str]:
    """"SGD · lr 0.05: converged in 143 steps" for each racer (trajectory 0 of each run)."""
    return [f"{label}: {run.outcome(0)}" for label, run in zip(labels, runs, strict=True)]


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def escape_markdown(text: str) -> str:
    """Text (possibly from a URL) made inert for ``st.markdown``/``st.warning``: every character Markdown,
    LaTeX (``$``) or HTML could act on is backslash-escaped, so it shows literally."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(text))
