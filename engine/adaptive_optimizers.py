"""torch.optim's adaptive optimizers: Adagrad, RMSprop, and Adam with AMSGrad and AdamW's decoupled weight
decay.  Each divides the step by a running root of squared gradients; each builder's docstring states its
update rule.  The conventions they share with SGD (state layout, in-place steps, per-trajectory
hyper-parameters) are in ``engine.optimizers``, which registers them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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
    lerp,
    nonzero,
    state_init,
)
from .step_table import StepTable, powers

__all__ = ["adagrad", "adam", "rmsprop"]


def adagrad(slug: str, **hyper: Any) -> Optimizer:
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
        GRADIENT_LINE,
        L2_LINE if decay else "",
        r"\tilde\gamma &\leftarrow \gamma / (1 + (t-1)\eta)",
        r"s_t &\leftarrow s_{t-1} + g_t^2 \quad (s_0 = \tau)",
        r"\theta_t &\leftarrow \theta_{t-1} - \tilde\gamma\, g_t / (\sqrt{s_t} + \epsilon)",
    )
    init = state_init(batch_size(slug, hyper), ("sum",), hyper["initial_accumulator_value"])
    return Optimizer(slug, hyper, init, step, effective_lr, latex, ("sum",))


def rmsprop(slug: str, **hyper: Any) -> Optimizer:
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
        GRADIENT_LINE,
        L2_LINE if decay else "",
        r"v_t &\leftarrow \alpha v_{t-1} + (1-\alpha) g_t^2",
        r"\bar g_t &\leftarrow \alpha \bar g_{t-1} + (1-\alpha) g_t" if centered else "",
        r"\tilde v_t &\leftarrow v_t - \bar g_t^2" if centered else r"\tilde v_t &\leftarrow v_t",
        r"b_t &\leftarrow \mu b_{t-1} + " + scaled if heavy else "",
        r"\theta_t &\leftarrow \theta_{t-1} - \gamma " + ("b_t" if heavy else scaled),
    )
    names = ("square_avg",) + (("momentum_buffer",) if heavy else ()) + (("grad_avg",) if centered else ())
    return Optimizer(slug, hyper, state_init(batch_size(slug, hyper), names), step, effective_lr, latex, names)


def adam(slug: str, decoupled: bool, **hyper: Any) -> Optimizer:
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

    decoupled_line = r"\theta_{t-1} &\leftarrow \theta_{t-1} - \gamma \lambda \theta_{t-1}"
    latex = latex_lines(
        GRADIENT_LINE,
        (decoupled_line if decoupled else L2_LINE) if decay else "",
        r"m_t &\leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t",
        r"v_t &\leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2",
        r"\hat m_t &\leftarrow m_t / (1-\beta_1^t)",
        r"v_t^{max} &\leftarrow \max(v_{t-1}^{max}, v_t)" if amsgrad else "",
        r"\hat v_t &\leftarrow " + ("v_t^{max}" if amsgrad else "v_t") + r" / (1-\beta_2^t)",
        r"\theta_t &\leftarrow \theta_{t-1} - \gamma \hat m_t / (\sqrt{\hat v_t} + \epsilon)",
    )
    names = ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if amsgrad else ())
    return Optimizer(slug, hyper, state_init(batch_size(slug, hyper), names), step, effective_lr, latex, names)
