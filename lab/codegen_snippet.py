"""What every framework's snippet is written with (``codegen``, ``codegen_keras``, ``codegen_optax``).

A :class:`Snippet` is one framework's code and notes.  ``literal`` and ``call`` write hyper-parameter values
and calls as Python source, ``f_source`` the surface's ``def f(x, y)`` (from ``codegen_math``).  The second
half is shared by Keras and Optax only: torch's coupled weight decay as an L2 term, the notes on where their
update rules differ from torch's, and the ``lr_at(step)`` closed form for schedules they have no exact
built-in for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .codegen_math import Formula, _number, lr_source, to_framework
from .config import RunConfig

__all__ = [
    "MEASURED_GAPS", "Code", "Snippet", "call", "f_source", "framework_notes", "l2_decay", "literal", "lr_at_lines",
    "measured", "momentum_note", "race_notes",
]


@dataclass(frozen=True)
class Snippet:
    """A framework's code for one racer and the notes on where its conventions differ from torch's."""

    framework: str
    code: str
    notes: tuple[str, ...]


def literal(value: Any) -> str:
    """Python source of a hyper-parameter value."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return repr(value)
    if isinstance(value, (tuple, list)):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, float):
        return repr(value)
    return _number(value)


class Code(str):
    """A keyword value that is already source code (written as is by ``call``)."""


def _literal_or_code(value: Any) -> str:
    return str(value) if isinstance(value, Code) else literal(value)


def call(func: str, *args: str, **kwargs: Any) -> str:
    """``func(args..., name=value, ...)``: args are code, values are written by ``literal`` unless Code."""
    return f"{func}({', '.join([*args, *(f'{k}={_literal_or_code(v)}' for k, v in kwargs.items())])})"


def f_source(form: Formula, framework: str, convert: str) -> list[str]:
    """The prelude (data as the framework's tensors) and ``def f(x, y)``."""
    lines = list(form.prelude)
    if form.data:
        names = ", ".join(form.data)
        lines.append(f"{names} = {', '.join(f'{convert}({d})' for d in form.data)}")
    if lines:
        lines.append("")
    comment = f"  # {form.comment}" if form.comment else ""
    return [*lines, "", f"def f(x, y):{comment}", f"    return {to_framework(form.expr, framework)}", "", ""]


def race_notes(config: RunConfig) -> list[str]:
    """In a race of several optimizers, the note on how to pick another racer; with mini-batches, that the code
    uses the full-batch gradient (it does not draw the engine's batches)."""
    notes = [f"Other racers: pick one with index=… ({len(config.optimizers)} in this race)."] \
        if len(config.optimizers) > 1 else []
    if config.batch:
        notes.append(f"The run above uses random mini-batches of {config.batch} examples per step; this code uses the "
                     "full-batch gradient (all training points), so it traces the noise-free path, not the one drawn.")
    return notes


# ----------------------------------------------------------------------------------------------------------
# Shared by Keras and Optax: weight decay written as torch's L2 term, notes, schedules with no exact built-in


def l2_decay(config: RunConfig, index: int) -> float:
    """torch's coupled weight decay (an L2 term on the gradient) for every optimizer but AdamW."""
    opt = config.optimizers[index]
    return 0.0 if opt.name == "adamw" else float(opt.kwargs().get("weight_decay", 0.0))


# Where a snippet cannot take torch's path, the largest relative difference (max |Δθ| / max |θ| over the first
# 50 steps) measured on tests/lab/test_codegen_run.py's setups; that test checks each figure still holds.
MEASURED_GAPS = {"keras_nesterov_schedule": 0.3, "keras_plateau": 0.3, "optax_amsgrad": 0.03}


def measured(gap: str) -> str:
    """The sentence that gives the measured size of a known difference."""
    return (f"Measured on the test setups: the first 50 steps differ from torch's by up to {MEASURED_GAPS[gap]:g} "
            "(relative).")


def momentum_note(config: RunConfig, index: int) -> list[str]:
    """Keras' momentum (lr inside the velocity) under a changing lr: rescaled to torch's, or Nesterov's gap."""
    opt = config.optimizers[index]
    mu = float(opt.kwargs().get("momentum", 0.0))
    warm = dict(config.schedule_params)["warmup_steps"]
    if mu == 0 or config.schedule == "plateau" or config.schedule == "constant" and not warm:
        return []
    rule = ("Keras' momentum puts the learning rate inside its velocity (v ← μ·v + lr·g, θ ← θ − v); torch's is "
            "b ← μ·b + g, θ ← θ − lr·b. They agree at a constant learning rate, not under a schedule")
    if opt.kwargs().get("nesterov"):
        return [f"{rule}; no per-step setting makes Keras' Nesterov step torch's. "
                + measured("keras_nesterov_schedule")]
    return [f"{rule}: the loop sets Keras' momentum to μ·lr_t/lr_(t−1) each step, which gives torch's path."]


def lr_at_lines(config: RunConfig, lr: float) -> list[str]:
    """The schedule's closed form as ``def lr_at(step)`` lines (none for plateau, which has no closed form)."""
    source = lr_source(config, lr)
    return [*source.splitlines(), "", ""] if source else []


def framework_notes(name: str, hyper: dict[str, Any], framework: str) -> list[str]:
    """Where this optimizer's rule in Keras or Optax differs from torch's."""
    notes = []
    if name == "adagrad":
        notes.append(f"{framework}'s Adagrad adds eps inside the square root (g / √(s + eps)); torch after it "
                     "(g / (√s + eps)). Its defaults differ too (initial accumulator 0.1, eps 1e-7): set here to "
                     "torch's.")
    if name == "rmsprop" and framework == "Keras":
        notes.append("Keras' RMSprop adds epsilon inside the square root (g / √(v + ε)); torch after it "
                     "(g / (√v + ε)). Keras' defaults are rho 0.9, epsilon 1e-7: set here to torch's.")
    if name in ("adam", "adamw") and framework == "Keras":
        notes.append("Keras' Adam adds epsilon to √v before the bias correction (the paper's ε̂); torch adds it "
                     "after. The difference is of the size of epsilon. Keras' epsilon default is 1e-7: set here to "
                     "torch's.")
    if name == "adamw" and framework == "Keras":
        notes.append("Keras' AdamW weight_decay default is 0.004, torch's 0.01: set here explicitly.")
    if name == "adamw" and framework == "Optax":
        notes.append("optax.adamw's weight_decay default is 1e-4, torch's 0.01: set here explicitly.")
    if name in ("adam", "adamw") and hyper["amsgrad"] and framework == "Optax":
        notes.append("Optax's AMSGrad keeps the maximum of the bias-corrected v; torch the maximum of the raw v "
                     f"(then corrects it). {measured('optax_amsgrad')}")
    if name != "adamw" and float(hyper.get("weight_decay", 0.0)):
        notes.append("torch's weight_decay is an L2 term added to the gradient (g + λθ); "
                     + ("Keras' weight_decay is decoupled, so the snippet adds λ/2·‖θ‖² to the loss instead."
                        if framework == "Keras" else "optax.add_decayed_weights before the optimizer does the same."))
    return notes
