"""torch.optim's optimizers, run on a batch of 2-D points in place: SGD (momentum, dampening, Nesterov,
weight decay), Adagrad, RMSprop, Adam (AMSGrad) and AdamW, with torch's names, defaults and update rules.

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

from .optimizer_type import Array, Optimizer, State, axpy, batch_size, const, latex_lines, lerp, nonzero, state_init
from .params import Factory, Param, lookup
from .step_table import StepTable, powers

__all__ = ["OPTIMIZERS", "Optimizer", "optimizer"]

_GRAD = r"g_t &\leftarrow \nabla f(\theta_{t-1})"
_L2 = r"g_t &\leftarrow g_t + \lambda \theta_{t-1}"


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
        _GRAD,
        _L2 if decay else "",
        buffer if heavy else "",
        (r"g_t &\leftarrow g_t + \mu b_t" if nesterov else r"g_t &\leftarrow b_t") if heavy else "",
        r"\theta_t &\leftarrow \theta_{t-1} - \gamma g_t",
    )
    names = ("momentum_buffer",) if heavy else ()
    return Optimizer(slug, hyper, state_init(batch_size(slug, hyper), names), step, effective_lr, latex, names)


def _adagrad(slug: str, **hyper: Any) -> Optimizer:
    """torch.optim.Adagrad: s_0 = initial_accumulator_value, s_t = s_{t-1} + g_t²,
    θ_t = θ_{t-1} - γ̃ g_t / (√s_t + ε) with γ̃ = γ / (1 + (t-1) lr_decay)."""
    decay_lr, wd, eps = const(hyper["lr_decay"]), const(hyper["weight_decay"]), const(hyper["eps"])
    decay = nonzero(wd)

    def decayed_lr(lr: Array, t: int) -> Array:
        return const(lr / (1 + (t - 1) * decay_lr))

    def denominator(state: State, out: Array) -> Array:
        np.sqrt(state["sum"], out=out)
        return np.add(out, eps, out=out)

    def step(p: Array, g: Array, state: State, lr: Array, t: int, out: Array | None = None) -> None:
        total, tmp = state["sum"], state["_tmp"]
        if decay:
            axpy(g, wd, p, tmp)
        np.multiply(g, g, out=tmp)
        np.add(total, tmp, out=total)
        np.divide(g, denominator(state, tmp), out=g)
        axpy(p, -decayed_lr(lr, t), g, tmp, out)

    def effective_lr(state: State, lr: Array, t: int | Array) -> Array:
        out = denominator(state, np.empty_like(state["sum"]))
        return np.divide(decayed_lr(lr, t), out, out=out)

    latex = latex_lines(
        _GRAD,
        _L2 if decay else "",
        r"\tilde\gamma &\leftarrow \gamma / (1 + (t-1)\eta)",
        r"s_t &\leftarrow s_{t-1} + g_t^2 \quad (s_0 = \tau)",
        r"\theta_t &\leftarrow \theta_{t-1} - \tilde\gamma\, g_t / (\sqrt{s_t} + \epsilon)",
    )
    init = state_init(batch_size(slug, hyper), ("sum",), hyper["initial_accumulator_value"])
    return Optimizer(slug, hyper, init, step, effective_lr, latex, ("sum",))


def _rmsprop(slug: str, **hyper: Any) -> Optimizer:
    """torch.optim.RMSprop: v_t = α v_{t-1} + (1-α) g_t², ṽ_t = v_t (centered: minus ḡ_t², ḡ_t = α ḡ_{t-1} +
    (1-α) g_t); b_t = μ b_{t-1} + g_t / (√ṽ_t + ε) (b_0 = 0), θ_t = θ_{t-1} - γ b_t (without momentum
    θ_t = θ_{t-1} - γ g_t / (√ṽ_t + ε)).  ε is added after the square root."""
    alpha, eps, wd, mu = (const(hyper[k]) for k in ("alpha", "eps", "weight_decay", "momentum"))
    centered, weight = hyper["centered"], const(1 - alpha)
    heavy, decay = nonzero(mu), nonzero(wd)

    def denominator(state: State, out: Array) -> Array:
        """√ṽ_t + ε into out."""
        if centered:
            np.multiply(state["grad_avg"], state["grad_avg"], out=out)
            np.subtract(state["square_avg"], out, out=out)
            np.sqrt(out, out=out)
        else:
            np.sqrt(state["square_avg"], out=out)
        return np.add(out, eps, out=out)

    def step(p: Array, g: Array, state: State, lr: Array, t: int, out: Array | None = None) -> None:
        square, tmp = state["square_avg"], state["_tmp"]
        if decay:
            axpy(g, wd, p, tmp)
        np.multiply(square, alpha, out=square)
        np.multiply(g, g, out=tmp)
        axpy(square, weight, tmp, tmp)
        if centered:
            lerp(state["grad_avg"], g, weight, tmp)
        np.divide(g, denominator(state, tmp), out=g)
        direction = g
        if heavy:
            direction = state["momentum_buffer"]
            np.multiply(direction, mu, out=direction)
            np.add(direction, g, out=direction)
        axpy(p, -const(lr), direction, tmp, out)

    def effective_lr(state: State, lr: Array, t: int | Array) -> Array:
        out = denominator(state, np.empty_like(state["square_avg"]))
        return np.divide(const(lr), out, out=out)

    scaled = r"g_t / (\sqrt{\tilde v_t} + \epsilon)"
    latex = latex_lines(
        _GRAD,
        _L2 if decay else "",
        r"v_t &\leftarrow \alpha v_{t-1} + (1-\alpha) g_t^2",
        r"\bar g_t &\leftarrow \alpha \bar g_{t-1} + (1-\alpha) g_t" if centered else "",
        r"\tilde v_t &\leftarrow v_t - \bar g_t^2" if centered else r"\tilde v_t &\leftarrow v_t",
        r"b_t &\leftarrow \mu b_{t-1} + " + scaled if heavy else "",
        r"\theta_t &\leftarrow \theta_{t-1} - \gamma " + ("b_t" if heavy else scaled),
    )
    names = ("square_avg",) + (("momentum_buffer",) if heavy else ()) + (("grad_avg",) if centered else ())
    return Optimizer(slug, hyper, state_init(batch_size(slug, hyper), names), step, effective_lr, latex, names)


def _adam(slug: str, decoupled: bool, **hyper: Any) -> Optimizer:
    """torch.optim.Adam / AdamW: m_t = β1 m_{t-1} + (1-β1) g_t, v_t = β2 v_{t-1} + (1-β2) g_t² (AMSGrad:
    v_t^max = max(v_{t-1}^max, v_t) in its place below), m̂_t = m_t / (1-β1^t), v̂_t = v_t / (1-β2^t),
    θ_t = θ_{t-1} - γ m̂_t / (√v̂_t + ε).  AdamW first shrinks θ by (1 - γλ) and adds nothing to g.

    The step folds both bias corrections into one step size and one ε, multiplying torch's expression
    through by c = √(1-β2^t):  γ m̂_t / (√v_t / c + ε) = (γ c / (1-β1^t)) m_t / (√v_t + ε c); and it scales
    g by √(1-β2) once, so that squaring gives (1-β2) g² directly.  Both equal torch's to rounding.  ε c and
    -c / (1-β1^t) come from a StepTable (computed for a block of steps at once).
    """
    beta1, beta2 = (const(b) for b in hyper["betas"])
    eps, wd, amsgrad = const(hyper["eps"]), const(hyper["weight_decay"]), hyper["amsgrad"]
    root2, decay = const(np.sqrt(1 - beta2)), nonzero(wd)
    ratio = const((1 - beta1) / root2)
    second = "max_exp_avg_sq" if amsgrad else "exp_avg_sq"

    def bias_terms(t: Array) -> tuple[Array, Array]:
        """ε c and -c / (1-β1^t), with c = √(1-β2^t)."""
        c = np.sqrt(1 - powers(beta2, t))
        return eps * c, -c / (1 - powers(beta1, t))

    terms = StepTable(bias_terms)

    def step(p: Array, g: Array, state: State, lr: Array, t: int, out: Array | None = None) -> None:
        m, v, tmp, lr = state["exp_avg"], state["exp_avg_sq"], state["_tmp"], const(lr)
        eps_c, scale = terms.at(t)
        if decay and decoupled:
            p = np.multiply(p, const(1 - lr * wd), out=p if out is None else out)  # the decayed θ_{t-1}
        elif decay:
            axpy(g, wd, p, tmp)
        np.multiply(g, root2, out=g)  # g <- √(1-β2) g: one pass fewer than scaling g² afterwards
        np.multiply(m, beta1, out=m)
        axpy(m, ratio, g, tmp)
        np.multiply(g, g, out=g)
        np.multiply(v, beta2, out=v)
        np.add(v, g, out=v)
        if amsgrad:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        np.sqrt(state[second], out=tmp)
        np.add(tmp, eps_c, out=tmp)
        np.divide(m, tmp, out=tmp)
        axpy(p, const(lr * scale), tmp, tmp, out)  # one pass over a per-trajectory lr

    def effective_lr(state: State, lr: Array, t: int | Array) -> Array:
        out = np.divide(state[second], 1 - powers(beta2, np.asarray(t)))
        np.sqrt(out, out=out)
        np.add(out, eps, out=out)
        return np.divide(const(lr), out, out=out)

    latex = latex_lines(
        _GRAD,
        (r"\theta_{t-1} &\leftarrow \theta_{t-1} - \gamma \lambda \theta_{t-1}" if decoupled else _L2) if decay else "",
        r"m_t &\leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t",
        r"v_t &\leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2",
        r"\hat m_t &\leftarrow m_t / (1-\beta_1^t)",
        r"v_t^{max} &\leftarrow \max(v_{t-1}^{max}, v_t)" if amsgrad else "",
        r"\hat v_t &\leftarrow " + ("v_t^{max}" if amsgrad else "v_t") + r" / (1-\beta_2^t)",
        r"\theta_t &\leftarrow \theta_{t-1} - \gamma \hat m_t / (\sqrt{\hat v_t} + \epsilon)",
    )
    names = ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if amsgrad else ())
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
    ), _adagrad),
    _entry("rmsprop", "RMSprop", "Divides each coordinate's step by the root of a running average of squared "
           "gradients.", (
        _lr(1e-2),
        Param("alpha", 0.99, low=0.0, high=1.0, array_ok=True, help="smoothing constant α of the average of g²"),
        _eps(1e-8),
        _weight_decay(),
        _MOMENTUM,
        Param("centered", False, kind="bool", help="divide by an estimate of the variance of g instead"),
    ), _rmsprop),
    _entry("adam", "Adam", "Momentum on the gradient divided by RMSprop's scale, both bias-corrected.", _ADAM,
           _adam, False),
    _entry("adamw", "AdamW", "Adam with decoupled weight decay: shrinks the parameters apart from the gradient.",
           _with_defaults(_ADAM, weight_decay=1e-2), _adam, True),
)}


def optimizer(name: str, **hyper: Any) -> Optimizer:
    """The optimizer registered as ``name``, with hyper-parameters by torch's names (unset ones take torch's
    defaults).  Unknown names and bad values raise ValueError naming the parameter."""
    return lookup(OPTIMIZERS, "optimizer", name)(**hyper)
