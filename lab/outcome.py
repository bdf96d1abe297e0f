"""Words and formulas shown beside the figures: each racer's outcome (the engine's words, unchanged, with
the reason when f is not defined at the start), a note when the start lies outside the surface's view, and
the update rule with the current numbers in it.  Pure strings; no streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import engine

from .config import OptimizerConfig

__all__ = [
    "SYMBOLS", "escape_markdown", "latex_number", "outcome_line", "outcome_lines", "rule_numbers", "start_note",
    "step_numbers",
]

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
    """"SGD · lr 0.05: converged in 143 steps" for each racer (trajectory 0 of each run); a racer whose start
    is where f is not defined (its loss there is NaN or infinite) says so after the engine's words."""
    return [outcome_line(label, run) for label, run in zip(labels, runs, strict=True)]


def outcome_line(label: str, run: engine.Run, i: int = 0) -> str:
    """``outcome_lines``' line for trajectory i of ``run`` (the live lr slider sends one per lr)."""
    return f"{label}: {run.outcome(i)}{_undefined_start(run, i)}"


def _undefined_start(run: engine.Run, i: int) -> str:
    if np.isfinite(run.losses[0, i]):
        return ""
    x, y = run.points[0, i]
    return f" (f is not defined at the start ({x:.4g}, {y:.4g}); pick a start where it is)"


def start_note(bounds, start) -> str:
    """"" when ``start`` lies in the surface's view ``bounds``, else the sentence saying the map was widened
    to show it (``lab.map_view.view_around``)."""
    (x0, x1), (y0, y1) = bounds
    if x0 <= start[0] <= x1 and y0 <= start[1] <= y1:
        return ""
    return (f"The start ({start[0]:.4g}, {start[1]:.4g}) is outside the surface's usual view (x from {x0:.4g} to "
            f"{x1:.4g}, y from {y0:.4g} to {y1:.4g}), so the map is widened to show it.")


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def escape_markdown(text: str) -> str:
    """Text (possibly from a URL) made inert for ``st.markdown``/``st.warning``: every character Markdown,
    LaTeX (``$``) or HTML could act on is backslash-escaped, so it shows literally."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(text))
