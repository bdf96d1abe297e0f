"""torch.optim's optimizers, run on a batch of 2-D points in place: SGD (momentum, dampening, Nesterov,
weight decay), Adagrad, RMSprop, Adam (AMSGrad) and AdamW, with torch's names, defaults and update rules.
This module holds SGD, the conventions and the registry; the adaptive family is built in
``engine.adaptive_optimizers``.

An optimizer is a pair of functions, as in optax: ``init(p)`` builds the state and ``step(p, g, state, lr, t)``
moves the points.  Conventions, all torch's:

- ``p`` and ``g`` have shape (2, n): row 0 holds x and row 1 y for n trajectories, so each coordinate is
  contiguous.  The state is a dict of (2, n) arrays under torch's state names (``momentum_buffer``,
  ``exp_avg``, ``exp_avg_sq``, ...); keys starting with "_" are scratch buffers, not diagnostics.  torch's
  ``state['step']`` is not stored: the caller passes the 1-based step ``t``.
- ``lr`` is the learning rate of this step (after any schedule), a scalar or one value per trajectory; the
  ``lr`` hyper-parameter is only the base a schedule starts from.
- Weight decay is an L2 term added to the gradient (``g <- g + λθ``), except in AdamW where it is decoupled
  (``θ <- θ(1 - γλ)`` before the Adam step).
- Every numeric hyper-parameter may be a 1-D array with one value per trajectory (sweeps run as one batch);
  booleans are shared.  Per element the rule is torch's for that value (momentum 0 means no buffer).

Speed: a step is a fixed sequence of in-place ufuncs writing into the state (``out=``), with per-step
constants folded, passed as 0-d arrays and, when they depend on t alone, computed for a block of steps at once
(``engine.step_table``); its last ufunc writes the new points into ``out`` when given (the simulator's history
row), else into p.  ``step`` may overwrite ``g``; it returns nothing.  Every operation is
elementwise, so ``step`` and ``effective_lr`` also work on views of some rows of p, g and every state array,
or of some columns (trajectories) when no hyper-parameter is an array (``Optimizer.column_blocks_ok``): the
simulator steps two halves of a large batch on two threads.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np

from .adaptive_optimizers import adagrad, adam, rmsprop
from .optimizer_type import (
    GRADIENT_LINE,
    L2_LINE,
    Array,
    Optimizer,
    State,
    axpy,
    batch_size,
    const,
    latex_lines,
    nonzero,
    state_init,
)
from .params import Factory, Param, lookup

__all__ = ["OPTIMIZERS", "Optimizer", "optimizer"]

def _sgd(slug: str, **hyper: Any) -> Optimizer:
    """torch.optim.SGD: b_t = μ b_{t-1} + (1-τ) g_t with b_1 = g_1 (no dampening on the first step);
    θ_t = θ_{t-1} - γ b_t, or with Nesterov θ_t = θ_{t-1} - γ (g_t + μ b_t)."""
    momentum, dampening, nesterov = hyper["momentum"], hyper["dampening"], hyper["nesterov"]
    if nesterov and (np.any(const(momentum) <= 0) or nonzero(dampening)):
        raise ValueError(
            f"nesterov=True needs momentum > 0 and dampening = 0, got momentum={momentum!r}, dampening={dampening!r}"
        )
    mu, wd = const(momentum), const(hyper["weight_decay"])
    # 1 - τ; at μ = 0 torch keeps no buffer, so there is no dampening either
    keep = const(np.where(mu == 0, 1.0, 1.0 - const(dampening)))
    heavy, decay, damped = nonzero(mu), nonzero(wd), bool(np.any(keep != 1))

    def step(p: Array, g: Array, state: State, lr: Array, t: int, out: Array | None = None) -> None:
        tmp = state["_tmp"]
        if decay:
            axpy(g, wd, p, tmp)
        direction = g
        if heavy:
            buf = state["momentum_buffer"]
            if t == 1:
                np.copyto(buf, g)
            else:
                np.multiply(buf, mu, out=buf)
                if damped:
                    axpy(buf, keep, g, tmp)
                else:
                    np.add(buf, g, out=buf)
            if nesterov:
                axpy(g, mu, buf, tmp)
            else:
                direction = buf
        axpy(p, -const(lr), direction, tmp, out)

    def effective_lr(state: State, lr: Array, t: int | Array) -> Array:
        return np.broadcast_to(const(lr), state["_tmp"].shape).copy()

    buffer = r"b_t &\leftarrow \mu b_{t-1} + " + (r"(1-\tau)\, g_t" if damped else "g_t") + r" \quad (b_1 = g_1)"
    latex = latex_lines(
        GRADIENT_LINE,
        L2_LINE if decay else "",
        buffer if heavy else "",
        (r"g_t &\leftarrow g_t + \mu b_t" if nesterov else r"g_t &\leftarrow b_t") if heavy else "",
        r"\theta_t &\leftarrow \theta_{t-1} - \gamma g_t",
    )
    names = ("momentum_buffer",) if heavy else ()
    return Optimizer(slug, hyper, state_init(batch_size(slug, hyper), names), step, effective_lr, latex, names)


def _lr(default: float) -> Param:
    return Param("lr", default, low=0.0, log=True, array_ok=True, help="learning rate γ")


def _eps(default: float) -> Param:
    return Param("eps", default, low=0.0, log=True, array_ok=True, help="ε added to the denominator")


def _weight_decay(default: float = 0.0) -> Param:
    return Param("weight_decay", default, low=0.0, array_ok=True, help="weight decay λ")


_MOMENTUM = Param("momentum", 0.0, low=0.0, array_ok=True, help="momentum factor μ")
_SGD = (
    _lr(1e-3),
    _MOMENTUM,
    Param("dampening", 0.0, low=0.0, high=1.0, array_ok=True, help="dampening τ of the momentum buffer"),
    _weight_decay(),
    Param("nesterov", False, kind="bool", help="Nesterov momentum (needs momentum > 0, dampening 0)"),
)
_ADAM = (
    _lr(1e-3),
    Param("betas", (0.9, 0.999), low=0.0, high=1.0, open_high=True, kind="pair", array_ok=True,
          help="β1, β2: decay rates of the running averages of g and g²"),
    _eps(1e-8),
    _weight_decay(),
    Param("amsgrad", False, kind="bool", help="AMSGrad: normalise by the largest v so far"),
)


def _with_defaults(spec: tuple[Param, ...], **defaults: Any) -> tuple[Param, ...]:
    return tuple(replace(p, default=defaults[p.name]) if p.name in defaults else p for p in spec)


def _entry(slug: str, title: str, description: str, spec: tuple[Param, ...], build: Any, *args: Any) -> Factory:
    return Factory("optimizer", slug, spec, partial(build, slug, *args), title, description)


OPTIMIZERS: dict[str, Factory] = {f.slug: f for f in (
    _entry("sgd", "SGD", "Plain gradient descent: a step of lr times the gradient.", _SGD, _sgd),
    _entry("momentum", "Momentum", "SGD with heavy-ball momentum 0.9: steps follow a running sum of gradients.",
           _with_defaults(_SGD, momentum=0.9), _sgd),
    _entry("nesterov", "Nesterov", "SGD with Nesterov momentum 0.9: the step looks ahead along the momentum.",
           _with_defaults(_SGD, momentum=0.9, nesterov=True), _sgd),
    _entry("adagrad", "Adagrad", "Divides each coordinate's step by the root of its summed squared gradients.", (
        _lr(1e-2),
        Param("lr_decay", 0.0, low=0.0, array_ok=True, help="learning-rate decay η"),
        _weight_decay(),
        Param("initial_accumulator_value", 0.0, low=0.0, array_ok=True, help="starting sum of squares τ"),
        _eps(1e-10),
    ), adagrad),
    _entry("rmsprop", "RMSprop", "Divides each coordinate's step by the root of a running average of squared "
           "gradients.", (
        _lr(1e-2),
        Param("alpha", 0.99, low=0.0, high=1.0, array_ok=True, help="smoothing constant α of the average of g²"),
        _eps(1e-8),
        _weight_decay(),
        _MOMENTUM,
        Param("centered", False, kind="bool", help="divide by an estimate of the variance of g instead"),
    ), rmsprop),
    _entry("adam", "Adam", "Momentum on the gradient divided by RMSprop's scale, both bias-corrected.", _ADAM,
           adam, False),
    _entry("adamw", "AdamW", "Adam with decoupled weight decay: shrinks the parameters apart from the gradient.",
           _with_defaults(_ADAM, weight_decay=1e-2), adam, True),
)}


def optimizer(name: str, **hyper: Any) -> Optimizer:
    """The optimizer registered as ``name``, with hyper-parameters by torch's names (unset ones take torch's
    defaults).  Unknown names and bad values raise ValueError naming the parameter."""
    return lookup(OPTIMIZERS, "optimizer", name)(**hyper)
