"""The ``Optimizer`` type and the in-place kernels the optimizers are written with.

An optimizer is a pair of functions, as in optax: ``init(p)`` builds the state and ``step(p, g, state, lr, t)``
moves the points; see engine/optimizers.py for the conventions (torch's) and SGD, and
engine/adaptive_optimizers.py for Adagrad, RMSprop, Adam and AdamW.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "GRADIENT_LINE", "L2_LINE", "Array", "Optimizer", "State", "axpy", "batch_size", "const", "latex_lines", "lerp",
    "nonzero", "state_init",
]

Array = np.ndarray
State = dict[str, Array]


@dataclass(frozen=True, eq=False)
class Optimizer:
    """A configured optimizer: ``init``, ``step`` and ``effective_lr`` over (2, n) arrays (see the module doc).

    name: registry slug; hyper: the resolved hyper-parameters under torch's names; latex: the update rule as
    torch's documentation writes it, keeping only the lines this configuration uses; state_names: the
    torch state entries ``init`` creates (no scratch, no ``step``).

    ``step(p, g, state, lr, t, out=None)`` moves the points p in place, or, given ``out``, writes the new
    points there and leaves p as it was (the simulator's history row: no copy).

    ``effective_lr(state, lr, t)`` -> (2, n), called after step t with that step's lr: the per-coordinate
    factor that multiplies the direction d the step moves along, ``θ_t = θ_{t-1} - effective_lr · d``
    (g includes the L2 weight-decay term; AdamW's θ_{t-1} is the decayed θ_{t-1}(1 - γλ)):
      SGD      lr                                        d = g, b_t (momentum) or g + μ b_t (Nesterov)
      Adagrad  lr / (1 + (t-1) lr_decay) / (√sum + eps)  d = g
      RMSprop  lr / (√(square_avg - grad_avg²) + eps)    d = g (- grad_avg² only when centered); with momentum
               it is g's factor into the buffer instead: b_t = μ b_{t-1} + effective_lr/lr · g, θ moves by lr · b_t
      Adam(W)  lr / (√v̂_t + eps), v̂_t = exp_avg_sq / (1-β2^t) (max_exp_avg_sq with AMSGrad);
               d = m̂_t = exp_avg / (1-β1^t)
    It also takes every step of a run at once: a stack of states (steps, 2, n) (scratch included), lrs
    (steps, 1, n) and steps t (steps, 1, 1); each element is the same expression of the same numbers.
    """

    name: str
    hyper: dict[str, Any]
    init: Callable[[Array], State]
    step: Callable[..., None]
    effective_lr: Callable[[State, Array, int | Array], Array]
    latex: str
    state_names: tuple[str, ...]

    @property
    def l2_decay(self) -> Any:
        """λ of L2 weight decay, the term λθ torch adds to the gradient before the update (every optimizer
        here but AdamW, whose decay is decoupled; 0 when there is none; an array holds one λ per trajectory).
        The points such an optimizer rests at are those where ∇f(θ) + λθ = 0, the minima of f + λ/2 ‖θ‖²."""
        return 0.0 if self.name == "adamw" else self.hyper.get("weight_decay", 0.0)

    @property
    def column_blocks_ok(self) -> bool:
        """Whether ``step`` may run on some columns (trajectories) of p, g and the state: true unless a
        hyper-parameter the rule holds is an array of per-trajectory values.  The lr is not held: it is
        passed to every step, so the caller cuts it with the columns."""
        return not any(isinstance(v, np.ndarray) for name, value in self.hyper.items() if name != "lr"
                       for v in (value if isinstance(value, tuple) else (value,)))


def const(value: Any) -> Array:
    """A constant as a float array (0-d for a scalar): cheaper for ufuncs than a Python float."""
    return np.asarray(value, dtype=float)


def nonzero(value: Any) -> bool:
    return bool(np.any(const(value) != 0))


def axpy(y: Array, a: Array, x: Array, tmp: Array, out: Array | None = None) -> None:
    """out <- y + a·x, y in place when out is None (through the scratch buffer tmp; x may be tmp)."""
    np.multiply(x, a, out=tmp)
    np.add(y, tmp, out=y if out is None else out)


def lerp(y: Array, x: Array, w: Array, tmp: Array) -> None:
    """y <- y + w·(x - y) in place: torch's ``y.lerp_(x, w)``, the running average y <- (1-w)·y + w·x."""
    np.subtract(x, y, out=tmp)
    axpy(y, w, tmp, tmp)


def batch_size(slug: str, hyper: dict[str, Any]) -> int | None:
    """The common length of the array hyper-parameters (None when all are scalars)."""
    sizes = {}
    for name, value in hyper.items():
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, np.ndarray):
                sizes[name] = v.size
    if len(set(sizes.values())) > 1:
        given = ", ".join(f"{name} has {size}" for name, size in sizes.items())
        raise ValueError(f"optimizer {slug!r}: array hyper-parameters must have the same length; {given}")
    return next(iter(sizes.values()), None)


def state_init(n: int | None, names: tuple[str, ...], fill: Any = 0.0) -> Callable[[Array], State]:
    """init(p): the named buffers filled with ``fill`` plus the scratch buffer "_tmp", all shaped like p."""

    def init(p: Array) -> State:
        shape = np.shape(p)
        if len(shape) != 2 or shape[0] != 2 or (n is not None and shape[1] != n):
            raise ValueError(f"points must have shape (2, {'n' if n is None else n}), got {shape}")
        state = {name: np.broadcast_to(const(fill), shape).copy() for name in names}
        state["_tmp"] = np.empty(shape)
        return state

    return init


GRADIENT_LINE = r"g_t &\leftarrow \nabla f(\theta_{t-1})"  # the first line of every rule
L2_LINE = r"g_t &\leftarrow g_t + \lambda \theta_{t-1}"  # weight decay as an L2 term


def latex_lines(*lines: str) -> str:
    return r"\begin{aligned}" + r" \\ ".join(line for line in lines if line) + r"\end{aligned}"
